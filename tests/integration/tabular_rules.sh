#!/usr/bin/env bash
# The tabular rules through `mrt edits check --claims` on the real data:
# the FY2023 Tabular List notes, the FY2025/FY2026 code sets, the MCE
# definitions and the CMS POA-exempt lists loaded by `mrt codes load`.
# 1. Hand-made claims, one per rule, from the tabular's own notes: each
#    gives its finding with the note, its code and its release (FY2026
#    claims borrow the FY2023 notes and say so).
# 2. The MCE reference claims: findings per rule printed; excludes1,
#    seventh-char, header, external-cause-repeated, poa-exempt and
#    poa-invalid present; every header finding is a non-billable code of
#    the code set in force (counted independently with sqlite3).
# 3. The MIMIC-IV demo imported with `mrt import mimic`, its ICD-10
#    encounters turned into claims from the database (principal first,
#    the first 24 secondary diagnoses; edited against MCE 43.1, the dates
#    being shifted): findings per rule printed; header findings equal the
#    non-billable FY2026 codes of those claims; one POA finding per claim
#    (MIMIC has no POA); excludes1, code-first and use-additional found;
#    `mrt edits run` over the stored encounters counts the same findings.
. "$(dirname "$0")/lib/common.sh"
needs jq sqlite3 python3
cm=$data/icd10cm
needs_files "$cm/fy2023-tabular-index/icd10cm_tabular_2023.xml" "$cm/fy2026/icd10cm_order_2026.txt" \
  "$data/cms-poa-exempt/fy2026/POAexemptCodesFY26.txt" "$data/mce-reference/claims.jsonl" \
  "$data/mimic-iv-demo-2.2/hosp/admissions.csv.gz"
"$MRT" edits check --help >/dev/null 2>&1 || { echo "no mrt edits check in this build: skipped"; exit 77; }

mrt init >/dev/null
mrt --data "$data" codes load "$cm/fy2023-tabular-index/icd10cm_tabular_2023.xml" "$cm/fy2025" \
  "$cm/fy2026" "$data/cms-mce" "$data/cms-poa-exempt" --json >"$tmp/load.json" || fail "codes load"
[ "$(q "SELECT count(*) FROM poa_exempt_release")" -ge 2 ] || fail "POA-exempt lists not loaded"

has() { # has FILE ID RULE [CODE]: the claim has that finding
  jq -e -s --arg id "$2" --arg r "$3" --arg c "${4:-}" '.[] | select(.id == $id) | .findings
    | any(.rule == $r and ($c == "" or .code == $c))' "$1" >/dev/null ||
    fail "claim $2: no $3 ${4:-} finding: $(jq -c --arg id "$2" 'select(.id == $id) | .findings' "$1")"
}
hasnt() {
  if jq -e -s --arg id "$2" --arg r "$3" --arg c "${4:-}" '.[] | select(.id == $id) | .findings
    | any(.rule == $r and ($c == "" or .code == $c))' "$1" >/dev/null; then
    fail "claim $2: unexpected $3 ${4:-} finding"
  fi
}

# --- 1. hand-made claims ---
claim() { # claim ID DATE PDX[:POA] [SDX[:POA]...]
  local id=$1 date=$2; shift 2
  python3 - "$id" "$date" "$@" <<'PY'
import json, sys
def dx(s):
    code, _, poa = s.partition(":")
    return {"code": code, "poa": poa if ":" in s else "Y"}
a = sys.argv[1:]
print(json.dumps({"id": a[0], "discharge_date": a[1], "age": 40, "sex": "F", "discharge_status": "01",
                  "los": 3, "pdx": dx(a[2]), "sdx": [dx(s) for s in a[3:]], "procedures": []}))
PY
}
{
  claim ex1 2025-11-03 E11.9 E10.9           # E11 Excludes1 "type 1 diabetes mellitus (E10.-)"
  claim ex0 2025-11-03 E11.9 E11.65 Z79.4    # one category, control coded: nothing
  claim cf1 2025-11-03 K52.1                 # K52.1 "Code first (T51-T65) to identify toxic agent"
  claim cf2 2025-11-03 N18.4 I12.9           # I12 before N18 ("Code first ... (I12.-, I13.-)")
  claim ua1 2025-11-03 I12.9 E78.5           # I12.9 "Use additional code to identify the stage of CKD"
  claim ua0 2025-11-03 I12.0 N18.6 Z99.2     # stage and dialysis status coded (N18's Z94.0 stays)
  claim s71 2025-11-03 S72.001               # S72: 7th character missing
  claim s72 2025-11-03 S72.001Z              # S72: Z is not a 7th character of S72
  claim px1 2025-11-03 T3601A                # T36.0X1A without its placeholder
  claim hd1 2025-11-03 E11.2                 # a subcategory
  claim y92 2025-11-03 S72.001A W01.0XXA Y92.009:1 Y92.002:1
  claim ec1 2025-11-03 R55 W01.0XXA:1
  claim ec2 2025-11-03 W01.0XXA:1
  claim pe1 2025-11-03 I10:Y Z38.00:Y        # Z38.00 is POA-exempt in FY2026
  claim pm1 2025-11-03 I10:Y E78.5:          # E78.5 needs a POA indicator
  claim pi1 2025-11-03 I10:X
} >"$tmp/hand.jsonl"
mrt edits check --claims "$tmp/hand.jsonl" --json >"$tmp/hand.out" || fail "edits check (hand-made)"
[ "$(jq -s length "$tmp/hand.out")" = "$(wc -l <"$tmp/hand.jsonl")" ] || fail "one result per claim"
has "$tmp/hand.out" ex1 excludes1 E119
jq -e -s '.[] | select(.id == "ex1") | .findings[] | select(.rule == "excludes1")
  | .note_code == "E11" and (.message | test("Excludes1 at E11 \"type 1 diabetes mellitus \\(E10.-\\)\" \\(ICD-10-CM 2023\\)"))' \
  "$tmp/hand.out" >/dev/null || fail "ex1 finding names the note and its release"
hasnt "$tmp/hand.out" ex0 excludes1
hasnt "$tmp/hand.out" ex0 use-additional
has "$tmp/hand.out" cf1 code-first K521
has "$tmp/hand.out" cf2 code-first N184
has "$tmp/hand.out" ua1 use-additional I129
hasnt "$tmp/hand.out" ua0 use-additional I120
jq -e -s '[.[] | select(.id == "ua0") | .findings[] | select(.rule == "use-additional") | .note_code]
  == ["N18"]' "$tmp/hand.out" >/dev/null || fail "ua0: only N18's optional Z94.0 should remain"
has "$tmp/hand.out" s71 seventh-char S72001
has "$tmp/hand.out" s72 seventh-char S72001Z
has "$tmp/hand.out" px1 placeholder-x T3601A
jq -e -s '.[] | select(.id == "px1") | .findings[] | select(.rule == "placeholder-x") | .message | test("T36.0X1A")' \
  "$tmp/hand.out" >/dev/null || fail "px1 names the code with its placeholder"
has "$tmp/hand.out" hd1 header E112
jq -e -s '.[] | select(.id == "hd1") | .findings[] | select(.rule == "header") | .message | test("E11.21, E11.22, E11.29")' \
  "$tmp/hand.out" >/dev/null || fail "hd1 suggests E11.2's billable codes"
has "$tmp/hand.out" y92 external-cause-repeated Y92002
hasnt "$tmp/hand.out" ec1 external-cause-alone
has "$tmp/hand.out" ec2 external-cause-alone W010XXA
has "$tmp/hand.out" pe1 poa-exempt Z3800
has "$tmp/hand.out" pm1 poa-missing E785
hasnt "$tmp/hand.out" pe1 poa-missing
has "$tmp/hand.out" pi1 poa-invalid I10
# the human table names the rule and the code too
mrt edits check --claims "$tmp/hand.jsonl" >"$tmp/hand.txt" || fail "edits check table"
grep -q "placeholder-x" "$tmp/hand.txt" || fail "the table lists the tabular findings"

# --- 2. the MCE reference claims ---
mrt edits check --claims "$data/mce-reference/claims.jsonl" --json >"$tmp/ref.out" || fail "edits check (reference)"
echo "tabular findings on the MCE reference claims ($(wc -l <"$data/mce-reference/claims.jsonl") claims):"
jq -r '.findings[]? | .rule' "$tmp/ref.out" | sort | uniq -c
n() { jq -r --arg r "$2" '.findings[]? | select(.rule == $r) | .rule' "$1" | wc -l; }
for r in excludes1 seventh-char header external-cause-repeated poa-exempt poa-invalid code-first use-additional; do
  [ "$(n "$tmp/ref.out" $r)" -gt 0 ] || fail "no $r finding on the reference claims"
done
# every poa-invalid finding is a POA value outside Y N U W 1 blank in the input
bad=$(jq -r '([.pdx] + .sdx)[] | select(.poa | test("^([YNUW1])?$") | not) | .poa' \
  "$data/mce-reference/claims.jsonl" | wc -l)
[ "$(n "$tmp/ref.out" poa-invalid)" = "$bad" ] || fail "poa-invalid $(n "$tmp/ref.out" poa-invalid), invalid values $bad"

# --- 3. the MIMIC-IV demo ---
mrt import mimic "$data/mimic-iv-demo-2.2" --json >/dev/null || fail "import mimic"
python3 - "$db" >"$tmp/mimic.jsonl" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""
SELECT e.account, substr(e.discharge_at, 1, 10), d.code, coalesce(d.poa, '')
FROM encounter e JOIN coding c ON c.encounter_id = e.id AND c.superseded_by IS NULL
JOIN diagnosis d ON d.coding_id = c.id
WHERE d.system = 'http://hl7.org/fhir/sid/icd-10-cm' AND d.kind != 'admitting'
ORDER BY e.account, d.kind = 'secondary', d.seq""").fetchall()
claims = {}
for acc, dis, code, poa in rows:
    c = claims.setdefault(acc, {"id": acc, "discharge_date": dis, "age": 50, "sex": "U",
                                "discharge_status": "01", "los": 3, "pdx": None, "sdx": [],
                                "procedures": []})
    if c["pdx"] is None:
        c["pdx"] = {"code": code, "poa": poa}
    elif len(c["sdx"]) < 24:
        c["sdx"].append({"code": code, "poa": poa})
for c in claims.values():
    print(json.dumps(c))
PY
nclaims=$(wc -l <"$tmp/mimic.jsonl")
[ "$nclaims" -gt 100 ] || fail "MIMIC ICD-10 encounters: $nclaims"
mrt edits check --claims "$tmp/mimic.jsonl" --json --release 43.1 >"$tmp/mimic.out" || fail "edits check (MIMIC)"
echo "tabular findings on the MIMIC-IV demo ($nclaims ICD-10 encounters):"
jq -r '.findings[]? | .rule' "$tmp/mimic.out" | sort | uniq -c
for r in excludes1 code-first use-additional header; do
  [ "$(n "$tmp/mimic.out" $r)" -gt 0 ] || fail "no $r finding on the MIMIC demo"
done
# header + seventh-char "missing" findings = the claims' codes that the FY2026 code set
# has as non-billable, counted by sqlite3 from the code table
jq -r '([.pdx] + .sdx)[].code' "$tmp/mimic.jsonl" | sort | uniq -c | awk '{print $2 "," $1}' >"$tmp/codes.csv"
nonbill=$(sqlite3 "$db" ".mode csv" "CREATE TEMP TABLE t(code, n)" ".import $tmp/codes.csv t" \
  "SELECT coalesce(sum(t.n), 0) FROM t JOIN code c ON c.code = t.code JOIN code_release r ON r.id = c.release_id
   WHERE r.system = 'icd10cm' AND r.version = '2026' AND c.billable = 0")
struct=$(jq -r '.findings[]? | select(.rule == "header" or (.rule == "seventh-char" and (.message | test("missing"))))
  | .rule' "$tmp/mimic.out" | wc -l)
if [ "$struct" != "$nonbill" ] || [ "$nonbill" -eq 0 ]; then
  fail "header findings $struct, non-billable codes $nonbill"
fi
# no POA in MIMIC: one claim-level poa-missing finding per claim, none per code
[ "$(n "$tmp/mimic.out" poa-missing)" = "$nclaims" ] || fail "poa-missing $(n "$tmp/mimic.out" poa-missing) for $nclaims claims"
# `mrt edits run` over the stored encounters finds the same tabular findings
mrt edits run --release 43.1 --json >"$tmp/run.json" || fail "edits run"
for r in excludes1 code-first use-additional header external-cause-repeated poa-missing; do
  got=$(jq -r --arg r "$r" '[.by_rule[] | select(.kind == "tabular" and .rule == $r) | .occurrences] | add // 0' "$tmp/run.json")
  [ "$got" = "$(n "$tmp/mimic.out" "$r")" ] || fail "edits run $r: $got, edits check: $(n "$tmp/mimic.out" "$r")"
done
# the same claims twice give the same findings (no state between claims)
cat "$tmp/mimic.jsonl" "$tmp/mimic.jsonl" >"$tmp/twice.jsonl"
mrt edits check --claims "$tmp/twice.jsonl" --json --release 43.1 >"$tmp/twice.out" || fail "edits check twice"
[ "$(jq -r '.findings[]? | .rule' "$tmp/twice.out" | wc -l)" = "$(( 2 * $(jq -r '.findings[]? | .rule' "$tmp/mimic.out" | wc -l) ))" ] ||
  fail "findings differ between two runs of the same claims"
echo "tabular_rules: ok"
