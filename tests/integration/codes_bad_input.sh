#!/usr/bin/env bash
# Bad release files, made in a temp folder from the real ones: truncated,
# a shifted column, a wrong encoding, a duplicated line, a codes file that
# disagrees, PCS tables that disagree with the order file, a changed file
# without --replace, a zip without the expected member. Each gives a clear
# error naming the file and line, and leaves the database as it was.
set -euo pipefail
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
CM=$DATA/icd10cm/fy2026
[ -f "$CM/icd10cm_order_2026.txt" ] || { echo "no data in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt init >/dev/null 2>&1 || { rm -f "$DB"; : > "$DB"; }
mrt codes load "$CM/icd10cm_order_2026.txt" "$CM/icd10cm_codes_2026.txt" >/dev/null

state() {
  mrt codes releases --json
  sqlite3 "$DB" "SELECT count(*) FROM code; SELECT count(*) FROM code_release_file;
                 SELECT kind, sha256, rows FROM code_release_file ORDER BY id" 
  sqlite3 "$DB" "SELECT release_id, code, billable, order_no, short_title, long_title, parent
                 FROM code ORDER BY id" | sha256sum
}
before=$(state)

# expect_fail WHAT PATTERN ARGS...: the load fails (exit $RC, default 1), stderr matches
# PATTERN, and the database is unchanged.
expect_fail() {
  local what=$1 pat=$2; shift 2
  set +e; mrt codes load "$@" > "$T/out" 2> "$T/err"; local rc=$?; set -e
  [ $rc = "${RC:-1}" ] || fail "$what: exit $rc ($(cat "$T/err"))"
  grep -Eq "$pat" "$T/err" || fail "$what: error '$(cat "$T/err")' does not match '$pat'"
  [ "$(state)" = "$before" ] || fail "$what: the database changed"
  echo "ok: $what: $(cat "$T/err")"
}

mkdir "$T/bad"
B=$T/bad/icd10cm_order_2026.txt
head -c 7000000 "$CM/icd10cm_order_2026.txt" > "$B"
line=$(( $(wc -l < "$B") + 1 ))
expect_fail "truncated" "icd10cm_order_2026.txt:$line: .*(truncated|fewer than)" --replace "$B"

sed '1000s/^/ /' "$CM/icd10cm_order_2026.txt" > "$B"
expect_fail "shifted column" "icd10cm_order_2026.txt:1000: misaligned columns" --replace "$B"

sed '2000s/ 1 / 2 /' "$CM/icd10cm_order_2026.txt" > "$B"
grep -q '^02000 .\{7\} 2 ' "$B" || sed '2000s/ 0 / 2 /' "$CM/icd10cm_order_2026.txt" > "$B"
expect_fail "bad flag" "icd10cm_order_2026.txt:2000: bad billable flag '2'" --replace "$B"

iconv -f ASCII -t UTF-16 "$CM/icd10cm_order_2026.txt" > "$B"
expect_fail "UTF-16" "icd10cm_order_2026.txt:1: .*wrong encoding" --replace "$B"

sed '3000s/^\(.\{69\}\)./\1\x81/' "$CM/icd10cm_order_2026.txt" > "$B"
expect_fail "byte not in Windows-1252" "icd10cm_order_2026.txt:3000: byte 0x81 .*wrong encoding" --replace "$B"

sed '500p' "$CM/icd10cm_order_2026.txt" > "$B"
code=$(sed -n '500p' "$CM/icd10cm_order_2026.txt" | cut -c7-13 | tr -d ' ')
expect_fail "duplicate line" "icd10cm_order_2026.txt:501: duplicate code $code \\(first on line 500\\)" --replace "$B"

sed '4000s/\r$//' "$CM/icd10cm_order_2026.txt" > "$B"
expect_fail "mixed line endings" "icd10cm_order_2026.txt:4000: .*mixed line endings" --replace "$B"

cp "$CM/icd10cm_order_2026.txt" "$B"
printf '99999 Z999    1 %-60s %s\r\n' "Extra" "Extra" >> "$B"
expect_fail "changed file without --replace" "differs from the file loaded before.*--replace" "$B"

C=$T/bad/icd10cm_codes_2026.txt
sed '100d' "$CM/icd10cm_codes_2026.txt" > "$C"
expect_fail "codes file missing a code" "icd10cm_codes_2026.txt: lists 74718 codes but the release has 74719" --replace \
  "$CM/icd10cm_order_2026.txt" "$C"

PCS=$DATA/icd10pcs/fy2026
mkdir "$T/pcs"
# Drop the first pcsRow of the tables: the order file has codes no row gives.
awk 'BEGIN{skip=0; done=0} /<pcsRow/ && !done {skip=1} { if (!skip) print } /<\/pcsRow>/ && skip {skip=0; done=1}' \
  "$PCS/icd10pcs_tables_2026.xml" > "$T/pcs/icd10pcs_tables_2026.xml"
expect_fail "PCS tables disagree" "icd10pcs_tables_2026.xml: the order file has code .* which no pcsTable/pcsRow gives" \
  "$PCS/icd10pcs_order_2026.txt" "$T/pcs/icd10pcs_tables_2026.xml"

(cd "$T" && printf 'not a release\n' > README.txt && zip -q empty.zip README.txt)
expect_fail "zip without a release file" "empty.zip: the archive holds no ICD-10-CM/PCS release file" "$T/empty.zip"
expect_fail "zip without the member" "empty.zip: archive has no member 'icd10cm_order_2026.txt'" \
  "$T/empty.zip#icd10cm_order_2026.txt"
head -c 300000 "$CM/2026-code-descriptions-tabular-order.zip" > "$T/2026-code-descriptions-tabular-order.zip"
expect_fail "truncated zip" "2026-code-descriptions-tabular-order.zip: cannot open zip archive" \
  "$T/2026-code-descriptions-tabular-order.zip"
printf 'x\n' > "$T/notes.txt"
RC=2 expect_fail "unknown file (usage)" "notes.txt: not a release file this loader knows" "$T/notes.txt"
echo "ok: every bad input refused, database unchanged"

# --replace with a good, changed file replaces the release (and only then).
cp "$CM/icd10cm_order_2026.txt" "$B"
printf '99999 Z999    1 %-60s %s\r\n' "Extra" "Extra" >> "$B"
mrt codes load --replace "$B" --json | jq -e '.releases[0].action == "replaced" and .releases[0].billable == 74720' \
  >/dev/null || fail "replace with a changed order file"
mrt codes show Z999 --date 2026-01-01 --json | jq -e '.long_title == "Extra"' >/dev/null || fail "Z999 after replace"
mrt codes load --replace "$CM/icd10cm_order_2026.txt" "$CM/icd10cm_codes_2026.txt" >/dev/null
[ "$(state)" = "$before" ] || fail "replacing back did not restore the release"
set +e; mrt codes show Z999 --date 2026-01-01 >/dev/null 2>&1; rc=$?; set -e
[ $rc = 1 ] || fail "Z999 still there after replacing back"
echo "ok: --replace"
