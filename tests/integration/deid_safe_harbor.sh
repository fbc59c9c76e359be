#!/usr/bin/env bash
# `mrt export deid --method safe-harbor` on the MIMIC-IV demo and the
# Synthea CSV (five Synthea patients moved into restricted ZIP3 areas:
# 036, 102, 203, 556, 893), checked independently of mrt, field by field:
# no MRN, account number, identifier value (SSN, driver's licence,
# passport), name, street, city, county, birthplace, full ZIP, phone,
# coordinates or source reference - read from the database with sqlite3
# and from the source files - appears in any cell of any file; no full
# date (YYYY-MM-DD or YYYY-MM) anywhere; every restricted ZIP3 is 000 and
# the others are the ZIP's first three digits; no age over 89 and no birth
# year of someone over 89; row counts equal the database's; surrogate ids
# are 24 hex digits, unique, consistent across files and different in a
# second extract; the manifest names the method, the ZIP3 list and the
# 164.514(b)(2)(ii) warning; one audit event with counts and no patient
# data; a researcher may extract, a coder is refused with a deny row.
. "$(dirname "$0")/lib/common.sh"
mimic=$data/mimic-iv-demo-2.2
syn=$data/synthea-mcode-ri/csv
[ -f "$syn/patients.csv" ] && [ -d "$mimic/hosp" ] || { echo "no MIMIC demo / Synthea CSV in $data: skipped"; exit 77; }
export MRT_SITE_DIR=$tmp/site MRT_TODAY=2026-11-25

# Synthea with five patients moved to restricted ZIP3 areas
mkdir -p "$tmp/syn/csv"
cp "$syn"/*.csv "$tmp/syn/csv/"
python3 - "$tmp/syn/csv/patients.csv" <<'PY'
import csv, sys
p = sys.argv[1]
rows = list(csv.DictReader(open(p, newline="")))
fields = list(rows[0].keys())
for r, z in zip(rows[:5], ["03601", "10201", "20301", "55601", "89301"]):
    r["ZIP"] = z
w = csv.DictWriter(open(p, "w", newline=""), fieldnames=fields)
w.writeheader()
w.writerows(rows)
PY

mrt init >/dev/null
mrt import mimic "$mimic" >/dev/null 2>&1 || fail "import mimic"
mrt import synthea "$tmp/syn" >/dev/null 2>&1 || fail "import synthea"
[ "$(q "SELECT count(*) FROM patient")" = 215 ] || fail "215 patients expected"

mrt export deid --method safe-harbor --out "$tmp/x1" --json >"$tmp/r1.json" || fail "export"
mrt export deid --method safe-harbor --out "$tmp/x2" --json >"$tmp/r2.json" || fail "second export"

# The identifiers, from the database and from the source files
{
  q "SELECT mrn FROM patient UNION SELECT source_ref FROM patient WHERE source_ref IS NOT NULL
     UNION SELECT value FROM patient_identifier
     UNION SELECT account FROM encounter UNION SELECT source_ref FROM encounter WHERE source_ref IS NOT NULL
     UNION SELECT visit_number FROM encounter WHERE visit_number IS NOT NULL
     UNION SELECT source_ref FROM transfer
     UNION SELECT family FROM patient WHERE family IS NOT NULL UNION SELECT given FROM patient WHERE given IS NOT NULL
     UNION SELECT middle FROM patient WHERE middle IS NOT NULL
     UNION SELECT family FROM patient_name UNION SELECT given FROM patient_name
     UNION SELECT address_line FROM patient WHERE address_line IS NOT NULL
     UNION SELECT city FROM patient WHERE city IS NOT NULL
     UNION SELECT postal_code FROM patient WHERE postal_code IS NOT NULL
     UNION SELECT phone_home FROM patient WHERE phone_home IS NOT NULL
     UNION SELECT phone_work FROM patient WHERE phone_work IS NOT NULL
     UNION SELECT phone_mobile FROM patient WHERE phone_mobile IS NOT NULL
     UNION SELECT birth_date FROM patient WHERE birth_date IS NOT NULL
     UNION SELECT facility FROM encounter WHERE facility IS NOT NULL
     UNION SELECT name FROM provider WHERE name IS NOT NULL UNION SELECT ident FROM provider"
  python3 - "$tmp/syn/csv/patients.csv" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    for k in ("Id", "SSN", "DRIVERS", "PASSPORT", "FIRST", "LAST", "MAIDEN", "ADDRESS", "CITY",
              "COUNTY", "BIRTHPLACE", "ZIP", "LAT", "LON", "BIRTHDATE", "DEATHDATE"):
        if r.get(k):
            print(r[k])
PY
  python3 - "$mimic/hosp" <<'PY'
import csv, gzip, sys
d = sys.argv[1]
for f, cols in (("patients", ("subject_id",)), ("admissions", ("subject_id", "hadm_id", "admittime", "dischtime", "deathtime")),
                ("transfers", ("transfer_id", "hadm_id", "intime", "outtime"))):
    for r in csv.DictReader(gzip.open(f"{d}/{f}.csv.gz", "rt", newline="")):
        for k in cols:
            if r.get(k):
                print(r[k])
PY
} | sort -u >"$tmp/identifiers"
[ "$(wc -l <"$tmp/identifiers")" -gt 10000 ] || fail "too few identifiers collected: $(wc -l <"$tmp/identifiers")"

python3 - "$tmp/x1" "$tmp/x2" "$tmp/identifiers" <<'PY' || fail "extract check (above)"
import csv, json, os, re, sys
x1, x2, idf = sys.argv[1:4]
ids = set(l.rstrip("\n") for l in open(idf) if l.strip())
errors = []
def err(m):
    errors.append(m)
def load(d):
    files = {}
    for f in sorted(os.listdir(d)):
        if f.endswith(".csv"):
            files[f] = list(csv.DictReader(open(os.path.join(d, f), newline="")))
    return files
a, b = load(x1), load(x2)
expect = {"patients.csv", "encounters.csv", "diagnoses.csv", "procedures.csv", "transfers.csv",
          "services.csv", "drgs.csv"}
if set(a) != expect:
    err(f"files: {sorted(a)}")
hexid = re.compile(r"^[0-9a-f]{24}$")
date = re.compile(r"\d{4}-\d{2}")
long_ids = [i for i in ids if len(i) >= 6]
for f, rows in a.items():
    text = []
    for r in rows:
        for k, v in r.items():
            if k in ("patient", "encounter"):
                if v and not hexid.match(v):
                    err(f"{f}: {k} is not a surrogate: {v!r}")
                if v in ids:
                    err(f"{f}: {k} equals an identifier")
                continue
            if v in ids and not re.fullmatch(r"\d{1,4}", v):
                err(f"{f}: column {k} holds an identifier value")
            if date.search(v):
                err(f"{f}: column {k} holds a full date")
            text.append(v)
    blob = "\x1f".join(text)
    for i in long_ids:
        if i in blob:
            err(f"{f}: an identifier appears inside a cell ({len(i)} characters)")
            break
# whole files, including the README and manifest: no full date except the
# extract's own date and the ZIP3 list's date
for f in os.listdir(x1):
    t = open(os.path.join(x1, f)).read()
    for m in set(re.findall(r"\d{4}-\d{2}(?:-\d{2})?", t)):
        if m not in ("2026-11-25", "2012-11-26"):
            err(f"{f}: a date {m}")
pat = a["patients.csv"]
for r in pat:
    if r["age"] and r["age"] != "90+" and int(r["age"]) > 89:
        err("an age over 89")
    if r["birth_year"] and 2026 - int(r["birth_year"]) > 90:
        err("a birth year of someone over 89")
    if r["birth_year"] and not re.fullmatch(r"\d{4}", r["birth_year"]):
        err("birth_year is not a year")
    if r["zip3"] and not re.fullmatch(r"\d{3}", r["zip3"]):
        err("zip3 is not three digits")
    if r["zip3"] in ("036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830",
                     "831", "878", "879", "884", "890", "893"):
        err("a restricted ZIP3 left as is")
for r in a["encounters.csv"]:
    if r["age_at_admit"] and r["age_at_admit"] != "90+" and int(r["age_at_admit"]) > 89:
        err("an age at admission over 89")
for f in ("encounters.csv", "diagnoses.csv", "procedures.csv", "transfers.csv", "services.csv"):
    for r in a[f]:
        for k, v in r.items():
            if (k.endswith("_year") or k == "year") and v and not re.fullmatch(r"\d{4}", v):
                err(f"{f}: {k} is not a year")
if not any(r["age"] == "90+" for r in pat):
    err("no 90+ patient (Synthea has some)")
zeros = sum(1 for r in pat if r["zip3"] == "000")
if zeros != 5:
    err(f"{zeros} ZIP3 000, expected the 5 moved patients")
# surrogates: unique per extract, consistent, new in the second extract
ps = [r["patient"] for r in pat]
if len(set(ps)) != len(ps):
    err("patient surrogates repeat")
es = [r["encounter"] for r in a["encounters.csv"]]
if len(set(es)) != len(es):
    err("encounter surrogates repeat")
for f, rows in a.items():
    for r in rows:
        if f != "patients.csv" and r["patient"] not in set(ps):
            err(f"{f}: a patient surrogate not in patients.csv")
            break
        if f not in ("patients.csv", "encounters.csv", "transfers.csv") and r["encounter"] not in set(es):
            err(f"{f}: an encounter surrogate not in encounters.csv")
            break
ps2 = set(r["patient"] for r in b["patients.csv"])
es2 = set(r["encounter"] for r in b["encounters.csv"])
if ps2 & set(ps) or es2 & set(es):
    err("surrogate ids repeat between two extracts")
for f in a:
    if len(a[f]) != len(b[f]):
        err(f"{f}: the two extracts differ in size")
for e in errors[:20]:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

# Restricted ZIP3 independently: patients whose ZIP starts with a listed prefix
restricted=$(grep -v '^#' "$MRT_SOURCE_DIR/share/deid/restricted-zip3-census2000.tsv" | tail -n +2 | sed "s/.*/'&'/" | paste -sd,)
[ "$(q "SELECT count(*) FROM patient WHERE length(postal_code) = 5 AND substr(postal_code, 1, 3) IN ($restricted)")" = 5 ] ||
  fail "restricted ZIPs in the database"
# every other ZIP3 is the first three digits of a ZIP in the database
q "SELECT DISTINCT substr(postal_code, 1, 3) FROM patient WHERE length(postal_code) = 5" | sort >"$tmp/zip3.db"
python3 -c 'import csv,sys; print("\n".join(sorted(set(r["zip3"] for r in csv.DictReader(open(sys.argv[1])) if r["zip3"] not in ("", "000")))))' \
  "$tmp/x1/patients.csv" >"$tmp/zip3.out"
comm -13 "$tmp/zip3.db" "$tmp/zip3.out" | grep -q . && fail "a ZIP3 not from the database"
# 90+ against the database: Synthea patients born more than 89 years before the extract date
old=$(q "SELECT count(*) FROM patient WHERE birth_date IS NOT NULL AND birth_date <= '1936-11-25'")
[ "$old" -gt 0 ] || fail "no patient over 89 in the data"
[ "$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["birth_year"] == "" and r["age"] in ("", "90+") and r["sex"] and r["race"] in ("white","black","asian","hawaiian","native","other")))' "$tmp/x1/patients.csv")" -ge "$old" ] ||
  fail "fewer suppressed birth years than patients over 89"

# Counts equal the database
cur="JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL"
rows() { echo $(($(wc -l <"$tmp/x1/$1") - 1)); }
[ "$(rows patients.csv)" = "$(q "SELECT count(*) FROM patient WHERE status <> 'merged'")" ] || fail "patients count"
[ "$(rows encounters.csv)" = "$(q "SELECT count(*) FROM encounter WHERE status <> 'merged'")" ] || fail "encounters count"
[ "$(rows diagnoses.csv)" = "$(q "SELECT count(*) FROM diagnosis x $cur")" ] || fail "diagnoses count"
[ "$(rows procedures.csv)" = "$(q "SELECT count(*) FROM procedure x $cur")" ] || fail "procedures count"
[ "$(rows transfers.csv)" = "$(q "SELECT count(*) FROM transfer")" ] || fail "transfers count"
[ "$(rows services.csv)" = "$(q "SELECT count(*) FROM encounter_service")" ] || fail "services count"
[ "$(rows drgs.csv)" = "$(q "SELECT count(*) FROM encounter_drg")" ] || fail "drgs count"
jq -e --argjson n "$(rows diagnoses.csv)" '.files["diagnoses.csv"] == $n and .method == "safe-harbor"' "$tmp/r1.json" >/dev/null ||
  fail "report counts"
# codes kept: the multiset of (system, code) of diagnoses equals the database's
q "SELECT x.system || ',' || x.code FROM diagnosis x $cur ORDER BY 1" >"$tmp/dx.db"
python3 -c 'import csv,sys; print("\n".join(sorted(r["system"]+","+r["code"] for r in csv.DictReader(open(sys.argv[1])))))' \
  "$tmp/x1/diagnoses.csv" | LC_ALL=C sort >"$tmp/dx.out"
LC_ALL=C sort "$tmp/dx.db" | cmp -s - "$tmp/dx.out" || fail "diagnosis codes differ from the database"

# Manifest and README
m=$tmp/x1/manifest.json
jq -e '.method == "safe-harbor" and .legal_basis == "45 CFR 164.514(b)(2)" and .zip3_list.prefixes == 17
  and .zip3_list.effective == "2012-11-26" and (.warning | test("164.514\\(b\\)\\(2\\)\\(ii\\)"))
  and (.warning | test("actual knowledge")) and .files["patients.csv"] == 215 and (.fields | length) > 10' "$m" >/dev/null ||
  fail "manifest: $(jq -c 'del(.fields)' "$m")"
grep -q "actual knowledge" "$tmp/x1/README.txt" || fail "README warning"
[ "$(stat -c %a "$tmp/x1/patients.csv")" = 600 ] || fail "file mode"
ls -A "$tmp/x1" | grep -q '^\.' && fail "a temporary file left behind"

# Audit: one event per extract, with counts, no patient data; the extracts recorded
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'export.deid' AND outcome = 'allow'")" = 2 ] || fail "audit events"
detail=$(q "SELECT detail FROM audit_event WHERE action = 'export.deid' ORDER BY id LIMIT 1")
case $detail in *"patients=215"*"encounters="*) ;; *) fail "audit detail: $detail" ;; esac
[ "$(q "SELECT count(*) FROM deid_extract WHERE method = 'safe-harbor' AND dua_id IS NULL")" = 2 ] || fail "extract records"

# Who may: a researcher yes, a coder no (and the denial is audited)
mrt user add res1 --os-account os-res1 --role researcher >/dev/null
mrt user add cod1 --os-account os-cod1 --role coder >/dev/null
mrt --user res1 export deid --method safe-harbor --out "$tmp/xr" >/dev/null || fail "researcher refused"
[ -f "$tmp/xr/patients.csv" ] || fail "researcher extract"
if mrt --user cod1 export deid --method safe-harbor --out "$tmp/xc" >/dev/null 2>"$tmp/err"; then fail "coder allowed"; fi
[ ! -e "$tmp/xc" ] || fail "the coder's refusal left a directory"
[ "$(q "SELECT count(*) FROM audit_event WHERE action LIKE 'export.deid%' AND outcome = 'deny' AND on_behalf_of IS NOT NULL")" -ge 1 ] ||
  [ "$(q "SELECT count(*) FROM audit_event WHERE action LIKE 'export.deid%' AND outcome = 'deny'")" -ge 1 ] || fail "no deny row"
mrt audit log --json --limit 50 | jq -e 'map(select(.outcome == "deny" and (.action | startswith("export.deid")))) | length >= 1' >/dev/null ||
  fail "deny not in the audit log"
# the --zip3-file override and a missing list
mrt export deid --method safe-harbor --out "$tmp/x3" --zip3-file "$MRT_SOURCE_DIR/share/deid/restricted-zip3-census2000.tsv" >/dev/null ||
  fail "--zip3-file"
if mrt export deid --method safe-harbor --out "$tmp/x4" --zip3-file "$tmp/none.tsv" 2>"$tmp/err"; then fail "missing list accepted"; fi
grep -q "none.tsv" "$tmp/err" || fail "the error names the list file"
echo "ok: safe harbor extracts of $(rows patients.csv) patients, $(rows encounters.csv) encounters proven clean"
