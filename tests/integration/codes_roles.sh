#!/usr/bin/env bash
# Who may do what with the code sets: loading needs the admin role (a coder
# is refused, the refusal is audited and nothing is loaded); reading -
# releases, show, diff - is open to any signed-in user and is audited.
set -euo pipefail
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
CM=$DATA/icd10cm/fy2026
[ -f "$CM/icd10cm_order_2026.txt" ] || { echo "no data in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt init >/dev/null
mrt user add coder1 --role coder --os-account "nobody-$$" >/dev/null

set +e; mrt --user coder1 codes load "$CM/icd10cm_order_2026.txt" > "$T/out" 2>&1; rc=$?; set -e
[ $rc = 1 ] || fail "coder load: exit $rc"
grep -q "role admin required" "$T/out" || fail "coder load message: $(cat "$T/out")"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM code_release')" = 0 ] || fail "a refused load left a release"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM code')" = 0 ] || fail "a refused load left codes"
mrt audit log --json | jq -e 'map(select(.action == "codes.load" and .outcome == "deny")) | length == 1' \
  >/dev/null || fail "no deny event for the refused load"

mrt codes load "$CM/icd10cm_order_2026.txt" >/dev/null
mrt --user coder1 codes releases --json | jq -e '.[0].billable == 74719' >/dev/null || fail "coder releases"
mrt --user coder1 codes show E11A --date 2026-01-01 --json | jq -e '.code == "E11A"' >/dev/null || fail "coder show"
mrt audit log --json | jq -e 'map(select(.action == "codes.show" and .on_behalf_of == "coder1")) | length == 1' \
  >/dev/null || fail "show not audited for coder1"
mrt audit verify >/dev/null || fail "audit chain"
echo "ok: roles"
