#!/usr/bin/env bash
# `mrt import mimic` when the database fails part-way (a trigger refuses
# one encounter, then the audit event): the whole import is rolled back -
# no patient, encounter, coding or reject row, no allow event - and the
# file is not blamed (it is not kept as a reject). Once the fault is gone
# the same import goes through.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
h=$tmp/hosp
mkdir -p "$h"
printf '%s\n' "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod" "1,F,40,2150,2011 - 2013," \
  "2,M,70,2150,2011 - 2013," >"$h/patients.csv"
printf '%s\n' "subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,admission_location,discharge_location,insurance,language,marital_status,race,edregtime,edouttime,hospital_expire_flag" \
  "1,11,2150-03-01 10:00:00,2150-03-05 12:00:00,,URGENT,P1,EMERGENCY ROOM,HOME,Medicare,ENGLISH,MARRIED,WHITE,,,0" \
  "2,21,2150-04-01 10:00:00,2150-04-03 09:30:00,,URGENT,,EMERGENCY ROOM,HOME,Medicaid,,,,,,0" >"$h/admissions.csv"
printf '%s\n' "subject_id,hadm_id,seq_num,icd_code,icd_version" "1,11,1,I10,10" "2,21,1,N179,10" "2,21,2,bad!,10" >"$h/diagnoses_icd.csv"

mrt init >/dev/null
count() { q "SELECT (SELECT count(*) FROM patient) || ' ' || (SELECT count(*) FROM encounter) || ' ' ||
  (SELECT count(*) FROM coding) || ' ' || (SELECT count(*) FROM reject) || ' ' || (SELECT count(*) FROM provider)"; }
[ "$(count)" = "0 0 0 0 0" ] || fail "fresh database"

q "CREATE TRIGGER no_21 BEFORE INSERT ON encounter WHEN NEW.account = '21' BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
set +e
mrt import mimic "$tmp" --json >"$tmp/r1.json" 2>"$tmp/e1"; rc=$?
set -e
[ "$rc" = 1 ] || fail "a database fault: exit $rc"
[ "$(count)" = "0 0 0 0 0" ] || fail "a database fault left rows: $(count)"
[ ! -s "$tmp/r1.json" ] || jq -e 'has("failed") | not' "$tmp/r1.json" >/dev/null || fail "the file was blamed"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.mimic'")" = 0 ] || fail "an import event survived"
q "DROP TRIGGER no_21;"

q "CREATE TRIGGER no_audit BEFORE INSERT ON audit_event WHEN NEW.action = 'import.mimic' BEGIN SELECT RAISE(ABORT, 'audit store full'); END;"
set +e
mrt import mimic "$h" 2>"$tmp/e2"; rc=$?
set -e
[ "$rc" = 1 ] && grep -qi "audit" "$tmp/e2" || fail "an audit fault: exit $rc $(cat "$tmp/e2")"
[ "$(count)" = "0 0 0 0 0" ] || fail "an audit fault left rows: $(count)"
q "DROP TRIGGER no_audit;"

mrt import mimic "$h" --json >"$tmp/r3.json" || fail "import after the faults"
[ "$(count)" = "2 2 2 1 1" ] || fail "after the faults: $(count)"
jq -e '.rejected == 1 and .tables.diagnoses_icd.created == 2' "$tmp/r3.json" >/dev/null || fail "report after the faults"
echo "mimic_db_fault: ok"
