#!/usr/bin/env bash
# Compares mrt's code editor with the CMS Medicare Code Editor (the MCE
# oracle, a test reference only) on random claims drawn from the real code
# sets and MCE lists (mce_gen.py): both edit the same claims, and every
# claim must agree on status, edit names and counts and on the codes that
# carry each edit (mce_agree.py prints the figures and the disagreements).
#
# Usage: tests/oracle/mce_compare.sh [N [SEED [--mutate CLAIMS.jsonl]]]
#   (default 20000 claims, seed 1; --mutate: claims made by changing the
#   given ones, e.g. the MCE reference claims, instead of drawn anew)
# Needs: $MRT (the mrt binary), the shared data ($MRT_DATA or ../shared/data),
# java and the CMS jars in $MCE_ORACLE_LIB, python3, sqlite3. $MCE_DB may name
# a database that already holds the code sets and MCE definitions (reused).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-$here/../../../shared/data}
oracle=${MCE_ORACLE:-$data/../tools/mce-oracle/run}
n=${1:-20000}
seed=${2:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=${MCE_DB:-$tmp/site.db}
if [ ! -s "$db" ]; then
  MRT_SITE_DIR=$tmp/site "$MRT" --db "$db" init >/dev/null
  "$MRT" --db "$db" codes load "$data/icd10cm/fy2025/icd10cm_order_2025.txt" \
    "$data/icd10cm/fy2026/icd10cm_order_2026.txt" "$data/icd10pcs/fy2025/icd10pcs_order_2025.txt" \
    "$data/icd10pcs/fy2026/icd10pcs_order_2026.txt" \
    "$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt" \
    "$here/../../share/mce/mce-fy2025-differences.tsv" >/dev/null
fi
python3 "$here/mce_gen.py" "$data" "$n" "$seed" "${@:3}" >"$tmp/claims.jsonl"
s0=$(date +%s.%N)
"$oracle" --codes --jsonl "$tmp/claims.jsonl" >"$tmp/expected.tsv"
s1=$(date +%s.%N)
"$MRT" --db "$db" edits check --claims "$tmp/claims.jsonl" --json >"$tmp/mrt.jsonl"
s2=$(date +%s.%N)
awk -v n="$n" -v seed="$seed" -v a="$s0" -v b="$s1" -v c="$s2" \
  'BEGIN { printf "%d claims (seed %s): CMS oracle %.2f s, mrt %.2f s (each with its start)\n", n, seed, b - a, c - b }'
cut -f1-3 "$tmp/expected.tsv" >"$tmp/expected3.tsv"
if [ -n "${MCE_KEEP:-}" ]; then cp "$tmp/claims.jsonl" "$tmp/expected.tsv" "$tmp/mrt.jsonl" "$MCE_KEEP"/; fi
python3 "$here/mce_agree.py" "$tmp/mrt.jsonl" "$tmp/expected3.tsv" "$tmp/expected.tsv"
