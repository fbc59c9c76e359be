#!/usr/bin/env bash
# Charts and the coder's entry on the real ICD-10-CM/PCS releases: a small
# hand-made hospital in the MIMIC-IV hosp layout, with real dates, is
# imported; its codes are checked against the release in effect on each
# discharge date (findings, not refusals); `mrt encounter code` then refuses
# a header (offering its billable codes), a code not yet valid on the
# discharge date (E11A before FY2026), a bad POA and a procedure after
# discharge, and accepts valid codes, keeping each previous coding as
# history. Patient and encounter views, roles and the audit chain.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
DATA=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
CM=$DATA/icd10cm
PCS=$DATA/icd10pcs
[ -f "$CM/fy2026/icd10cm_order_2026.txt" ] || { echo "no data in $DATA"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export MRT_SITE_DIR=$T/site
DB=$T/mrt.db
mrt() { "$MRT" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

mrt init >/dev/null
mrt user add reg --os-account reg-os --role registrar >/dev/null
mrt user add cody --os-account cody-os --role coder >/dev/null
mrt codes load "$CM/fy2025/icd10cm_order_2025.txt" "$CM/fy2026/icd10cm_order_2026.txt" \
  "$PCS/fy2026/icd10pcs_order_2026.txt" >/dev/null

H=$T/hosp; mkdir -p "$H"
cat > "$H/patients.csv" <<'CSV'
subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod
900001,F,61,2025,2023 - 2025,
900002,M,70,2025,2023 - 2025,2025-11-20
CSV
cat > "$H/admissions.csv" <<'CSV'
subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,admission_location,discharge_location,insurance,language,marital_status,race,edregtime,edouttime,hospital_expire_flag
900001,800001,2025-03-10 08:00:00,2025-03-15 12:00:00,,URGENT,P00001,EMERGENCY ROOM,HOME,Medicare,ENGLISH,MARRIED,WHITE,,,0
900001,800002,2025-11-01 09:30:00,2025-11-03 16:00:00,,ELECTIVE,P00001,PHYSICIAN REFERRAL,HOME HEALTH CARE,Medicare,ENGLISH,MARRIED,WHITE,,,0
900002,800003,2025-11-10 22:00:00,2025-11-20 05:00:00,2025-11-20 05:00:00,EW EMER.,P00002,EMERGENCY ROOM,DIED,Medicare,ENGLISH,WIDOWED,WHITE,,,1
CSV
printf 'subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime\n900001,800002,700001,admit,Medicine,2025-11-01 09:30:00,2025-11-03 16:00:00\n900001,800002,700002,discharge,,2025-11-03 16:00:00,\n' > "$H/transfers.csv"
printf 'subject_id,hadm_id,transfertime,prev_service,curr_service\n900001,800002,2025-11-01 09:30:00,,MED\n' > "$H/services.csv"
cat > "$H/diagnoses_icd.csv" <<'CSV'
subject_id,hadm_id,seq_num,icd_code,icd_version
900001,800001,1,E11A,10
900001,800001,2,I10,10
900001,800002,1,E11A,10
900001,800002,2,I251,10
900002,800003,1,I2510,10
900002,800003,2,4019,9
CSV
printf 'subject_id,hadm_id,seq_num,chartdate,icd_code,icd_version\n900001,800002,1,2025-11-02,0DTJ4ZZ,10\n' > "$H/procedures_icd.csv"
printf 'provider_id\nP00001\nP00002\n' > "$H/provider.csv"
printf 'subject_id,hadm_id,drg_type,drg_code,description,drg_severity,drg_mortality\n' > "$H/drgcodes.csv"
mrt import mimic "$H" >/dev/null || fail "import"

# Imported codes are kept as sent; problems are findings on the release at discharge.
mrt encounter show 800001 --json > "$T/e1.json"
jq -e '.mrn == "900001" and .discharge_at == "2025-03-15T12:00:00" and .coding.cm_release == "2025"
  and ([.diagnoses[].code] == ["E11A", "I10"])
  and ([.findings[] | {code, problem}] == [{"code": "E11A", "problem": "invalid"}])' "$T/e1.json" >/dev/null ||
  fail "FY2025 encounter findings: $(jq -c '{coding, findings}' "$T/e1.json")"
mrt encounter show 800002 --json > "$T/e2.json"
jq -e '.coding.cm_release == "2026" and .coding.pcs_release == "2026"
  and ([.findings[] | {code, problem}] == [{"code": "I251", "problem": "not-billable"}])
  and (.procedures[0].code == "0DTJ4ZZ") and (.transfers | length == 2) and .discharge_status == "06"' \
  "$T/e2.json" >/dev/null || fail "FY2026 encounter: $(jq -c '{coding, findings, discharge_status}' "$T/e2.json")"
mrt encounter show 800003 --json | jq -e '.findings == [] and .diagnoses[1].system ==
  "http://hl7.org/fhir/sid/icd-9-cm" and .patient.mrn == "900002" and .discharge_status == "20"' >/dev/null ||
  fail "ICD-9 code kept, not checked; expired"

# The coder's entry: refused with reasons, nothing written.
before=$(sqlite3 "$DB" "SELECT count(*) FROM coding")
set +e
mrt --user cody encounter code 800002 --pdx I25.1:Y --sdx E11A:Q --px 0DTJ4ZZ@2025-11-04 --json \
  > "$T/ref.json" 2> "$T/ref.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "refusal exit status $rc"
grep -q "I25.1" "$T/ref.err" || fail "error names the code: $(cat "$T/ref.err")"
jq -e '.refused | length == 3 and .[0].problem == "not-billable" and (.[0].suggestions | map(.code) | index("I2510") != null)
  and (.[0].suggestions | all(.code | startswith("I251"))) and .[1].problem == "bad-poa"
  and .[2].problem == "after-discharge"' "$T/ref.json" >/dev/null ||
  fail "refusals: $(jq -c '.refused | map({code, problem})' "$T/ref.json")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM coding")" = "$before" ] || fail "a refused coding wrote rows"
# E11A is not valid before FY2026: refused on the 2025-03-15 discharge, with the release named.
set +e; mrt --user cody encounter code 800001 --pdx E11A:Y 2> "$T/e11a.err"; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "not a valid ICD-10-CM code on 2025-03-15 (release 2025)" "$T/e11a.err" ||
  fail "E11A in FY2025: $(cat "$T/e11a.err")"
# Accepted on the FY2026 discharge; the import's coding stays as history.
mrt --user cody encounter code 800002 --pdx E11.A:Y --sdx I25.10:N --sdx I10:Y --px 0DTJ4ZZ@2025-11-02 --json > "$T/ok.json"
jq -e '[.diagnoses[] | [.kind, .code, .poa]] == [["principal","E11A","Y"],["secondary","I2510","N"],["secondary","I10","Y"]]
  and .findings == [] and .coding.source == "coder" and .coding_status == "in-progress"
  and (.coding_history | length) as $n | $n >= 2 and (.coding_history[-1].state == "current")
  and (.coding_history[0].state == "superseded")' "$T/ok.json" >/dev/null ||
  fail "accepted coding: $(jq -c '{diagnoses, coding, coding_history}' "$T/ok.json")"
n1=$(jq '.coding_history | length' "$T/ok.json")
mrt --user cody encounter code 800002 --pdx E11A:Y --sdx I10:Y --final --json > "$T/ok2.json"
jq -e --argjson n "$n1" '(.coding_history | length == $n + 1) and .coding_status == "final"' "$T/ok2.json" >/dev/null ||
  fail "re-coding keeps history"
# The same coding again changes nothing.
mrt --user cody encounter code 800002 --pdx E11A:Y --sdx I10:Y --final --json | \
  jq -e --argjson n "$n1" '.coding_history | length == $n + 1' >/dev/null || fail "identical re-code"

# Roles: a registrar reads charts but may not code; the refusal is audited.
mrt --user reg patient show 900001 --json | jq -e '.mrn == "900001" and (.encounters | length == 2)
  and (.identifiers[0].type == "MR")' >/dev/null || fail "patient show"
set +e; mrt --user reg encounter code 800002 --pdx E11A:Y 2> "$T/deny.err"; rc=$?; set -e
[ "$rc" = 1 ] && grep -qi "coder" "$T/deny.err" || fail "registrar coding: rc $rc $(cat "$T/deny.err")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit_event WHERE action = 'encounter.code' AND outcome = 'deny'")" = 1 ] ||
  fail "deny not audited"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit_event WHERE action = 'patient.show' AND patient_id IS NOT NULL")" = 1 ] ||
  fail "patient.show not audited with the patient"
# Not found and usage.
set +e; mrt patient show 123 >/dev/null 2>&1; rc=$?; set -e; [ "$rc" = 1 ] || fail "unknown MRN rc $rc"
set +e; mrt encounter code 800002 >/dev/null 2>&1; rc=$?; set -e; [ "$rc" = 2 ] || fail "no --pdx rc $rc"
mrt encounter status 800002 billed
mrt encounter show 800002 --json | jq -e '.coding_status == "billed"' >/dev/null || fail "status"
mrt audit verify >/dev/null || fail "audit verify"
echo "chart coding: ok"
