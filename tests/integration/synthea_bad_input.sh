#!/usr/bin/env bash
# `mrt import synthea` on hand-made files: bad rows (not a UUID, a bad
# date, an unknown patient or encounter, a repeated Id, a condition on
# another patient's encounter) kept as rejects with their lines while the
# rest is imported; conditions merge with what is already coded; a file
# that cannot be read (an unterminated quote) rolls everything back and is
# kept whole.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
d=$tmp/syn
mkdir -p "$d"
P1=11111111-1111-1111-1111-111111111111
P2=22222222-2222-2222-2222-222222222222
E1=aaaaaaaa-0000-0000-0000-000000000001
E2=aaaaaaaa-0000-0000-0000-000000000002
cat >"$d/patients.csv" <<CSV
Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE
$P1,1960-01-02,,999-00-0001,,,Mrs.,Ann,Smith,,Jones,M,white,nonhispanic,F,,1 Main St,Boston,Massachusetts,Suffolk County,02101,0,0,0,0
$P2,1950-05-06,2020-01-01,,,,,Bob,Brown,,,S,black,nonhispanic,M,,2 Main St,Boston,Massachusetts,Suffolk County,02101,0,0,0,0
not-a-uuid,1950-05-06,,,,,,Cy,Case,,,S,white,nonhispanic,M,,3 Main St,Boston,Massachusetts,Suffolk County,02101,0,0,0,0
$P1,1960-01-02,,999-00-0001,,,Mrs.,Ann,Smith-Other,,Jones,M,white,nonhispanic,F,,1 Main St,Boston,Massachusetts,Suffolk County,02101,0,0,0,0
CSV
cat >"$d/encounters.csv" <<CSV
Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION
$E1,2019-01-01T10:00:00Z,2019-01-03T10:00:00Z,$P1,,,,inpatient,185347001,Encounter,1,1,1,,
$E2,2019-13-01T10:00:00Z,2019-01-03T10:00:00Z,$P2,,,,emergency,185347001,Encounter,1,1,1,,
aaaaaaaa-0000-0000-0000-000000000003,2019-02-01T10:00:00Z,2019-02-01T11:00:00Z,33333333-3333-3333-3333-333333333333,,,,outpatient,185347001,Encounter,1,1,1,,
aaaaaaaa-0000-0000-0000-000000000004,2019-02-01T10:00:00Z,2019-02-01T11:00:00Z,$P2,,,,emergency,185347001,Encounter,1,1,1,,
CSV
cat >"$d/conditions.csv" <<CSV
START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION
2019-01-01,,$P1,$E1,44054006,Diabetes
2019-01-01,,$P1,$E2,38341003,Hypertension
2019-01-02,,$P2,$E1,38341003,Hypertension
2019-01-01,,$P1,$E1,not-a-code,Bad
2019-01-01,,$P1,$E1,38341003,Hypertension
CSV

mrt init >/dev/null
mrt import synthea "$d" --json >"$tmp/r1.json" || fail "import"
jq -e '.tables.patients == {"read":4,"created":2,"updated":0,"unchanged":0,"rejected":2}' "$tmp/r1.json" >/dev/null ||
  fail "patients: $(jq -c .tables.patients "$tmp/r1.json")"
jq -e '.tables.encounters.created == 2 and .tables.encounters.rejected == 2' "$tmp/r1.json" >/dev/null ||
  fail "encounters: $(jq -c .tables.encounters "$tmp/r1.json")"
jq -e '.tables.conditions.created == 2 and .tables.conditions.rejected == 3 and .rejected == 7' "$tmp/r1.json" >/dev/null ||
  fail "conditions: $(jq -c '[.tables.conditions, .rejected]' "$tmp/r1.json")"
q "SELECT substr(source, length('$d') + 2) || '|' || position FROM reject ORDER BY source, id" >"$tmp/rej.txt"
printf '%s\n' "conditions.csv|line 3" "conditions.csv|line 4" "conditions.csv|line 5" \
  "encounters.csv|line 3" "encounters.csv|line 4" "patients.csv|line 4" "patients.csv|line 5" >"$tmp/rej.want"
diff "$tmp/rej.want" "$tmp/rej.txt" >/dev/null || fail "rejects: $(diff "$tmp/rej.want" "$tmp/rej.txt")"
q "SELECT reason FROM reject WHERE source LIKE '%patients.csv' AND position = 'line 5'" | grep -q "repeats" || fail "repeated Id"
q "SELECT reason FROM reject WHERE source LIKE '%conditions.csv' AND position = 'line 4'" | grep -q "encounter's patient" || fail "wrong patient"
[ "$(q "SELECT family FROM patient WHERE mrn = '$P1'")" = Smith ] || fail "the repeated row was not applied"
[ "$(q "SELECT CAST(content AS TEXT) FROM reject WHERE source LIKE '%conditions.csv' AND position = 'line 5'")" = \
  "2019-01-01,,$P1,$E1,not-a-code,Bad" ] || fail "reject content"
[ "$(q "SELECT count(*) FROM patient_identifier WHERE type = 'SS' AND value = '999-00-0001'")" = 1 ] || fail "SSN"
[ "$(q "SELECT deceased || ' ' || death_at FROM patient WHERE mrn = '$P2'")" = "1 2020-01-01" ] || fail "death"
cur="JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL JOIN encounter e ON e.id = x.encounter_id"
[ "$(q "SELECT group_concat(x.code, ' ') FROM (SELECT x.code FROM diagnosis x $cur WHERE e.account = '$E1' ORDER BY x.seq) x")" = \
  "44054006 38341003" ] || fail "E1 conditions: $(q "SELECT x.code FROM diagnosis x $cur WHERE e.account = '$E1'")"

# MERGE: a condition added since (here, in the file) joins those coded; nothing is lost
cat >>"$d/conditions.csv" <<CSV
2019-01-02,,$P1,$E1,195662009,Pharyngitis
CSV
mrt import synthea "$d" --json >"$tmp/r2.json" || fail "second import"
[ "$(q "SELECT group_concat(x.code, ' ') FROM (SELECT x.code FROM diagnosis x $cur WHERE e.account = '$E1' ORDER BY x.seq) x")" = \
  "44054006 38341003 195662009" ] || fail "merged: $(q "SELECT x.code FROM diagnosis x $cur WHERE e.account = '$E1'")"
[ "$(q "SELECT count(*) FROM reject")" = 7 ] || fail "rejects kept once"

# an unterminated quote stops the file: nothing imported, the file kept whole
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event\|INSERT INTO reject' >"$tmp/d1.sql"
cat >"$d/procedures.csv" <<CSV
DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,REASONCODE,REASONDESCRIPTION
2019-01-01T10:00:00Z,$P1,$E1,228557008,"Therapy,1,,
CSV
set +e
mrt import synthea "$d" --json >"$tmp/r3.json" 2>"$tmp/r3.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "broken file: exit $rc"
grep -q "procedures.csv" "$tmp/r3.err" && grep -q "kept as reject" "$tmp/r3.err" || fail "message: $(cat "$tmp/r3.err")"
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event\|INSERT INTO reject' >"$tmp/d2.sql"
cmp -s "$tmp/d1.sql" "$tmp/d2.sql" || fail "a failed import wrote"
rid=$(jq -r .failed.reject_id "$tmp/r3.json")
[ "$(q "SELECT length(content) || ' ' || hex(content) FROM reject WHERE id = $rid")" = \
  "$(stat -c %s "$d/procedures.csv") $(od -An -tx1 -v "$d/procedures.csv" | tr -d ' \n' | tr a-f A-F)" ] || fail "file kept whole"
set +e
mrt import synthea "$tmp/none" 2>/dev/null; r1=$?
mkdir "$tmp/empty"; mrt import synthea "$tmp/empty" 2>"$tmp/e2"; r2=$?
set -e
[ "$r1" = 1 ] && [ "$r2" = 1 ] && grep -q patients "$tmp/e2" || fail "missing dir / table: $r1 $r2"
echo "synthea_bad_input: ok"
