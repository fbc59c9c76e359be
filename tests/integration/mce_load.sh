#!/usr/bin/env bash
# MCE definitions and POA-exempt lists loaded by `mrt codes load` from the
# real CMS files: the v43.1 list counts (PROVENANCE.md section 3), v43.0
# rebuilt so that it differs from v43.1 exactly by chapter 2, the discharge
# statuses with their dates, the POA-exempt counts equal to the files' rows,
# an idempotent reload, --replace, and corrupted copies refused naming
# file:line with nothing written.
. "$(dirname "$0")/lib/common.sh"
needs sqlite3 jq
DEFS="$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt"
POA=$data/cms-poa-exempt
[ -f "$DEFS" ] && [ -f "$POA/fy2026/POAexemptCodesFY26.txt" ] || { echo "no MCE data"; exit 77; }

mrt init >/dev/null
mrt codes load "$data/cms-mce" "$POA" --json > "$tmp/load.json"
[ "$(jq -r '[.releases[] | .system + " " + .version + " " + .action] | join(",")' "$tmp/load.json")" = \
  "mce 43.1 loaded,mce 43.0 loaded,poa FY2020 loaded,poa FY2025 loaded,poa FY2026 loaded" ] ||
  fail "load report: $(cat "$tmp/load.json")"

rel() { q "SELECT id FROM mce_release WHERE version = '$1'"; }
r431=$(rel 43.1); r430=$(rel 43.0)
[ "$(q "SELECT effective_from || ' ' || effective_to || ' ' || coalesce(derived_from, '-')
        FROM mce_release WHERE id = $r431")" = "2026-04-01 2026-09-30 -" ] || fail "v43.1 dates"
[ "$(q "SELECT effective_from || ' ' || effective_to || ' ' || derived_from
        FROM mce_release WHERE id = $r430")" = "2025-10-01 2026-03-31 43.1" ] || fail "v43.0 dates"
q "SELECT note FROM mce_release WHERE id = $r430" | grep -q "chapter 2" || fail "v43.0 note"

# Counts per list (PROVENANCE.md section 3; list 9 holds the 2,651 plain lines
# and the asterisked Z5189, which is also the one REQUIRES_SDX code).
want="4A 42
4B 125
4C 2543
4D 856
6 422
8A 30
8B-cesarean 3
8B-vaginal 5
8B-outcome 19
9 2652
9-requires-sdx 1
11A 95
11B-pancreas 2
11B-kidney 6
11B-dx 85
11D-proc 4
11D-dx 11
11F 2
11G-proc 87
11G-dx 1
17A 49
18 3
19 1
20 3465"
got=$(while read -r l n; do
  echo "$l $(q "SELECT count(*) FROM mce_list_code WHERE release_id = $r431 AND list = '$l'")"
done <<< "$want")
[ "$got" = "$want" ] || fail "v43.1 counts: $(diff <(echo "$want") <(echo "$got"))"
[ "$(q "SELECT count(*) FROM mce_list_code WHERE release_id = $r431 AND list LIKE '5%'")" = 0 ] ||
  fail "sex-conflict lists in v43.1 (deactivated)"
[ "$(q "SELECT code FROM mce_list_code WHERE release_id = $r431 AND list IN ('9-requires-sdx','11G-dx','19')
        ORDER BY list")" = "$(printf 'Z302\n5A1955Z\nZ5189')" ] || fail "prose and asterisk codes"
# Every code line of chapter 1's lists is stored (as read by awk, apart from mrt).
iconv -f cp1252 -t utf-8 "$DEFS" | tr -d '\r' > "$tmp/defs.txt"
awk '/^Chapter 1: Edit code lists$/ {n++} n == 1 && /^Chapter 2: Code list changes$/ {exit}
  n == 1' "$tmp/defs.txt" | grep -P '^\*?[A-Z0-9]{3,7} *\t' | cut -f1 | tr -d '* ' | sort -u > "$tmp/ch1"
q "SELECT DISTINCT code FROM mce_list_code WHERE release_id = $r431 AND list NOT IN
   ('11B-pancreas','11B-kidney','11G-dx')" | sort > "$tmp/stored"
diff "$tmp/ch1" "$tmp/stored" > /dev/null || fail "chapter 1 codes: $(diff "$tmp/ch1" "$tmp/stored" | head)"

# v43.0 = v43.1 with chapter 2 undone: the symmetric difference is exactly its codes.
awk '/^Chapter 2: Code list changes$/ {on=1} on && /^Index$/ {exit} on' "$tmp/defs.txt" |
  grep -P '^[A-Z0-9]{3,7}\t' | cut -f1 | sort > "$tmp/ch2"
[ "$(wc -l < "$tmp/ch2")" -ge 1 ] || fail "no chapter 2 codes in the text"
q "SELECT code FROM (SELECT list, code FROM mce_list_code WHERE release_id = $r430 EXCEPT
   SELECT list, code FROM mce_list_code WHERE release_id = $r431) UNION ALL
   SELECT code FROM (SELECT list, code FROM mce_list_code WHERE release_id = $r431 EXCEPT
   SELECT list, code FROM mce_list_code WHERE release_id = $r430)" | sort > "$tmp/diff"
diff "$tmp/ch2" "$tmp/diff" >/dev/null || fail "v43.0 vs v43.1: $(diff "$tmp/ch2" "$tmp/diff")"
[ "$(q "SELECT count(*) FROM mce_list_code WHERE release_id = $r430 AND list = '9' AND code = 'F0781'")" = 1 ] ||
  fail "F0781 not back on list 9 in v43.0"

# Discharge statuses: 04 twice (until 2009-09-30, then from 2009-10-01), 71 only 2001-2003.
[ "$(q "SELECT group_concat(coalesce(valid_from,'-') || '/' || coalesce(valid_to,'-'), ' ') FROM
        (SELECT * FROM mce_status WHERE release_id = $r431 AND status = '04' ORDER BY id)")" = \
  "-/2009-09-30 2009-10-01/-" ] || fail "status 04"
[ "$(q "SELECT valid_from || '/' || valid_to FROM mce_status WHERE release_id = $r431 AND status = '71'")" = \
  "2001-10-01/2003-09-30" ] || fail "status 71"
[ "$(q "SELECT count(*) FROM mce_status WHERE release_id = $r431")" = \
  "$(grep -cE '^[0-9]{2} = ' "$tmp/defs.txt")" ] || fail "status count"

# POA-exempt: one release per fiscal year, as many codes as the file has rows.
for f in fy2025/POAexemptCodesFY25.txt:2025 fy2026/POAexemptCodesFY26.txt:2026 POAexemptCodes2020.txt:2020; do
  rows=$(tail -n +2 "$POA/${f%%:*}" | grep -c .)
  got=$(q "SELECT count(*) FROM poa_exempt_code c JOIN poa_exempt_release r ON r.id = c.release_id
           WHERE r.fiscal_year = ${f##*:}")
  [ "$got" = "$rows" ] || fail "POA FY${f##*:}: $got codes, file has $rows"
done
[ "$(q "SELECT count(*) FROM poa_exempt_code c JOIN poa_exempt_release r ON r.id = c.release_id
        WHERE r.fiscal_year = 2026 AND code = 'B900'")" = 1 ] || fail "POA codes are stored undotted"

mrt codes releases | grep -Eq '^mce +43\.0 +2025-10-01 2026-03-31 .*derived from 43\.1' ||
  fail "codes releases: $(mrt codes releases)"

state() {
  sqlite3 "$db" "SELECT version, effective_from, effective_to, sha256, coalesce(derived_from,'') FROM mce_release ORDER BY id;
                 SELECT * FROM mce_list_code ORDER BY 1, 2, 3; SELECT * FROM mce_status ORDER BY id;
                 SELECT fiscal_year, sha256, rows FROM poa_exempt_release ORDER BY 1;
                 SELECT * FROM poa_exempt_code ORDER BY 1, 2" | sha256sum
}
before=$(state)

# Idempotent: the same files again change nothing.
mrt codes load "$data/cms-mce" "$POA" --json > "$tmp/again.json"
[ "$(jq -r '[.releases[].action] | unique | join(",")' "$tmp/again.json")" = unchanged ] ||
  fail "reload: $(cat "$tmp/again.json")"
[ "$(state)" = "$before" ] || fail "reload changed the database"

# expect_fail WHAT PATTERN PATH...: refused, stderr matches, nothing written.
expect_fail() {
  local what=$1 pat=$2; shift 2
  if mrt codes load "$@" > "$tmp/out" 2> "$tmp/err"; then fail "$what: not refused"; fi
  grep -Eq "$pat" "$tmp/err" || fail "$what: '$(cat "$tmp/err")' does not match '$pat'"
  [ "$(state)" = "$before" ] || fail "$what: the database changed"
}
name=$(basename "$DEFS")
mkdir "$tmp/trunc" "$tmp/chg" "$tmp/bad" "$tmp/poa"
head -n 5000 "$DEFS" > "$tmp/trunc/$name"
expect_fail "truncated text" "$name:5000: .*truncated" "$tmp/trunc/$name"
sed '5200s/^\([A-Z0-9]*\)\t/\1#\t/' "$DEFS" > "$tmp/bad/$name"
expect_fail "malformed code line" "$name:5200: " "$tmp/bad/$name"
{ cat "$DEFS"; printf '\r\n'; } > "$tmp/chg/$name"
expect_fail "changed text without --replace" "already loaded .*--replace" "$tmp/chg/$name"
cp "$POA/fy2026/POAexemptCodesFY26.txt" "$tmp/poa/"
printf '99999\tNOT A CODE\tBroken\r\n' >> "$tmp/poa/POAexemptCodesFY26.txt"
expect_fail "bad POA row" "POAexemptCodesFY26.txt:38351: field 2" "$tmp/poa/POAexemptCodesFY26.txt"
cp "$POA/fy2026/POAexemptCodesFY26.txt" "$POA/fy2026/POAexemptAddCodesFY26.txt" "$tmp/poa/"
grep -v 'Q87.87' "$POA/fy2026/POAexemptCodesFY26.txt" > "$tmp/poa/POAexemptCodesFY26.txt"
expect_fail "POA add file disagrees" "POAexemptAddCodesFY26.txt:2: Q8787 is not on" "$tmp/poa"

# --replace: the changed text replaces v43.1; its rebuilt v43.0 too.
mrt codes load --replace "$tmp/chg/$name" --json > "$tmp/rep.json"
[ "$(jq -r '[.releases[] | .version + " " + .action] | join(",")' "$tmp/rep.json")" = \
  "43.1 replaced,43.0 replaced" ] || fail "--replace: $(cat "$tmp/rep.json")"
[ "$(q "SELECT count(*) FROM mce_list_code l JOIN mce_release r ON r.id = l.release_id
        WHERE r.version = '43.1'")" = 10509 ] || fail "--replace lost codes"

# The derived FY2025 lists (share/mce): v43.0 plus the FY2025 differences. The
# README of the reference claims names codes whose flags differ by date.
share=$MRT_SOURCE_DIR/share/mce/mce-fy2025-differences.tsv
r430=$(rel 43.0)
[ -f "$share" ] || fail "no $share"
mrt codes load "$share" --json > "$tmp/derived.json"
[ "$(jq -r '.releases[0] | .version + " " + .action + " " + .effective_from + " " + .effective_to +
  " " + .derived_from' "$tmp/derived.json")" = "42.1-derived loaded 2024-10-01 2025-09-30 43.0" ] ||
  fail "derived load: $(cat "$tmp/derived.json")"
on() { q "SELECT count(*) FROM mce_list_code l JOIN mce_release r ON r.id = l.release_id
          WHERE r.version = '$1' AND l.list = '$2' AND l.code = '$3'"; }
for c in 8A:E66813 9:H168 9:Z52001 9:Z52011 9:Z52091; do
  [ "$(on 42.1-derived "${c%%:*}" "${c#*:}")$(on 43.0 "${c%%:*}" "${c#*:}")" = 10 ] ||
    fail "$c should be on its list in FY2025 only"
done
for c in 9:F070 9:H169; do
  [ "$(on 42.1-derived "${c%%:*}" "${c#*:}")$(on 43.0 "${c%%:*}" "${c#*:}")" = 01 ] ||
    fail "$c should be on its list from 2025-10-01 only"
done
rows=$(grep -vc '^#' "$share")
[ "$(q "SELECT (SELECT count(*) FROM (SELECT list, code FROM mce_list_code WHERE release_id = $(rel 42.1-derived)
        EXCEPT SELECT list, code FROM mce_list_code WHERE release_id = $r430)) +
        (SELECT count(*) FROM (SELECT list, code FROM mce_list_code WHERE release_id = $r430
        EXCEPT SELECT list, code FROM mce_list_code WHERE release_id = $(rel 42.1-derived)))")" = "$rows" ] ||
  fail "42.1-derived does not differ from v43.0 by the file's $rows rows"
[ "$(q "SELECT count(*) FROM mce_status WHERE release_id = $(rel 42.1-derived)")" = \
  "$(q "SELECT count(*) FROM mce_status WHERE release_id = $r430")" ] || fail "derived statuses"
mrt codes load "$share" --json | jq -e '.releases[0].action == "unchanged"' >/dev/null || fail "derived reload"

# A real CMS text covering FY2025 wins: the derived release is dropped.
mkdir "$tmp/v42"
sed 's/^v43\.1 April 2026/v42.1 April 2025/' "$DEFS" > "$tmp/v42/Definitions of Medicare Code Edits_v_42_1.txt"
mrt codes load "$tmp/v42" "$share" --json > "$tmp/v42.json"
[ "$(jq -r '[.releases[] | .version + " " + .action] | join(",")' "$tmp/v42.json")" = \
  "42.1 loaded,42.0 loaded,42.1-derived superseded" ] || fail "real text vs derived: $(cat "$tmp/v42.json")"
[ -z "$(rel 42.1-derived)" ] || fail "42.1-derived still stored"
[ "$(q "SELECT effective_from || ' ' || effective_to FROM mce_release WHERE version = '42.0'")" = \
  "2024-10-01 2025-03-31" ] || fail "v42.0 dates"
echo "ok"
