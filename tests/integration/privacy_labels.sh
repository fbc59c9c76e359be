#!/usr/bin/env bash
# Sensitivity labels, grants, relations and break-the-glass, beyond the
# matrix: on the MIMIC-IV demo (the issue's own example, patient 10004235
# labelled BH) and on HL7-fed patients with names, encounters and
# documents. Proves: the contract (non-zero exit, no name / birth date /
# address, a deny in `audit log --json`); a label grant opens the record;
# a physician linked to the attending's provider record reads it for
# treatment only; a labelled encounter or document is a stub inside an
# allowed record; psychotherapy notes stay sealed even through
# break-the-glass; break-the-glass needs a reason and a known category,
# lasts its time, counts its reads and lands in `privacy review`, which
# the privacy officer closes; patient find lists a hidden patient as
# restricted; ended labels are kept.
# ctest: serial
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
: "${MRT_SOURCE_DIR:?}"
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
DEMO=$DATA/mimic-iv-demo-2.2
[ -d "$DEMO/hosp" ] || { echo "no MIMIC-IV demo in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export MRT_SITE_DIR=$T/site
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { sqlite3 "$DB" "$1"; }
denies() { q "SELECT count(*) FROM audit_event WHERE outcome = 'deny' AND action = '$1'"; }

mrt init >/dev/null
mrt import mimic "$DEMO" >/dev/null || fail "MIMIC import"
mrt user add cody --os-account cody-os --role coder >/dev/null
mrt user add hana --os-account hana-os --role him_technician >/dev/null
mrt user add pat --os-account pat-os --role privacy_officer >/dev/null
mrt user add osler --os-account osler-os --role physician >/dev/null
mrt user add other --os-account other-os --role physician >/dev/null

# --- the contract on the demo: label add patient 10004235 BH ---
mrt --user cody patient show 10004235 --json >/dev/null || fail "unlabelled read"
if mrt --user cody label add patient 10004235 BH 2>/dev/null; then fail "a coder labelled a record"; fi
mrt --user pat label add patient 10004235 BH --reason "inpatient psychiatry" >/dev/null || fail "label add"
d0=$(denies patient.show)
set +e; mrt --user cody patient show 10004235 --json >"$T/out" 2>"$T/err"; rc=$?; set -e
[ "$rc" != 0 ] || fail "labelled record shown to a coder"
[ ! -s "$T/out" ] || fail "output on a refused read: $(head -c 200 "$T/out")"
grep -q "restricted record" "$T/err" || fail "refusal does not say the record is restricted: $(cat "$T/err")"
grep -q "BH" "$T/err" && fail "the refusal names the label (a condition)"
[ "$(denies patient.show)" = $((d0 + 1)) ] || fail "no deny row"
mrt audit log --json | jq -e 'map(select(.action == "patient.show" and .outcome == "deny")) | length >= 1' \
  >/dev/null || fail "deny not in audit log --json"
# Encounters of a hidden patient are hidden too.
acct=$(q "SELECT e.account FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE p.mrn = '10004235' LIMIT 1")
if mrt --user cody encounter show "$acct" --json >/dev/null 2>&1; then fail "encounter of a hidden patient shown"; fi
if mrt --user cody encounter status "$acct" in-progress 2>/dev/null; then fail "coded a hidden record"; fi

# --- a grant of the label opens it; revoking closes it ---
mrt --user pat user grant cody BH >/dev/null || fail "label grant"
mrt --user cody patient show 10004235 --json | jq -e '.mrn == "10004235" and (.labels | length) == 1' >/dev/null ||
  fail "granted user cannot read"
mrt --user pat user revoke cody BH >/dev/null || fail "label revoke"
if mrt --user cody patient show 10004235 --json >/dev/null 2>&1; then fail "revoked grant still opens"; fi

# --- break-the-glass ---
set +e
mrt --user cody patient show 10004235 --break-glass "   " >/dev/null 2>"$T/err"; rc1=$?
mrt --user cody patient show 10004235 --break-glass "x" --break-glass-category whim >/dev/null 2>&1; rc2=$?
set -e
[ "$rc1" != 0 ] && grep -q "needs a reason" "$T/err" || fail "blank reason accepted"
[ "$rc2" != 0 ] || fail "unknown category accepted"
[ "$(q "SELECT count(*) FROM break_glass")" = 0 ] || fail "a refused break-glass was recorded"
mrt --user cody patient show 10004235 --json --break-glass "patient unresponsive in ED, history needed" \
  --break-glass-category emergency > "$T/bg.json" || fail "break-glass read"
jq -e '.break_glass == true and .mrn == "10004235"' "$T/bg.json" >/dev/null || fail "break-glass output"
mrt --user cody patient show 10004235 --json >/dev/null || fail "read within the break-glass window"
mrt --user cody encounter show "$acct" --json >/dev/null || fail "encounter within the window"
[ "$(q "SELECT reads FROM break_glass")" = 3 ] || fail "break-glass reads: $(q "SELECT reads FROM break_glass")"
[ "$(q "SELECT count(*) FROM audit_event WHERE outcome = 'break-glass' AND action IN ('patient.show','encounter.show')")" = 3 ] ||
  fail "break-glass reads not audited as such"
if mrt --user hana patient show 10004235 --json >/dev/null 2>&1; then fail "another user rode on cody's break-glass"; fi
# The review queue.
mrt --user pat privacy review --json > "$T/rev.json"
jq -e 'length == 1 and .[0].user == "cody" and .[0].mrn == "10004235" and .[0].category == "emergency"
  and .[0].labels == "BH" and .[0].reads == 3 and (.[0].reason | test("unresponsive"))' "$T/rev.json" >/dev/null ||
  fail "review list: $(cat "$T/rev.json")"
if mrt --user cody privacy review --json >/dev/null 2>&1; then fail "a coder read the review queue"; fi
id=$(jq -r '.[0].id' "$T/rev.json")
mrt queue list --role privacy_officer --json | jq -e 'map(select(.kind == "break-glass-review")) | length == 1' \
  >/dev/null || fail "no work item for the review"
# Expiry: the window ends (moved into the past here); a new reason is needed.
q "UPDATE break_glass SET expires_at = '2000-01-01T00:00:00.000000Z'"
if mrt --user cody patient show 10004235 --json >/dev/null 2>&1; then fail "expired break-glass still opens"; fi
mrt --user pat privacy review "$id" --outcome appropriate --note "ED visit confirmed" >/dev/null || fail "review"
mrt --user pat privacy review --json | jq -e 'length == 0' >/dev/null || fail "reviewed use still listed"
mrt --user pat privacy review --all --json | jq -e '.[0].review_outcome == "appropriate" and .[0].reviewed_by == "pat"' \
  >/dev/null || fail "review not kept"
if mrt --user pat privacy review "$id" --outcome inappropriate 2>/dev/null; then fail "reviewed twice"; fi
mrt queue list --role privacy_officer --json | jq -e 'map(select(.kind == "break-glass-review")) | length == 0' \
  >/dev/null || fail "review item still open"

# --- removing the label: kept as ended, the record opens again ---
mrt --user pat label remove patient 10004235 BH --reason "labelled in error" >/dev/null || fail "label remove"
mrt --user cody patient show 10004235 --json >/dev/null || fail "unlabelled again but refused"
mrt --user pat label list 10004235 --json | jq -e 'length == 1 and .[0].ended_at != null and .[0].end_reason == "labelled in error"' \
  >/dev/null || fail "ended label not kept"
mrt --user pat label add patient 10004235 BH --reason "relabelled" >/dev/null
mrt --user pat label list 10004235 --json | jq -e 'length == 1 and .[0].ended_at == null and .[0].reason == "relabelled"' \
  >/dev/null || fail "label set again"
if mrt --user pat label add patient 10004235 NOTALABEL 2>/dev/null; then fail "unknown label accepted"; fi

# --- HL7 patients: names, an attending, labelled encounter and documents ---
adt() { # control mrn family given birth account attending
  printf 'MSH|^~\\&|ADT|GEN|MRT|HOSP|20250301080000||ADT^A04|%s|P|2.5\r' "$1"
  printf 'PID|1||%s^^^HOSP^MR||%s^%s||%s|F|||9 Elm Row^^Springfield^IL^62701\r' "$2" "$3" "$4" "$5"
  local f=(); f[2]=I; f[7]=$7; f[19]=$6; f[44]=20250301080000; f[45]=20250305120000
  local i line=PV1; for i in $(seq 1 45); do line="$line|${f[i]-}"; done; printf '%s\r' "$line"
}
mdm() { # control mrn account docref label
  printf 'MSH|^~\\&|DOC|GEN|MRT|HOSP|20250302090000||MDM^T02|%s|P|2.5\r' "$1"
  printf 'EVN|T02|20250302090000\r'
  printf 'PID|1||%s^^^HOSP^MR\r' "$2"
  local f=(); f[2]=I; f[19]=$3; local i line=PV1; for i in $(seq 1 45); do line="$line|${f[i]-}"; done
  printf '%s\r' "$line"
  f=(); f[1]=1; f[2]=PN; f[3]=TX; f[4]=20250302090000; f[9]=DR1^Osler^William; f[12]=$4; f[17]=AU; f[18]=$5
  line=TXA; for i in $(seq 1 18); do line="$line|${f[i]-}"; done; printf '%s\r' "$line"
  printf 'OBX|1|TX|NOTE||session note text\r'
}
{
  adt H1 920001 Larkspur Dana 19800101 820001 'DR1^Osler^William'
  adt H2 920001 Larkspur Dana 19800101 820002 'DR9^Other^Olive'
  mdm H3 920001 820001 DOC-PN-1 N
  mdm H4 920001 820001 DOC-PSY-1 N
} > "$T/h.hl7"
mrt import hl7 "$T/h.hl7" > "$T/h.out" || fail "HL7 import: $(cat "$T/h.out")"
[ "$(q "SELECT count(*) FROM document")" -ge 2 ] || fail "documents not imported: $(cat "$T/h.out")"
mrt --user pat label add encounter 820002 HIV >/dev/null || fail "encounter label"
mrt --user pat label add document DOC-PSY-1 PSYTHPN >/dev/null || fail "document label"
# The patient opens; the labelled encounter is a stub; its label is not listed.
mrt --user cody patient show 920001 --json > "$T/p.json" || fail "patient with a labelled encounter"
jq -e '(.encounters | map(select(.account == "820002")) | .[0]) == {"account": "820002", "restricted": true}
  and (.encounters | map(select(.account == "820001")) | .[0].admit_at != null)
  and (.labels | map(select(.code == "HIV")) | length == 0)' "$T/p.json" >/dev/null || fail "stubs: $(cat "$T/p.json")"
if mrt --user cody encounter show 820002 --json >/dev/null 2>&1; then fail "labelled encounter shown"; fi
mrt --user cody encounter show 820001 --json > "$T/e.json" || fail "unlabelled encounter"
jq -e '(.documents | map(select(.doc_ref == "DOC-PSY-1")) | .[0]) == {"doc_ref": "DOC-PSY-1", "restricted": true}
  and (.documents | map(select(.doc_ref == "DOC-PN-1")) | .[0].text != null)' "$T/e.json" >/dev/null ||
  fail "document stub: $(jq -c .documents "$T/e.json")"
# Psychotherapy notes stay sealed under break-the-glass, and for the privacy officer.
mrt --user cody encounter show 820001 --json --break-glass "continuity" --break-glass-category continuity-of-care \
  | jq -e '(.documents | map(select(.doc_ref == "DOC-PSY-1")) | .[0].restricted) == true' >/dev/null ||
  fail "break-glass opened a psychotherapy note"
mrt --user pat encounter show 820001 --json | jq -e '(.documents | map(select(.doc_ref == "DOC-PSY-1")) | .[0].restricted) == true' \
  >/dev/null || fail "the privacy officer read a psychotherapy note"

# --- the treating physician: linked to DR1 (attending of 820001) ---
mrt --user pat label add patient 920001 SDV >/dev/null
mrt user link osler --provider DR1 >/dev/null || fail "user link"
mrt user link other --provider DR9 >/dev/null || fail "user link other"
mrt --user osler --purpose treatment patient show 920001 --json | jq -e '.mrn == "920001"' >/dev/null ||
  fail "the attending could not read for treatment"
if mrt --user osler --purpose operations patient show 920001 --json >/dev/null 2>&1; then
  fail "the attending read a labelled record for operations"; fi
# DR9 attends 820002 (HIV-labelled encounter): treating on the patient, so SDV opens for treatment,
# and the HIV encounter opens too under the same relation.
mrt --user other --purpose treatment patient show 920001 --json >/dev/null || fail "second attending"
mrt user add nobody --os-account nobody-os --role physician >/dev/null
if mrt --user nobody --purpose treatment patient show 920001 --json >/dev/null 2>&1; then
  fail "a physician with no relation read a labelled record"; fi

# --- patient find: the hidden patient is a stub ---
mrt --user cody patient find --name Larkspur --json > "$T/f.json"
jq -e 'length == 1 and .[0] == {"mrn": "920001", "restricted": true}' "$T/f.json" >/dev/null ||
  fail "find: $(cat "$T/f.json")"
mrt --user pat patient find --name Larkspur --json | jq -e '.[0].family == "Larkspur"' >/dev/null ||
  fail "the privacy officer's find"

# --- export fhir withholds what the exporting user may not see ---
mrt --user hana export fhir --out "$T/x" --json > "$T/x.json" 2>/dev/null || mrt --user hana export fhir --out "$T/x" > "$T/x.json"
if grep -q "Larkspur" "$T"/x/*.ndjson; then fail "export fhir disclosed a hidden patient"; fi
grep -q '"10004235"' "$T"/x/Patient.ndjson && fail "export fhir disclosed the BH patient"
# --- a denied amendment and the patient's disagreement travel with the record (164.526) ---
mrt request amend --patient 10004235 --received 2025-03-10 --what "allergy list is wrong" >/dev/null ||
  fail "amendment request"
rid=$(q "SELECT max(id) FROM patient_request")
mrt request deny "$rid" --reason "the record is accurate and complete" >/dev/null || fail "deny amendment"
mrt request disagreement "$rid" --statement "I have no penicillin allergy" >/dev/null || fail "disagreement"
mrt patient show 10004235 --json | jq -e '.amendments[0].status == "denied"
  and (.amendments[0].statements | map(.text) | index("I have no penicillin allergy")) != null' >/dev/null ||
  fail "amendment not shown with the record"

mrt audit verify >/dev/null || fail "audit chain"
echo "privacy labels: ok"
