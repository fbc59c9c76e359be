#!/usr/bin/env bash
# ICD-10-CM notes, alphabetic index, Neoplasm/Drug tables and search on the
# real data: the FY2023 tabular gives 96,821 codes of which 73,715 billable
# and 2,627 codes/sections/chapters with excludes1 notes and 507 sevenChrDef;
# FY2026 codes borrow the FY2023 notes (saying so) only when FY2023 has the
# code; search ranks E11.2x first for "diabetes type 2 kidney"; index
# navigation, see-references, table rows and columns.
set -euo pipefail
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
CM=$DATA/icd10cm
[ -f "$CM/fy2023-tabular-index/icd10cm_tabular_2023.xml" ] || { echo "no data in $DATA"; exit 77; }
[ -f "$CM/fy2025-cdc-tables/icd-10-cm-neoplasm-2025.xml" ] || { echo "no tables in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" --data "$DATA" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt init >/dev/null

mrt codes load "$CM/fy2023-tabular-index" "$CM/fy2025-cdc-tables" "$CM/fy2026" "$CM/fy2025" \
  --json > "$T/load.json" || fail "codes load"
mrt codes releases --json > "$T/rel.json"
rel() { jq -r --arg v "$1" --arg k "$2" '.[] | select(.system == "icd10cm" and .version == $v) | .[$k]' "$T/rel.json"; }
[ "$(rel 2023 billable)" = 73715 ] || fail "FY2023 billable from the tabular: $(rel 2023 billable)"
[ "$(rel 2023 codes)" = 96821 ] || fail "FY2023 codes from the tabular: $(rel 2023 codes)"
if command -v sqlite3 >/dev/null; then
  q() { sqlite3 "$DB" "$1"; }
  [ "$(q "SELECT count(DISTINCT code) FROM code_note n JOIN code_release r ON r.id = n.release_id
          WHERE r.version = '2023' AND kind = 'excludes1'")" = 2627 ] || fail "excludes1 owners"
  [ "$(q "SELECT count(DISTINCT code) FROM code_note WHERE kind = 'sevenChrDef'")" = 507 ] || fail "sevenChrDef"
  [ "$(q "SELECT count(*) FROM index_term WHERE kind = 'neoplasm'")" = 1939 ] || fail "neoplasm rows"
  [ "$(q "SELECT count(*) FROM index_cell c JOIN index_term t ON t.id = c.term_id
          WHERE t.kind = 'neoplasm'")" = 10916 ] || fail "neoplasm cells"
  [ "$(q "SELECT count(*) FROM index_term WHERE kind = 'drug' AND level = 0")" = 5177 ] || fail "drug rows"
  [ "$(q "SELECT count(*) FROM index_term WHERE kind = 'eindex' AND level = 0")" = 314 ] || fail "eindex"
fi

# Notes: E11.9 in FY2026 carries the FY2023 notes of E11, saying so.
mrt codes show E11.9 --date 2026-01-01 --json > "$T/e119.json" || fail "show E11.9"
jq -e '.version == "2026" and .notes.release == "2023" and .notes.borrowed == true
  and (.notes.source | test("2023"))
  and (.notes.excludes1 | map(select(.at == "E11" and .release == "2023")) | length) == 8
  and (.notes.excludes1 | map(.refs[]?) | index("E08")) != null' "$T/e119.json" >/dev/null ||
  fail "E11.9 notes: $(jq -c .notes "$T/e119.json")"
# In FY2023 itself the notes are its own.
mrt codes show E11.9 --date 2023-01-01 --json | jq -e '.notes.borrowed == false' >/dev/null || fail "own notes"
# 7th characters are inherited down the tree (written at S72).
mrt codes show S72.001A --date 2023-01-01 --json | jq -e '.notes.seventh_characters
  | map(select(.at == "S72" and .char == "A")) | length == 1' >/dev/null || fail "S72.001A 7th chars"
# Chapter notes reach the chapter's codes (chapter 1 is A00-B99).
mrt codes show A00.0 --date 2023-01-01 --json | jq -e '.notes.includes
  | map(select(.at_level == "chapter" and .at == "A00-B99")) | length >= 1' >/dev/null || fail "chapter notes"
# A code new in FY2026 (E11.A) borrows no notes of its own, only those
# written at E11 (a category both releases have), e.g. the Excludes1 of E11.
mrt codes show E11A --date 2026-01-01 --json | jq -e '.notes.borrowed and
  (.notes.excludes1 | any(.at == "E11")) and
  ([.notes[] | arrays | .[] | select(.at == "E11.A")] | length == 0)' >/dev/null \
  || fail "E11A notes should come from E11 (and its chapter) only"

# Search.
mrt codes search "diabetes type 2 kidney" --date 2026-01-01 --json > "$T/s1.json" || fail "search"
jq -e '.[0].code | startswith("E112")' "$T/s1.json" >/dev/null || fail "diabetes search: $(jq -c '.[0:3]' "$T/s1.json")"
jq -e '.[0] | .system == "icd10cm" and .version == "2026" and .code_dotted != null
  and .matched != null and .match_kind != null and (.billable | type) == "boolean"' "$T/s1.json" >/dev/null ||
  fail "search fields"
mrt codes search "fracture femur neck" --system icd10cm --json > "$T/s2.json"
jq -e 'length == 20 and (.[0:10] | all(.code | startswith("S720")))' "$T/s2.json" >/dev/null ||
  fail "femur neck: $(jq -c 'map(.code)' "$T/s2.json")"
# Injury codes: the initial encounter comes before subsequent encounters and
# sequelae (whose titles are shorter), unless the coder asks for a sequela.
jq -e '.[0].code | test("^S720..A$")' "$T/s2.json" >/dev/null ||
  fail "initial encounter first: $(jq -c 'map(.code)' "$T/s2.json")"
mrt codes search "sequela fracture femur neck" --system icd10cm --limit 3 --json |
  jq -e 'all(.code | endswith("S"))' >/dev/null || fail "sequela asked for"
# Words in any order, prefixes, case; every word must match.
mrt codes search "NECK fem fract" --system icd10cm --limit 5 --json | jq -e 'length == 5 and all(.code | startswith("S72"))' \
  >/dev/null || fail "prefix/order"
mrt codes search "diabetes zzzqqq" --json | jq -e 'length == 0' >/dev/null || fail "all words must match"
# Accents fold: the 2023 titles say Sézary.
mrt codes search "sezary" --date 2023-01-01 --json | jq -e '.[0].code | startswith("C841")' >/dev/null || fail "sezary"
# Drug table cells are searchable by row and column name.
mrt codes search "aspirin poisoning accidental" --date 2026-01-01 --limit 5 --json |
  jq -e 'all(.code | startswith("T39011")) and (map(select(.match_kind == "table" and .code == "T39011")) | length) == 1' \
  >/dev/null || fail "drug table search"
# Index lines are searchable: "Hypertension, hypertensive" gives I10.
mrt codes search "hypertension" --date 2026-01-01 --json | jq -e '.[0].code == "I10" and .[0].match_kind == "index"' \
  >/dev/null || fail "hypertension search"
set +e
mrt codes search "x" --limit 0 > /dev/null 2>&1; rc=$?
set -e
[ $rc = 2 ] || fail "--limit 0 exit $rc"

# Alphabetic Index (FY2026 has none: FY2023's, said so).
mrt codes index Diabetes --json > "$T/i1.json" || fail "index Diabetes"
jq -e '.index_release == "2023" and .borrowed == true and .entry.title == "Diabetes, diabetic"
  and .entry.code == "E11.9" and (.entry.subterms | length) > 100
  and (.entry.subterms | map(select(.level == 2 and .title == "chronic kidney disease")) | length) > 0' \
  "$T/i1.json" >/dev/null || fail "Diabetes entry"
mrt codes index "Diabetes, type 2, with, chronic kidney disease" --json |
  jq -e '.entry.code == "E11.22" and .entry.level == 3' >/dev/null || fail "Diabetes path"
mrt codes index abdominalgia --json |
  jq -e '.entry.see == "Pain, abdominal" and .entry.followed[0].found == true
         and .entry.followed[0].entry.code == "R10.9"' >/dev/null || fail "see followed"
set +e
mrt codes index "Diabetx" --json > "$T/sug.json" 2>/dev/null; rc=$?
set -e
[ $rc = 1 ] || fail "unknown main term exit $rc"
jq -e '.suggestions | index("Diabetes, diabetic") != null' "$T/sug.json" >/dev/null || fail "suggestions"

# Neoplasm and Drug tables (FY2025 files).
mrt codes index "Neoplasm, breast" --json > "$T/n.json" || fail "neoplasm"
jq -e '.table == "neoplasm" and .index_release == "2025"
  and .entry.columns["Malignant Primary"] == "C50.9-"
  and .entry.columns["Malignant Secondary"] == "C79.81"
  and .entry.columns["Benign"] == "D24.-"' "$T/n.json" >/dev/null || fail "breast row: $(jq -c .entry.columns "$T/n.json")"
# The table by site alone, as a registrar asks for it; an unknown site is an error.
mrt codes index --table neoplasm breast --json | jq -e '.entry.columns["Malignant Primary"] == "C50.9-"' \
  >/dev/null || fail "--table neoplasm breast"
mrt codes index --table neoplasm zzzq > /dev/null 2>&1 && fail "--table neoplasm zzzq found something"
# The whole table: 1,938 rows under the main term, 593 of them at level 1.
mrt codes index Neoplasm --json | jq -e '.table == "neoplasm" and (.entry.subterms | length) == 1938
  and (.entry.subterms | map(select(.level == 1)) | length) == 593
  and .entry.columns["Unspecified Behavior"] == "D49.9"' >/dev/null || fail "Neoplasm table"
# A main term with 880 subterms at level 1 lists them all.
mrt codes index Syndrome --json | jq -e '(.entry.subterms | map(select(.level == 1)) | length) == 880' >/dev/null ||
  fail "Syndrome subterms"
mrt codes index aspirin --table drug --json > "$T/d.json" || fail "drug"
jq -e '.entry.columns["Poisoning Accidental (unintentional)"] == "T39.011"
  and .entry.columns["Adverse effect"] == "T39.015" and .entry.columns["Underdosing"] == "T39.016"' \
  "$T/d.json" >/dev/null || fail "aspirin row: $(jq -c .entry.columns "$T/d.json")"
mrt codes index accident --table eindex --json | jq -e '.entry.code == "X58"' >/dev/null || fail "eindex"
# A term only the External Cause index has is found there without --table.
mrt codes index activity --json | jq -e '.table == "eindex" and .entry.code == "Y93.9"' >/dev/null ||
  fail "eindex fallback"
set +e
mrt codes index x --table nosuch > /dev/null 2>&1; rc=$?
set -e
[ $rc = 2 ] || fail "bad table exit $rc"
echo ok
