#!/usr/bin/env bash
# `mrt audit export`: on the MIMIC-IV demo, --fhir writes one FHIR R4
# AuditEvent per line for every event (type/subtype from the action, action
# C/R/U/D/E, recorded, outcome 0/4, agent with who, role and purposeOfUse,
# entity Patient/<mrn> and the object, source observer = the database id);
# --patient, --from and --to filter. --before DATE writes a sealed copy of
# every row before DATE that `mrt audit verify --export` accepts; the rows
# stay in the database; each export is recorded (audit_export row and an
# audit.export event); an existing file is never overwritten; only
# privacy officers, auditors and admins may export. Tampering with a
# sealed export is in audit_tamper.sh.
. "$(dirname "$0")/lib/common.sh"
demo=$data/mimic-iv-demo-2.2
[ -d "$demo/hosp" ] || { echo "no MIMIC-IV demo under $data: skipped"; exit 77; }

mrt init >/dev/null
mrt import mimic "$demo" >/dev/null
add_users cody:coder aud:auditor
a=$(q "SELECT mrn FROM patient ORDER BY mrn LIMIT 1")
b=$(q "SELECT mrn FROM patient ORDER BY mrn LIMIT 1 OFFSET 1")
for m in $(q "SELECT mrn FROM patient ORDER BY mrn LIMIT 20"); do mrt --user cody patient show "$m" >/dev/null; done
mrt label add patient "$a" HIV >/dev/null
mrt --user cody patient show "$a" >/dev/null 2>&1 && fail "labelled read allowed"
mrt --user cody patient show "$a" --break-glass "continuing care" >/dev/null
dbid=$(q "SELECT value FROM meta WHERE key = 'db_id'")

# FHIR, everything (up to the export's own event).
mrt --user aud audit export --fhir --out "$tmp/all.ndjson" >"$tmp/out"
n=$(q "SELECT max(id) - 1 FROM audit_event WHERE action = 'audit.export'")
grep -q "all.ndjson: $n AuditEvent resources" "$tmp/out" || fail "summary: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/all.ndjson")" = "$n" ] || fail "one line per event"
jq -e -s --arg db "$dbid" 'all(.[];
    .resourceType == "AuditEvent" and (.id | test("^[0-9]+$"))
    and .type.system == "http://dicom.nema.org/resources/ontology/DCM" and (.type.code | test("^110[0-9]{3}$"))
    and (.subtype[0].code | type) == "string"
    and (.action | IN("C", "R", "U", "D", "E"))
    and (.recorded | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"))
    and (.outcome | IN("0", "4", "8"))
    and (.agent | length >= 1) and .agent[0].requestor == true
    and (.agent[0].who.identifier.value | length > 0)
    and .source.observer.identifier.value == $db
    and ((has("entity") | not) or (.entity | length >= 1))
    and ([.. | arrays | select(length == 0)] | length == 0))' "$tmp/all.ndjson" >/dev/null ||
  fail "AuditEvent shape"
# ids 1..n in order, one per line
jq -e -s '[.[].id | tonumber] == [range(1; length + 1)]' "$tmp/all.ndjson" >/dev/null || fail "ids"
# patient reads: R on Patient/<mrn>, the admin acting as cody shown as two agents.
jq -e -s --arg me "$me" --arg b "$b" '[.[] | select(.subtype[0].code == "patient.show"
    and .entity[0].what.reference == ("Patient/" + $b))] | length == 1 and (.[0] |
    .action == "R" and .type.code == "110110" and .outcome == "0"
    and .agent[0].who.identifier.value == $me and .agent[1].who.identifier.value == "cody"
    and .agent[1].role[0].coding[0].code == "coder"
    and .agent[0].purposeOfUse[0].coding[0].code == "HOPERAT"
    and .entity[0].role.code == "1")' "$tmp/all.ndjson" >/dev/null || fail "patient.show mapping"
# the denial: outcome 4; break-glass: outcome 0 with purposeOfUse BTG.
jq -e -s --arg a "$a" '[.[] | select(.entity[0].what.reference == ("Patient/" + $a))] |
    any(.[]; .outcome == "4" and (.outcomeDesc | test("HIV")))
    and any(.[]; .outcome == "0" and any(.agent[0].purposeOfUse[].coding[]; .code == "BTG"))' \
  "$tmp/all.ndjson" >/dev/null || fail "deny / break-glass mapping"
jq -e -s '[.[] | select(.subtype[0].code == "import.mimic")][0] | .action == "C" and .type.code == "110107"' \
  "$tmp/all.ndjson" >/dev/null || fail "import mapping"
jq -e -s '.[0] | .subtype[0].code == "site.init" and .action == "C"' "$tmp/all.ndjson" >/dev/null ||
  fail "init mapping"

# --patient: only that patient's events; --from / --to.
mrt audit export --fhir --patient "$a" --out "$tmp/a.ndjson" >/dev/null
aid=$(q "SELECT id FROM patient WHERE mrn = '$a'")
[ "$(wc -l <"$tmp/a.ndjson")" = "$(q "SELECT count(*) FROM audit_event WHERE patient_id = $aid AND action != 'audit.export'")" ] ||
  fail "--patient count"
jq -e -s --arg a "$a" 'length > 2 and all(.[]; .entity[0].what.reference == ("Patient/" + $a))' "$tmp/a.ndjson" \
  >/dev/null || fail "--patient entities"
today=$(date -u +%Y-%m-%d)
mrt audit export --fhir --from 2999-01-01 --out "$tmp/none.ndjson" >/dev/null
[ ! -s "$tmp/none.ndjson" ] || fail "--from future"
mrt audit export --fhir --from "$today" --to "$today" --out "$tmp/today.ndjson" >/dev/null
[ "$(wc -l <"$tmp/today.ndjson")" -ge "$n" ] || fail "--from/--to today"

# Each export is recorded.
[ "$(q "SELECT count(*) FROM audit_export WHERE kind = 'fhir'")" = 4 ] || fail "export register"
q "SELECT outcome, on_behalf_of, detail FROM audit_event WHERE action = 'audit.export' ORDER BY id LIMIT 1" |
  grep -qx "allow|aud|fhir: $n events from the start to now" || fail "export event"
[ "$(q "SELECT patient_id FROM audit_event WHERE action = 'audit.export' ORDER BY id LIMIT 1 OFFSET 1")" = "$aid" ] ||
  fail "export event by patient without the patient id"

# Never overwrites; refused for a coder (audited), nothing written.
echo keep >"$tmp/exists"
if mrt audit export --fhir --out "$tmp/exists" 2>"$tmp/err"; then fail "overwrote a file"; fi
grep -q "already exists" "$tmp/err" && [ "$(cat "$tmp/exists")" = keep ] || fail "existing file"
if mrt --user cody audit export --fhir --out "$tmp/cody.ndjson" 2>/dev/null; then fail "coder exported"; fi
[ ! -e "$tmp/cody.ndjson" ] || fail "refused export left a file"
q "SELECT action, outcome FROM audit_event ORDER BY id DESC LIMIT 1" | grep -qx "audit.read|deny" || fail "refusal audited"
ls "$tmp" | grep -q "\.ndjson\.[A-Za-z0-9]\{6\}$" && fail "temporary file left behind"

# Sealed: every row before tomorrow (all of them), verified; the rows stay.
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
before=$(($(q "SELECT count(*) FROM audit_event") + 1)) # with aud's sign-in event
mrt --user aud audit export --before "$tomorrow" --out "$tmp/sealed.jsonl" --json >"$tmp/s.json"
jq -e --argjson n "$before" '.kind == "sealed" and .events == $n and .first_id == 1 and .last_id == $n
  and (.seal | test("^[0-9a-f]{64}$"))' "$tmp/s.json" >/dev/null || fail "sealed summary: $(cat "$tmp/s.json")"
[ "$(wc -l <"$tmp/sealed.jsonl")" = $((before + 2)) ] || fail "header + rows + trailer"
head -1 "$tmp/sealed.jsonl" | jq -e --arg db "$dbid" --arg t "$tomorrow" '.format == "mrt-audit-export"
  and .version == 1 and .db_id == $db and .before == $t' >/dev/null || fail "header"
tail -1 "$tmp/sealed.jsonl" | jq -e --argjson n "$before" '.trailer.count == $n and .trailer.last_id == $n' \
  >/dev/null || fail "trailer"
sed -n 2p "$tmp/sealed.jsonl" | jq -e '.id == 1 and .action == "site.init" and
  .prev_mac == "0000000000000000000000000000000000000000000000000000000000000000" and (.mac | length == 64)' \
  >/dev/null || fail "first row"
[ "$(q "SELECT count(*) FROM audit_event")" = $((before + 1)) ] || fail "rows must stay (plus the export's event)"
out=$(mrt --user aud audit verify --export "$tmp/sealed.jsonl") || fail "sealed export does not verify"
grep -q "^audit export intact: $before events, sealed, head $before " <<<"$out" || fail "verify said: $out"
mrt audit verify --export "$tmp/sealed.jsonl" --json | jq -e --argjson n "$before" '.intact and .events == $n' \
  >/dev/null || fail "verify --export --json"
q "SELECT kind, events, first_id, last_id, before FROM audit_export WHERE kind = 'sealed'" |
  grep -qx "sealed|$before|1|$before|$tomorrow" || fail "sealed register"
q "SELECT detail FROM audit_event WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1" |
  grep -q "^sealed: $before rows 1..$before before $tomorrow; sha256 " || fail "sealed event"
# The export's own sha256 is the one recorded.
sha=$(head -n -1 "$tmp/sealed.jsonl" | sha256sum | cut -d' ' -f1)
[ "$(q "SELECT body_sha256 FROM audit_export WHERE kind = 'sealed'")" = "$sha" ] || fail "body sha256"
# Nothing before 2000: an empty, still sealed and verifiable export.
mrt audit export --before 2000-01-01 --out "$tmp/empty.jsonl" >/dev/null
[ "$(wc -l <"$tmp/empty.jsonl")" = 2 ] || fail "empty export"
mrt audit verify --export "$tmp/empty.jsonl" >/dev/null || fail "empty export does not verify"
# The whole chain still verifies after all the exports.
mrt audit verify >/dev/null || fail "chain"

for bad in "" "--fhir" "--before 2024-01-01" "--fhir --from 2024-02-01 --to 2024-01-01 --out x" "--fhir --before 2024-01-01 --out x" "--before 2024-13-01 --out x"\
           "--before 2024-01-01 --patient $a --out x" "--bogus"; do
  # shellcheck disable=SC2086
  set +e; mrt audit export $bad >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || fail "audit export $bad exited $rc, not 2"
done
echo "audit_export: ok"
