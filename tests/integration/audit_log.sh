#!/usr/bin/env bash
# `mrt audit log`: lists events newest first with who, on whose behalf,
# action, object, patient, when, purpose and outcome; --limit, --patient and
# --since filter; reading needs role privacy_officer, auditor or admin and
# is itself audited (a refused read too); bad options are usage errors.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
me=$(id -un)
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }

mrt init >/dev/null
mrt user add priv --os-account priv-os --role privacy_officer >/dev/null
mrt user add cody --os-account cody-os --role coder >/dev/null
mrt queue add --kind review --subject encounter:7 --patient 42 --role coder >/dev/null
mrt queue add --kind review --subject encounter:8 --patient 43 --role coder >/dev/null

mrt audit log --json >"$tmp/all.json"
jq -e 'length == 6' "$tmp/all.json" >/dev/null || fail "expected 6 events: $(jq length "$tmp/all.json")"
jq -e '.[0].action == "audit.log" and .[-1].action == "site.init" and .[-1].id == 1' "$tmp/all.json" \
  >/dev/null || fail "not newest first, or the read was not recorded first"
jq -e --arg me "$me" 'all(.[]; .actor == $me and .outcome == "allow" and .purpose == "operations"
  and (.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) and has("on_behalf_of") and has("object_id")
  and has("patient_id"))' "$tmp/all.json" >/dev/null || fail "event fields"
jq -e '[.[] | select(.action == "queue.add")] | map(.patient_id) | sort == [42, 43]' "$tmp/all.json" \
  >/dev/null || fail "patient ids"

mrt audit log --json --limit 2 | jq -e 'length == 2' >/dev/null || fail "--limit"
mrt audit log --json --patient 42 >"$tmp/p.json"
jq -e 'length == 2 and all(.[]; .patient_id == 42)
  and ([.[] | .action] | sort == ["audit.log", "queue.add"])' "$tmp/p.json" >/dev/null ||
  fail "--patient: $(cat "$tmp/p.json")"
today=$(date -u +%Y-%m-%d)
mrt audit log --json --since "$today" | jq -e 'length >= 9' >/dev/null || fail "--since today"
mrt audit log --json --since 2999-01-01 | jq -e 'length == 0' >/dev/null || fail "--since future"
mrt audit log | head -1 | grep -q "who" || fail "table header"
mrt audit log | grep -q "site.init" || fail "table rows"

# The privacy officer may read it; a coder may not, and the refusal is logged.
mrt --user priv audit log --json | jq -e '.[0].action == "audit.log" and .[0].on_behalf_of == "priv"' \
  >/dev/null || fail "privacy officer reading"
if mrt --user cody audit log 2>"$tmp/err"; then fail "a coder read the audit log"; fi
grep -Eq "user cody may not .*audit" "$tmp/err" ||
  fail "coder refusal message: $(cat "$tmp/err")"
mrt audit log --json --limit 3 | jq -e '.[1].action == "audit.read" and .[1].outcome == "deny"
  and .[1].on_behalf_of == "cody"' >/dev/null || fail "refused read not audited"
# An auditor reads the trail (and nothing else: no charts).
mrt user add aud --os-account aud-os --role auditor >/dev/null
mrt --user aud audit log --json --limit 1 | jq -e '.[0].action == "audit.log" and
  .[0].on_behalf_of == "aud" and .[0].role == "auditor"' >/dev/null || fail "auditor reading"
mrt --user aud audit verify >/dev/null || fail "auditor verifying"

for bad in "--limit 0" "--limit x" "--patient -3" "--since 2024-13-01" "--bogus"; do
  # shellcheck disable=SC2086
  set +e; mrt audit log $bad >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || fail "audit log $bad exited $rc, not 2"
done
mrt audit verify >/dev/null || fail "chain"
echo "audit_log: ok"
