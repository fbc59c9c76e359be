# shellcheck shell=bash
# The opening the integration tests share. Sourced first thing by a test
# (`. "$(dirname "$0")/lib/common.sh"`); not a test itself: tests/CMakeLists.txt
# globs only tests/integration/*.sh. It sets:
#   strict mode (set -euo pipefail), and requires $MRT (the binary);
#   data  the shared data directory ($MRT_DATA, else ../shared/data beside
#         the source tree); each test checks for the files it needs and
#         exits 77 (skipped) without them;
#   tmp   a scratch directory removed on exit; db=$tmp/site.db; me (this
#         OS account, the site's first administrator after `mrt init`);
#   fail MESSAGE, mrt ARGS (on $db), q SQL (sqlite3 on $db),
#   refused TEXT CMD... (CMD fails and says TEXT on stderr),
#   needs TOOL... (exit 77 unless every tool is installed),
#   add_users NAME:ROLE... (each with the OS account NAME-os).
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
: "${MRT_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
data=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
me=$(id -un)

fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$@"; }

refused() { # $1 = expected text in stderr; the rest: the command
  local want=$1; shift
  if "$@" >"$tmp/out" 2>"$tmp/err"; then fail "not refused: $*"; fi
  grep -q -- "$want" "$tmp/err" || fail "refusal of '$*' does not say '$want': $(cat "$tmp/err")"
}

needs() { # needs TOOL...: skipped (77) unless each is on PATH
  local t all="$*"
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "needs ${all// / and }: skipped"; exit 77; }
  done
}

needs_files() { # needs_files FILE...: skipped (77) unless each is a file
  local f
  for f in "$@"; do
    [ -f "$f" ] || { echo "no $f: skipped"; exit 77; }
  done
}

add_users() { # add_users NAME:ROLE...
  local u
  for u in "$@"; do
    mrt user add "${u%%:*}" --os-account "${u%%:*}-os" --role "${u#*:}" >/dev/null
  done
}
