#!/usr/bin/env bash
# Disclosure packets on Synthea data (CSV plus the FHIR bundles, which
# carry clinical notes): demographics come from the chart as stored;
# documents are all released, one encounter's with --encounter; a
# psychotherapy note is withheld unless authorized (and the user holds its
# grant); a document labelled 42CFRPart2 makes a
# release of documents need Part 2 consent but not a release of
# demographics only (labels count for what is released); the patient's own
# copy goes to their confidential-communication address.
. "$(dirname "$0")/lib/common.sh"
src=$data/synthea-mcode-ri
[ -f "$src/csv/patients.csv" ] && ls "$src"/fhir/*.json >/dev/null 2>&1 ||
  { echo "no Synthea CSV and FHIR in $data: skipped"; exit 77; }
needs sqlite3 jq

mrt init >/dev/null
mrt import synthea "$src" >/dev/null
mkdir "$tmp/fhir" && cp "$src"/fhir/*.json "$tmp/fhir/"
mrt import fhir "$tmp/fhir" >/dev/null
pid=$(q "SELECT patient_id FROM document GROUP BY patient_id ORDER BY count(*) DESC, patient_id LIMIT 1")
[ -n "$pid" ] || fail "no documents in the Synthea FHIR bundles"
mrn=$(q "SELECT mrn FROM patient WHERE id = $pid")
ndoc=$(q "SELECT count(*) FROM document WHERE patient_id = $pid AND superseded_by IS NULL")
[ "$ndoc" -ge 3 ] || fail "expected several documents, found $ndoc"

# demographics as stored
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items demographics \
  --out "$tmp/demo.txt" >/dev/null
IFS='|' read -r fam birth street <<<"$(q "SELECT family, birth_date, address_line FROM patient WHERE id = $pid")"
for v in "$fam" "$birth" "$street"; do
  grep -qF -- "$v" "$tmp/demo.txt" || fail "demographics packet lacks a stored value"
done
grep -q "^== Encounters ==" "$tmp/demo.txt" && fail "encounters released with demographics only"

# every document; one encounter's
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items documents \
  --out "$tmp/docs.txt" >/dev/null
[ "$(grep -c '^  document   ' "$tmp/docs.txt")" = "$ndoc" ] || fail "documents: $(grep -c '^  document   ' "$tmp/docs.txt") of $ndoc"
acct=$(q "SELECT e.account FROM document d JOIN encounter e ON e.id = d.encounter_id WHERE d.patient_id = $pid
          ORDER BY d.id LIMIT 1")
n1=$(q "SELECT count(*) FROM document d JOIN encounter e ON e.id = d.encounter_id
        WHERE e.account = '$acct' AND d.superseded_by IS NULL")
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items documents \
  --encounter "$acct" --out "$tmp/one.txt" >/dev/null
[ "$(grep -c '^  document   ' "$tmp/one.txt")" = "$n1" ] && [ "$(grep -c '^Encounter ' "$tmp/one.txt")" = 1 ] ||
  fail "--encounter released more than that encounter"
if mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items documents \
  --encounter "no-such-account" >/dev/null 2>"$tmp/err"; then fail "unknown --encounter accepted"; fi

# a psychotherapy note is withheld
psy=$(q "SELECT doc_ref FROM document WHERE patient_id = $pid ORDER BY id LIMIT 1")
mrt label add document "$psy" PSYTHPN >/dev/null
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items documents \
  --out "$tmp/psy.txt" --json | jq -e '.withheld == 1' >/dev/null || fail "psychotherapy note not withheld"
[ "$(grep -c '^  document   ' "$tmp/psy.txt")" = $((ndoc - 1)) ] || fail "withheld count"
grep -qF "  document   $psy " "$tmp/psy.txt" && fail "the psychotherapy note was released"
# with an authorization that covers psychotherapy notes, and the user's grant of the label
mrt --purpose treatment authorization add --patient "$mrn" --recipient "Dr Psy" --items documents \
  --expires 2099-01-01 --signed-by "the patient" --statements-acknowledged --psychotherapy >/dev/null
if mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Psy" --items documents \
  >/dev/null 2>"$tmp/err"; then fail "psychotherapy note released by a user without its grant"; fi
grep -q "psychotherapy note" "$tmp/err" || fail "refusal: $(cat "$tmp/err")"
mrt user grant "$(id -un)" PSYTHPN >/dev/null
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Psy" --items documents \
  --out "$tmp/psy2.txt" --json | jq -e '.withheld == 0 and .authorization_id != null' >/dev/null ||
  fail "psychotherapy note with its authorization"
grep -qF "  document   $psy " "$tmp/psy2.txt" || fail "the authorized psychotherapy note is missing"

# a Part 2 document: documents need consent, demographics alone do not
p2=$(q "SELECT doc_ref FROM document WHERE patient_id = $pid ORDER BY id LIMIT 1 OFFSET 1")
mrt label add document "$p2" 42CFRPart2 >/dev/null
if mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items documents \
  2>"$tmp/err" >/dev/null; then fail "Part 2 document released without consent"; fi
grep -q "Part 2 consent" "$tmp/err" || fail "refusal: $(cat "$tmp/err")"
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items demographics \
  --out "$tmp/demo2.txt" >/dev/null || fail "demographics refused for a Part 2 document"
grep -q "42 CFR 2.32" "$tmp/demo2.txt" && fail "notice on a packet with no Part 2 record"
mrt --purpose treatment authorization add --patient "$mrn" --recipient "Dr Next" --items documents \
  --expires "end of treatment" --signed-by "the patient" --statements-acknowledged --part2 >/dev/null
mrt --purpose treatment disclose new --patient "$mrn" --recipient "Dr Next" --items documents \
  --out "$tmp/p2.txt" --json | jq -e '.part2_notice == 1 and .authorization_id == 2' >/dev/null ||
  fail "Part 2 release with consent"
grep -q "42 CFR 2.32" "$tmp/p2.txt" || fail "Part 2 packet lacks the notice"

# the patient's own copy goes to the confidential address
mrt restriction add --patient "$mrn" --kind confidential-communication --address "General Delivery, Newport RI" >/dev/null
mrt --purpose patient_request disclose new --patient "$mrn" --recipient "the patient" --items demographics \
  --out "$tmp/own.txt" >/dev/null
grep -q "Recipient address: *General Delivery, Newport RI" "$tmp/own.txt" || fail "confidential address"
mrt disclose accounting "$mrn" --json | jq -e '.entries | length == 0' >/dev/null ||
  fail "treatment, patient and authorized disclosures are exempt from the accounting"
mrt audit verify >/dev/null || fail "audit chain"
echo "disclose_synthea: ok"
