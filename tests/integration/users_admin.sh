#!/usr/bin/env bash
# User administration through the CLI: disable (with a reason) and enable,
# never deleting anything; the last active administrator stays; label
# grants by the privacy officer only (roles by the admin only); a
# physician linked to a real Synthea provider (user link, user add
# --provider), refused when none or several match; user list shows roles,
# labels, provider, state and failed count in JSON and as a table; unlock;
# password rules; every change is an audit event in an intact chain.
. "$(dirname "$0")/lib/common.sh"
expect() { # expect STATUS PATTERN ARGS...: mrt ARGS exits STATUS, stderr matches PATTERN
  local want=$1 pat=$2 rc; shift 2
  set +e; mrt "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; set -e
  [ "$rc" = "$want" ] || fail "mrt $* exited $rc, not $want: $(cat "$tmp/err")"
  grep -q -- "$pat" "$tmp/err" || fail "mrt $*: expected '$pat', got: $(cat "$tmp/err")"
}
user_json() { mrt user list --json | jq --arg n "$1" '.[] | select(.name == $n)'; }

mrt init >/dev/null
printf 'dora-secret-1\n' | mrt user add dora --role coder --password-stdin >/dev/null
printf 'pia-secret-12\n' | mrt user add pia --role privacy_officer --password-stdin >/dev/null
printf 'adam-secret-1\n' | mrt user add adam --role admin --password-stdin >/dev/null
pia() { printf 'pia-secret-12\n' | mrt --user pia --password-stdin "$@"; }
adam() { printf 'adam-secret-1\n' | mrt --user adam --password-stdin "$@"; }

# Disable and enable.
expect 2 "usage" user disable dora
expect 2 "reason is empty" user disable dora --reason ""
mrt user disable dora --reason "left the hospital" | grep -q "disabled user dora" || fail "disable"
expect 1 "already disabled" user disable dora --reason again
if printf 'dora-secret-1\n' | mrt --user dora --password-stdin queue list 2>"$tmp/err"; then
  fail "a disabled user signed in"
fi
grep -q "user dora is disabled" "$tmp/err" || fail "disabled message: $(cat "$tmp/err")"
expect 1 "user dora is disabled" --user dora queue list
user_json dora | jq -e --arg me "$me" '.disabled == true and .active == false
  and .disabled_reason == "left the hospital" and .disabled_by == $me and .roles == ["coder"]
  and (.disabled_at | test("^[0-9]{4}-"))' >/dev/null || fail "dora in user list: $(user_json dora)"
mrt user list | grep -E "^dora +- +yes +disabled" >/dev/null || fail "table: $(mrt user list)"
mrt user list | grep -q "disabled .* by $me: left the hospital" || fail "table reason"
[ "$(q "SELECT count(*) FROM app_user WHERE name = 'dora'")" = 1 ] || fail "dora's row"
mrt user enable dora | grep -q "enabled user dora" || fail "enable"
expect 1 "is not disabled" user enable dora
printf 'dora-secret-1\n' | mrt --user dora --password-stdin queue list >/dev/null || fail "dora re-enabled"
[ "$(q "SELECT group_concat(kind) FROM user_event e JOIN app_user u ON u.id = e.user_id
  WHERE u.name = 'dora'")" = "disable,enable" ] || fail "user_event history"
expect 1 "role admin required" --user dora user disable pia --reason x

# The last active administrator: adam and $me are admins.
adam user disable "$me" --reason "handover" >/dev/null || fail "adam disables $me"
expect 1 "is disabled" queue list
expect 1 "is disabled" --user dora queue list
if adam user disable adam --reason "oops" 2>"$tmp/err"; then fail "disabled the last admin"; fi
grep -q "without an active administrator" "$tmp/err" || fail "last admin message: $(cat "$tmp/err")"
adam user enable "$me" >/dev/null || fail "adam enables $me"
mrt queue list >/dev/null || fail "$me after enable"

# Label grants: the privacy officer, not the admin.
if adam user grant dora BH 2>"$tmp/err"; then fail "an admin granted a label"; fi
grep -q "role privacy_officer required" "$tmp/err" || fail "label grant refusal: $(cat "$tmp/err")"
if pia user grant dora coder 2>"$tmp/err"; then fail "a privacy officer granted a role"; fi
grep -q "role admin required" "$tmp/err" || fail "role grant refusal: $(cat "$tmp/err")"
pia user grant dora BH | grep -q "granted label BH to dora" || fail "label grant"
pia user grant dora PART2 | grep -q "granted label PART2 to dora" || fail "PART2 grant"
pia user grant dora BH | grep -q "already holds label BH" || fail "second label grant"
if pia user grant dora XYZ 2>"$tmp/err"; then fail "unknown label granted"; fi
grep -q "unknown role 'XYZ' (roles: .*; sensitivity labels, granted by a privacy officer: BH,ETH,HIV" \
  "$tmp/err" || fail "unknown label message: $(cat "$tmp/err")"
user_json dora | jq -e '.labels == ["BH","42CFRPart2"] and .roles == ["coder"]' >/dev/null ||
  fail "labels in list: $(user_json dora)"
pia user revoke dora BH | grep -q "revoked label BH from dora" || fail "label revoke"
user_json dora | jq -e '.labels == ["42CFRPart2"]' >/dev/null || fail "labels after revoke"
[ "$(q "SELECT count(*) FROM role_grant WHERE role = 'BH' AND revoked_at IS NOT NULL")" = 1 ] ||
  fail "the revoked grant row is kept"

# Physician and provider: real Synthea providers when the data is here.
csv=$data/synthea-mcode-ri/csv
if [ -f "$csv/providers.csv" ]; then
  mrt import synthea "$csv" >/dev/null || fail "import synthea"
  ref=$(sed -n 2p "$csv/providers.csv" | cut -d, -f1)
  pname=$(sed -n 2p "$csv/providers.csv" | cut -d, -f3)
else
  q "INSERT INTO provider(system, ident, name, source, created_at)
     VALUES ('Synthea', 'prov-1', 'Dr One', 'test', 'now')"
  ref=prov-1 pname="Dr One"
fi
q "INSERT INTO provider(system, ident, name, source, created_at) VALUES
   ('A', 'twin', 'Dr A', 'test', 'now'), ('B', 'twin', 'Dr B', 'test', 'now')"
mrt user add phil --os-account phil-os --role physician --provider "$ref" >/dev/null ||
  fail "user add --provider"
user_json phil | jq -e --arg r "$ref" --arg n "$pname" '.provider.ident == $r and
  .provider.name == $n' >/dev/null || fail "phil's provider: $(user_json phil)"
expect 1 "no provider has ident or source reference 'nope'" user link phil --provider nope
expect 2 "matches 2 providers (A|twin, B|twin); give it as SYSTEM|IDENT" user link phil --provider twin
mrt user link phil --provider "B|twin" >/dev/null || fail "link by SYSTEM|IDENT"
user_json phil | jq -e '.provider.system == "B"' >/dev/null || fail "relinked"
expect 1 "role admin required" --user phil user link phil --provider "$ref"
mrt user link phil --none | grep -q "removed the provider link" || fail "unlink"
user_json phil | jq -e '.provider == null' >/dev/null || fail "unlinked"
expect 2 "usage" user link phil
expect 2 "usage" user link phil --none --provider x

# Password rules and unlock.
if printf 'sam-the-user\n' | mrt user add sam-the-user --password-stdin 2>"$tmp/err"; then
  fail "password equal to the name"
fi
grep -q "may not be the user name" "$tmp/err" || fail "name-password message"
if printf 'elevenchars\n' | mrt user add sam --password-stdin 2>"$tmp/err"; then fail "11 chars"; fi
grep -q "at least 12" "$tmp/err" || fail "length message"
for i in 1 2 3 4 5; do
  printf 'not-dora-pass\n' | mrt --user dora --password-stdin queue list 2>/dev/null && fail "wrong password"
done
user_json dora | jq -e '.locked == true and (.locked_until | test("^[0-9]{4}-"))' >/dev/null ||
  fail "dora not locked: $(user_json dora)"
mrt user list | grep -qE "^dora .* locked " || fail "table shows the lock"
mrt user unlock dora | grep -q "unlocked user dora" || fail "unlock"
mrt user unlock dora | grep -q "was not locked" || fail "second unlock"
printf 'dora-secret-1\n' | mrt --user dora --password-stdin queue list >/dev/null || fail "after unlock"

mrt audit log --json >"$tmp/log.json"
for a in user.disable user.enable user.grant user.revoke user.link user.lock user.unlock; do
  jq -e --arg a "$a" 'any(.[]; .action == $a)' "$tmp/log.json" >/dev/null || fail "no $a event"
done
mrt audit verify >/dev/null || fail "chain not intact"
echo "users_admin: ok"
