#!/usr/bin/env bash
# `mrt import mimic` on the MIMIC-IV demo 2.2: the issue's figures (100
# patients, 275 encounters, 4,506 diagnosis rows, 722 procedure rows, 1,190
# transfers) counted in the database and, independently, in the files;
# ICD-9 / ICD-10 kept apart per version; principal diagnoses; deaths; codes
# with no release in effect stored with a finding, not refused; a second run
# changes nothing; a user without admin/him is refused and audited.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-${MRT_SOURCE_DIR:?}/../shared/data}
demo=$data/mimic-iv-demo-2.2
[ -f "$demo/hosp/admissions.csv.gz" ] || { echo "no MIMIC-IV demo in $data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
rows() { zcat "$demo/hosp/$1.csv.gz" | tail -n +2 | wc -l; }
py_csv() { # $1 file, $2 python expression over the row dict r; prints the count of rows where true
  python3 - "$demo/hosp/$1.csv.gz" "$2" <<'PY'
import csv, gzip, sys
with gzip.open(sys.argv[1], "rt", newline="") as f:
    print(sum(1 for r in csv.DictReader(f) if eval(sys.argv[2])))
PY
}

mrt init >/dev/null
mrt import mimic "$demo" --json >"$tmp/r1.json" || fail "first import"

# --- the figures, from the files and from the issue ---
for t in patients admissions transfers diagnoses_icd procedures_icd services drgcodes; do
  n=$(rows "$t")
  jq -e --arg t "$t" --argjson n "$n" '.tables[$t].read == $n and .tables[$t].rejected == 0' \
    "$tmp/r1.json" >/dev/null || fail "report for $t: $(jq -c --arg t "$t" '.tables[$t]' "$tmp/r1.json") vs $n rows"
done
[ "$(rows patients)" = 100 ] && [ "$(rows admissions)" = 275 ] && [ "$(rows diagnoses_icd)" = 4506 ] &&
  [ "$(rows procedures_icd)" = 722 ] && [ "$(rows transfers)" = 1190 ] || fail "demo files are not the expected release"
cur="JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL"
[ "$(q 'SELECT count(*) FROM patient')" = 100 ] || fail "patients: $(q 'SELECT count(*) FROM patient')"
[ "$(q 'SELECT count(*) FROM encounter')" = 275 ] || fail "encounters"
[ "$(q "SELECT count(*) FROM diagnosis x $cur")" = 4506 ] || fail "diagnoses: $(q "SELECT count(*) FROM diagnosis x $cur")"
[ "$(q "SELECT count(*) FROM procedure x $cur")" = 722 ] || fail "procedures"
[ "$(q 'SELECT count(*) FROM transfer')" = 1190 ] || fail "transfers"
[ "$(q 'SELECT count(DISTINCT mrn) FROM patient')" = "$(zcat "$demo/hosp/patients.csv.gz" | tail -n +2 | cut -d, -f1 | sort -u | wc -l)" ] ||
  fail "MRNs are not the subject_ids"
[ "$(q "SELECT count(*) FROM encounter e JOIN patient p ON p.id = e.patient_id")" = 275 ] || fail "encounter patients"
# ED stays never admitted: kept with no encounter
ed=$(py_csv transfers 'r["hadm_id"] == ""')
[ "$ed" -gt 0 ] && [ "$(q 'SELECT count(*) FROM transfer WHERE encounter_id IS NULL')" = "$ed" ] || fail "transfers without hadm_id ($ed)"

# --- ICD-9 and ICD-10 apart, codes as sent ---
for v in 9 10; do
  f=$(py_csv diagnoses_icd "r['icd_version'] == '$v'")
  sys=$([ $v = 9 ] && echo http://hl7.org/fhir/sid/icd-9-cm || echo http://hl7.org/fhir/sid/icd-10-cm)
  d=$(q "SELECT count(*) FROM diagnosis x $cur WHERE x.system = '$sys'")
  [ "$f" = "$d" ] && [ "$f" -gt 0 ] || fail "ICD-$v diagnoses: file $f, db $d"
  f=$(py_csv procedures_icd "r['icd_version'] == '$v'")
  sys=$([ $v = 9 ] && echo http://hl7.org/fhir/sid/icd-9-cm || echo http://www.cms.gov/Medicare/Coding/ICD10)
  d=$(q "SELECT count(*) FROM procedure x $cur WHERE x.system = '$sys'")
  [ "$f" = "$d" ] && [ "$f" -gt 0 ] || fail "ICD-$v procedures: file $f, db $d"
done
zcat "$demo/hosp/diagnoses_icd.csv.gz" | tail -n +2 | cut -d, -f4,5 | sort >"$tmp/codes.file"
q "SELECT x.code || ',' || CASE x.system WHEN 'http://hl7.org/fhir/sid/icd-9-cm' THEN 9 ELSE 10 END
   FROM diagnosis x $cur" | sort >"$tmp/codes.db"
cmp -s "$tmp/codes.file" "$tmp/codes.db" || fail "diagnosis codes differ from the file"
# diagnoses and procedures of an encounter applied together: one coding version each
nh=$( (zcat "$demo/hosp/diagnoses_icd.csv.gz" | tail -n +2; zcat "$demo/hosp/procedures_icd.csv.gz" | tail -n +2) |
  cut -d, -f2 | sort -u | wc -l)
[ "$(q 'SELECT count(*) FROM coding')" = "$nh" ] || fail "codings: $(q 'SELECT count(*) FROM coding'), encounters with codes: $nh"
[ "$(q 'SELECT count(*) FROM diagnosis')" = 4506 ] && [ "$(q 'SELECT count(*) FROM procedure')" = 722 ] ||
  fail "superseded codings hold copies"
# display = the long_title of d_icd_diagnoses / d_icd_procedures for the code and version
[ "$(q "SELECT count(*) FROM diagnosis WHERE display IS NULL OR display = ''")" = 0 ] || fail "diagnoses without a title"
[ "$(q "SELECT count(*) FROM procedure WHERE display IS NULL OR display = ''")" = 0 ] || fail "procedures without a title"
python3 - "$demo/hosp" >"$tmp/titles.file" <<'PY'
import csv, gzip, sys
t = {}
with gzip.open(sys.argv[1] + "/d_icd_diagnoses.csv.gz", "rt", newline="") as f:
    t = {(r["icd_code"], r["icd_version"]): r["long_title"] for r in csv.DictReader(f)}
with gzip.open(sys.argv[1] + "/diagnoses_icd.csv.gz", "rt", newline="") as f:
    for r in sorted(csv.DictReader(f), key=lambda r: (r["hadm_id"], r["icd_code"], r["icd_version"]))[:50]:
        print(r["hadm_id"], r["icd_code"], t[(r["icd_code"], r["icd_version"])], sep="|")
PY
q "SELECT e.account, x.code, x.display FROM diagnosis x JOIN encounter e ON e.id = x.encounter_id
   ORDER BY e.account, x.code, CASE x.system WHEN 'http://hl7.org/fhir/sid/icd-9-cm' THEN 9 ELSE 10 END LIMIT 50" >"$tmp/titles.db"
cmp -s "$tmp/titles.file" "$tmp/titles.db" || fail "titles: $(diff "$tmp/titles.file" "$tmp/titles.db" | head -4)"
p1=$(py_csv diagnoses_icd 'r["seq_num"] == "1"')
[ "$(q "SELECT count(*) FROM diagnosis x $cur WHERE x.kind = 'principal'")" = "$p1" ] || fail "principal = seq_num 1 ($p1)"

# --- deaths: hospital_expire_flag / deathtime, else patients.dod ---
python3 - "$demo/hosp" >"$tmp/dead.txt" <<'PY'
import csv, gzip, sys
d = set()
with gzip.open(sys.argv[1] + "/patients.csv.gz", "rt", newline="") as f:
    d |= {r["subject_id"] for r in csv.DictReader(f) if r["dod"]}
with gzip.open(sys.argv[1] + "/admissions.csv.gz", "rt", newline="") as f:
    d |= {r["subject_id"] for r in csv.DictReader(f) if r["hospital_expire_flag"] == "1" or r["deathtime"]}
print(len(d))
PY
dead=$(cat "$tmp/dead.txt")
[ "$dead" -gt 0 ] && [ "$(q 'SELECT count(*) FROM patient WHERE deceased = 1 AND death_at IS NOT NULL')" = "$dead" ] ||
  fail "deaths: $dead in the files, $(q 'SELECT count(*) FROM patient WHERE deceased = 1') in the db"
exp=$(py_csv admissions 'r["hospital_expire_flag"] == "1"')
[ "$(q "SELECT count(*) FROM encounter WHERE discharge_status = '20'")" = "$exp" ] || fail "expired = UB-04 20 ($exp)"
[ "$(q "SELECT count(*) FROM encounter WHERE class IS NULL OR status <> 'finished'")" = 0 ] || fail "class/status"
[ "$(q "SELECT count(*) FROM encounter WHERE attending_id IS NOT NULL")" = "$(py_csv admissions 'r["admit_provider_id"] != ""')" ] ||
  fail "attending from admit_provider_id"

# --- shifted dates: no release in effect is a finding, never a refusal ---
[ "$(q "SELECT count(DISTINCT encounter_id) FROM coding_finding WHERE problem LIKE '%release%'")" -gt 0 ] ||
  fail "no 'no release' finding: $(q 'SELECT problem, count(*) FROM coding_finding GROUP BY 1')"

# --- a sample encounter through the chart's reader ---
acct=$(zcat "$demo/hosp/procedures_icd.csv.gz" | sed -n 2p | cut -d, -f2)
mrt encounter show "$acct" --json >"$tmp/enc.json" || fail "encounter show $acct"
python3 - "$demo/hosp" "$acct" >"$tmp/enc.want" <<'PY'
import csv, gzip, sys
def rows(t):
    with gzip.open(sys.argv[1] + "/" + t + ".csv.gz", "rt", newline="") as f:
        return [r for r in csv.DictReader(f) if r["hadm_id"] == sys.argv[2]]
a = rows("admissions")[0]
dx = sorted(rows("diagnoses_icd"), key=lambda r: int(r["seq_num"]))
print(a["subject_id"], a["insurance"], len(dx), dx[0]["icd_code"], len(rows("procedures_icd")),
      len(rows("transfers")), len(rows("services")), len(rows("drgcodes")), sep="|")
PY
jq -r '[.mrn, .payer, (.diagnoses | length), (.diagnoses[] | select(.kind == "principal") | .code),
  (.procedures | length), (.transfers | length), (.services | length), (.drgs | length)] | map(tostring) | join("|")' \
  "$tmp/enc.json" >"$tmp/enc.got"
cmp -s "$tmp/enc.want" "$tmp/enc.got" || fail "encounter show $acct: $(cat "$tmp/enc.got") vs the files $(cat "$tmp/enc.want")"

# --- a second run changes nothing ---
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d1.sql"
mrt import mimic "$demo/hosp" --json >"$tmp/r2.json" || fail "second import"
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d2.sql"
cmp -s "$tmp/d1.sql" "$tmp/d2.sql" || fail "second run changed the database: $(diff "$tmp/d1.sql" "$tmp/d2.sql" | head -5)"
jq -e '[.tables[] | .created + .updated] | add == 0' "$tmp/r2.json" >/dev/null || fail "second run report"
jq -e '.codings.created == 0 and .codings.unchanged > 0' "$tmp/r2.json" >/dev/null || fail "second run codings"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.mimic' AND outcome = 'allow'")" = 2 ] || fail "audit events"
q "SELECT detail FROM audit_event WHERE action = 'import.mimic'" | grep -q "patients 100" || fail "audit detail counts"

# --- a coder may not import; the refusal is audited and nothing changes ---
mrt user add cody --os-account cody-os --role coder >/dev/null
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d3.sql"
set +e
mrt --user cody import mimic "$demo" >/dev/null 2>"$tmp/deny.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "coder import exit $rc"
grep -qi "admin\|him" "$tmp/deny.err" || fail "refusal message: $(cat "$tmp/deny.err")"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.mimic' AND outcome = 'deny'")" = 1 ] || fail "deny audited"
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' | grep -v "INSERT INTO app_user\|INSERT INTO role_grant" >"$tmp/d4.sql"
grep -v "INSERT INTO app_user\|INSERT INTO role_grant" "$tmp/d3.sql" | cmp -s - "$tmp/d4.sql" || fail "refused import wrote"
echo "mimic_import: ok ($(jq -r '.seconds' "$tmp/r1.json") s first run)"
