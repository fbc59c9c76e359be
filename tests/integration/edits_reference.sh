#!/usr/bin/env bash
# The code editor against the CMS Medicare Code Editor's own output: the
# FY2025 and FY2026 ICD-10-CM/PCS order files, the MCE v43.1 definitions
# and the FY2025 list differences (share/mce) are loaded with `mrt codes load`, the 2,000 reference claims are edited
# with `mrt edits check --json`, and every claim must agree with CMS on its
# status, its edit names and counts (expected.tsv) and on which codes carry
# which edits (expected_codes.tsv). The FY2023 Tabular List is loaded too, so
# each claim also carries the tabular rules' findings, in the contract's
# shape, without changing a single MCE edit. Also: the table output, a malformed line
# in the middle of a file (an error object, the run goes on, exit 1), the
# roles that may run it, and the one audit event per run.
. "$(dirname "$0")/lib/common.sh"
needs python3 sqlite3
ref=$data/mce-reference
defs="$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt"
needs_files "$ref/claims.jsonl" "$ref/expected.tsv" "$ref/expected_codes.tsv" "$defs" \
  "$data/icd10cm/fy2026/icd10cm_order_2026.txt" "$data/icd10pcs/fy2026/icd10pcs_order_2026.txt" \
  "$data/icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml"
export MRT_SITE_DIR=$tmp/site
mrt init >/dev/null
add_users cody:coder rita:researcher
mrt codes load "$data/icd10cm/fy2025/icd10cm_order_2025.txt" "$data/icd10cm/fy2026/icd10cm_order_2026.txt" \
  "$data/icd10pcs/fy2025/icd10pcs_order_2025.txt" "$data/icd10pcs/fy2026/icd10pcs_order_2026.txt" \
  "$defs" "$MRT_SOURCE_DIR/share/mce/mce-fy2025-differences.tsv" \
  "$data/icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml" >/dev/null

# The reference set: 100 % agreement, figures printed.
MRT_USER=cody mrt edits check --claims "$ref/claims.jsonl" --json >"$tmp/out.jsonl"
[ "$(wc -l <"$tmp/out.jsonl")" -eq "$(wc -l <"$ref/claims.jsonl")" ] || fail "not one object per claim"
python3 "$MRT_SOURCE_DIR/tests/oracle/mce_agree.py" "$tmp/out.jsonl" "$ref/expected.tsv" \
  "$ref/expected_codes.tsv" || fail "mrt disagrees with the CMS MCE on the reference claims"
# The contract's shape: every object has its keys; the tabular findings name their note.
python3 - "$tmp/out.jsonl" <<'PY' || fail "result objects not in the contract's shape"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
with_findings = 0
for o in rows:
    assert {"id", "status", "edits", "findings", "release"} <= set(o), o
    for e in o["edits"]:
        assert {"edit", "message", "source"} <= set(e) and e["source"], e
        assert ("code" in e) == (e["edit"] not in ("INVALID_AGE", "INVALID_SEX", "INVALID_DISCHARGE_STATUS")), e
    for f in o["findings"]:
        assert {"rule", "severity", "code", "message"} <= set(f), f
    with_findings += bool(o["findings"])
    if o["status"] == "INVALID_DISCHARGE_DATE":
        assert o["edits"] == [] and o["release"] is None and "note" in o, o
assert with_findings > 100, with_findings
assert any("note_code" in f and f.get("note_release") == "2023" for o in rows for f in o["findings"])
print("claims with tabular findings: %d of %d" % (with_findings, len(rows)))
PY
# Input order kept.
diff <(python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1])]' "$tmp/out.jsonl") \
  <(cut -f1 "$ref/expected.tsv") >/dev/null || fail "output not in input order"

# A malformed line in the middle: an error object naming the line, the run goes on, exit 1.
{ head -n 3 "$ref/claims.jsonl"; echo '{"id": "bad1", "discharge_date": "2025-13-40"}'; echo 'not json';
  sed -n 4,5p "$ref/claims.jsonl"; } >"$tmp/mixed.jsonl"
if MRT_USER=cody mrt edits check --claims "$tmp/mixed.jsonl" --json >"$tmp/mixed.out" 2>"$tmp/err"; then
  fail "malformed lines gave exit 0"
fi
[ "$(wc -l <"$tmp/mixed.out")" -eq 7 ] || fail "the run did not go on after a malformed line"
python3 - "$tmp/mixed.out" <<'PY' || fail "error objects wrong"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows[3] == {"id": "bad1", "line": 4, "error": rows[3]["error"]}, rows[3]
assert "discharge_date" in rows[3]["error"] and "2025-13-40" not in rows[3]["error"], rows[3]
assert rows[4]["id"] is None and rows[4]["line"] == 5, rows[4]
assert all("status" in r for i, r in enumerate(rows) if i not in (3, 4))
PY

# The table for people, and --release against a chosen release.
MRT_USER=cody mrt edits check --claims "$tmp/mixed.jsonl" >"$tmp/table.txt" 2>/dev/null || true
grep -q "^CLAIM .*STATUS .*EDIT" "$tmp/table.txt" || fail "no table header"
grep -q "5 claims edited, 2 lines not read" "$tmp/table.txt" || fail "no table summary"
MRT_USER=cody mrt edits check --claims "$tmp/mixed.jsonl" --json --release 43.1 >"$tmp/forced.out" 2>/dev/null || true
grep -q '"release":"43.1"' "$tmp/forced.out" || fail "--release not applied"
refused "no MCE release" env MRT_USER=cody "$MRT" --db "$db" edits check --claims "$tmp/mixed.jsonl" --release 1.0

# Roles: a researcher may not; one audit event per run, counts only.
refused "coder" env MRT_USER=rita "$MRT" --db "$db" edits check --claims "$ref/claims.jsonl" --json
n=$(q "SELECT count(*) FROM audit_event WHERE action='edits.check' AND outcome='allow'")
[ "$n" -ge 3 ] || fail "edits.check runs not audited ($n)"
q "SELECT detail FROM audit_event WHERE action='edits.check'" | grep -q "claims=2000 errors=0" ||
  fail "audit detail lacks the counts"
echo "edits_reference: ok"
