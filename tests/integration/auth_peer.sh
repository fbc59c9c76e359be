#!/usr/bin/env bash
# mrt init and peer authentication: init makes the invoking OS account (id
# -un, whatever it is) an administrator with every role, with a 32-byte
# mode-0600 audit key and an anchor named after the database id; a second
# init changes nothing; a foreign file is refused; an unknown --user fails
# clearly and is audited; an admin acting as another user (--user or
# $MRT_USER) is audited as such and gets that user's rights only.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
me=$(id -un)
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }

out=$(mrt init) || fail "init exited $?"
grep -q "administrator: $me " <<<"$out" || fail "init did not name $me as administrator: $out"
dbid=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'db_id'")
key=$tmp/.mrt-$dbid.audit-key
anchor=$tmp/.mrt-$dbid.audit-anchor
[ -f "$key" ] || fail "no key file $key"
[ "$(stat -c %a "$key")" = 600 ] || fail "key mode is $(stat -c %a "$key"), not 600"
[ "$(stat -c %s "$key")" = 32 ] || fail "key is not 32 bytes"
[ -f "$anchor" ] || fail "no anchor file"
[ "$(wc -l <"$anchor")" = 1 ] || fail "anchor should hold the init event"

mrt user list --json | jq -e --arg me "$me" \
  '[.[] | select(.name == $me and .os_account == $me)][0].roles ==
   ["admin","him_technician","coder","registrar","privacy_officer","physician","auditor","researcher"]' >/dev/null ||
  fail "$me is not an administrator with every role"

events=$(sqlite3 "$db" "SELECT count(*) FROM audit_event")
users=$(sqlite3 "$db" "SELECT count(*) FROM app_user")
out=$(mrt init) || fail "second init exited $?"
grep -q "already an initialised mrt database" <<<"$out" || fail "second init said: $out"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_event")" = "$events" ] || fail "second init wrote events"
[ "$(sqlite3 "$db" "SELECT count(*) FROM app_user")" = "$users" ] || fail "second init added users"

echo "not a database" >"$tmp/notes.db"
if "$MRT" --db "$tmp/notes.db" init 2>"$tmp/err"; then fail "init took over a foreign file"; fi
grep -q "refusing" "$tmp/err" || fail "foreign file message: $(cat "$tmp/err")"
[ "$(cat "$tmp/notes.db")" = "not a database" ] || fail "foreign file was changed"

# Unknown user: a clear message, exit 1, and a deny event.
if mrt --user ghost user list 2>"$tmp/err"; then fail "unknown user accepted"; fi
grep -q "no mrt user named ghost" "$tmp/err" || fail "unknown user message: $(cat "$tmp/err")"
if MRT_USER=ghost "$MRT" --db "$db" user list 2>/dev/null; then fail "unknown \$MRT_USER accepted"; fi
mrt audit log --json | jq -e '[.[] | select(.action == "auth.user" and .outcome == "deny"
   and .on_behalf_of == "ghost")] | length == 2' >/dev/null || fail "unknown-user attempts not audited"

# An admin acting as a coder gets the coder's rights, audited as such.
mrt user add cody --role coder --full-name "Cody Coder" --os-account cody-os >/dev/null
if mrt --user cody user add zed --os-account zed-os 2>"$tmp/err"; then
  fail "a coder (admin acting as) could add a user"
fi
grep -q "user cody may not user.add: role admin required" "$tmp/err" || fail "deny message: $(cat "$tmp/err")"
if MRT_USER=cody "$MRT" --db "$db" audit log >/dev/null 2>&1; then fail "a coder could read the audit log"; fi
mrt audit log --json >"$tmp/log.json"
jq -e --arg me "$me" '[.[] | select(.action == "auth.act-as" and .actor == $me and
   .on_behalf_of == "cody" and .outcome == "allow")] | length == 2' "$tmp/log.json" >/dev/null ||
  fail "act-as not audited as admin acting as cody"
jq -e --arg me "$me" '[.[] | select(.action == "user.add" and .outcome == "deny" and .actor == $me
   and .on_behalf_of == "cody")] | length == 1' "$tmp/log.json" >/dev/null || fail "user.add deny not audited"
jq -e '[.[] | select((.action == "audit.log" or .action == "audit.read") and .outcome == "deny" and .on_behalf_of == "cody")]
   | length == 1' "$tmp/log.json" >/dev/null || fail "audit.log deny not audited"
# ... and the admin's own rights are untouched.
mrt user add zed --os-account zed-os --role him_technician >/dev/null || fail "admin could not add a user"
# Role names are checked.
if mrt user grant zed surgeon 2>"$tmp/err"; then fail "unknown role granted"; fi
grep -q "unknown role 'surgeon'" "$tmp/err" || fail "unknown role message"
mrt user grant zed coder | grep -q "granted role coder to zed" || fail "grant"
mrt user grant zed coder | grep -q "already holds" || fail "second grant"
mrt user revoke zed him_technician >/dev/null || fail "revoke"
mrt user list --json | jq -e '[.[] | select(.name == "zed")][0].roles == ["coder"]' >/dev/null ||
  fail "zed's roles after grant/revoke"
if mrt user revoke zed him_technician 2>/dev/null; then fail "revoking a role not held succeeded"; fi
if mrt user revoke "$me" admin 2>"$tmp/err"; then fail "revoked the last administrator"; fi
grep -q "without an administrator" "$tmp/err" || fail "last admin message"
# Bad input to the user commands: each refused with a message naming it.
expect() { # expect STATUS PATTERN ARGS...: mrt ARGS exits STATUS, stderr matches PATTERN
  local want=$1 pat=$2 rc; shift 2
  set +e; mrt "$@" >/dev/null 2>"$tmp/err" </dev/null; rc=$?; set -e
  [ "$rc" = "$want" ] || fail "mrt $* exited $rc, not $want"
  grep -q -- "$pat" "$tmp/err" || fail "mrt $*: expected '$pat', got: $(cat "$tmp/err")"
}
expect 1 "user zed already exists" user add zed --os-account other-os
expect 1 "OS account cody-os is already mapped to user cody" user add cody2 --os-account cody-os
expect 2 "user name 'bad name' is not valid" user add "bad name" --os-account bn
expect 2 "user name 'x;y' is not valid" user add "x;y" --os-account bn
expect 1 "no mrt user named ghost" user grant ghost coder
expect 1 "no mrt user named ghost" user revoke ghost coder
expect 2 "usage" user grant zed
expect 2 "unexpected argument" user grant zed coder extra
expect 2 "usage" user add
expect 2 "usage" user passwd zed
expect 2 "no password on standard input" user passwd zed --password-stdin
expect 1 "role admin required" --user cody user grant cody admin
mrt audit verify >/dev/null || fail "chain not intact after all this"
# $MRT_HOME puts the key and anchor in a site directory of its own.
home=$tmp/home
MRT_HOME=$home "$MRT" --db "$tmp/h.db" init >/dev/null || fail "init with MRT_HOME"
hid=$(sqlite3 "$tmp/h.db" "SELECT value FROM meta WHERE key = 'db_id'")
[ "$(stat -c %a "$home/.mrt-$hid.audit-key")" = 600 ] || fail "key not in \$MRT_HOME"
[ ! -e "$tmp/.mrt-$hid.audit-key" ] || fail "key also beside the database"
if "$MRT" --db "$tmp/h.db" audit verify 2>/dev/null; then fail "found a key without \$MRT_HOME"; fi
MRT_HOME=$home "$MRT" --db "$tmp/h.db" audit verify >/dev/null || fail "verify with MRT_HOME"
echo "auth_peer: ok"
