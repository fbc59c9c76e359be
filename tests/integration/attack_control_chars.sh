#!/usr/bin/env bash
# Terminal and log injection through imported data (issue 5, section 5:
# injection in every text input; CWE-150). Names, streets, MRNs, accounts and
# free text holding ESC sequences (set the window title, clear the screen,
# move the cursor), BEL, a carriage return that rewrites the line shown, and
# other C0/DEL bytes come in through HL7 (hex escape \X1B\), FHIR (JSON
# \u001b) and Synthea CSV (raw bytes). The human-readable output of every
# command that shows them (patient show/find, encounter show, import
# rejects, audit report, the release-of-information lists) must not pass a
# control character other than newline and tab to the terminal; the --json
# output carries them escaped (JSON does), and the stored value is the one
# received.
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

esc=$'\e]0;pwned\a\e[2J\e[1A'
mrt init >/dev/null
# FHIR: control characters as JSON escapes in the name, street, MRN and account
fx_fhir_bundle "$tmp/f.json" $'CTL-F1\e[8m' "Fam${esc}ily" $'Giv\ren\x7f\x01' $'1 \e[31mRed\e[0m St' $'CTL-ACC-F1\b\b' cf
mrt import fhir "$tmp/f.json" >/dev/null || fail "import fhir"
# HL7: the hex escape \X1B\ decodes to ESC; \X0D\ to a carriage return
fx_hl7 "$tmp/h.hl7" 'CTL-H1' 'Hl7\X1B\[2JFam' 'Giv\X0D\Over' '2 \X07\Bell St' 'CTL-ACC-H1' CTLH1
mrt import hl7 "$tmp/h.hl7" >/dev/null || fail "import hl7"
# Synthea: raw bytes in a CSV field
fx_synthea "$tmp/syn" 55555555-5555-5555-5555-555555555555 "Syn${esc}fam" $'Syn\rgiv' $'3 \e[5mBlink St' \
  dddddddd-0000-0000-0000-000000000001
mrt import synthea "$tmp/syn" >/dev/null || fail "import synthea"
# A rejected HL7 message with control characters in its content and reason
printf 'MSH|^~\\&|A|B|C|D|2024||ADT^A01|CTLBAD|P|2.5.1\rPID|1||CTL-H2^^^H^MR||Bad\x1b[2J^X||1980XX01\rPV1|1|I\r' \
  >"$tmp/bad.hl7"
mrt import hl7 "$tmp/bad.hl7" >/dev/null || true

[ "$(q "SELECT count(*) FROM patient WHERE instr(family, char(27)) > 0")" -ge 2 ] ||
  fail "the control characters were not stored as received (nothing to show)"
[ "$(q "SELECT family FROM patient WHERE mrn = 'CTL-H1'")" = $'Hl7\e[2JFam' ] ||
  finding "HL7 \\X1B\\ not stored as the ESC byte: $(q "SELECT quote(family) FROM patient WHERE mrn = 'CTL-H1'")"

# Known bug, reported 2026-11-25: the readable output of patient show/find,
# encounter show and disclose accounting prints stored values raw. While it
# is open, those findings make the test skip (exit 77) with this message
# instead of failing, once every other check has passed; when it is fixed
# the test passes as it is. Delete known_open then.
known_open=""
known=0
# clean FILE WHAT: no C0 control but \n and \t, no DEL, in FILE
clean() {
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$1"; then
    local msg
    msg="$2 passes control characters to the terminal: $(LC_ALL=C grep -a $'[\x01-\x08\x0b-\x1f\x7f]' "$1" | head -2 | od -c | head -3)"
    if [ -n "$known_open" ] && [[ "$2" != *json* ]]; then
      echo "KNOWN BUG: $msg" >&2
      known=$((known + 1))
    else
      finding "$msg"
    fi
  fi
}
show() { # WHAT ARGS...: human and --json output of one command
  local what=$1; shift
  if mrt "$@" >"$tmp/out" 2>"$tmp/err"; then :; fi
  clean "$tmp/out" "\`mrt $what\`"
  clean "$tmp/err" "\`mrt $what\` (stderr)"
}
fmrn=$(q "SELECT mrn FROM patient WHERE given LIKE 'Giv%en%'")
facc=$(q "SELECT account FROM encounter WHERE account LIKE 'CTL-ACC-F1%'")
show "patient show (FHIR)" patient show "$fmrn"
show "patient show (HL7)" patient show CTL-H1
show "patient show (Synthea)" patient show 55555555-5555-5555-5555-555555555555
show "patient find" patient find --name Fam
show "patient find" patient find --name Syn
show "patient find" patient find --name Hl7
show "encounter show" encounter show "$facc"
show "encounter show" encounter show CTL-ACC-H1
show "import rejects" import rejects
# (`import rejects --show ID` prints the rejected bytes as received, HL7's
# carriage returns included, for saving to a file: not checked)
has_cmd() { "$MRT" --db "$db" "$@" --help 2>&1 | grep -q "usage:"; }
if has_cmd audit report; then show "audit report" audit report --patient CTL-H1; fi
if has_cmd disclose new; then
  mrt disclose new --patient CTL-H1 --recipient $'Agency\e[2J' --purpose public_health \
    --legal-basis $'45 CFR 164.512(b)\r' --items encounters >/dev/null 2>&1 || true  # refusing them is fine
  show "disclose accounting" disclose accounting CTL-H1
fi
if has_cmd mandated new; then
  mrt mandated new --patient CTL-H1 --kind wound --jurisdiction MA --legal-basis B \
    --agency $'Police\e]0;x\a' --items encounters >/dev/null 2>&1 || true  # refusing them is fine
  show "mandated list" mandated list
fi
# JSON escapes them and gives them back as received
mrt patient show CTL-H1 --json >"$tmp/j"
clean "$tmp/j" "\`mrt patient show --json\`"
jq -e '.family == "Hl7\u001b[2JFam"' "$tmp/j" >/dev/null || finding "patient show --json: the name is not the one received"
[ "$found" = 0 ] || fail "$found finding(s) above"
if [ "$known" != 0 ]; then
  echo "skip: known bug, $known case(s): $known_open"
  exit 77
fi
echo "attack_control_chars: ok"
