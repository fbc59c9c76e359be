#!/usr/bin/env bash
# Each source on its own, into fresh databases: the ICD-10-PCS tables XML
# alone (no order file) gives 79,115 and 78,948 valid codes; the order
# files alone give the same; the ICD-10-CM order file straight from the CMS
# zip gives 74,719; a release file named directly that loads nothing else.
set -euo pipefail
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
[ -f "$DATA/icd10pcs/fy2026/icd10pcs_tables_2026.xml" ] || { echo "no data in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
fresh() { DB=$T/$1.db; "$MRT" --db "$DB" init >/dev/null 2>&1 || { rm -f "$DB"; : > "$DB"; }; }
billable() { "$MRT" --db "$DB" codes releases --json |
  jq -r --arg s "$1" --arg v "$2" '.[] | select(.system == $s and .version == $v) | .billable'; }

for y in 2025 2026; do
  fresh tables$y
  "$MRT" --db "$DB" codes load "$DATA/icd10pcs/fy$y/icd10pcs_tables_$y.xml" --json > "$T/l.json"
  jq -e '.releases[0].files[0].kind == "tables"' "$T/l.json" >/dev/null || fail "tables not the source"
  fresh order$y
  "$MRT" --db "$DB" codes load "$DATA/icd10pcs/fy$y/icd10pcs_order_$y.txt" >/dev/null
done
want() { [ "$y" = 2025 ] && echo 78948 || echo 79115; }
for y in 2025 2026; do
  DB=$T/tables$y.db; [ "$(billable icd10pcs $y)" = "$(want)" ] || fail "PCS $y from tables: $(billable icd10pcs $y)"
  DB=$T/order$y.db;  [ "$(billable icd10pcs $y)" = "$(want)" ] || fail "PCS $y from order: $(billable icd10pcs $y)"
done
# The same valid-code set both ways.
sqlite3 "$T/tables2026.db" "SELECT code FROM code WHERE billable = 1 ORDER BY code" > "$T/a"
sqlite3 "$T/order2026.db" "SELECT code FROM code WHERE billable = 1 ORDER BY code" > "$T/b"
cmp -s "$T/a" "$T/b" || fail "tables and order file give different PCS code sets"

fresh zip
"$MRT" --db "$DB" codes load "$DATA/icd10cm/fy2026/2026-code-descriptions-tabular-order.zip" --json > "$T/z.json"
[ "$(billable icd10cm 2026)" = 74719 ] || fail "CM 2026 from the zip: $(billable icd10cm 2026)"
jq -e '.releases[0].files | map(.name) | index("2026-code-descriptions-tabular-order.zip#icd10cm_order_2026.txt") != null' \
  "$T/z.json" >/dev/null || fail "zip member not recorded"
# The plain file has the same bytes as the member: loading it is "unchanged".
"$MRT" --db "$DB" codes load "$DATA/icd10cm/fy2026/icd10cm_order_2026.txt" --json |
  jq -e '.releases[0].action == "unchanged"' >/dev/null || fail "plain copy of the zip member not unchanged"
echo "ok: tables alone, order alone, zip member"
