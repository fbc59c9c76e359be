#!/usr/bin/env bash
# The code editor against the CMS Medicare Code Editor itself (the MCE
# oracle, a test reference only) on a small sample of random claims drawn
# from the real code sets and MCE lists (tests/oracle/mce_compare.sh, which
# runs 50,000 and more by hand): every claim must agree on status, edit
# names and counts and on the codes carrying each edit. Skipped (77) unless
# java is installed and $MCE_ORACLE_LIB holds the CMS jars.
. "$(dirname "$0")/lib/common.sh"
needs python3 java
if [ -z "${MCE_ORACLE_LIB:-}" ] || ! ls "$MCE_ORACLE_LIB"/MCE-*.jar >/dev/null 2>&1; then
  echo "no CMS MCE jars in \$MCE_ORACLE_LIB: skipped"; exit 77
fi
[ -x "$data/../tools/mce-oracle/run" ] || { echo "no MCE oracle: skipped"; exit 77; }
[ -f "$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt" ] || { echo "no data: skipped"; exit 77; }
MRT_DATA=$data MCE_ORACLE=$data/../tools/mce-oracle/run \
  "$MRT_SOURCE_DIR/tests/oracle/mce_compare.sh" "${MCE_ORACLE_SAMPLE:-3000}" "${MCE_ORACLE_SEED:-1}" ||
  fail "mrt disagrees with the CMS MCE on generated claims"
