#!/usr/bin/env bash
# Bad index and tabular XML: a truncated Neoplasm table, a Drug table whose
# <version> is not the year in its name, a tabular file with a malformed
# element and a PCS index with a term outside any main term. Each load fails
# with the file, line and element named, and leaves the database as it was.
set -euo pipefail
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
CM=$DATA/icd10cm/fy2025-cdc-tables
[ -f "$CM/icd-10-cm-neoplasm-2025.xml" ] || { echo "no data in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" --data "$DATA" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt init >/dev/null
mrt codes load "$DATA/icd10cm/fy2025" > /dev/null || fail "load FY2025"
snapshot() { sqlite3 "$DB" "SELECT count(*) FROM index_term; SELECT count(*) FROM code_note;
  SELECT count(*) FROM code_release_file; SELECT count(*) FROM code_fts;" 2>/dev/null || echo none; }
before=$(snapshot)

expect_fail() { # file, pattern...
  local f=$1; shift
  set +e
  mrt codes load "$f" > "$T/out" 2>&1; local rc=$?
  set -e
  [ $rc = 1 ] || fail "$f: exit $rc: $(cat "$T/out")"
  for p in "$@"; do grep -q -- "$p" "$T/out" || fail "$f: no '$p' in: $(cat "$T/out")"; done
  [ "$(snapshot)" = "$before" ] || fail "$f: the database changed"
}

mkdir -p "$T/a" "$T/b" "$T/c" "$T/d"
head -c 200000 "$CM/icd-10-cm-neoplasm-2025.xml" > "$T/a/icd-10-cm-neoplasm-2025.xml"
expect_fail "$T/a/icd-10-cm-neoplasm-2025.xml" "icd-10-cm-neoplasm-2025.xml:" "malformed XML"

sed 's|<version>2025</version>|<version>2024</version>|' "$CM/icd-10-cm-drug-2025.xml" > "$T/b/icd-10-cm-drug-2025.xml"
expect_fail "$T/b/icd-10-cm-drug-2025.xml" "icd-10-cm-drug-2025.xml" "2024" "does not belong to icd10cm 2025"

printf '<?xml version="1.0"?>\r\n<ICD10CM.tabular>\r\n<version>2025</version>\r\n<chapter><name>1</name>\r\n<section id="A00-A09"><diag><name>A00</name><desc>Cholera</desc>\r\n<diag><name>A00.0</name></desc></diag></diag></section></chapter></ICD10CM.tabular>\r\n' \
  > "$T/c/icd10cm_tabular_2025.xml"
expect_fail "$T/c/icd10cm_tabular_2025.xml" "icd10cm_tabular_2025.xml:6:" "malformed XML"

printf '<ICD10PCS.index><version>2025</version><letter><title>A</title>\n<term level="1"><title>x</title></term></letter></ICD10PCS.index>\n' \
  > "$T/d/icd10pcs_index_2025.xml"
mrt codes load "$DATA/icd10pcs/fy2025/icd10pcs_order_2025.txt" > /dev/null || fail "PCS order"
before=$(snapshot)
expect_fail "$T/d/icd10pcs_index_2025.xml" "icd10pcs_index_2025.xml:2:" "<term>"
echo ok
