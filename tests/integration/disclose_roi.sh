#!/usr/bin/env bash
# Release of information on the MIMIC-IV demo: a public-health disclosure
# is recorded with its packet (bytes and SHA-256 as written to --out) and
# listed in the accounting with date, recipient, address, purpose, legal
# basis and items; treatment, payment, the patient's own copy and
# disclosures per authorization are left out; the six-year window; an
# agency's suspension (oral: 30 days at most); a request for an accounting
# with its 60-day clock and one extension, in the him_technician queue;
# items are required; an agreed restriction refuses a disclosure (the
# restriction shown) and the law overrides it (recorded); a Part 2 record
# is refused without consent and carries the 42 CFR 2.32 notice with it,
# in text and FHIR; authorization elements, expiry and revocation;
# psychotherapy notes withheld; the confidential-communication address;
# SQL text stored as written; roles; every change audited, chain intact.
. "$(dirname "$0")/lib/common.sh"
demo=$data/mimic-iv-demo-2.2
[ -f "$demo/hosp/admissions.csv.gz" ] || { echo "no MIMIC-IV demo in $data: skipped"; exit 77; }
needs sqlite3 jq
today=$(date +%Y-%m-%d)
plus() { date -d "$today + $1 days" +%Y-%m-%d; }

mrt init >/dev/null
mrt import mimic "$demo" >/dev/null
add_users tech:him_technician cody:coder
A=10000032 B=10001217 C=10001725
pa=$(q "SELECT id FROM patient WHERE mrn = '$A'")
dx_code=$(q "SELECT d.code FROM diagnosis d JOIN coding c ON c.id = d.coding_id AND c.superseded_by IS NULL
             WHERE d.patient_id = $pa ORDER BY d.id LIMIT 1")
[ -n "$dx_code" ] || fail "patient $A has no diagnosis in the demo"

# --- minimum necessary: items are required --------------------------------
refused "there is no default" mrt --purpose public_health disclose new --patient $A \
  --recipient "State Health Dept" --legal-basis "45 CFR 164.512(b)"
grep -q "demographics, encounters, diagnoses, procedures, documents, labels" "$tmp/err" ||
  fail "the refusal does not list the item names"
refused "unknown item 'xrays'" mrt --purpose public_health disclose new --patient $A \
  --recipient "State Health Dept" --legal-basis "45 CFR 164.512(b)" --items encounters,xrays
refused "needs --legal-basis" mrt --purpose public_health disclose new --patient $A \
  --recipient "State Health Dept" --items diagnoses
[ "$(q 'SELECT count(*) FROM disclosure')" = 0 ] || fail "a refused disclosure was recorded"

# --- a public-health disclosure, its packet and the accounting ------------
mrt --user tech --purpose public_health disclose new --patient $A --recipient "State Health Dept" \
  --recipient-address "1 Capitol Way, Boston MA" --legal-basis "45 CFR 164.512(b); MGL c.111 s.6" \
  --items encounters,diagnoses --out "$tmp/p1.txt" --json >"$tmp/d1.json"
d1=$(jq -r .id "$tmp/d1.json")
[ "$(stat -c %a "$tmp/p1.txt")" = 600 ] || fail "packet file mode $(stat -c %a "$tmp/p1.txt")"
sha=$(sha256sum "$tmp/p1.txt" | cut -d' ' -f1)
jq -e --arg s "$sha" '.packet_sha256 == $s and .packet_bytes > 0 and .by == "tech"' "$tmp/d1.json" >/dev/null ||
  fail "stored sha256/size/user differ from the packet file: $(cat "$tmp/d1.json")"
[ "$(q "SELECT hex(packet) FROM disclosure WHERE id = $d1")" = "$(od -An -v -tx1 "$tmp/p1.txt" | tr -d ' \n' | tr a-f A-F)" ] ||
  fail "the stored packet is not the bytes written"
grep -q "^  diagnosis  $dx_code " "$tmp/p1.txt" || fail "packet lacks the patient's diagnosis $dx_code"
mrt disclose show "$d1" --packet | cmp -s - "$tmp/p1.txt" || fail "disclose show --packet differs from --out"
q "SELECT count(*) FROM audit_event WHERE action = 'disclose.packet' AND object_id = '$d1'" | grep -qx 1 ||
  fail "reading the packet back is not audited"
n_enc=$(q "SELECT count(*) FROM encounter WHERE patient_id = $pa")
[ "$(grep -c '^Encounter ' "$tmp/p1.txt")" = "$n_enc" ] || fail "packet lacks encounters"
grep -q "Birth date" "$tmp/p1.txt" && fail "demographics released without being chosen"
# the FHIR packet: exactly this patient's resources of the chosen items
mrt --purpose public_health disclose new --patient $A --recipient "State Health Dept" \
  --legal-basis "45 CFR 164.512(b)" --items encounters,diagnoses,procedures --format fhir \
  --out "$tmp/p1.json" >/dev/null
n_dx=$(q "SELECT count(*) FROM diagnosis d JOIN coding c ON c.id = d.coding_id AND c.superseded_by IS NULL
          WHERE d.patient_id = $pa")
n_px=$(q "SELECT count(*) FROM procedure x JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL
          WHERE x.patient_id = $pa")
jq -e --argjson e "$n_enc" --argjson d "$n_dx" --argjson p "$n_px" '
  [.entry[].resource] as $r | ($r | map(select(.resourceType == "Patient"))) as $pt
  | ($pt | length) == 1 and ($pt[0] | has("name") or has("birthDate") | not)
  and ($r | map(select(.resourceType == "Encounter")) | length) == $e
  and ($r | map(select(.resourceType == "Condition")) | length) == $d
  and ($r | map(select(.resourceType == "Procedure")) | length) == $p
  and all($r[] | select(.resourceType != "Patient"); .subject.reference == "Patient/" + $pt[0].id)' \
  "$tmp/p1.json" >/dev/null || fail "FHIR packet: $(jq -c '[.entry[].resource.resourceType] | group_by(.) | map([.[0], length])' "$tmp/p1.json") vs enc $n_enc dx $n_dx px $n_px"
# exempt disclosures (treatment, payment, the patient's own copy)
mrt --purpose treatment disclose new --patient $A --recipient "Dr Referral" --items diagnoses >/dev/null
mrt --purpose payment disclose new --patient $A --recipient "Medicare" --items diagnoses,procedures >/dev/null
mrt --purpose patient_request disclose new --patient $A --recipient "the patient" --items demographics >/dev/null
mrt disclose list $A --json | jq -e '[.[].purpose] == ["patient_request", "payment", "treatment",
  "public_health", "public_health"]' >/dev/null || fail "disclose list: $(mrt disclose list $A --json | jq -c '[.[].purpose]')"
mrt disclose accounting $A --json >"$tmp/acc.json"
jq -e --arg d "$today" '.entries | length == 2 and (.[0] | .date == $d and .recipient == "State Health Dept"
  and .recipient_address == "1 Capitol Way, Boston MA" and .purpose == "public_health"
  and .legal_basis == "45 CFR 164.512(b); MGL c.111 s.6" and .items == "encounters,diagnoses"
  and .description == "encounters; diagnoses")' "$tmp/acc.json" >/dev/null ||
  fail "accounting: $(cat "$tmp/acc.json")"
jq -e --arg f "$(date -d "$today - 6 years" +%Y-%m-%d)" '.from == $f' "$tmp/acc.json" >/dev/null ||
  fail "default window is not six years: $(jq -c .from "$tmp/acc.json")"
mrt disclose accounting $A | grep -q "State Health Dept" || fail "table output"

# --- six years back ---------------------------------------------------------
old=$(date -d "$today - 6 years - 10 days" +%Y-%m-%d) recent=$(date -d "$today - 5 years" +%Y-%m-%d)
MRT_TODAY=$old mrt --purpose legal disclose new --patient $A --recipient "Old Court" \
  --legal-basis "subpoena" --items diagnoses >/dev/null
MRT_TODAY=$recent mrt --purpose legal disclose new --patient $A --recipient "Recent Court" \
  --legal-basis "subpoena" --items diagnoses >/dev/null
mrt disclose accounting $A --from 2000-01-01 --json >"$tmp/acc.json"
jq -e '[.entries[].recipient] == ["Recent Court", "State Health Dept", "State Health Dept"]' "$tmp/acc.json" >/dev/null ||
  fail "six-year window: $(jq -c '[.entries[] | [.date, .recipient]]' "$tmp/acc.json")"
mrt disclose accounting $A --from "$today" --json | jq -e '.entries | length == 2' >/dev/null ||
  fail "--from"

# --- suspension at an agency's request --------------------------------------
mrt --purpose legal disclose new --patient $A --recipient "County Sheriff" --kind law-enforcement \
  --legal-basis "45 CFR 164.512(f)(1)" --items encounters >/dev/null
mrt disclose accounting $A --json | jq -e 'any(.entries[]; .recipient == "County Sheriff")' >/dev/null ||
  fail "law-enforcement disclosure not in the accounting"
refused "at most 30 days" mrt disclose suspend --patient $A --agency "County Sheriff" --until "$(plus 45)" --oral
mrt disclose suspend --patient $A --agency "county  sheriff" --until "$(plus 20)" --oral >/dev/null
mrt disclose accounting $A --json >"$tmp/acc.json"
jq -e '.suspended == 1 and all(.entries[]; .recipient != "County Sheriff")' "$tmp/acc.json" >/dev/null ||
  fail "suspended entry shown: $(jq -c . "$tmp/acc.json")"
MRT_TODAY=$(plus 20) mrt disclose accounting $A --json |
  jq -e '.suspended == 0 and any(.entries[]; .recipient == "County Sheriff")' >/dev/null ||
  fail "suspension did not end on its date"

# --- the request for an accounting: 60 days, one 30-day extension ----------
mrt disclose accounting $A --request --json >"$tmp/req.json"
rq=$(jq -r .request "$tmp/req.json")
jq -e --arg d "$(plus 60)" '.due == $d' "$tmp/req.json" >/dev/null || fail "due date: $(cat "$tmp/req.json")"
mrt --user tech queue list --role him_technician --json |
  jq -e --arg r "$rq" --arg d "$(plus 60)" 'any(.[]; .kind == "accounting-request" and .subject_id == $r
    and .due_date == $d)' >/dev/null || fail "request not in the him_technician queue"
refused "needs --reason" mrt disclose extend "$rq" --reason " "
mrt disclose extend "$rq" --reason "records held off site" | grep -q "now due $(plus 90)" || fail "extension"
refused "already extended once" mrt disclose extend "$rq" --reason "again"
q "SELECT extended_due_on || ' ' || extension_reason FROM accounting_request WHERE id = $rq" |
  grep -qx "$(plus 90) records held off site" || fail "extension not stored"
mrt --user tech disclose accounting $A --json | jq -e --argjson r "$rq" '.answered_requests == [$r]' >/dev/null ||
  fail "the accounting did not answer the request"
mrt --user tech queue list --role him_technician --status all --json |
  jq -e --arg r "$rq" 'any(.[]; .subject_id == $r and .status == "done")' >/dev/null ||
  fail "the request's work item was not closed"
refused "already answered" mrt disclose extend "$rq" --reason "late"
mrt disclose accounting $A --json | jq -e '.answered_requests == []' >/dev/null || fail "answered twice"

# --- restrictions ------------------------------------------------------------
refused "may not be denied" mrt restriction add --patient $A --kind health-plan-self-pay \
  --recipient "Acme Health Plan" --status denied
# a requested restriction is not enforced until agreed; one may be denied
r1=$(mrt restriction add --patient $A --kind other --recipient "Life Insurer" --status requested --json | jq -r .id)
mrt --purpose payment disclose new --patient $A --recipient "Life Insurer" --items diagnoses >/dev/null ||
  fail "a requested (not agreed) restriction was enforced"
mrt restriction decide "$r1" agreed --note "agreed by the privacy officer" >/dev/null
refused "restriction $r1" mrt --purpose payment disclose new --patient $A --recipient "Life Insurer" --items diagnoses
refused "not requested" mrt restriction decide "$r1" denied
mrt restriction end "$r1" >/dev/null
rid=$(mrt restriction add --patient $A --kind health-plan-self-pay --recipient "Acme Health Plan" \
  --items diagnoses,procedures --json | jq -r .id)
before=$(q 'SELECT count(*) FROM disclosure')
refused "restriction $rid" mrt --purpose payment disclose new --patient $A \
  --recipient "ACME health plan" --items diagnoses
[ "$(q 'SELECT count(*) FROM disclosure')" = "$before" ] || fail "a restricted disclosure was recorded"
mrt --purpose payment disclose new --patient $A --recipient "Acme Health Plan" --items demographics >/dev/null ||
  fail "an item outside the restriction was refused"
mrt --purpose public_health disclose new --patient $A --recipient "Acme Health Plan" \
  --legal-basis "45 CFR 164.512(b)" --items diagnoses --json >"$tmp/ov.json"
jq -e --argjson r "$rid" '.override_restriction_id == $r' "$tmp/ov.json" >/dev/null || fail "override not recorded"
q "SELECT detail FROM audit_event WHERE action = 'disclose.new' AND object_id = '$(jq -r .id "$tmp/ov.json")'" |
  grep -q "restriction $rid overridden (public_health)" || fail "override not in the audit detail"
mrt restriction list $A --json | jq -e --argjson r "$rid" 'any(.[]; .id == $r and .active)' >/dev/null ||
  fail "restriction list"
mrt restriction end "$rid" --reason "patient withdrew it" >/dev/null
mrt --purpose payment disclose new --patient $A --recipient "Acme Health Plan" --items diagnoses >/dev/null ||
  fail "an ended restriction still refuses"
mrt restriction list $A --json | jq -e 'length == 0' >/dev/null || fail "ended restriction listed"
mrt restriction list $A --all --json | jq -e 'length == 2 and all(.[]; .ended_at != null)
  and .[0].decided_at != null' >/dev/null || fail "--all"

# confidential communications: the patient's copy goes to the address asked for
mrt restriction add --patient $C --kind confidential-communication --address "PO Box 7, Springfield" \
  --phone "555-0100" >/dev/null
mrt restriction list $C | grep -q "PO Box 7" || fail "confidential communication not listed"
mrt --purpose patient_request disclose new --patient $C --recipient "the patient" --items demographics \
  --out "$tmp/pc.txt" --json | jq -e '.recipient_address == "PO Box 7, Springfield"' >/dev/null ||
  fail "confidential address not used"
grep -q "PO Box 7, Springfield" "$tmp/pc.txt" || fail "packet not addressed to the confidential address"

# --- 42 CFR Part 2 -------------------------------------------------------------
mrt label add patient $B 42CFRPart2 --reason "SUD program record" >/dev/null
refused "Part 2 consent" mrt --purpose legal disclose new --patient $B --recipient "County Court" \
  --legal-basis "court order" --items diagnoses
q "SELECT outcome FROM audit_event WHERE action = 'disclose.new' ORDER BY id DESC LIMIT 1" | grep -qx deny ||
  fail "the Part 2 refusal is not audited"
refused "missing or wrong" mrt --purpose legal authorization add --patient $B --recipient "County Court" \
  --items diagnoses --expires "$(plus 30)" --signed-by "Pat B" --part2
grep -q "^missing: right-to-revoke" "$tmp/err" || fail "missing element not named"
refused "missing or wrong" mrt --purpose legal authorization add --patient $B --recipient "County Court" \
  --items diagnoses --signed-by "Pat B" --part2 --statements-acknowledged
aid=$(mrt --purpose legal authorization add --patient $B --recipient "County Court" --items diagnoses,encounters \
  --expires "$(plus 30)" --signed-by "Pat B" --statements-acknowledged --part2 --json | jq -r .id)
mrt --purpose legal disclose new --patient $B --recipient "county court" --legal-basis "court order" \
  --items diagnoses --out "$tmp/p2.txt" >/dev/null
grep -q "42 CFR part 2 notice (42 CFR 2.32)" "$tmp/p2.txt" || fail "text packet lacks the Part 2 notice"
mrt --purpose legal disclose new --patient $B --recipient "County Court" --legal-basis "court order" \
  --items encounters --format fhir --out "$tmp/p2.json" >/dev/null
jq -e '.resourceType == "Bundle" and any(.meta.security[]; .code == "42CFRPart2")
  and any(.extension[]; .valueString | test("42 CFR 2.32"))
  and any(.entry[]; .resource.resourceType == "Encounter")' "$tmp/p2.json" >/dev/null ||
  fail "FHIR packet lacks the notice or the encounters"
refused "authorization" mrt --purpose legal disclose new --patient $B --recipient "County Court" \
  --legal-basis "court order" --items documents   # not an item the consent covers
MRT_TODAY=$(plus 31) refused "expired" mrt --purpose legal disclose new --patient $B \
  --recipient "County Court" --legal-basis "court order" --items diagnoses --authorization "$aid"
mrt authorization revoke "$aid" --reason "patient revoked in writing" >/dev/null
refused "revoked" mrt --purpose legal disclose new --patient $B --recipient "County Court" \
  --legal-basis "court order" --items diagnoses --authorization "$aid"
mrt authorization list $B --json | jq -e '.[0].state == "revoked" and .[0].part2' >/dev/null ||
  fail "authorization list"
mrt disclose accounting $B --json | jq -e '.entries | length == 0' >/dev/null ||
  fail "disclosures per authorization are exempt from the accounting"

# --- research needs an authorization; psychotherapy notes are withheld -------
refused "authorization" mrt --purpose research disclose new --patient $C --recipient "Univ Study" --items diagnoses
pc=$(q "SELECT id FROM patient WHERE mrn = '$C'")
q "INSERT INTO document (patient_id, doc_ref, title, status, text, source, created_at)
   VALUES ($pc, 'psy-1', 'Session note', 'signed', 'PSYNOTE-CANARY', 'test', '$today')"
q "INSERT INTO document (patient_id, doc_ref, title, status, text, source, created_at)
   VALUES ($pc, 'dc-1', 'Discharge summary', 'signed', 'SUMMARY-TEXT', 'test', '$today')"
mrt label add document psy-1 PSYTHPN >/dev/null
mrt --purpose treatment disclose new --patient $C --recipient "Dr Next" --items documents \
  --out "$tmp/p3.txt" --json | jq -e '.withheld == 1' >/dev/null || fail "psychotherapy note not withheld"
grep -q "SUMMARY-TEXT" "$tmp/p3.txt" || fail "the other document is missing"
grep -q "PSYNOTE-CANARY" "$tmp/p3.txt" && fail "a psychotherapy note was released without authorization"

# --- --out never replaces anything; overlong text ------------------------------
echo precious >"$tmp/victim"; ln -s "$tmp/victim" "$tmp/link"; ln -s "$tmp/nowhere" "$tmp/dangling"
n0=$(q 'SELECT count(*) FROM disclosure')
for target in "$tmp/victim" "$tmp/link" "$tmp/dangling"; do
  refused "already exists" mrt --purpose treatment disclose new --patient $A --recipient "Dr X"     --items diagnoses --out "$target"
done
[ "$(cat "$tmp/victim")" = precious ] && [ ! -e "$tmp/nowhere" ] || fail "--out wrote over or through a file"
[ "$(q 'SELECT count(*) FROM disclosure')" = "$n0" ] || fail "a refused --out was recorded"
long=$(head -c 600 /dev/zero | tr '\0' x)
refused "too long" mrt --purpose treatment disclose new --patient $A --recipient "$long" --items diagnoses
refused "longer than 500" mrt --purpose research authorization add --patient $A --recipient "$long" \
  --items diagnoses --expires 2030-01-01 --signed-by P --statements-acknowledged
refused "longer than 500" mrt restriction add --patient $A --kind other --recipient "$long"

# --- SQL text stored as written; roles; audit ---------------------------------
evil="x'); DROP TABLE disclosure; --" basis="1' OR '1'='1"
mrt --purpose public_health disclose new --patient $A --recipient "$evil" --legal-basis "$basis" \
  --items demographics --json >"$tmp/ev.json"
jq -e --arg r "$evil" --arg b "$basis" '.recipient == $r and .legal_basis == $b' "$tmp/ev.json" >/dev/null ||
  fail "SQL text altered"
mrt disclose accounting $A --json | jq -e --arg r "$evil" 'any(.entries[]; .recipient == $r)' >/dev/null ||
  fail "SQL text recipient not in the accounting"
refused "no patient with that MRN" mrt --purpose public_health disclose new --patient "$A' OR '1'='1" \
  --recipient R --legal-basis L --items demographics
refused "required" mrt --user cody --purpose public_health disclose new --patient $A --recipient R \
  --legal-basis L --items demographics
refused "required" mrt --user cody disclose accounting $A
q "SELECT count(*) FROM audit_event WHERE on_behalf_of = 'cody' AND outcome = 'deny'" | grep -qx 2 ||
  fail "coder refusals not audited"
n_new=$(q "SELECT count(*) FROM disclosure")
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'disclose.new' AND outcome = 'allow'")" = "$n_new" ] ||
  fail "not one audit event per disclosure"
for a in restriction.add restriction.decide restriction.end authorization.add authorization.revoke disclose.suspend \
         disclose.request disclose.extend; do
  [ "$(q "SELECT count(*) FROM audit_event WHERE action = '$a' AND patient_id IS NOT NULL")" -ge 1 ] ||
    fail "no audit event $a"
done
q "SELECT detail FROM audit_event WHERE action LIKE 'disclose.%' OR action LIKE 'restriction.%'
   OR action LIKE 'authorization.%'" | grep -E -q "State Health|Acme|PO Box|Pat B|$A" &&
  fail "patient or recipient data in an audit detail"
mrt audit verify >/dev/null || fail "audit chain"
echo "disclose_roi: ok"
