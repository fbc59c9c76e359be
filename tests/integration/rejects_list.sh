#!/usr/bin/env bash
# `mrt import rejects`: the list (id, kind, source, position, reason,
# first_seen, size - never the content), --kind and --limit filters,
# --show ID printing a row or a whole (binary) file exactly as kept, with
# an audit event; a privacy officer may look, a coder may not; bad
# arguments are usage errors and an unknown id a failure.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
h=$tmp/m/hosp
s=$tmp/s
mkdir -p "$h" "$s"
printf '%s\n' "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod" "1,F,40,2150,2011 - 2013," \
  "2,Q,40,2150,2011 - 2013," >"$h/patients.csv"
printf '%s\n' "subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,admission_location,discharge_location,insurance,language,marital_status,race,edregtime,edouttime,hospital_expire_flag" \
  '1,11,2150-03-01 10:00:00,2150-03-05 12:00:00,,URGENT,,"ROOM, ER",HOME,Medicare,,,,,,7' >"$h/admissions.csv"
printf '%s\n' "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE" \
  "x,1960-01-02,,,,,,Ann,Smith,,,M,white,nonhispanic,F,,,,,,,0,0,0,0" >"$s/patients.csv"
printf '%s\n' "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION" >"$s/encounters.csv"

mrt init >/dev/null
mrt user add cody --os-account cody-os --role coder >/dev/null
mrt user add pat --os-account pat-os --role privacy_officer >/dev/null
mrt import mimic "$tmp/m" >/dev/null
mrt import synthea "$s" >/dev/null
# a whole file kept: a gzip cut short (binary content)
printf 'subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod\n' | gzip >"$tmp/p.gz"
seq 1 3000 | awk '{ printf "%d,F,40,2150,2011 - 2013,\n", $1 }' | gzip >>"$tmp/p.gz"
mkdir -p "$tmp/b/hosp"; head -c 2000 "$tmp/p.gz" >"$tmp/b/hosp/patients.csv.gz"; cp "$h/admissions.csv" "$tmp/b/hosp/"
if mrt import mimic "$tmp/b" >/dev/null 2>&1; then fail "truncated gzip imported"; fi

mrt import rejects --json >"$tmp/all.json"
jq -e 'length == 4 and all(.[]; has("id") and has("kind") and has("source") and has("position") and has("reason")
  and has("first_seen") and has("size") and (has("content") | not))' "$tmp/all.json" >/dev/null ||
  fail "list keys: $(jq -c '.[0]' "$tmp/all.json")"
jq -e '[.[].kind] == ["mimic", "mimic", "synthea", "mimic"] and (.[3].position | startswith("file (unreadable at line "))' \
  "$tmp/all.json" >/dev/null || fail "kinds/positions: $(jq -c 'map([.kind, .position])' "$tmp/all.json")"
[ "$(jq '.[3].size' "$tmp/all.json")" = 2000 ] || fail "size of the kept file"
mrt import rejects --kind synthea --json | jq -e 'length == 1 and .[0].position == "line 2"' >/dev/null || fail "--kind"
mrt import rejects --limit 2 --json | jq -e 'length == 2' >/dev/null || fail "--limit"
mrt import rejects | grep -q "^4 rejects" || fail "human list"
if mrt import rejects | grep -q "Ann\|Smith"; then fail "the list shows content"; fi

id=$(jq '.[1].id' "$tmp/all.json")
[ "$(mrt import rejects --show "$id")" = '1,11,2150-03-01 10:00:00,2150-03-05 12:00:00,,URGENT,,"ROOM, ER",HOME,Medicare,,,,,,7' ] ||
  fail "--show: $(mrt import rejects --show "$id")"
mrt import rejects --show "$id" --json | jq -e '.content | test("ROOM, ER")' >/dev/null || fail "--show --json"
fid=$(jq '.[3].id' "$tmp/all.json")
mrt import rejects --show "$fid" | cmp -s - "$tmp/b/hosp/patients.csv.gz" || fail "--show of a binary file"
mrt import rejects --show "$fid" --json | jq -r .content_base64 | base64 -d | cmp -s - "$tmp/b/hosp/patients.csv.gz" ||
  fail "--show --json base64"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'reject.show' AND object_id = '$fid'")" = 2 ] || fail "show audited"

mrt --user pat import rejects --show "$id" >/dev/null || fail "privacy officer may look"
set +e
mrt --user cody import rejects >/dev/null 2>&1; r1=$?
mrt --user cody import rejects --show "$id" >/dev/null 2>&1; r2=$?
mrt import rejects --show 999 >/dev/null 2>&1; r3=$?
mrt import rejects --show abc >/dev/null 2>&1; r4=$?
mrt import rejects --show "$id" --kind mimic >/dev/null 2>&1; r5=$?
mrt import rejects --limit 0 >/dev/null 2>&1; r6=$?
mrt import rejects --bogus >/dev/null 2>&1; r7=$?
set -e
[ "$r1$r2$r3" = 111 ] || fail "refusals / unknown id: $r1 $r2 $r3"
[ "$r4$r5$r6$r7" = 2222 ] || fail "usage errors: $r4 $r5 $r6 $r7"
[ "$(q "SELECT count(*) FROM audit_event WHERE action LIKE 'reject.%' AND outcome = 'deny'")" = 2 ] || fail "refusals audited"
echo "rejects_list: ok"
