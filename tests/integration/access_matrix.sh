#!/usr/bin/env bash
# The access matrix, end to end: docs/access-matrix.md is exactly what the
# program's decision table gives (`mrt privacy matrix --markdown`), and for
# every role x every service operation x every record state (unlabelled,
# labelled, restricted, break-glass) the real command, run by a user who
# holds that one role, is allowed or refused as the table says. A refusal
# prints none of the patient's data (name, birth date, street) and adds a
# "deny" row to the audit trail. Patients come from HL7 ADT messages; the
# labelled one gets its label from an ARV segment (v2 table 0717 PSY ->
# BH), the restricted one an agreed restriction.
# ctest: serial
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
: "${MRT_SOURCE_DIR:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export MRT_SITE_DIR=$T/site
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { sqlite3 "$DB" "$1"; }

mrt privacy matrix --markdown | cmp -s - "$MRT_SOURCE_DIR/docs/access-matrix.md" ||
  fail "docs/access-matrix.md differs from 'mrt privacy matrix --markdown': regenerate it"
mrt privacy matrix --json > "$T/matrix.json"

mrt init >/dev/null
msg() { # control-id mrn family given birth street account extra-segments
  printf 'MSH|^~\\&|ADT|GEN|MRT|HOSP|20250301080000||ADT^A04|%s|P|2.5\r' "$1"
  printf 'PID|1||%s^^^HOSP^MR||%s^%s||%s|F|||%s^^Springfield^IL^62701||555-0100\r' "$2" "$3" "$4" "$5" "$6"
  printf '%s' "$8"
  local f=(PV1 1 I MED^101^1); f[7]=DR1^Osler^William; f[10]=MED; f[19]=$7
  f[44]=20250301080000; f[45]=20250305120000
  local i line=PV1; for i in $(seq 1 45); do line="$line|${f[i]-}"; done; printf '%s\r' "$line"
}
{
  msg C1 910001 Quillfeather Ada 19610214 "12 Larch Way" 810001 ''
  msg C2 910002 Brightwater Bea 19720530 "34 Aspen Court" 810002 $'ARV|1|A|PSY^psychiatric\r'
  msg C3 910003 Stonebridge Cy 19830911 "56 Birch Lane" 810003 ''
} > "$T/adt.hl7"
mrt import hl7 "$T/adt.hl7" >/dev/null || fail "import"
[ "$(q "SELECT count(*) FROM patient")" = 3 ] || fail "three patients expected"
[ "$(q "SELECT code FROM label l JOIN patient p ON p.id = l.patient_id WHERE p.mrn = '910002'")" = PSY ] ||
  fail "the ARV label was not kept"

# The restricted patient: an agreed restriction on disclosures to the county.
mrt restriction add --patient 910003 --kind other --recipient "County health department" \
  --status agreed >/dev/null || fail "restriction"
# A data use agreement for the limited data set, and one mandated report a
# patient filed by the administrator (so no matrix user is its author).
dua=$(mrt dua add --recipient "State University" --purpose "readmission study" \
  --permitted-uses "statistical analysis" --expires 2099-12-31 --json | jq -r .id)
for m in 910001 910002 910003; do
  mrt mandated new --patient "$m" --kind reportable-disease --jurisdiction Illinois \
    --legal-basis "77 Ill. Adm. Code 690.200" --agency "Illinois Department of Public Health" \
    --items demographics,diagnoses --json | jq -r .id > "$T/mandated.$m"
done

roles=$(jq -r '.roles[]' "$T/matrix.json")
for r in $roles; do mrt user add "u_$r" --os-account "os-$r" --role "$r" >/dev/null; done

# Record states: the patient each state acts on.
mrn_of() { case $1 in unlabelled) echo 910001;; labelled|break-glass) echo 910002;; restricted) echo 910003;; esac; }
acct_of() { case $1 in unlabelled) echo 810001;; labelled|break-glass) echo 810002;; restricted) echo 810003;; esac; }
secrets_of() { case $1 in unlabelled) echo "Quillfeather 1961-02-14 Larch";; labelled|break-glass) echo "Brightwater 1972-05-30 Aspen";; restricted) echo "Stonebridge 1983-09-11 Birch";; esac; }

# Runs operation $1 in state $2 as user $3; exit 0 = allowed.
run_op() {
  local op=$1 st=$2 u=$3 mrn acct glass=()
  mrn=$(mrn_of "$st"); acct=$(acct_of "$st")
  [ "$st" = break-glass ] && glass=(--break-glass "patient unconscious in the ED" --break-glass-category emergency)
  case $op in
    patient.read) mrt --user "$u" patient show "$mrn" --json "${glass[@]}" ;;
    patient.find)
      local fam; fam=$(secrets_of "$st" | cut -d' ' -f1)
      mrt --user "$u" patient find --name "$fam" --json > "$T/find.json" || return 1
      cat "$T/find.json"
      jq -e --arg m "$mrn" 'map(select(.mrn == $m and (.restricted | not))) | length == 1' "$T/find.json" >/dev/null ;;
    chart.code) mrt --user "$u" encounter status "$acct" in-progress ;;
    chart.import) mrt --user "$u" import hl7 "$T/adt.hl7" ;;
    export.fhir) rm -rf "$T/fx"; mrt --user "$u" export fhir --out "$T/fx" ;;
    export.deid) rm -rf "$T/dx"; mrt --user "$u" export deid --method safe-harbor --out "$T/dx" ;;
    export.limited) rm -rf "$T/lx"; mrt --user "$u" export deid --method limited --dua "$dua" --out "$T/lx" ;;
    disclose.new)
      local purpose=public_health; [ "$st" = restricted ] && purpose=operations
      mrt --user "$u" disclose new --patient "$mrn" --recipient "County health department" \
        --purpose "$purpose" --legal-basis "45 CFR 164.512(b)" --items encounters,diagnoses ;;
    disclose.accounting) mrt --user "$u" disclose accounting "$mrn" --json ;;
    patient.request) mrt --user "$u" restriction list "$mrn" --json ;;
    mandated.new) mrt --user "$u" mandated new --patient "$mrn" --kind reportable-disease \
      --jurisdiction Illinois --legal-basis "77 Ill. Adm. Code 690.200" \
      --agency "Illinois Department of Public Health" --items demographics,diagnoses ;;
    mandated.read) mrt --user "$u" mandated show "$(cat "$T/mandated.$mrn")" --json ;;
    retention.manage) mrt --user "$u" retention list --json ;;
    label.set) mrt --user "$u" label add patient "$mrn" EMP --reason "matrix test" &&
               mrt --user "$u" label remove patient "$mrn" EMP --reason "matrix test" ;;
    privacy.review) mrt --user "$u" privacy review --json ;;
    audit.read) mrt --user "$u" audit log --json ;;
    user.admin) n=$((n + 1)); mrt --user "$u" user add "tmp$n" --os-account "os-tmp$n" --role coder ;;
    user.label) mrt --user "$u" user grant u_coder HIV && mrt --user "$u" user revoke u_coder HIV ;;
    *) return 3 ;;
  esac
}

n=0; checked=0; missing=""
ops=$(jq -r '.operations[].name' "$T/matrix.json")
for op in $ops; do
  for st in unlabelled labelled restricted break-glass; do
    for r in $roles; do
      want=$(jq -r --arg o "$op" --arg r "$r" --arg s "$st" \
        '.operations[] | select(.name == $o) | .cells[$r][$s]' "$T/matrix.json")
      denies=$(q "SELECT count(*) FROM audit_event WHERE outcome = 'deny'")
      set +e; run_op "$op" "$st" "u_$r" > "$T/out" 2> "$T/err"; rc=$?; set -e
      if [ "$rc" = 3 ]; then missing="$missing $op"; continue 3; fi
      checked=$((checked + 1))
      if [ "$want" = deny ]; then
        [ "$rc" != 0 ] || fail "$op / $st / $r: allowed, the matrix says deny"
        for s in $(secrets_of "$st"); do
          if grep -q "$s" "$T/out" "$T/err"; then fail "$op / $st / $r: denied but showed patient data"; fi
        done
        [ "$(q "SELECT count(*) FROM audit_event WHERE outcome = 'deny'")" -gt "$denies" ] ||
          [ "$op" = patient.find ] || fail "$op / $st / $r: denial not audited"
      else
        [ "$rc" = 0 ] || fail "$op / $st / $r: refused ($(head -c 300 "$T/err")), the matrix says $want"
      fi
      if [ "$want" = break-glass ]; then
        [ "$(q "SELECT outcome FROM audit_event WHERE action = 'patient.show' ORDER BY id DESC LIMIT 1")" = break-glass ] ||
          fail "$op / $st / $r: not audited as break-glass"
      fi
    done
  done
done
[ -z "$missing" ] || fail "operations with no command in this test:$missing"
echo "access matrix: $checked cells checked"
