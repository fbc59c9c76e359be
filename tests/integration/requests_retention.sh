#!/usr/bin/env bash
# Retention schedule and legal holds on the MIMIC-IV demo and a hand-made
# minor: the defaults; nothing is due today (the demo's dates lie in the
# 22nd century) and every discharged patient is due once the clock is moved
# past their last discharge + 10 years, counted independently in SQL; a
# patient with an open encounter is never due; a minor is kept until the
# age of majority + 3 years when that is later; a legal hold blocks the
# purge check and shows in the due report, released (with a reason) or
# lapsed (--until) it does not; schedule changes are kept and move the
# dates; roles; every read audited.
. "$(dirname "$0")/lib/common.sh"
demo=$data/mimic-iv-demo-2.2
[ -f "$demo/hosp/admissions.csv.gz" ] || { echo "no MIMIC-IV demo in $data: skipped"; exit 77; }
needs sqlite3 jq

mrt init >/dev/null
mrt import mimic "$demo" >/dev/null
cat >"$tmp/b.json" <<'JSON'
{"resourceType":"Bundle","type":"collection","entry":[
{"resource":{"resourceType":"Patient","id":"kid","identifier":[{"system":"urn:t","type":{"coding":[{"code":"MR"}]},"value":"T-KID"}],"name":[{"family":"Young","given":["Kim"]}],"birthDate":"2015-03-01"}},
{"resource":{"resourceType":"Encounter","id":"e1","identifier":[{"value":"T-ACC-1"}],"status":"finished","class":{"code":"IMP"},"period":{"start":"2016-01-02T08:00:00Z","end":"2016-01-05T10:00:00Z"},"subject":{"reference":"Patient/kid"}}}]}
JSON
mrt import fhir "$tmp/b.json" >/dev/null
add_users tess:him_technician pria:privacy_officer cody:coder

mrt --user tess retention list --json | jq -e '.age_of_majority == 18 and (.classes | map([.class,
  .years_after_discharge, .years_after_majority]) == [["adult", 10, 0], ["minor", 10, 3]])' >/dev/null ||
  fail "defaults"

# --- nothing is due today; everything discharged is due in 2300 -------------
mrt --user tess retention due --json | jq -e 'map(select(.mrn != "T-KID")) | length == 0' >/dev/null ||
  fail "a demo record is due today"
far=2300-01-01
# patients with a discharge and no open encounter (counted here, in SQL)
want=$(q "SELECT count(*) FROM patient p WHERE EXISTS (SELECT 1 FROM encounter e WHERE e.patient_id = p.id
            AND e.discharge_at IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM encounter e WHERE e.patient_id = p.id
            AND e.discharge_at IS NULL AND e.status NOT IN ('cancelled','merged'))")
[ "$want" -gt 90 ] || fail "too few discharged patients in the demo: $want"
MRT_TODAY=$far mrt --user tess retention due --json >"$tmp/due.json"
jq -e --argjson n "$want" 'length == $n and all(.may_purge) and (map(select(.mrn != "T-KID"))
  | all(.class == "adult" and .age_assumed))' \
  "$tmp/due.json" >/dev/null || fail "due in $far: $(jq length "$tmp/due.json") vs $want"
# the boundary, for one patient: kept through last discharge + 10 years, due the day after
A=10000032
last=$(q "SELECT max(substr(discharge_at, 1, 10)) FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE p.mrn = '$A'")
until=$(date -d "$last + 10 years" +%F)
MRT_TODAY=$until mrt --user tess retention check $A --json | jq -e --arg u "$until" --arg l "$last" \
  '.may_purge == false and .retain_until == $u and .last_discharge == $l' >/dev/null || fail "kept on $until"
MRT_TODAY=$(date -d "$until + 1 day" +%F) mrt --user tess retention check $A --json |
  jq -e '.may_purge == true' >/dev/null || fail "due the day after $until"
# an open encounter keeps a record
pid=$(q "SELECT id FROM patient WHERE mrn = '$A'")
q "INSERT INTO encounter(patient_id, account, status, admit_at, source, created_at, updated_at)
   VALUES ($pid, 'T-OPEN', 'in-progress', '2201-01-01T00:00:00', 'test', 'now', 'now')"
MRT_TODAY=$far mrt --user tess retention check $A --json | jq -e '.may_purge == false and .open_encounters == 1' \
  >/dev/null || fail "an open encounter"
MRT_TODAY=$far mrt --user tess retention due --json | jq -e --arg a $A 'map(.mrn) | index($a) == null' >/dev/null ||
  fail "a patient with an open encounter is due"

# --- a minor: until 21 ------------------------------------------------------
mrt --user tess retention check T-KID --json | jq -e '.class == "minor" and .retain_until == "2036-03-01"
  and .age_assumed == false' >/dev/null || fail "minor's date"
MRT_TODAY=2036-03-02 mrt --user tess retention check T-KID --json | jq -e '.may_purge == true' >/dev/null ||
  fail "minor due after 21"

# --- legal holds -----------------------------------------------------------
refused "is required" mrt --user tess hold add --patient T-KID
refused "in the past" mrt --user tess hold add --patient T-KID --matter x --until 2020-01-01
mrt --user tess hold add --patient T-KID --matter "Doe v. Hospital, 26-cv-1" | grep -q "legal hold 1 placed" ||
  fail "hold add"
MRT_TODAY=2036-03-02 mrt --user tess retention check T-KID --json | jq -e '.may_purge == false and .holds == 1
  and .reason == "a legal hold is active"' >/dev/null || fail "hold blocks purge"
MRT_TODAY=2036-03-02 mrt --user tess retention due --json | jq -e 'map(select(.mrn == "T-KID"))
  | length == 1 and .[0].may_purge == false and .[0].holds == 1' >/dev/null || fail "held record in due"
mrt --user pria hold list --json | jq -e 'length == 1 and .[0].active == true and .[0].placed_by == "tess"' \
  >/dev/null || fail "hold list"
refused "is required" mrt --user tess hold release 1
mrt --user pria hold release 1 --reason "case settled" >/dev/null
refused "released already" mrt --user pria hold release 1 --reason again
MRT_TODAY=2036-03-02 mrt --user tess retention check T-KID --json | jq -e '.may_purge == true' >/dev/null ||
  fail "released hold still blocks"
mrt --user tess hold add --patient T-KID --matter "state audit" --until 2036-03-05 >/dev/null
MRT_TODAY=2036-03-05 mrt --user tess retention check T-KID --json | jq -e '.may_purge == false' >/dev/null ||
  fail "hold on its last day"
MRT_TODAY=2036-03-06 mrt --user tess retention check T-KID --json | jq -e '.may_purge == true' >/dev/null ||
  fail "lapsed hold"
mrt --user tess hold list --json | jq -e 'map(.id) == [2]' >/dev/null || fail "active holds"
mrt --user tess hold list --all --patient T-KID --json | jq -e 'map(.id) == [1, 2] and .[0].release_reason == "case settled"' \
  >/dev/null || fail "all holds"
[ "$(q 'SELECT count(*) FROM legal_hold')" = 2 ] || fail "holds are kept"

# --- the schedule ----------------------------------------------------------
mrt --user pria retention set minor --after-majority 7 >/dev/null
mrt --user pria retention set --age-of-majority 19 >/dev/null
mrt --user tess retention check T-KID --json | jq -e '.retain_until == "2041-03-01"' >/dev/null ||
  fail "the schedule moves the date"
mrt --user pria retention set adult --years 25 >/dev/null
[ "$(q 'SELECT count(*) FROM schedule_change')" = 3 ] || fail "schedule changes kept"
[ "$(q "SELECT old_value || '>' || new_value FROM schedule_change WHERE name = 'age_of_majority'")" = "18>19" ] ||
  fail "change row"
refused "adult or minor" mrt --user pria retention set teen --years 3
refused "whole number" mrt --user pria retention set adult --years -3
refused "nothing to set" mrt --user pria retention set

# --- roles and audit --------------------------------------------------------
for cmd in "retention due" "retention list" "hold list" "retention check T-KID"; do
  # shellcheck disable=SC2086
  refused "may not" mrt --user cody $cmd
done
refused "may not" mrt --user cody hold add --patient T-KID --matter x
refused "may not" mrt --user cody retention set adult --years 1
[ "$(q "SELECT count(*) FROM audit_event WHERE outcome = 'deny' AND on_behalf_of = 'cody'")" = 6 ] ||
  fail "refusals audited"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'retention.due' AND outcome = 'allow'
        AND patient_id IS NOT NULL")" -ge "$want" ] || fail "each patient in the due report audited"
mrt audit verify >/dev/null || fail "audit chain"
echo "requests_retention: ok"
