# shellcheck shell=bash
# Small hand-made charts in every import format, for the attack and canary
# tests (sourced; not a test itself: tests/CMakeLists.txt globs only
# tests/integration/*.sh). Each writer takes the values to put in the
# identifying fields, so a test can plant a canary or a hostile string.
#
#   fx_hl7 FILE MRN FAMILY GIVEN STREET ACCOUNT [CONTROL_ID]   one ADT^A01
#   fx_fhir_bundle FILE MRN FAMILY GIVEN STREET ACCOUNT [ID]   Bundle: Patient + Encounter
#   fx_fhir_ndjson DIR MRN FAMILY GIVEN STREET ACCOUNT [ID]    Patient.ndjson + Encounter.ndjson
#   fx_synthea DIR UUID FAMILY GIVEN STREET ENC_UUID           patients.csv + encounters.csv
#   fx_mimic DIR SUBJECT_ID HADM_ID CAREUNIT                   hosp/patients, admissions, transfers
# Values go through jq (JSON) or are written as they are (HL7, CSV): a value
# with a delimiter of that format is the caller's choice.

fx_hl7() {
  local f=$1 mrn=$2 fam=$3 giv=$4 street=$5 acc=$6 ctl=${7:-FX$RANDOM$RANDOM}
  printf '%s\r' \
    "MSH|^~\\&|FXAPP|FXFAC|MRT|HOSP|20240101120000||ADT^A01^ADT_A01|$ctl|P|2.5.1" \
    "EVN|A01|20240101120000" \
    "PID|1||$mrn^^^HOSP^MR||$fam^$giv||19800101|F|||$street^^Boston^MA^02101||555-0100|||||$acc" \
    "PV1|1|I|MED^101^A||||||||||||||||$acc|||||||||||||||||||||||||20240101120000" >"$f"
}

fx_fhir_patient() { # MRN FAMILY GIVEN STREET ID
  jq -cn --arg mrn "$1" --arg fam "$2" --arg giv "$3" --arg st "$4" --arg id "$5" '{
    resourceType: "Patient", id: $id,
    identifier: [{system: "urn:fx", type: {coding: [{code: "MR"}]}, value: $mrn}],
    name: [{use: "official", family: $fam, given: [$giv]}], gender: "female",
    birthDate: "1980-01-01", telecom: [{system: "phone", value: "555-0100"}],
    address: [{line: [$st], city: "Boston", state: "MA", postalCode: "02101"}]}'
}

fx_fhir_encounter() { # ACCOUNT PATIENT_ID ID
  jq -cn --arg acc "$1" --arg pid "$2" --arg id "$3" '{
    resourceType: "Encounter", id: $id, identifier: [{value: $acc}], status: "finished",
    class: {code: "IMP"}, period: {start: "2024-01-01T08:00:00Z", end: "2024-01-03T10:00:00Z"},
    subject: {reference: ("Patient/" + $pid)}}'
}

fx_fhir_bundle() {
  local f=$1 id=${7:-fxp}
  {
    fx_fhir_patient "$2" "$3" "$4" "$5" "$id"
    fx_fhir_encounter "$6" "$id" "${id}e"
  } | jq -cs '{resourceType: "Bundle", type: "collection", entry: map({resource: .})}' >"$f"
}

fx_fhir_ndjson() {
  local d=$1 id=${7:-fxp}
  mkdir -p "$d"
  fx_fhir_patient "$2" "$3" "$4" "$5" "$id" >"$d/Patient.ndjson"
  fx_fhir_encounter "$6" "$id" "${id}e" >"$d/Encounter.ndjson"
}

fx_synthea() {
  local d=$1 p=$2 fam=$3 giv=$4 street=$5 e=$6
  mkdir -p "$d"
  cat >"$d/patients.csv" <<CSV
Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE
$p,1960-01-02,,999-00-0001,,,Mrs.,$giv,$fam,,,M,white,nonhispanic,F,,$street,Boston,Massachusetts,Suffolk County,02101,0,0,0,0
CSV
  cat >"$d/encounters.csv" <<CSV
Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION
$e,2019-01-01T10:00:00Z,2019-01-03T10:00:00Z,$p,,,,inpatient,185347001,Encounter,1,1,1,,
CSV
  cat >"$d/conditions.csv" <<CSV
START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION
2019-01-01,,$p,$e,44054006,Diabetes
CSV
}

fx_mimic() {
  local h=$1/hosp s=$2 a=$3 unit=$4
  mkdir -p "$h"
  cat >"$h/patients.csv" <<CSV
subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod
$s,F,40,2150,2011 - 2013,
CSV
  cat >"$h/admissions.csv" <<CSV
subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,admission_location,discharge_location,insurance,language,marital_status,race,edregtime,edouttime,hospital_expire_flag
$s,$a,2150-03-01 10:00:00,2150-03-05 12:00:00,,URGENT,P1,EMERGENCY ROOM,HOME,Medicare,ENGLISH,MARRIED,WHITE,,,0
CSV
  cat >"$h/diagnoses_icd.csv" <<CSV
subject_id,hadm_id,seq_num,icd_code,icd_version
$s,$a,1,I10,10
CSV
  cat >"$h/transfers.csv" <<CSV
subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime
$s,$a,${a}1,admit,$unit,2150-03-01 10:00:00,2150-03-05 12:00:00
CSV
}
