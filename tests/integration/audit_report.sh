#!/usr/bin/env bash
# `mrt audit report`: on the MIMIC-IV demo, "who looked at my record"
# lists every event on that patient and no other patient's (when, who and
# on whose behalf, role, action, purpose, outcome, object, detail), with a
# denied read and break-the-glass uses marked; --from/--to bound it; the
# report by user lists what a user did with the patients' MRNs; each report
# is itself an audit event (audit.report, with the patient); only privacy
# officers, auditors and admins may run it, a refusal is audited.
. "$(dirname "$0")/lib/common.sh"
demo=$data/mimic-iv-demo-2.2
[ -d "$demo/hosp" ] || { echo "no MIMIC-IV demo under $data: skipped"; exit 77; }

mrt init >/dev/null
mrt import mimic "$demo" >/dev/null
add_users cody:coder aud:auditor priv:privacy_officer
a=$(q "SELECT mrn FROM patient ORDER BY mrn LIMIT 1")
b=$(q "SELECT mrn FROM patient ORDER BY mrn LIMIT 1 OFFSET 1")
[ -n "$a" ] && [ -n "$b" ] || fail "demo patients"
aid=$(q "SELECT id FROM patient WHERE mrn = '$a'")

mrt --user cody patient show "$a" >/dev/null
mrt --user cody patient show "$b" >/dev/null
mrt patient show "$a" >/dev/null
mrt label add patient "$a" BH >/dev/null
if mrt --user cody patient show "$a" >"$tmp/denied" 2>/dev/null; then fail "labelled read allowed"; fi
mrt --user cody patient show "$a" --break-glass "patient in ED, unconscious" >/dev/null

# By patient, as the auditor.
mrt --user aud audit report --patient "$a" --json >"$tmp/a.json"
jq -e --arg aid "$aid" 'length >= 6 and all(.[]; .mrn != null and (.id | type) == "number")' \
  "$tmp/a.json" >/dev/null || fail "report rows: $(cat "$tmp/a.json")"
[ "$(jq length "$tmp/a.json")" = "$(q "SELECT count(*) FROM audit_event WHERE patient_id = $aid")" ] ||
  fail "not every event on the patient"
jq -e --arg a "$a" 'all(.[]; .mrn == $a)' "$tmp/a.json" >/dev/null || fail "another patient's event"
jq -e --arg me "$me" '[.[] | select(.action == "patient.show")] |
  (.[0] | .actor == $me and .on_behalf_of == "cody" and .role == "coder" and .outcome == "allow"
     and .purpose == "operations" and (.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")))
  and any(.[]; .on_behalf_of == null and .actor == $me)
  and any(.[]; .outcome == "deny" and (.detail | test("BH")))
  and any(.[]; .outcome == "break-glass" and .break_glass == true)' "$tmp/a.json" >/dev/null ||
  fail "patient.show rows: $(jq -c '.[] | select(.action == "patient.show")' "$tmp/a.json")"
jq -e '[.[] | select(.break_glass)] | length >= 2 and all(.[]; .outcome == "break-glass")' \
  "$tmp/a.json" >/dev/null || fail "break-glass marks"
jq -e 'all(.[]; (.outcome == "break-glass") == .break_glass)' "$tmp/a.json" >/dev/null ||
  fail "break_glass flag"
jq -e '.[-1] | .action == "audit.report" and .on_behalf_of == "aud" and .role == "auditor"' \
  "$tmp/a.json" >/dev/null || fail "the report is not its own last event"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'audit.report' AND patient_id = $aid")" = 1 ] ||
  fail "report event without the patient id"

# The table marks break-glass uses.
mrt audit report --patient "$a" >"$tmp/a.txt"
head -1 "$tmp/a.txt" | grep -q "who.*role.*action.*purpose.*outcome" || fail "table header"
grep -q "!BREAK-GLASS" "$tmp/a.txt" || fail "break-glass not marked: $(cat "$tmp/a.txt")"
grep -q "cody" "$tmp/a.txt" || fail "who"
tail -1 "$tmp/a.txt" | grep -Eq "^[0-9]+ events; [0-9]+ break-glass \(marked !\)$" || fail "summary"

# --from / --to bound the report (the report events of today are in it).
today=$(date -u +%Y-%m-%d)
mrt audit report --patient "$a" --from "$today" --to "$today" --json | jq -e 'length >= 6' >/dev/null ||
  fail "today"
mrt audit report --patient "$a" --to 2000-01-01 --json | jq -e 'length == 0' >/dev/null || fail "--to past"
mrt audit report --patient "$a" --from 2999-01-01 --json | jq -e 'length == 0' >/dev/null ||
  fail "--from future"

# By user: everything cody did, with the patients' MRNs.
mrt --user priv audit report --actor cody --json >"$tmp/u.json"
jq -e --arg a "$a" --arg b "$b" 'all(.[]; .actor == "cody" or .on_behalf_of == "cody")
  and any(.[]; .mrn == $b and .action == "patient.show")
  and any(.[]; .mrn == $a and .outcome == "break-glass")' "$tmp/u.json" >/dev/null ||
  fail "by user: $(cat "$tmp/u.json")"
[ "$(jq length "$tmp/u.json")" = "$(q "SELECT count(*) FROM audit_event WHERE actor = 'cody' OR on_behalf_of = 'cody'")" ] ||
  fail "not every event of the user"
# `--user NAME` (the issue's spelling; also the global act-as option) from an
# administrator's account reports on NAME.
mrt audit report --user cody --json | jq -e 'length > 0 and all(.[]; .on_behalf_of == "cody" or .actor == "cody")' \
  >/dev/null || fail "--user NAME"
q "SELECT object_type, object_id FROM audit_event WHERE action = 'audit.report' ORDER BY id DESC LIMIT 1" |
  grep -qx "app_user|cody" || fail "by-user report event"

# Only privacy officers, auditors and admins; the refusal is audited.
if mrt --user cody audit report --patient "$a" >/dev/null 2>"$tmp/err"; then fail "a coder ran a report"; fi
grep -Eq "user cody may not .*audit" "$tmp/err" || fail "refusal: $(cat "$tmp/err")"
q "SELECT action, outcome, on_behalf_of FROM audit_event ORDER BY id DESC LIMIT 1" | grep -qx "audit.read|deny|cody" ||
  fail "refusal not audited"

# Usage errors exit 2; an unknown MRN 1 without echoing it.
for bad in "" "--patient $a --actor cody" "--patient $a --from 2024-13-01" "--patient $a --to x" "--bogus"; do
  # shellcheck disable=SC2086
  set +e; mrt audit report $bad >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || fail "audit report $bad exited $rc, not 2"
done
set +e; mrt audit report --patient NO-SUCH-MRN-77 >/dev/null 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "unknown MRN exited $rc"
grep -q "NO-SUCH-MRN-77" "$tmp/err" && fail "the MRN echoed in the error"
mrt audit verify >/dev/null || fail "chain"
echo "audit_report: ok"
