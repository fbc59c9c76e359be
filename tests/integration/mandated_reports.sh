#!/usr/bin/env bash
# Mandated reports on the MIMIC-IV demo: a physician files reports (kinds,
# default due dates, the cancer-registry clock from the encounter, an
# explicit --due); "withheld" needs a reason and a refused report stores
# nothing; the report is readable by its author and the privacy officer
# only - another physician and a coder get a non-zero exit, no content and
# a deny audit row; list shows others only their own; overdue reports go
# to the privacy officer's queue once however often listed or swept;
# submitting records the disclosure, which appears in the accounting;
# a physician author may not submit (recording a release is the records
# office's); statuses move draft -> submitted -> acknowledged only.
. "$(dirname "$0")/lib/common.sh"
demo=$data/mimic-iv-demo-2.2
[ -f "$demo/hosp/admissions.csv.gz" ] || { echo "no MIMIC-IV demo in $data: skipped"; exit 77; }
needs sqlite3 jq
today=$(date +%Y-%m-%d)
plus() { date -d "$today + $1 days" +%Y-%m-%d; }

mrt init >/dev/null
mrt import mimic "$demo" >/dev/null
add_users phil:physician pam:physician cody:coder tess:him_technician pria:privacy_officer
A=10000032 B=10001217
acct=$(q "SELECT account FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE p.mrn = '$A'
          ORDER BY e.discharge_at LIMIT 1")
disch=$(q "SELECT substr(discharge_at, 1, 10) FROM encounter WHERE account = '$acct'")
[ -n "$acct" ] && [ -n "$disch" ] || fail "patient $A has no discharged encounter in the demo"

# --- filing: default due dates, registry clock from the encounter ---------
common=(--jurisdiction "Commonwealth of Massachusetts" --agency "Dept of Public Health")
mrt --user phil mandated new --patient $A --kind elder-abuse "${common[@]}" \
  --legal-basis "MGL c.19A s.15" --items demographics,encounters \
  --patient-informed withheld --withheld-reason "informing would place the patient at risk" \
  --patient-objection "does not want her son told" --may-tell "daughter" --json >"$tmp/r1.json"
jq -e --arg d "$(plus 2)" '.id == 1 and .status == "draft" and .due_date == $d' "$tmp/r1.json" \
  >/dev/null || fail "elder-abuse due date: $(cat "$tmp/r1.json")"
mrt --user phil mandated new --patient $A --kind cancer-registry "${common[@]}" \
  --legal-basis "MGL c.111 s.111B" --items demographics,diagnoses --encounter "$acct" \
  --patient-informed yes --json >"$tmp/r2.json"
want=$(date -d "$disch + 6 months" +%Y-%m-%d)
jq -e --arg d "$want" '.due_date == $d' "$tmp/r2.json" >/dev/null ||
  fail "registry due 6 months after the encounter ($want): $(cat "$tmp/r2.json")"
mrt --user pam mandated new --patient $B --kind wound --jurisdiction MA --agency "State Police" \
  --legal-basis "MGL c.112 s.12A" --items demographics --due "$(plus 5)" >/dev/null
[ "$(q 'SELECT group_concat(due_default) FROM mandated_report ORDER BY id')" = "1,1,0" ] ||
  fail "due_default flags"

# --- withheld needs a reason; a refused report stores nothing -------------
refused "needs --withheld-reason" mrt --user phil mandated new --patient $A --kind child-abuse \
  "${common[@]}" --legal-basis x --items demographics --patient-informed withheld
refused "must be child-abuse" mrt --user phil mandated new --patient $A --kind rumour \
  "${common[@]}" --legal-basis x --items demographics
refused "items" mrt --user phil mandated new --patient $A --kind child-abuse \
  "${common[@]}" --legal-basis x --items "demographics;drop table"
refused "not the patient's" mrt --user phil mandated new --patient $B --kind child-abuse \
  "${common[@]}" --legal-basis x --items demographics --encounter "$acct"
refused "role" mrt --user cody mandated new --patient $A --kind child-abuse \
  "${common[@]}" --legal-basis x --items demographics
[ "$(q 'SELECT count(*) FROM mandated_report')" = 3 ] || fail "a refused report was stored"

# --- who may read it ------------------------------------------------------
mrt --user phil mandated show 1 --json >"$tmp/s1.json" || fail "the author cannot read the report"
jq -e --arg a $A '.mrn == $a and .kind == "elder-abuse" and .author == "phil"
  and .withheld_reason == "informing would place the patient at risk"
  and .patient_objection == "does not want her son told" and .may_tell == "daughter"
  and .section == "164.512(c)" and .purpose == "public_health"' "$tmp/s1.json" >/dev/null ||
  fail "show: $(cat "$tmp/s1.json")"
mrt --user pria mandated show 1 --json >/dev/null || fail "the privacy officer cannot read it"
for who in pam cody tess; do
  if mrt --user $who mandated show 1 --json >"$tmp/out" 2>"$tmp/err"; then fail "$who read report 1"; fi
  [ ! -s "$tmp/out" ] || fail "$who got content: $(cat "$tmp/out")"
  grep -q "$A\|elder\|risk" "$tmp/err" && fail "$who's refusal shows the report: $(cat "$tmp/err")"
  mrt audit log --json | jq -e --arg u $who '[.[] | select(.action == "mandated.show"
    and .outcome == "deny" and .on_behalf_of == $u and .object_type == "mandated_report"
    and .object_id == "1" and .patient_id != null)] | length == 1' >/dev/null ||
    fail "$who's refusal is not audited"
done
mrt audit log --json | jq -e '[.[] | select(.action == "mandated.show" and .outcome == "allow")]
  | length == 2' >/dev/null || fail "reads not audited"
refused "no mandated report 99" mrt --user pria mandated show 99

# --- list: others see only their own --------------------------------------
mrt --user phil mandated list --json | jq -e 'map(.id) == [1, 2] and all(.author == "phil")' \
  >/dev/null || fail "phil's list"
mrt --user pam mandated list --json | jq -e 'map(.id) == [3]' >/dev/null || fail "pam's list"
mrt --user cody mandated list --json | jq -e 'length == 0' >/dev/null || fail "cody's list"
mrt --user pria mandated list --json | jq -e 'length == 3' >/dev/null || fail "privacy officer's list"
mrt --user pam mandated list | grep -q "$A" && fail "pam's table shows phil's patient"

# --- overdue: queued for the privacy officer once -------------------------
mrt --user pria mandated list --overdue --json | jq -e 'length == 0' >/dev/null || fail "nothing overdue yet"
late=$(plus 3)
MRT_TODAY=$late mrt --user pria mandated list --overdue --json >"$tmp/od.json"
jq -e 'map(.id) == [1] and .[0].overdue == true' "$tmp/od.json" >/dev/null ||
  fail "overdue list: $(cat "$tmp/od.json")"
MRT_TODAY=$late mrt --user pria mandated list --overdue >/dev/null
MRT_TODAY=$late mrt --user phil mandated list --overdue >/dev/null
MRT_TODAY=$late mrt --user pria mandated sweep | grep -q "^0 overdue" || fail "sweep duplicated"
[ "$(q "SELECT count(*) FROM work_item WHERE kind = 'mandated-overdue'")" = 1 ] || fail "queued more than once"
mrt --user pria queue list --json | jq -e '[.[] | select(.kind == "mandated-overdue")]
  | length == 1 and .[0].subject_type == "mandated_report" and .[0].subject_id == "1"
  and .[0].assigned_role == "privacy_officer"' >/dev/null || fail "the privacy officer's queue"
mrt --user pria queue list --json | jq -e 'all(.title | test("10000032") | not)' >/dev/null ||
  fail "a queue title names the patient"
MRT_TODAY=$(plus 6) mrt --user pria mandated sweep | grep -q "^1 overdue" || fail "sweep of report 3"
if mrt --user phil mandated sweep 2>/dev/null; then fail "a physician ran the sweep"; fi

# --- submit: the disclosure and the accounting ----------------------------
refused "may not" mrt --user phil mandated submit 1
mrt audit log --json | jq -e '[.[] | select(.action == "mandated.submit" and .outcome == "deny"
  and .on_behalf_of == "phil")] | length == 1' >/dev/null || fail "the author's submit refusal is not audited"
refused "may not" mrt --user cody mandated submit 1
refused "only a submitted" mrt --user pria mandated ack 1
mrt --user pria mandated submit 1 --out "$tmp/p1.txt" | grep -q "submitted: disclosure" || fail "submit"
[ -s "$tmp/p1.txt" ] || fail "no packet written"
refused "already submitted" mrt --user pria mandated submit 1
mrt --user tess disclose accounting $A --json >"$tmp/acc.json"
jq -e '.entries | length == 1 and .[0].kind == "mandated" and .[0].recipient == "Dept of Public Health"
  and .[0].purpose == "public_health" and .[0].legal_basis == "MGL c.19A s.15"
  and .[0].items == "demographics,encounters"' "$tmp/acc.json" >/dev/null ||
  fail "accounting: $(cat "$tmp/acc.json")"
[ "$(q "SELECT source_ref FROM disclosure WHERE id = (SELECT disclosure_id FROM mandated_report WHERE id = 1)")" \
  = "mandated_report:1" ] || fail "disclosure source_ref"
mrt --user pria mandated submit 3 >/dev/null
[ "$(q "SELECT purpose FROM disclosure WHERE source_ref = 'mandated_report:3'")" = legal ] ||
  fail "a wound report is a disclosure required by law"
mrt --user pria mandated ack 1 --reference "DPH-2026-77" >/dev/null
mrt --user phil mandated show 1 --json | jq -e '.status == "acknowledged" and .agency_reference == "DPH-2026-77"
  and .submitted_by == "pria" and .overdue == false' >/dev/null || fail "acknowledged"
refused "already acknowledged" mrt --user pria mandated submit 1
MRT_TODAY=$(date -d "$want + 1 day" +%Y-%m-%d) mrt --user pria mandated list --overdue --json | jq -e 'map(.id) == [2]' >/dev/null ||
  fail "submitted reports are not overdue"

# --- hostile text is stored as written; overlong text refused --------------
evil="x'); DROP TABLE mandated_report; --"
mrt --user pria mandated new --patient $B --kind reportable-disease --jurisdiction "$evil" \
  --legal-basis "$evil" --agency "$evil" --agency-address "../../etc/passwd" --items diagnoses \
  --patient-objection "$evil" --json >"$tmp/evil.json"
eid=$(jq -r .id "$tmp/evil.json")
mrt --user pria mandated show "$eid" --json | jq -e --arg e "$evil" '.jurisdiction == $e and .agency == $e
  and .patient_objection == $e and .agency_address == "../../etc/passwd"' >/dev/null || fail "hostile text"
long=$(head -c 1200 /dev/zero | tr '\0' a)
refused "longer than" mrt --user pria mandated new --patient $B --kind wound --jurisdiction MA \
  --legal-basis "$long" --agency x --items demographics
refused "control characters" mrt --user pria mandated new --patient $B --kind wound --jurisdiction MA \
  --legal-basis "$(printf 'a\001b')" --agency x --items demographics
[ "$(q 'SELECT count(*) FROM mandated_report')" = "$eid" ] || fail "a refused report was stored"

# --- the site's due-date rules ----------------------------------------------
refused "may not" mrt --user phil mandated due-set --kind reportable-disease --days 3
mrt --user pria mandated due-set --kind reportable-disease --jurisdiction "Commonwealth of Massachusetts" \
  --days 3 >/dev/null
mrt --user phil mandated due-rules --json | jq -e 'map(select(.kind == "reportable-disease"))
  | map([.source, .days]) == [["built-in", 7], ["site", 3]]' >/dev/null || fail "due-rules"
mrt --user pria mandated new --patient $B --kind reportable-disease "${common[@]}" --legal-basis "105 CMR 300" \
  --items diagnoses --json | jq -e --arg d "$(plus 3)" '.due_date == $d' >/dev/null || fail "the site's rule"

# --- every access audited; the chain holds ---------------------------------
for a in mandated.new mandated.list mandated.submit mandated.acknowledge mandated.sweep; do
  n=$(mrt audit log --json | jq --arg a $a '[.[] | select(.action == $a and .outcome == "allow")] | length')
  [ "$n" -gt 0 ] || fail "no $a audit events"
done
mrt audit log --json | jq -e 'all(.[] | select(.patient_id != null); (.detail // "") | test("risk|son told|daughter|abuse|wound|registry|disease") | not)' >/dev/null ||
  fail "an audit detail holds the report's text"
mrt audit verify >/dev/null || fail "audit chain"
echo "mandated_reports: ok"
