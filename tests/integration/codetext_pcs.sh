#!/usr/bin/env bash
# ICD-10-PCS index and definitions on the real data: the FY2025 index
# (3,215 main terms, 21,269 terms), "Bypass" with its body-part subterms and
# table codes, a see-reference with its codes, FY2026 borrowing the FY2025
# index and saying so, the root-operation definitions, and PCS search.
set -euo pipefail
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
P=$DATA/icd10pcs
[ -f "$P/fy2025/icd10pcs_index_2025.xml" ] || { echo "no data in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" --data "$DATA" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt init >/dev/null
mrt codes load "$P/fy2025" "$P/fy2026" --json > "$T/load.json" || fail "codes load"
jq -e '[.. | objects | select(.kind? == "pcs_index") | .rows] == [24484]' "$T/load.json" >/dev/null ||
  fail "pcs_index rows: $(jq -c '[.. | objects | select(.kind? == "pcs_index")]' "$T/load.json")"
jq -e '[.. | objects | select(.kind? == "definitions") | .rows] | sort == [930, 954]' "$T/load.json" >/dev/null ||
  fail "definitions rows"

mrt codes index Bypass --system icd10pcs --date 2025-06-01 --json > "$T/b.json" || fail "index Bypass"
jq -e '.table == "pcs" and .version == "2025" and .index_release == "2025" and .borrowed == false
  and .entry.title == "Bypass"
  and (.entry.subterms | map(select(.level == 1 and .title == "Aorta")) | length) == 1
  and (.entry.subterms | map(select(.title == "Abdominal" and .code == "0410")) | length) >= 1
  and (.entry.definitions | map(select(.axis == "Operation" and (.definition | test("route of passage")))) | length) >= 1' \
  "$T/b.json" >/dev/null || fail "Bypass entry"
# A subterm path and a see-reference that carries table codes.
mrt codes index "Bypass, Aorta, Abdominal" --system icd10pcs --date 2025-06-01 --json |
  jq -e '.entry.code == "0410" and .entry.code_kind == "codes"' >/dev/null || fail "Bypass path"
mrt codes index Abdominohysterectomy --system icd10pcs --date 2025-06-01 --json |
  jq -e '.entry.see == "Resection, Uterus" and .entry.code == "0UT9"
         and .entry.followed[0].found == true and .entry.followed[0].entry.code == "0UT9"' >/dev/null ||
  fail "see Resection, Uterus"
# FY2026 has no index XML: the FY2025 one, said so.
mrt codes index Bypass --system icd10pcs --date 2026-01-01 --json |
  jq -e '.version == "2026" and .index_release == "2025" and .borrowed == true
         and (.source | test("2025"))' >/dev/null || fail "FY2026 fallback"
# Search in PCS titles.
mrt codes search "bypass coronary artery" --system icd10pcs --date 2026-01-01 --json > "$T/s.json"
jq -e 'length == 20 and all(.system == "icd10pcs") and (.[0:10] | all(.code | startswith("021")))' "$T/s.json" >/dev/null ||
  fail "PCS search: $(jq -c 'map(.code)' "$T/s.json")"
set +e
mrt codes index Zzzyx --system icd10pcs --date 2026-01-01 > /dev/null 2>&1; rc=$?
set -e
[ $rc = 1 ] || fail "unknown PCS term exit $rc"
echo ok
