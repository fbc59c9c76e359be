#!/usr/bin/env bash
# `mrt import synthea` on the Synthea CSV in the data folder (115 patients,
# 4,402 encounters, 1,454 conditions, 3,219 procedures, 627 providers):
# counts in the database against counts computed from the files; the
# UUID as MRN and source reference; SNOMED CT codes stored as sent; classes,
# facility and payer names, attending; deaths; a second run changes
# nothing; a coder is refused.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-${MRT_SOURCE_DIR:?}/../shared/data}
csv=$data/synthea-mcode-ri/csv
[ -f "$csv/patients.csv" ] || { echo "no Synthea CSV in $data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
py() { # python expression over the file's rows (list of dicts r), printed
  python3 - "$csv/$1.csv" "$2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(eval(sys.argv[2]))
PY
}

mrt init >/dev/null
mrt import synthea "$data/synthea-mcode-ri" --json >"$tmp/r1.json" || fail "import"
for t in patients encounters conditions procedures providers; do
  n=$(py "$t" 'len(rows)')
  jq -e --arg t "$t" --argjson n "$n" '.tables[$t].read == $n and .tables[$t].created == $n and .tables[$t].rejected == 0' \
    "$tmp/r1.json" >/dev/null || fail "report $t ($n): $(jq -c --arg t "$t" '.tables[$t]' "$tmp/r1.json")"
done
[ "$(py patients 'len(rows)')" = 115 ] && [ "$(py encounters 'len(rows)')" = 4402 ] &&
  [ "$(py conditions 'len(rows)')" = 1454 ] && [ "$(py procedures 'len(rows)')" = 3219 ] || fail "not the expected export"
cur="JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL"
[ "$(q 'SELECT count(*) FROM patient')" = 115 ] || fail "patients"
[ "$(q 'SELECT count(*) FROM encounter')" = 4402 ] || fail "encounters"
[ "$(q 'SELECT count(*) FROM provider')" = "$(py providers 'len(rows)')" ] || fail "providers"
[ "$(q "SELECT count(*) FROM diagnosis x $cur WHERE x.system = 'http://snomed.info/sct'")" = 1454 ] || fail "conditions"
[ "$(q "SELECT count(*) FROM procedure x $cur WHERE x.system = 'http://snomed.info/sct'")" = 3219 ] || fail "procedures"
# MRN = the patient Id, encounters on the right patient, codes as sent
py patients '"\n".join(sorted(r["Id"] for r in rows))' >"$tmp/ids.file"
q "SELECT mrn FROM patient WHERE source_ref = mrn ORDER BY mrn" >"$tmp/ids.db"
cmp -s "$tmp/ids.file" "$tmp/ids.db" || fail "MRNs are not the patient Ids"
py encounters '"\n".join(sorted(r["Id"] + "," + r["PATIENT"] for r in rows))' >"$tmp/enc.file"
q "SELECT e.account || ',' || p.mrn FROM encounter e JOIN patient p ON p.id = e.patient_id ORDER BY 1" >"$tmp/enc.db"
cmp -s "$tmp/enc.file" "$tmp/enc.db" || fail "encounters and their patients"
py conditions '"\n".join(sorted(r["ENCOUNTER"] + "," + r["CODE"] for r in rows))' >"$tmp/dx.file"
q "SELECT e.account || ',' || x.code FROM diagnosis x $cur JOIN encounter e ON e.id = x.encounter_id ORDER BY 1" >"$tmp/dx.db"
cmp -s "$tmp/dx.file" "$tmp/dx.db" || fail "conditions per encounter"
# classes per the documented mapping, names of facility and payer, attending
for c in inpatient emergency outpatient; do
  f=$(py encounters "sum(1 for r in rows if {'inpatient':'inpatient','hospice':'inpatient','snf':'inpatient','emergency':'emergency'}.get(r['ENCOUNTERCLASS'], 'outpatient') == '$c')")
  [ "$(q "SELECT count(*) FROM encounter WHERE class = '$c'")" = "$f" ] || fail "class $c ($f)"
done
e1=$(py encounters 'rows[0]["Id"]')
org=$(py encounters 'rows[0]["ORGANIZATION"]')
[ "$(q "SELECT facility FROM encounter WHERE account = '$e1'")" = "$(py organizations "[r['NAME'] for r in rows if r['Id'] == '$org'][0]")" ] ||
  fail "facility name"
[ "$(q "SELECT count(*) FROM encounter WHERE payer IS NULL OR facility IS NULL OR attending_id IS NULL")" = 0 ] || fail "payer/facility/attending"
[ "$(q 'SELECT count(*) FROM patient WHERE deceased = 1')" = "$(py patients 'sum(1 for r in rows if r["DEATHDATE"])')" ] || fail "deaths"
[ "$(q "SELECT count(*) FROM patient_identifier WHERE type = 'SS'")" = "$(py patients 'sum(1 for r in rows if r["SSN"])')" ] || fail "SSNs"

enc=$(py conditions 'rows[0]["ENCOUNTER"]')
n=$(py conditions "sum(1 for r in rows if r['ENCOUNTER'] == '$enc')")
np=$(py procedures "sum(1 for r in rows if r['ENCOUNTER'] == '$enc')")
pat=$(py encounters "[r['PATIENT'] for r in rows if r['Id'] == '$enc'][0]")
mrt encounter show "$enc" --json >"$tmp/enc.json" || fail "encounter show"
jq -e --argjson n "$n" --argjson np "$np" --arg pat "$pat" '(.diagnoses | length) == $n and (.procedures | length) == $np
  and .mrn == $pat and all(.diagnoses[]; .system == "http://snomed.info/sct" and (.display | length) > 0)' \
  "$tmp/enc.json" >/dev/null || fail "encounter show: $n diagnoses, $np procedures: $(jq -c '[.mrn, (.diagnoses|length), (.procedures|length)]' "$tmp/enc.json")"

sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d1.sql"
mrt import synthea "$csv" --json >"$tmp/r2.json" || fail "second import"
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d2.sql"
cmp -s "$tmp/d1.sql" "$tmp/d2.sql" || fail "second run changed: $(diff "$tmp/d1.sql" "$tmp/d2.sql" | head -5)"
jq -e '([.tables[] | .created + .updated] | add) == 0 and .codings.created == 0' "$tmp/r2.json" >/dev/null || fail "second report"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.synthea'")" = 2 ] || fail "audit"

mrt user add cody --os-account cody-os --role coder >/dev/null
set +e
mrt --user cody import synthea "$csv" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 1 ] || fail "coder import: exit $rc"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.synthea' AND outcome = 'deny'")" = 1 ] || fail "deny audited"
echo "synthea_import: ok"
