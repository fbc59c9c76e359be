#!/usr/bin/env bash
# Global options: --db / $MRT_DB choose the database, --purpose / $MRT_PURPOSE
# is recorded in the audit trail and validated, unknown commands and a
# missing database fail clearly.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$T"
"$MRT" --db a.db init >/dev/null || fail "init a.db"
[ -f a.db ] || fail "--db ignored"
MRT_DB=b.db "$MRT" init >/dev/null || fail "init b.db"
[ -f b.db ] || fail "MRT_DB ignored"
"$MRT" --db a.db --purpose research codes releases --json >/dev/null || fail "releases"
MRT_PURPOSE=treatment "$MRT" --db a.db codes releases --json >/dev/null || fail "releases env"
"$MRT" --db a.db audit log --json > log.json || fail "audit log"
jq -e '[.[] | select(.action == "codes.releases") | .purpose] | sort == ["research","treatment"]' log.json >/dev/null \
  || fail "purposes not recorded: $(jq -c '[.[] | {action, purpose}]' log.json)"
"$MRT" --db a.db --purpose bogus codes releases 2> err; rc=$?
[ $rc = 2 ] || fail "bad purpose exit $rc"
grep -q "unknown purpose of use 'bogus'" err || fail "bad purpose message: $(cat err)"
"$MRT" --db missing.db codes releases 2> err; rc=$?
[ $rc = 1 ] || fail "missing db exit $rc"
grep -q "missing.db: no such database" err || fail "missing db message: $(cat err)"
"$MRT" --db a.db frobnicate now 2> err; rc=$?
[ $rc = 2 ] && grep -q "unknown command 'frobnicate now'" err || fail "unknown command ($rc): $(cat err)"
"$MRT" --db a.db audit verify >/dev/null || fail "chain broken"
echo ok
