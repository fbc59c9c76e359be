#!/usr/bin/env bash
# Overlong inputs (issue 5, section 5): a clear error or a stored value,
# never a crash, a hang or a value silently cut short.
# 1. Every text slot of every command (lib/cli_fuzz.py, mode long) given a
#    128 KiB argument (the most Linux passes in one argv string): no signal,
#    no sanitizer report, tables intact, the chain verifying.
# 2. 1 MiB on --password-stdin (signing in and user add).
# 3. Names of 100,000 characters in an HL7 PID, a FHIR Patient and a Synthea
#    CSV row, and a MIMIC careunit of 100,000: the record is refused (a
#    reject with a reason) or stored whole, byte for byte.
# 4. A FHIR file nested 100,000 arrays deep, an HL7 field of a million
#    components, a 20 MB HL7 message, a 20 MB CSV line, /dev/zero as an
#    HL7 and a FHIR file: a clear error within the time limit, the database
#    unchanged but for rejects and audit.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/fixtures.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
found=0
finding() { echo "FAIL: $*" >&2; found=$((found + 1)); }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
cd "$tmp"
try() { # ARGS... : mrt with a time limit (stdin from $stdin); sets rc
  set +e
  timeout "${limit:-120}" "$MRT" --db "$db" "$@" >"$tmp/out" 2>"$tmp/err" <"${stdin:-/dev/null}"
  rc=$?
  set -e
  [ "$rc" != 124 ] || { finding "mrt ${*:1:3} hung"; return 0; }
  [ "$rc" -lt 128 ] || finding "mrt ${*:1:3} died with status $rc: $(head -c 1000 "$tmp/err")"
  if grep -qE "Sanitizer|runtime error:" "$tmp/err"; then finding "mrt ${*:1:3}: $(head -c 2000 "$tmp/err")"; fi
  if [ "$(wc -c <"$tmp/err")" -gt 100000 ]; then finding "mrt ${*:1:3} wrote $(wc -c <"$tmp/err") bytes of errors"; fi
}
chart_dump() { for t in patient patient_name patient_identifier encounter diagnosis transfer; do q ".dump $t"; done | sha256sum; }

mrt init >/dev/null
mrt user add pw --role coder --password-stdin <<<"a-good-password" >/dev/null
fx_hl7 "$tmp/base.hl7" BASE-1 Base Line "1 Base St" BASE-ACC-1 BASE1
mrt import hl7 "$tmp/base.hl7" >/dev/null

# 2. a megabyte on stdin
head -c 1048576 /dev/zero | tr '\0' 'p' >"$tmp/mb"
stdin=$tmp/mb try --user pw --password-stdin patient show BASE-1
[ "$rc" != 0 ] || finding "a 1 MiB password signed in"
stdin=$tmp/mb try user add big --role coder --password-stdin
if [ "$rc" = 0 ]; then
  stdin=$tmp/mb try --user big --password-stdin queue list
  [ "$rc" = 0 ] || finding "a 1 MiB password was accepted by user add but does not sign in (cut short?)"
fi

# 3. 100,000-character values in each format: refused, or stored whole
long=$(head -c 100000 /dev/zero | tr '\0' 'L')
stored_whole() { # WHAT SQL-COUNT-OF-WHOLE SQL-COUNT-OF-ANY-TRACE
  local whole any
  whole=$(q "$2") any=$(q "$3")
  [ "$whole" = 1 ] && return 0
  [ "$any" = 0 ] && [ "$rc" -lt 128 ] && return 0
  finding "$1: a 100,000-character value was stored cut short (whole: $whole, traces: $any)"
}
fx_hl7 "$tmp/long.hl7" LONG-1 "$long" Given "1 Long St" LONG-ACC-1 LONG1
try import hl7 "$tmp/long.hl7"
stored_whole "HL7 PID-5" "SELECT count(*) FROM patient WHERE mrn = 'LONG-1' AND family = '$long'" \
  "SELECT count(*) FROM patient WHERE mrn = 'LONG-1'"
fx_fhir_bundle "$tmp/long.json" LONG-2 "$long" Given "1 Long St" LONG-ACC-2 lp2
try import fhir "$tmp/long.json"
stored_whole "FHIR Patient.name" "SELECT count(*) FROM patient WHERE mrn = 'LONG-2' AND family = '$long'" \
  "SELECT count(*) FROM patient WHERE mrn = 'LONG-2'"
fx_fhir_bundle "$tmp/longmrn.json" "$long" Fam Given "1 Long St" LONG-ACC-3 lp3
try import fhir "$tmp/longmrn.json"
stored_whole "FHIR identifier" "SELECT count(*) FROM patient WHERE mrn = '$long'" \
  "SELECT count(*) FROM patient WHERE mrn LIKE 'LLLL%'"
fx_synthea "$tmp/syn" 33333333-3333-3333-3333-333333333333 "$long" Given "1 Long St" \
  cccccccc-0000-0000-0000-000000000001
try import synthea "$tmp/syn"
stored_whole "Synthea LAST" \
  "SELECT count(*) FROM patient WHERE mrn = '33333333-3333-3333-3333-333333333333' AND family = '$long'" \
  "SELECT count(*) FROM patient WHERE mrn = '33333333-3333-3333-3333-333333333333'"
fx_mimic "$tmp/mimic" 7777 77771 "$long"
try import mimic "$tmp/mimic"
stored_whole "MIMIC careunit" "SELECT count(*) FROM transfer WHERE unit = '$long'" \
  "SELECT count(*) FROM transfer WHERE unit LIKE 'LLLL%'"
# shown back whole too
if [ "$(q "SELECT count(*) FROM patient WHERE mrn = 'LONG-1' AND family = '$long'")" = 1 ]; then
  try patient show LONG-1 --json
  [ "$rc" = 0 ] && jq -e --arg l "$long" '.family == $l' "$tmp/out" >/dev/null ||
    finding "patient show does not give the 100,000-character name back whole"
  try patient find --name "$long"
fi

# 4. hostile shapes
before=$(chart_dump)
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
open(d + "/nested.json", "w").write('{"resourceType":"Bundle","entry":' + "[" * 100000 + "]" * 100000 + "}")
with open(d + "/nested.ndjson", "w") as f:
    f.write('{"resourceType":"Patient","id":"n","x":' + '{"a":' * 100000 + "1" + "}" * 100000 + "}\n")
msh = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|%s|P|2.5.1\r"
open(d + "/comps.hl7", "w").write(msh % "COMP1" + "PID|1||C1^^^H^MR||" + "^" * 1000000 + "\rPV1|1|I\r")
open(d + "/reps.hl7", "w").write(msh % "REPS1" + "PID|1||" + "R^^^H^MR~" * 200000 + "||A^B\rPV1|1|I\r")
open(d + "/big.hl7", "w").write(msh % "BIG1" + "PID|1||B1^^^H^MR||B^C\rNTE|1||" + "x" * (20 << 20) + "\r")
hdr = ("Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,"
       "ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,"
       "HEALTHCARE_COVERAGE\n")
import os
os.makedirs(d + "/bigcsv", exist_ok=True)
open(d + "/bigcsv/patients.csv", "w").write(hdr + "44444444-4444-4444-4444-444444444444,1960-01-02,,,,,,A,"
    + "B" * (20 << 20) + ",,,M,white,nonhispanic,F,,x,y,z,w,02101,0,0,0,0\n")
os.makedirs(d + "/widecsv", exist_ok=True)
open(d + "/widecsv/patients.csv", "w").write(hdr.strip() + "," * 200000 + "\n")
PY
for f in nested.json nested.ndjson; do
  r0=$(q "SELECT count(*) FROM reject")
  try import fhir "$tmp/$f"
  [ "$rc" != 0 ] || [ "$(q "SELECT count(*) FROM reject")" -gt "$r0" ] || finding "import fhir $f: no error, no reject"
done
for f in comps reps big; do
  try import hl7 "$tmp/$f.hl7"
done
try import synthea "$tmp/bigcsv"
[ "$(q "SELECT count(*) FROM patient WHERE mrn = '44444444-4444-4444-4444-444444444444' AND length(family) <> 20971520")" = 0 ] ||
  finding "Synthea: a 20 MB name stored cut short"
try import synthea "$tmp/widecsv"
limit=60 try import hl7 /dev/zero --json
[ "$rc" != 0 ] || jq -e '.failed_files == 1' "$tmp/out" >/dev/null || finding "import hl7 /dev/zero: no error"
r0=$(q "SELECT count(*) FROM reject")
limit=60 try import fhir /dev/zero
[ "$rc" != 0 ] || [ "$(q "SELECT count(*) FROM reject")" -gt "$r0" ] || finding "import fhir /dev/zero: no error, no reject"
after=$(chart_dump)
# comps/reps/big may be applied (the chart then holds them whole); nothing else changed
[ "$before" = "$after" ] || q "SELECT mrn FROM patient" | grep -qE '^(C1|R|B1|44444444-)' ||
  finding "the chart changed without a record of the hostile files"

# 1. 128 KiB in every text slot of every command
jq -n --arg file "$tmp/empty" '{mrn: "BASE-1", account: "BASE-ACC-1", user: "pw", role: "coder",
  id: "1", label: "BH", text: "atk text", kind: "review", subject: "encounter:1", code: "I10",
  n: "5", date: "2024-01-02", purpose: "treatment", system: "icd10cm", items: "encounters",
  method: "safe-harbor", file: $file, stdin: "a-good-password\nanother-password\n"}' >"$tmp/values.json"
: >"$tmp/empty"
if ! python3 "$here/lib/cli_fuzz.py" long "$MRT" "$db" "$tmp/work" "$tmp/values.json" >"$tmp/fuzz.out"; then
  cat "$tmp/fuzz.out"
  finding "128 KiB arguments (see above)"
fi
tail -1 "$tmp/fuzz.out"
q "PRAGMA integrity_check" | grep -qx ok || finding "integrity"
mrt audit verify >/dev/null || finding "audit chain"
[ "$found" = 0 ] || fail "$found finding(s) above"
echo "attack_overlong: ok"
