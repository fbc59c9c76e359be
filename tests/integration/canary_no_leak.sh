#!/usr/bin/env bash
# No patient data in logs, stderr or temp files (issue 5, section 5).
# A patient with canary values (family Zqxcanaryfam, given Zqxcanarygiv, MRN
# CANARY0042, account CANACC0042, street "7 Canary Row", a canary Synthea
# UUID and MIMIC subject/admission ids) goes in through every importer: HL7
# file, MLLP listener, FHIR Bundle and NDJSON, Synthea CSV, MIMIC-IV CSV, each
# also in malformed variants that get rejected. Then the reports, exports and
# failing commands run (refused roles, wrong password, bad options, unknown
# records, a missing database). MRT_LOG=debug and TMPDIR points at a fresh
# directory. Asserted:
# - no canary in the standard error of any command (the listener's too);
# - no canary in the standard output of a command that is not the data the
#   user asked for (import reports, audit log, queue, refusals, errors);
#   it IS in the output of patient show (so the search is known to work);
# - no file under TMPDIR, in the working directory or in the site directory
#   (anchor) holds a canary; nothing but the database and the anchor is
#   written at all, outside an --out directory (checked with strace when
#   it is there: even a temp file deleted at once shows);
# - a de-identified extract, once `export deid` exists, holds no canary.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/fixtures.sh"
tmp=$(mktemp -d)
pid=
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
site=$tmp/site
db=$site/site.db
ch=$tmp/channels          # one .out/.err pair per command run
export TMPDIR=$tmp/tmpdir MRT_LOG=debug
unset MRT_DB MRT_USER MRT_PURPOSE
mkdir -p "$site" "$ch" "$TMPDIR" "$tmp/cwd" "$tmp/in"
cd "$tmp/cwd"

FAM=Zqxcanaryfam GIV=Zqxcanarygiv MRN=CANARY0042 ACC=CANACC0042 STREET="7 Canary Row"
SYN=0c0ffee0-0042-4042-8042-00000000c042 SYNENC=0c0ffee0-0042-4042-8042-00000000e042
SUBJ=99424242 HADM=99424243
printf '%s\n' "$FAM" "$GIV" "$MRN" "$ACC" "$STREET" "$SYN" "$SYNENC" "$SUBJ" "$HADM" \
  CANARY0077 CANACC0077 CANARY0043 CANACC0043 >"$tmp/canaries"
has_canary() { grep -rIqiF -f "$tmp/canaries" "$@"; }

use_strace=
# (not under LeakSanitizer, which cannot run under ptrace: the ASan build
# checks the channels, the Release build the writes too)
if command -v strace >/dev/null && strace -f -qq -o /dev/null "$MRT" --version >/dev/null 2>&1; then
  use_strace=1
fi

# run show|quiet ARGS... : runs mrt, keeping its stdout and stderr apart.
# "show": the output is the data asked for and may hold the canary.
n=0
run() {
  local mode=$1; shift
  n=$((n + 1))
  local pre=()
  # shellcheck disable=SC2054
  [ -n "$use_strace" ] && pre=(strace -f -qq -e trace=openat,open,creat,rename,renameat,renameat2,link,mkdir -o "$ch/$n.st")
  set +e
  "${pre[@]}" "$MRT" --db "$db" "$@" >"$ch/$n.out" 2>"$ch/$n.err" <"${stdin:-/dev/null}"
  local rc=$?
  set -e
  printf '%s\t%s\t%s\n' "$n" "$mode" "$*" >>"$ch/index"
  [ "$rc" -lt 128 ] || fail "mrt $* died with status $rc"
  last_rc=$rc
}
ok() { run "$@"; [ "$last_rc" = 0 ] || fail "mrt ${*:2} exited $last_rc: $(cat "$ch/$n.err")"; }
refused() { run "$@"; [ "$last_rc" != 0 ] || fail "mrt ${*:2} succeeded"; }

ok quiet init
ok quiet user add res --os-account res-os --role researcher
ok quiet user add cod --os-account cod-os --role coder
printf 'right-password-1\n' >"$tmp/pw.right"
printf 'wrong-password\n' >"$tmp/pw.wrong"
stdin=$tmp/pw.right ok quiet user add pw --role him_technician --password-stdin

# --- every importer, good and malformed ----------------------------------
fx_hl7 "$tmp/in/good.hl7" "$MRN" "$FAM" "$GIV" "$STREET" "$ACC" CTL1
sed 's/19800101/1980XX01/' "$tmp/in/good.hl7" | sed 's/CTL1/CTL2/' >"$tmp/in/baddate.hl7"
sed 's/2\.5\.1/9.9/; s/CTL1/CTL3/' "$tmp/in/good.hl7" >"$tmp/in/badver.hl7"
tr '\r' '\n' <"$tmp/in/good.hl7" | sed 's/^MSH/XSH/' | tr '\n' '\r' >"$tmp/in/nomsh.hl7"
printf 'MSH|^~\\&|A|B|C|D|2024||ADT^A01|CTL4|P|2.5.1\rPID|1||%s^^^H^MR||%s^%s|||||%s\rPV1|1|I\r' \
  "$MRN" "$FAM" "$GIV" "$STREET" >"$tmp/in/noacct.hl7"
printf 'MSH|^~\\&|A|B|C|D|2024||ADT^A08|CTL5|P|2.5.1\rPID|1||CANARY0043^^^H^MR||%s^%s\rPV1|1|I||||||||||||||||CANACC0043\r' \
  "$FAM" "$GIV" >"$tmp/in/a08unknown.hl7"
ok quiet import hl7 "$tmp/in/good.hl7"
ok quiet import hl7 "$tmp/in/good.hl7" --json
for f in baddate badver nomsh noacct a08unknown; do
  run quiet import hl7 "$tmp/in/$f.hl7"
  run quiet import hl7 "$tmp/in/$f.hl7" --json
done
run quiet import hl7 "$tmp/in/good.hl7" "$tmp/in/missing-file.hl7"

fx_fhir_bundle "$tmp/in/bundle.json" "$MRN" "$FAM" "$GIV" "$STREET" "$ACC" fxp
fx_fhir_ndjson "$tmp/in/nd" "$MRN" "$FAM" "$GIV" "$STREET" "$ACC" fxp
head -c 200 "$tmp/in/bundle.json" >"$tmp/in/trunc.json"
jq '.entry[0].resource.birthDate = "1980-13-45"' "$tmp/in/bundle.json" >"$tmp/in/fbaddate.json"
jq --arg f "$FAM" '.entry[0].resource.gender = {family: $f}' "$tmp/in/bundle.json" >"$tmp/in/fbadgender.json"
jq --arg m "$MRN" '.entry[1].resource.subject.reference = ("Patient?identifier=urn:none|" + $m)' \
  "$tmp/in/bundle.json" >"$tmp/in/fbadref.json"
ok quiet import fhir "$tmp/in/bundle.json"
ok quiet import fhir "$tmp/in/nd" --json
for f in trunc fbaddate fbadgender fbadref; do
  run quiet import fhir "$tmp/in/$f.json"
  run quiet import fhir "$tmp/in/$f.json" --json
done

fx_synthea "$tmp/in/syn" "$SYN" "$FAM" "$GIV" "$STREET" "$SYNENC"
ok quiet import synthea "$tmp/in/syn" --json
cp -r "$tmp/in/syn" "$tmp/in/synbad"
printf '%s,1960-13-02,,999-00-0002,,,,%s,%s,,,M,white,nonhispanic,F,,%s,Boston,MA,Suffolk,02101,0,0,0,0\n' \
  "${SYN%2}3" "$GIV" "$FAM" "$STREET" >>"$tmp/in/synbad/patients.csv"
printf '2019-01-01,,%s,0c0ffee0-0042-4042-8042-00000000e999,44054006,%s\n' "$SYN" "$FAM" \
  >>"$tmp/in/synbad/conditions.csv"
run quiet import synthea "$tmp/in/synbad"
cp -r "$tmp/in/syn" "$tmp/in/synbroken"
printf '%s,"1960-01-02,unterminated %s\n' "$SYN" "$FAM" >>"$tmp/in/synbroken/patients.csv"
run quiet import synthea "$tmp/in/synbroken" --json

fx_mimic "$tmp/in/mimic" "$SUBJ" "$HADM" "Medicine"
ok quiet import mimic "$tmp/in/mimic" --json
cp -r "$tmp/in/mimic" "$tmp/in/mimicbad"
printf '%s,%s,2150-13-01 10:00:00,2150-03-05 12:00:00,,URGENT,P1,ER,HOME,Medicare,ENGLISH,MARRIED,WHITE,,,0\n' \
  "$SUBJ" "${HADM}9" >>"$tmp/in/mimicbad/hosp/admissions.csv"
printf '%s,%s,2,NOTACODE,10\n' "$SUBJ" "$HADM" >>"$tmp/in/mimicbad/hosp/diagnoses_icd.csv"
run quiet import mimic "$tmp/in/mimicbad"
printf 'subject_id,gender\n"%s,F\n' "$SUBJ" >"$tmp/in/mimicbad/hosp/patients.csv"
run quiet import mimic "$tmp/in/mimicbad" --json

# The MLLP listener, with its diagnostics on stderr.
if [ -f "$here/mllp_send.py" ]; then
  (exec "$MRT" --db "$db" listen --mllp 127.0.0.1:0 2>"$ch/listen.err" >"$ch/listen.out") &
  pid=$!
  port=
  for _ in $(seq 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$ch/listen.err")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || fail "listener not ready: $(cat "$ch/listen.err")"
  sed 's/CTL1/MLLP1/' "$tmp/in/good.hl7" >"$tmp/in/m1.hl7"
  sed 's/CTL2/MLLP2/' "$tmp/in/baddate.hl7" >"$tmp/in/m2.hl7"
  sed 's/CTL4/MLLP4/' "$tmp/in/noacct.hl7" >"$tmp/in/m4.hl7"
  python3 "$here/mllp_send.py" files --port "$port" "$tmp/in/m1.hl7" "$tmp/in/m2.hl7" \
    "$tmp/in/m4.hl7" >"$ch/mllp.acks" || fail "mllp send"
  python3 "$here/mllp_send.py" raw --port "$port" --file "$tmp/in/nomsh.hl7" >"$ch/mllp.raw" || true
  kill -TERM "$pid"
  wait "$pid" || fail "listener exit status after SIGTERM"
  pid=
  printf 'L\tquiet\tlisten\n' >>"$ch/index"
  cp "$ch/listen.err" "$ch/L.err"
  cp "$ch/listen.out" "$ch/L.out"
fi

# --- reads, reports, exports ---------------------------------------------
ok show patient show "$MRN"
has_canary "$ch/$n.out" || fail "the canary is not in patient show: the search would prove nothing"
ok show patient show "$MRN" --json
ok show patient find --name "$FAM"
ok show patient find --name "$FAM" --json
ok show encounter show "$ACC"
ok show encounter show "$ACC" --json
ok quiet audit log
ok quiet audit log --json
ok quiet audit verify
ok quiet audit verify --json
ok quiet import rejects
ok quiet import rejects --json
for id in $(sqlite3 "$db" "SELECT id FROM reject ORDER BY id"); do
  ok show import rejects --show "$id"
done
ok quiet queue list --status all
ok quiet queue list --status all --json
ok quiet user list
ok quiet export fhir --out "$tmp/export1"
ok quiet export fhir --out "$tmp/export2" --json
has_canary "$tmp/export1" || fail "the FHIR export does not hold the patient"

# --- failing commands ------------------------------------------------------
refused quiet --user res patient show "$MRN"
refused quiet --user res patient show "$MRN" --json
refused quiet --user res patient find --name "$FAM"
refused quiet --user res encounter show "$ACC"
refused quiet --user res export fhir --out "$tmp/export-res"
refused quiet --user res import hl7 "$tmp/in/good.hl7"
refused quiet --user res import fhir "$tmp/in/bundle.json"
refused quiet --user cod encounter status "$ACC" billed-maybe
refused quiet --user cod encounter code "$ACC" --pdx NOTACODE
refused quiet --user cod encounter code "$ACC" --pdx I10 --px 0DTJ4ZZ@1800-01-01
stdin=$tmp/pw.wrong refused quiet --user pw --password-stdin patient show "$MRN"
stdin=$tmp/pw.wrong refused quiet --user nobody --password-stdin patient show "$MRN"
refused quiet patient show CANARY0077
refused quiet patient show CANARY0077 --json
refused quiet encounter show CANACC0077
ok quiet patient find --name Zqxcanaryfamx
refused quiet patient show "$MRN" --bogus
refused quiet export fhir --out "$tmp/in/good.hl7"
refused quiet import hl7 "$tmp/in/does-not-exist.hl7"
refused quiet import synthea "$tmp/in/does-not-exist"
refused quiet import mimic "$tmp/in/does-not-exist"
refused quiet import fhir "$tmp/in/does-not-exist.json"
db_saved=$db
db=$tmp/none/missing.db
refused quiet patient show "$MRN"
db=$db_saved

# --- the issue 5 commands, as they land -------------------------------------
has_cmd() { "$MRT" --db "$db" "$@" --help 2>&1 | grep -q "usage:"; }
if has_cmd label add; then
  ok show label add patient "$MRN" BH   # echoes the record the user named
  refused quiet --user cod patient show "$MRN"
  refused quiet --user cod patient show "$MRN" --json
  run show --user cod patient show "$MRN" --break-glass "checking the canary"
  run show --user cod patient find --name "$FAM"
fi
if has_cmd audit report; then
  ok show audit report --patient "$MRN"   # the report on the patient asked for
  ok show audit report --patient "$MRN" --json
  ok show audit report --user cod   # which records the user opened: its purpose
  run quiet audit report --patient CANARY0077
fi
if has_cmd privacy review; then
  ok show privacy review   # the uses to review, by record
  ok show privacy review --json
fi
if has_cmd disclose new; then
  run quiet disclose new --patient "$MRN" --recipient "State registry" --purpose public_health \
    --legal-basis "45 CFR 164.512(b)" --items encounters,diagnoses
  run show disclose accounting "$MRN" --json
  run quiet disclose new --patient CANARY0077 --recipient "State registry" --purpose public_health \
    --legal-basis "45 CFR 164.512(b)" --items encounters
  run quiet --user res disclose accounting "$MRN"
  ok quiet disclose new --patient "$MRN" --recipient "County health" --purpose public_health \
    --legal-basis "45 CFR 164.512(b)" --items encounters,diagnoses --out "$tmp/export-packet"
  has_canary "$tmp/export-packet" || fail "the disclosure packet does not hold the patient"
  ok show disclose show 1
fi
if has_cmd mandated new; then
  ok quiet mandated new --patient "$MRN" --kind wound --jurisdiction MA --legal-basis "M.G.L. c.112 s.12A" \
    --agency "State police" --items encounters --json
  mid=$(jq -r .id "$ch/$n.out")
  ok show mandated list   # worklists name the records they are about
  ok show mandated list --json
  ok quiet mandated submit "$mid" --out "$tmp/export-report"
  refused quiet --user cod mandated show "$mid"
  ok quiet mandated sweep
fi
if has_cmd request access; then
  ok quiet request access --patient "$MRN" --received 2026-01-02
  ok show request list
  run quiet request access --patient CANARY0077 --received 2026-01-02
fi
if has_cmd hold add; then
  ok quiet hold add --patient "$MRN" --matter "Matter 1"
  ok show hold list
  ok show retention check "$MRN"
  ok show retention due
fi
if has_cmd export deid; then
  ok quiet export deid --method safe-harbor --out "$tmp/deid"
  if has_canary "$tmp/deid"; then
    fail "the de-identified extract holds a canary: $(grep -rIiF -f "$tmp/canaries" "$tmp/deid" | head -3)"
  fi
  refused quiet --user cod export deid --method safe-harbor --out "$tmp/deid-cod"
fi

# work items made by the above (break-the-glass reviews, requests)
ok quiet queue list --status all
ok quiet queue list --status all --json

# --- the channels ------------------------------------------------------------
while IFS=$'\t' read -r i mode cmd; do
  if has_canary "$ch/$i.err"; then
    fail "patient data on stderr of \`mrt $cmd\`: $(grep -iF -f "$tmp/canaries" "$ch/$i.err" | head -3)"
  fi
  if [ "$mode" = quiet ] && has_canary "$ch/$i.out"; then
    fail "patient data on stdout of \`mrt $cmd\`: $(grep -iF -f "$tmp/canaries" "$ch/$i.out" | head -3)"
  fi
done <"$ch/index"
if has_canary "$TMPDIR"; then fail "patient data in TMPDIR: $(grep -rlIiF -f "$tmp/canaries" "$TMPDIR")"; fi
[ -z "$(ls -A "$TMPDIR")" ] || echo "note: files left in TMPDIR: $(ls -A "$TMPDIR")"
[ -z "$(ls -A "$tmp/cwd")" ] || fail "files written in the working directory: $(ls -A "$tmp/cwd")"
for f in "$site"/.mrt-*; do
  if has_canary "$f"; then fail "patient data in $f"; fi
done
if [ -n "$use_strace" ]; then
  # Every file opened for writing, created or renamed: only the database,
  # its WAL/SHM/journal, the site files and the --out directories.
  allowed="^($site/site\.db(-wal|-shm|-journal)?|$site/\.mrt-[0-9a-f]+\.audit-(key|anchor)|$tmp/(export[^/]*|deid[^/]*)(/.*)?|$site|/dev/(null|tty|urandom))$"
  for st in "$ch"/*.st; do
    { grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|link\(|mkdir\(' "$st" || true; } |
      { grep -v ' = -1 ' || true; } | sed -n 's/^[0-9]* [a-z0-9]*([^"]*"\([^"]*\)".*/\1/p' | sort -u >"$st.w"
    bad=$(grep -Ev "$allowed" "$st.w" || true)
    i=$(basename "$st" .st)
    [ -z "$bad" ] || fail "\`mrt $(awk -F'\t' -v i="$i" '$1 == i {print $3}' "$ch/index")\` wrote $bad"
  done
fi
# The canary is in the database (where it belongs) and the audit chain holds.
[ "$(sqlite3 "$db" "SELECT count(*) FROM patient WHERE family = '$FAM'")" -ge 1 ] || fail "canary patient missing"
if sqlite3 "$db" "SELECT detail, object_id FROM audit_event" | grep -qiF -f "$tmp/canaries"; then
  fail "patient data in an audit event's detail: $(sqlite3 "$db" "SELECT id, detail FROM audit_event" | grep -iF -f "$tmp/canaries" | head -3)"
fi
"$MRT" --db "$db" audit verify >/dev/null || fail "audit chain"
echo "canary_no_leak: $(wc -l <"$ch/index") commands, stdout/stderr/TMPDIR/site clean${use_strace:+, writes traced}"
