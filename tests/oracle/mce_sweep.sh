#!/usr/bin/env bash
# Sweeps every billable ICD-10-CM and ICD-10-PCS code of FY2025 and FY2026
# through the CMS MCE component (the oracle, a test reference only) on three
# dates - 2025-03-15 (FY2025, MCE v42.x lists), 2025-11-15 (v43.0) and
# 2026-05-15 (v43.1) - derives each code's list memberships per date
# (mce_sweep.py), and checks that mrt's v43.1 and rebuilt v43.0 lists are
# the same over the swept codes. With --write it also regenerates
# share/mce/mce-fy2025-differences.tsv (FY2025 where it differs from v43.0).
#
# Usage: tests/oracle/mce_sweep.sh [--write]
# Needs: $MRT, the shared data ($MRT_DATA or ../shared/data), java and the
# CMS jars ($MCE_ORACLE_LIB), python3, sqlite3. About 2.5M claims: minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-$here/../../../shared/data}
oracle=${MCE_ORACLE:-$data/../tools/mce-oracle/run}
write=0
[ "${1:-}" = --write ] && write=1
tmp=${MCE_SWEEP_TMP:-$(mktemp -d)}
[ -n "${MCE_SWEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
rm -f "$db"
MRT_SITE_DIR=$tmp/site "$MRT" --db "$db" init >/dev/null
"$MRT" --db "$db" codes load "$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt" >/dev/null
lists() { # the stored memberships of one release
  sqlite3 -separator $'\t' "$db" "SELECT l.list, l.code FROM mce_list_code l JOIN mce_release r
    ON r.id = l.release_id WHERE r.version = '$1' ORDER BY 1, 2"
}
lists 43.1 > "$tmp/mrt-43.1.tsv"
lists 43.0 > "$tmp/mrt-43.0.tsv"
gproc=$(sqlite3 "$db" "SELECT min(code) FROM mce_list_code WHERE list = '11G-proc'")
for fy in 2025 2026; do
  python3 -c "import sys; sys.path.insert(0, '$here'); import mce_sweep as m
cm, pcs = m.codes('$data', '$fy'); print('\n'.join(cm + pcs))" > "$tmp/codes-$fy.txt"
done
for p in fy2025 fy2026a fy2026b; do
  if [ ! -s "$tmp/derived-$p.tsv" ]; then
    python3 "$here/mce_sweep.py" gen "$data" "$p" "$gproc" > "$tmp/claims-$p.tsv"
    s0=$(date +%s)
    "$oracle" --codes < "$tmp/claims-$p.tsv" > "$tmp/oracle-$p.tsv"
    echo "$p: $(wc -l < "$tmp/claims-$p.tsv") claims through the oracle in $(( $(date +%s) - s0 )) s" >&2
    python3 "$here/mce_sweep.py" derive < "$tmp/oracle-$p.tsv" > "$tmp/derived-$p.tsv"
  fi
done
rc=0
echo "v43.1 vs the oracle on 2026-05-15:" >&2
python3 "$here/mce_sweep.py" compare "$tmp/derived-fy2026b.tsv" "$tmp/mrt-43.1.tsv" "$tmp/codes-2026.txt" || rc=1
echo "v43.0 (rebuilt) vs the oracle on 2025-11-15:" >&2
python3 "$here/mce_sweep.py" compare "$tmp/derived-fy2026a.tsv" "$tmp/mrt-43.0.tsv" "$tmp/codes-2026.txt" || rc=1
python3 "$here/mce_sweep.py" differences "$tmp/derived-fy2025.tsv" "$tmp/mrt-43.0.tsv" \
  "$tmp/codes-2025.txt" > "$tmp/fy2025.tsv"
echo "FY2025 differences from v43.0: $(grep -vc '^#' "$tmp/fy2025.tsv") rows" >&2
if [ $write = 1 ]; then
  mkdir -p "$here/../../share/mce"
  cp "$tmp/fy2025.tsv" "$here/../../share/mce/mce-fy2025-differences.tsv"
elif [ -f "$here/../../share/mce/mce-fy2025-differences.tsv" ]; then
  diff "$here/../../share/mce/mce-fy2025-differences.tsv" "$tmp/fy2025.tsv" >&2 || rc=1
fi
exit $rc
