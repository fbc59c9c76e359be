#!/usr/bin/env bash
# Patients' requests and personal representatives on the MIMIC-IV demo and
# two hand-made patients (a minor, an adult with a birth date): an access
# request's 30-day deadline and its one extension with a reason; an
# amendment's 60 days; complete / accept / deny per kind, deny of access
# with reviewable yes|no; the statement of disagreement and the rebuttal
# linked to the record; --open and --overdue lists; each request a work
# item in the him_technician queue, closed with it; representatives of a
# minor (parent acts; not when the minor consented alone), an adult
# (parent does not), a deceased MIMIC patient (executor acts after death
# only), a refused representative with the reason; a request through a
# representative checked on the day received; roles refused and audited.
. "$(dirname "$0")/lib/common.sh"
demo=$data/mimic-iv-demo-2.2
[ -f "$demo/hosp/admissions.csv.gz" ] || { echo "no MIMIC-IV demo in $data: skipped"; exit 77; }
needs sqlite3 jq
today=$(date +%Y-%m-%d)
day() { date -d "$today $1 days" +%Y-%m-%d; }

mrt init >/dev/null
mrt import mimic "$demo" >/dev/null
kid_birth=$(date -d "$today - 10 years" +%Y-%m-%d)
cat >"$tmp/b.json" <<JSON
{"resourceType":"Bundle","type":"collection","entry":[
{"resource":{"resourceType":"Patient","id":"kid","identifier":[{"system":"urn:t","type":{"coding":[{"code":"MR"}]},"value":"T-KID"}],"name":[{"family":"Young","given":["Kim"]}],"birthDate":"$kid_birth"}},
{"resource":{"resourceType":"Patient","id":"ad","identifier":[{"system":"urn:t","type":{"coding":[{"code":"MR"}]},"value":"T-ADULT"}],"name":[{"family":"Grown","given":["Al"]}],"birthDate":"1970-01-01"}}]}
JSON
mrt import fhir "$tmp/b.json" >/dev/null
add_users tess:him_technician pria:privacy_officer cody:coder phil:physician
A=10000032
L=$(q "SELECT mrn FROM patient WHERE deceased = 0 ORDER BY mrn LIMIT 1")
D=$(q "SELECT mrn FROM patient WHERE deceased = 1 AND death_at IS NOT NULL AND mrn <> '$A' ORDER BY mrn LIMIT 1")
death=$(q "SELECT substr(death_at, 1, 10) FROM patient WHERE mrn = '$D'")
[ -n "$D" ] && [ -n "$L" ] || fail "no deceased or living patient in the demo"
# MIMIC shifts dates a century or two ahead: the deceased patient's days
# after death are run with MRT_TODAY after it.
after=$(date -d "$death + 10 days" +%F)
late() { MRT_TODAY=$after mrt "$@"; }
[ -z "$(q "SELECT birth_date FROM patient WHERE mrn = '$A'")" ] || fail "MIMIC patients have no birth date"

# --- access: 30 days, one extension with a reason -------------------------
r1=$(day "-20")
mrt --user tess request access --patient $A --received "$r1" --format electronic --json >"$tmp/a1.json"
jq -e --arg d "$(date -d "$r1 + 30 days" +%F)" '.id == 1 and .kind == "access" and .due_date == $d' \
  "$tmp/a1.json" >/dev/null || fail "access deadline: $(cat "$tmp/a1.json")"
mrt --user tess queue list --json | jq -e '[.[] | select(.kind == "access-request")] | length == 1
  and .[0].subject_id == "1" and .[0].assigned_role == "him_technician"' >/dev/null || fail "work item"
refused "is required" mrt --user tess request extend 1
refused "is in the future" mrt --user tess request access --patient $A --received "$(day +1)"
refused "paper or electronic" mrt --user tess request access --patient $A --received "$r1" --format fax
mrt --user tess request extend 1 --reason "records are stored off-site" | grep -q "now due $(date -d "$r1 + 60 days" +%F)" ||
  fail "extension"
refused "one 30-day extension" mrt --user tess request extend 1 --reason again
mrt --user tess queue list --json | jq -e --arg d "$(date -d "$r1 + 60 days" +%F)" '[.[] | select(.kind == "access-request")]
  | length == 1 and .[0].due_date == $d' >/dev/null || fail "the work item follows the extension"
refused "reviewable yes|no" mrt --user tess request deny 1 --reason "psychotherapy notes"
refused "must be yes or no" mrt --user tess request deny 1 --reason "x" --reviewable maybe
refused "completed or denied, not" mrt --user tess request accept 1
mrt --user tess request deny 1 --reason "psychotherapy notes (164.524(a)(1)(i))" --reviewable no >/dev/null
refused "already" mrt --user tess request complete 1
# an overdue one
mrt --user tess request access --patient $A --received "$(day -45)" --format paper >/dev/null
mrt --user tess request list --overdue --json | jq -e 'map(.id) == [2] and .[0].overdue == true' >/dev/null ||
  fail "overdue list"
mrt --user tess request complete 2 >/dev/null
mrt --user tess request list --open --json | jq -e 'length == 0' >/dev/null || fail "open list"
mrt --user tess request list --json | jq -e 'length == 2' >/dev/null || fail "list"
mrt --user tess queue list --json | jq -e '[.[] | select(.kind == "access-request")] | length == 0' \
  >/dev/null || fail "closing a request closes its work item"

# --- amendment: 60 days; accept; deny, disagreement, rebuttal ---------------
acct=$(q "SELECT account FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE p.mrn = '$A' LIMIT 1")
mrt --user tess request amend --patient $A --received "$today" --what "the allergy to penicillin is wrong" \
  --encounter "$acct" --json | jq -e --arg d "$(day +60)" '.id == 3 and .due_date == $d' >/dev/null ||
  fail "amendment deadline"
mrt --user tess request amend --patient $A --received "$today" --what "home address is old" >/dev/null
refused "accepted or denied, not" mrt --user tess request complete 3
refused "follows a denied amendment" mrt --user tess request disagreement 3 --statement "no"
refused "goes with an access request" mrt --user tess request deny 3 --reason x --reviewable yes
mrt --user tess request deny 3 --reason "accurate and complete (164.526(a)(2)(iv))" >/dev/null
refused "answers the patient's statement" mrt --user tess request rebuttal 3 --statement "documented"
mrt --user tess request disagreement 3 --statement "I was never allergic to penicillin" >/dev/null
refused "has its disagreement already" mrt --user tess request disagreement 3 --statement "again"
mrt --user tess request rebuttal 3 --statement "Allergy documented by the attending in 2180" >/dev/null
mrt --user tess request accept 4 --note "Address corrected" >/dev/null
mrt --user tess request show 3 --json >"$tmp/s3.json"
jq -e --arg a "$acct" '.status == "denied" and .encounter == $a and (.statements | map(.kind) == ["disagreement", "rebuttal"])
  and .statements[0].text == "I was never allergic to penicillin" and .statements[0].by == "tess"' \
  "$tmp/s3.json" >/dev/null || fail "show 3: $(cat "$tmp/s3.json")"
pid=$(q "SELECT id FROM patient WHERE mrn = '$A'")
[ "$(q "SELECT group_concat(kind) FROM (SELECT kind FROM request_statement WHERE patient_id = $pid ORDER BY id)")" \
  = "disagreement,rebuttal,amendment" ] || fail "statements linked to the record"
[ "$(q "SELECT text FROM request_statement WHERE kind = 'amendment'")" = "Address corrected" ] || fail "amendment text"

# --- representatives --------------------------------------------------------
mrt --user tess representative add --patient T-KID --name "Pat Young" --relation parent \
  --authority "birth certificate" --json | jq -e '.valid_today == true' >/dev/null || fail "parent of a minor"
mrt --user tess representative add --patient T-KID --name "Mo Young" --relation parent \
  --authority "birth certificate" --exception minor-consented --json |
  jq -e '.valid_today == false and (.reason | test("164.502\\(g\\)\\(3\\)\\(i\\)\\(A\\)"))' >/dev/null ||
  fail "minor consented alone"
mrt --user tess representative add --patient T-KID --name "Bad Dad" --relation parent \
  --authority "birth certificate" --refuse "suspected abuse (mandated report filed)" --json |
  jq -e '.decision == "refused" and .valid_today == false' >/dev/null || fail "refused"
mrt --user tess representative add --patient T-ADULT --name "Ma Grown" --relation parent \
  --authority "birth certificate" --json | jq -e '.valid_today == false and (.reason | test("of age"))' \
  >/dev/null || fail "parent of an adult"
mrt --user tess representative add --patient T-ADULT --name "Gail Guard" --relation guardian \
  --authority "Probate court decree 2020-123" --from 2020-01-01 --json | jq -e '.valid_today == true' \
  >/dev/null || fail "guardian of an adult"
mrt --user tess representative add --patient $A --name "Pa" --relation parent --authority x --json |
  jq -e '.valid_today == false and (.reason | test("birth date is unknown"))' >/dev/null || fail "MIMIC parent"
mrt --user tess representative add --patient $D --name "Ed Exec" --relation executor \
  --authority "letters testamentary" --json | jq -e '.id == 7 and .valid_today == false' >/dev/null ||
  fail "executor before the death"
mrt --user tess representative add --patient $L --name "Ed Early" --relation executor \
  --authority "will" --json | jq -e '.valid_today == false' >/dev/null || fail "executor of a living patient"
late --user tess representative add --patient $D --name "Poa" --relation healthcare-poa \
  --authority "HCP form" --json | jq -e '.valid_today == false and (.reason | test("after death"))' \
  >/dev/null || fail "POA after death"
late --user tess representative list --patient $D --json | jq -e 'map(.valid) == [true, false]
  and (.[0].valid_reason | test("164.502\\(g\\)\\(4\\)"))' >/dev/null || fail "executor after the death"
mrt --user tess representative list --patient $D --on "$death" --json | jq -e 'map(.valid) == [true, false]' \
  >/dev/null || fail "on the day of death the executor acts and the power of attorney ends"
mrt --user tess representative list --patient $D --on "$(date -d "$death - 1 day" +%F)" --json |
  jq -e 'map(.valid) == [false, true]' >/dev/null || fail "the day before death"
refused "must be parent" mrt --user tess representative add --patient $A --name X --relation uncle --authority x
refused "applies to a parent" mrt --user tess representative add --patient $A --name X --relation guardian \
  --authority x --exception minor-consented
mrt --user tess representative list --patient T-KID --json | jq -e 'map(.valid) == [true, false, false]
  and .[2].decision_reason == "suspected abuse (mandated report filed)"' >/dev/null || fail "list T-KID"
# requests through representatives, checked on the day received
mrt --user tess request access --patient T-KID --received "$today" --via-representative 1 >/dev/null
refused "164.502(g)(5)" mrt --user tess request access --patient T-KID --received "$today" --via-representative 3
refused "not the patient's" mrt --user tess request access --patient T-ADULT --received "$today" --via-representative 1
late --user tess request access --patient $D --received "$after" --via-representative 7 >/dev/null
before=$(date -d "$death - 1 day" +%F)
refused "only after the patient's death" late --user tess request access --patient $D --received "$before" \
  --via-representative 7
mrt --user tess representative end 1 --reason "custody order" >/dev/null
refused "has ended" mrt --user tess request access --patient T-KID --received "$today" --via-representative 1
refused "ended already" mrt --user tess representative end 1 --reason again
[ "$(q 'SELECT count(*) FROM patient_request WHERE representative_id IS NOT NULL')" = 2 ] || fail "via representative"

# --- a labelled patient: hidden from a technician without the grant ---------
mrt --user tess request access --patient T-ADULT --received "$today" >/dev/null
lab=$(q "SELECT max(id) FROM patient_request")
mrt label add patient T-ADULT BH --reason "behavioral health program" >/dev/null
mrt --user tess request list --json | jq -e --arg l "$lab" 'map(.id) | index($l | tonumber) == null' >/dev/null ||
  fail "a labelled patient's request is listed to a user without the grant"
refused "restricted record" mrt --user tess request show "$lab"
[ ! -s "$tmp/out" ] || fail "content shown: $(cat "$tmp/out")"
refused "restricted record" mrt --user tess representative list --patient T-ADULT
mrt --user pria request show "$lab" --json | jq -e '.mrn == "T-ADULT"' >/dev/null || fail "the privacy officer"
mrt audit log --json | jq -e --arg l "$lab" '[.[] | select(.action == "request.show" and .outcome == "deny"
  and .object_id == $l)] | length == 1' >/dev/null || fail "the refusal is not audited"

# --- roles: refused and audited, nothing shown --------------------------------
for who in cody phil; do
  refused "may not" mrt --user $who request access --patient $A --received "$today"
  refused "may not" mrt --user $who request show 3
  refused "may not" mrt --user $who representative list --patient T-KID
  grep -q "allergic" "$tmp/out" && fail "$who saw a statement"
done
mrt audit log --json | jq -e '[.[] | select(.outcome == "deny" and (.action | test("^request|^representative"))
  and (.on_behalf_of == "cody" or .on_behalf_of == "phil"))] | length == 6' >/dev/null || fail "refusals audited"
for a in request.access request.amend request.extend request.deny request.complete request.accept \
         request.disagreement request.rebuttal request.list request.show representative.add \
         representative.end representative.list; do
  n=$(mrt audit log --json | jq --arg a $a '[.[] | select(.action == $a and .outcome == "allow")] | length')
  [ "$n" -gt 0 ] || fail "no $a audit events"
done
# a privacy officer (who may not move the technicians' queue items) extends:
# the deadline moves, the work item stays one
mrt --user pria request access --patient $A --received "$today" >/dev/null
rid=$(q "SELECT max(id) FROM patient_request")
mrt --user pria request extend "$rid" --reason "scanning backlog" >/dev/null
[ "$(q "SELECT count(*) FROM work_item WHERE subject_id = '$rid' AND status = 'open'")" = 1 ] ||
  fail "two open work items after an extension"
mrt --user tess request complete "$rid" >/dev/null
mrt audit log --json | jq -e 'all(.[]; (.detail // "") | test("allergic|Address|abuse") | not)' >/dev/null ||
  fail "an audit detail holds request text"
mrt audit verify >/dev/null || fail "audit chain"
echo "requests_lifecycle: ok"
