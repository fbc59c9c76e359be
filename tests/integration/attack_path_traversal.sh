#!/usr/bin/env bash
# Path traversal in file options and in file names derived from data (issue
# 5, section 5).
# 1. MRNs, accounts and FHIR ids of `../../x`, `/abs/path` and `a/b` come in
#    through HL7 and FHIR; export fhir, export deid, audit export, disclose
#    new and mandated submit into a deep --out write nothing outside it: no
#    file anywhere else in the test tree changes, no absolute path named by
#    the data appears.
# 2. --out that is an existing file is refused and the file left as it was;
#    --out that is a symlink (to a file or a directory elsewhere) never
#    writes through the link silently: refused, or (directories only) the
#    behaviour documented; a symlink planted inside an --out directory under
#    an output file's name is replaced, never followed (its target stays).
#    A sealed audit export never overwrites.
# 3. --db: a missing path is not created by a command other than init; a
#    directory, a text file, a SQLite file that is not mrt's are refused and
#    left unchanged; init on an existing file refuses. --data: a file or a
#    missing folder is an error. Imports: a directory that holds a symlink
#    loop or a link to its parent, /dev/null, a directory given as a file
#    end with a clear answer (exit < 128, within 60 s).
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/fixtures.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# a finding that does not stop the rest of the test; the test fails at the end
found=0
finding() { echo "FAIL: $*" >&2; found=$((found + 1)); }
site=$tmp/site
db=$site/site.db
mkdir -p "$site" "$tmp/a/b/c" "$tmp/in" "$tmp/elsewhere"
cd "$tmp/a/b/c"
mrt() { "$MRT" --db "$db" "$@"; }
# runs mrt with a time limit; sets rc; fails on a signal or a hang
try() {
  set +e
  timeout 60 "$MRT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  set -e
  [ "$rc" != 124 ] || fail "mrt $* hung"
  [ "$rc" -lt 128 ] || fail "mrt $* died with status $rc: $(head -c 2000 "$tmp/err")"
  if grep -qE "Sanitizer|runtime error:" "$tmp/err"; then fail "mrt $*: $(head -c 2000 "$tmp/err")"; fi
}
# The state of every file in the test tree except the site and the given
# --out path: path, type, size, mtime, link target.
state() {
  find "$tmp" \( -path "$site" -o -path "$1" -o -path "$tmp/out" -o -path "$tmp/err" \) -prune -o \
    \( -type d -printf '%p d\n' \) -o -printf '%p %y %s %T@ %l\n' | sort
}
abs=/tmp/atk-abs-$$-$RANDOM

mrt init >/dev/null
# 1. data that looks like paths
fx_hl7 "$tmp/in/a.hl7" "../../../hl7mrn" "Path" "Hl7" "1 Dot St" "../../hl7acc" P1
fx_hl7 "$tmp/in/b.hl7" "$abs/mrn" "Path" "Abs" "2 Dot St" "$abs/acc" P2
fx_fhir_bundle "$tmp/in/c.json" "a/b/c" "Path" "Slash" "3 Dot St" "../acc/../../x" "..."
mrt import hl7 "$tmp/in/a.hl7" "$tmp/in/b.hl7" >/dev/null || fail "import hl7"
mrt import fhir "$tmp/in/c.json" >/dev/null || fail "import fhir"
[ "$(sqlite3 "$db" "SELECT count(*) FROM patient")" = 3 ] || fail "patients with path-like MRNs not imported"

exports() { # OUT: every exporting command, into OUT/<name>
  local o=$1
  try --db "$db" export fhir --out "$o/fhir"
  [ "$rc" = 0 ] || fail "export fhir: $(cat "$tmp/err")"
  if "$MRT" --db "$db" export deid --help 2>&1 | grep -q usage:; then
    try --db "$db" export deid --method safe-harbor --out "$o/deid"
    [ "$rc" = 0 ] || fail "export deid: $(cat "$tmp/err")"
  fi
  if "$MRT" --db "$db" audit export --help 2>&1 | grep -q usage:; then
    for m in "../../../hl7mrn" "$abs/mrn" "a/b/c"; do
      try --db "$db" audit export --fhir --patient "$m" --out "$o/audit-$RANDOM.ndjson"
    done
    try --db "$db" audit export --before 2999-01-01 --out "$o/sealed"
  fi
  if "$MRT" --db "$db" disclose new --help 2>&1 | grep -q usage:; then
    for m in "../../../hl7mrn" "$abs/mrn" "a/b/c"; do
      try --db "$db" disclose new --patient "$m" --recipient "../../recipient" --purpose public_health \
        --legal-basis "45 CFR 164.512(b)" --items encounters --out "$o/packet-$RANDOM"
    done
  fi
  if "$MRT" --db "$db" mandated submit --help 2>&1 | grep -q usage:; then
    for m in "../../../hl7mrn" "$abs/mrn"; do
      try --db "$db" mandated new --patient "$m" --kind wound --jurisdiction "../../j" \
        --legal-basis "../../b" --agency "../../agency" --items encounters --json
      [ "$rc" = 0 ] || fail "mandated new: $(cat "$tmp/err")"
      try --db "$db" mandated submit "$(jq -r .id "$tmp/out")" --out "$o/report-$RANDOM"
    done
  fi
}
out=$tmp/a/b/c/out
mkdir -p "$out"
before=$(state "$out")
exports "$out"
after=$(state "$out")
[ "$before" = "$after" ] || fail "an export wrote outside --out: $(diff <(echo "$before") <(echo "$after") | head -5)"
[ ! -e "$abs" ] || { rm -rf "$abs"; fail "an export wrote $abs, an absolute path from the data"; }
if find "$out" -name '*hl7mrn*' -o -name '*hl7acc*' -o -name '*recipient*' | grep -q .; then
  fail "a file named after the data: $(find "$out" -name '*hl7*')"
fi

# 2. --out that exists
echo "precious" >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link-to-file"
ln -s "$tmp/elsewhere" "$tmp/link-to-dir"
ln -s "$tmp/elsewhere/new" "$tmp/dangling"
v0=$(sha256sum <"$tmp/victim")
victim_kept() {
  [ "$(sha256sum <"$tmp/victim")" = "$v0" ] && return 0
  finding "$1 wrote through to the victim file"
  echo "precious" >"$tmp/victim"
}
elsewhere_empty() {
  [ -z "$(ls -A "$tmp/elsewhere")" ] && return 0
  grep -qiE "symlink|symbolic link" "$MRT_SOURCE_DIR/docs/$2" 2>/dev/null && { rm -rf "${tmp:?}/elsewhere/"*; return 0; }
  finding "$1 --out a symlink to a directory wrote into its target silently ($(ls "$tmp/elsewhere" | head -3)), and docs/$2 does not say so"
  rm -rf "${tmp:?}/elsewhere/"* "$tmp/elsewhere/".[!.]*
}
for dir_cmd in "export fhir" "export deid --method safe-harbor"; do
  # shellcheck disable=SC2086
  set -- $dir_cmd
  "$MRT" --db "$db" "$1" "$2" --help 2>&1 | grep -q usage: || continue
  doc=fhir.md; [ "$2" = deid ] && doc=deid.md
  try --db "$db" "$@" --out "$tmp/victim"
  [ "$rc" != 0 ] || fail "$dir_cmd --out an existing file succeeded"
  victim_kept "$dir_cmd --out FILE"
  try --db "$db" "$@" --out "$tmp/link-to-file"
  victim_kept "$dir_cmd --out a symlink to a file"
  try --db "$db" "$@" --out "$tmp/link-to-dir"
  elsewhere_empty "$dir_cmd" "$doc"
  try --db "$db" "$@" --out "$tmp/dangling"
  [ ! -e "$tmp/elsewhere/new" ] || elsewhere_empty "$dir_cmd (dangling link)" "$doc"
  # a symlink planted in the --out directory under every output file's name
  rm -rf "$tmp/planted"
  mkdir "$tmp/planted"
  try --db "$db" "$@" --out "$tmp/planted"
  [ "$rc" = 0 ] || fail "$dir_cmd into an empty directory: $(cat "$tmp/err")"
  for f in "$tmp/planted"/*; do
    ln -sf "$tmp/victim" "$f"
  done
  try --db "$db" "$@" --out "$tmp/planted"
  victim_kept "$dir_cmd over planted symlinks"
done
if "$MRT" --db "$db" audit export --help 2>&1 | grep -q usage:; then
  for w in "--before 2999-01-01" "--fhir"; do
    # shellcheck disable=SC2086
    try --db "$db" audit export $w --out "$tmp/victim"
    [ "$rc" != 0 ] || fail "audit export $w over an existing file succeeded"
    victim_kept "audit export $w --out FILE"
    # shellcheck disable=SC2086
    try --db "$db" audit export $w --out "$tmp/link-to-file"
    [ "$rc" != 0 ] || fail "audit export $w over a symlink succeeded"
    victim_kept "audit export $w --out a symlink"
  done
fi
if "$MRT" --db "$db" mandated submit --help 2>&1 | grep -q usage:; then
  for target in "$tmp/victim" "$tmp/link-to-file"; do
    try --db "$db" mandated new --patient "a/b/c" --kind wound --jurisdiction "J" --legal-basis "B" \
      --agency "Agency" --items encounters --json
    try --db "$db" mandated submit "$(jq -r .id "$tmp/out")" --out "$target"
    [ "$rc" != 0 ] || finding "mandated submit --out $target (exists) succeeded"
    victim_kept "mandated submit --out $target"
  done
fi
if "$MRT" --db "$db" disclose new --help 2>&1 | grep -q usage:; then
  for target in "$tmp/victim" "$tmp/link-to-file"; do
    try --db "$db" disclose new --patient "a/b/c" --recipient "Registry" --purpose public_health \
      --legal-basis "45 CFR 164.512(b)" --items encounters --out "$target"
    victim_kept "disclose new --out $target"
  done
fi

# 3. --db, --data and import paths
try --db "$tmp/missing/none.db" patient show X
[ "$rc" != 0 ] || finding "a command on a missing database succeeded"
try --db "$tmp/none.db" patient show X
[ ! -e "$tmp/none.db" ] || finding "a command other than init created the database file"
try --db "$tmp/a" patient show X
[ "$rc" != 0 ] || finding "--db a directory"
printf 'not a database\n' >"$tmp/text.db"
sqlite3 "$tmp/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
t0=$(sha256sum <"$tmp/text.db") o0=$(sha256sum <"$tmp/other.db")
for f in "$tmp/text.db" "$tmp/other.db"; do
  try --db "$f" patient show X
  [ "$rc" != 0 ] || finding "--db $f (not mrt's) accepted"
  try --db "$f" init
  [ "$rc" != 0 ] || finding "init over $f accepted"
done
[ "$(sha256sum <"$tmp/text.db")" = "$t0" ] || finding "a text file given as --db was changed"
[ "$(sha256sum <"$tmp/other.db")" = "$o0" ] || finding "a foreign SQLite file given as --db was changed"
try --db "$db" --data "$tmp/victim" codes load --all
[ "$rc" != 0 ] || finding "--data a file"
try --db "$db" --data "$tmp/../../../nonexistent-data" codes load --all
[ "$rc" != 0 ] || finding "--data a missing folder"

mkdir -p "$tmp/loop/hosp"
ln -s "$tmp/loop" "$tmp/loop/hosp/up"
ln -s self "$tmp/loop/self"
ln -s self2 "$tmp/loop/self1"
ln -s self1 "$tmp/loop/self2"
for imp in "import fhir" "import mimic" "import synthea"; do
  # shellcheck disable=SC2086
  try --db "$db" $imp "$tmp/loop"
done
try --db "$db" import fhir "$tmp/loop/self1"
[ "$rc" != 0 ] || finding "import fhir of a symlink loop succeeded"
for f in /dev/null "$tmp/a" "$tmp/loop/self"; do
  try --db "$db" import hl7 "$f"
  try --db "$db" import fhir "$f"
done
try --db "$db" import hl7 "$tmp/a"
[ "$rc" != 0 ] || finding "import hl7 of a directory succeeded"
sqlite3 "$db" "PRAGMA integrity_check" | grep -qx ok || fail "integrity"
mrt audit verify >/dev/null || fail "audit chain"
[ "$found" = 0 ] || fail "$found finding(s) above"
echo "attack_path_traversal: ok"
