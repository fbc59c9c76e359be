#!/usr/bin/env bash
# Coding quality: audits and DNFC turnaround on the real ICD-10-CM/PCS
# releases. A small hand-made hospital (MIMIC-IV hosp layout, FY2025 and
# FY2026 dates) is imported; two coders code and finalise encounters with
# `mrt encounter code`; a supervisor draws samples (size, reproducible with
# --seed, only the audited coder's encounters); a reviewer codes blind with
# deliberate disagreements (a POA, a code of the same category, the
# principal, a missing and an extra code, a missing procedure); the report
# gives the exact agreement figures and lists each disagreement. Refusals:
# a coder cannot draw samples, review their own coding or read another
# coder's report; the reviewer's codes are checked against the release of
# the discharge date. DNFC counts, days and order are exact on a pinned
# date (MRT_TODAY); on the MIMIC-IV demo every discharged admission is
# counted, oldest first.
. "$(dirname "$0")/lib/common.sh"
CM=$data/icd10cm
PCS=$data/icd10pcs
[ -f "$CM/fy2026/icd10cm_order_2026.txt" ] || { echo "no code sets in $data: skipped"; exit 77; }
needs jq sqlite3
export MRT_SITE_DIR=$tmp/site

mrt init >/dev/null
add_users sup:him_technician cody:coder cora:coder cal:coder reg:registrar pat:privacy_officer
mrt codes load "$CM/fy2025/icd10cm_order_2025.txt" "$CM/fy2026/icd10cm_order_2026.txt" \
  "$PCS/fy2026/icd10pcs_order_2026.txt" "$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt" >/dev/null

# ---- the hospital: accounts 800101 (FY2025) .. 800113 ---------------------------------------
H=$tmp/hosp; mkdir -p "$H"
{
  echo "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod"
  for i in $(seq 1 13); do echo "9100$((10 + i)),F,60,2025,2023 - 2025,"; done
} > "$H/patients.csv"
disch=(x 2025-09-20 2025-10-03 2025-10-08 2025-10-15 2025-10-22 2025-10-29 2025-11-02 2025-11-04
       2025-11-28 2025-11-24 2025-10-20 2025-11-10 2025-12-05)
{
  echo "subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,admission_location,discharge_location,insurance,language,marital_status,race,edregtime,edouttime,hospital_expire_flag"
  for i in $(seq 1 13); do
    echo "9100$((10 + i)),8001$(printf %02d "$i"),${disch[$i]} 06:00:00,${disch[$i]} 12:00:00,,URGENT,P1,EMERGENCY ROOM,HOME,Medicare,ENGLISH,MARRIED,WHITE,,,0"
  done
} > "$H/admissions.csv"
# Same-day stays: the admission date is the discharge date minus nothing; fine for coding.
printf 'subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime\n' > "$H/transfers.csv"
printf 'subject_id,hadm_id,transfertime,prev_service,curr_service\n' > "$H/services.csv"
printf 'subject_id,hadm_id,seq_num,icd_code,icd_version\n' > "$H/diagnoses_icd.csv"
printf 'subject_id,hadm_id,seq_num,chartdate,icd_code,icd_version\n' > "$H/procedures_icd.csv"
printf 'provider_id\nP1\n' > "$H/provider.csv"
printf 'subject_id,hadm_id,drg_type,drg_code,description,drg_severity,drg_mortality\n' > "$H/drgcodes.csv"
mrt import mimic "$H" >/dev/null || fail "import"

code() { mrt --user "$@" >/dev/null || fail "encounter code: $*"; }
code cody encounter code 800101 --pdx J18.9:Y --sdx I10:Y --sdx E11.9:Y --final
code cody encounter code 800102 --pdx A41.9:Y --sdx N39.0:Y --sdx E87.1:N --final
code cody encounter code 800103 --pdx I48.91:Y --sdx E11.9:Y --sdx Z79.01 --final
code cody encounter code 800104 --pdx K80.00:Y --sdx K21.9:Y --px 0FT44ZZ --final
code cody encounter code 800105 --pdx N17.9:Y --sdx E87.1:Y --sdx K21.9:Y --final
code cody encounter code 800106 --pdx K35.80:Y --px 0DTJ4ZZ --final
code cal encounter code 800107 --pdx I50.9:Y --sdx I10:Y --final
code cal encounter code 800108 --pdx N39.0:Y --final
code cody encounter code 800109 --pdx I10:Y
code cal encounter code 800112 --pdx E78.5:Y

# ---- samples ------------------------------------------------------------------
refused "him_technician" mrt --user cody coding-audit sample --coder cal --n 1
refused "review their own" mrt --user sup coding-audit sample --coder cody --n 1 --reviewer cody
refused "not a coder or him_technician" mrt --user sup coding-audit sample --coder cody --n 1 --reviewer reg
refused "no user nobody" mrt --user sup coding-audit sample --coder nobody --n 1
refused "no final or billed coding" mrt --user sup coding-audit sample --coder cody --n 1 --from 2001-01-01 --to 2001-12-31
refused "--n" mrt --user sup coding-audit sample --coder cody --n 0
mrt --user sup coding-audit sample --coder cody --n 6 --reviewer cora --seed audit-1 --json > "$tmp/s1.json"
jq -e '.id == 1 and .coder == "cody" and .reviewer == "cora" and .n_requested == 6
  and .n_eligible == 6 and .n_drawn == 6 and .seed == "audit-1" and .seed_given
  and ([.items[].account] | sort == ["800101","800102","800103","800104","800105","800106"])' "$tmp/s1.json" >/dev/null ||
  fail "sample 1: $(jq -c . "$tmp/s1.json")"
# Reproducible with a seed: the same draw twice; only the coder's own encounters.
mrt --user sup coding-audit sample --coder cody --n 3 --seed again --json > "$tmp/s2.json"
mrt --user sup coding-audit sample --coder cody --n 3 --seed again --json > "$tmp/s3.json"
[ "$(jq -c '[.items[].account]' "$tmp/s2.json")" = "$(jq -c '[.items[].account]' "$tmp/s3.json")" ] ||
  fail "the same seed drew differently"
jq -e '.n_drawn == 3 and .n_eligible == 6 and ([.items[].account] | unique | length == 3)
  and all(.items[].account; test("^80010[1-6]$"))' "$tmp/s2.json" >/dev/null || fail "sample 2: $(jq -c . "$tmp/s2.json")"
# Without a seed: a random one, kept so the draw can be repeated.
mrt --user sup coding-audit sample --coder cal --n 5 --json > "$tmp/s4.json"
jq -e '.n_drawn == 2 and .n_eligible == 2 and (.seed | test("^[0-9a-f]{32}$")) and (.seed_given | not)
  and ([.items[].account] | sort == ["800107","800108"])' "$tmp/s4.json" >/dev/null || fail "sample 4: $(jq -c . "$tmp/s4.json")"
[ "$(q "SELECT count(*) FROM work_item WHERE kind = 'coding-audit'")" = 14 ] || fail "work items"
[ "$(q "SELECT count(*) FROM work_item WHERE kind = 'coding-audit' AND assigned_role = 'coder'")" = 8 ] ||
  fail "items of samples without a reviewer go to the coder role"

item() { jq -r --arg a "$2" '.items[] | select(.account == $a) | .item' "$tmp/$1.json"; }

# ---- blind: nothing shows the coder's codes before the reviewer codes --------
mrt --user cora coding-audit list --json > "$tmp/list.json"
jq -e 'length == 14 and all(.[]; .status == "pending") and ([.[] | select(.sample == 1 and .reviewer == "cora"
  and .coder == "cody")] | length == 6)' "$tmp/list.json" >/dev/null ||
  fail "reviewer's list: $(jq -c . "$tmp/list.json")"
for c in J189 I10 E119 A419 E871 K8000 K3580 0FT44ZZ; do
  ! grep -q "$c" "$tmp/list.json" "$tmp/s1.json" || fail "a code ($c) shown before the review"
done
refused "coder" mrt --user reg coding-audit list
mrt --user sup coding-audit report --json | jq -e '.overall.items == 0 and .disagreements == []' >/dev/null ||
  fail "report before any review"

# ---- refusals on coding -------------------------------------------------------
refused "review their own coding" mrt --user cody coding-audit code "$(item s1 800101)" --pdx J18.9:Y
refused "another reviewer" mrt --user cal coding-audit code "$(item s1 800101)" --pdx J18.9:Y
refused "coder" mrt --user reg coding-audit code "$(item s1 800101)" --pdx J18.9:Y
# Codes checked against the release of the discharge date (800101: 2025-09-20, FY2025).
refused "not a valid ICD-10-CM code on 2025-09-20 (release 2025)" \
  mrt --user cora coding-audit code "$(item s1 800101)" --pdx E11A:Y
refused "not billable" mrt --user cora coding-audit code "$(item s1 800102)" --pdx A41.9:Y --sdx I25.1:Y
refused "principal A41.9 refused: present on admission" mrt --user cora coding-audit code "$(item s1 800102)" --pdx A41.9:Q
[ "$(q "SELECT count(*) FROM coding_audit_item WHERE status = 'coded'")" = 0 ] || fail "a refused coding was kept"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'coding_audit.code' AND outcome = 'deny'")" = 3 ] ||
  fail "denials audited: $(q "SELECT action, outcome, detail FROM audit_event WHERE action LIKE 'coding_audit.code%'")"

# ---- the reviewer's blind coding, with deliberate disagreements ---------------
rv() { mrt --user cora coding-audit code "$(item s1 "$1")" "${@:2}" --json > "$tmp/r$1.json" || fail "review $1"; }
rv 800101 --pdx J18.9:Y --sdx I10:Y --sdx E11.9:Y                 # full agreement
rv 800102 --pdx A41.9:Y --sdx N39.0:Y --sdx E87.1:Y               # POA differs (E87.1 N vs Y)
rv 800103 --pdx I48.91:Y --sdx E11.65:Y --sdx Z79.01              # E11.9 where E11.65 belongs
rv 800104 --pdx K80.10:Y --sdx K21.9:Y --pcs 0FT44ZZ              # the principal differs
rv 800105 --pdx N17.9:Y --sdx E87.1:Y --sdx E78.5:Y               # K21.9 extra, E78.5 missing
rv 800106 --pdx K35.80:Y --pcs 0DTJ4ZZ --pcs 5A1955Z              # a procedure missing
jq -e '.pdx_agree and .dx_agree and .px_agree and .disagreements == []' "$tmp/r800101.json" >/dev/null ||
  fail "800101 comparison: $(jq -c . "$tmp/r800101.json")"
jq -e '.disagreements == [{"kind":"poa","system":"icd10cm","coder_code":"E871","reviewer_code":"E871",
  "coder_poa":"N","reviewer_poa":"Y"}] and .poa_diff == 1' "$tmp/r800102.json" >/dev/null ||
  fail "800102 comparison: $(jq -c . "$tmp/r800102.json")"
jq -e '(.pdx_agree | not) and .disagreements == [{"kind":"principal","system":"icd10cm","coder_code":"K8000",
  "reviewer_code":"K8010"},{"kind":"different","system":"icd10cm","coder_code":"K8000","reviewer_code":"K8010"}]' \
  "$tmp/r800104.json" >/dev/null || fail "800104 comparison: $(jq -c . "$tmp/r800104.json")"
refused "already coded" mrt --user cora coding-audit code "$(item s1 800101)" --pdx J18.9:Y
# cal's sample had no named reviewer: any other coder reviews it.
mrt --user cody coding-audit code "$(item s4 800107)" --pdx I50.9:Y --sdx I10:Y --json | jq -e '.dx_agree' >/dev/null ||
  fail "cody reviews cal"
# A records technician reviews too (the chart read through ACCESS_PATIENT_READ).
mrt --user sup coding-audit code "$(item s4 800108)" --pdx N39.0:Y --sdx E87.1:Y --json |
  jq -e '.pdx_agree and .disagreements == [{"kind":"missing","system":"icd10cm","coder_code":null,"reviewer_code":"E871"}]' >/dev/null ||
  fail "a him_technician reviews"
[ "$(q "SELECT count(*) FROM work_item WHERE kind = 'coding-audit' AND status = 'done'")" = 8 ] ||
  fail "reviewed items close their work items"
[ "$(q "SELECT status FROM coding_audit WHERE id = 1")" = "done" ] || fail "sample 1 done"

# ---- the report: exact figures and every disagreement -------------------------
mrt --user sup coding-audit report --json > "$tmp/rep.json"
jq -e '.coders | length == 2 and .[0].coder == "cal" and .[1].coder == "cody"' "$tmp/rep.json" >/dev/null ||
  fail "report coders: $(jq -c '.coders' "$tmp/rep.json")"
jq -e '.coders[1] | .items == 6 and .pdx_agree == 5 and .pdx_rate == 0.8333
  and .dx_coder == 15 and .dx_reviewer == 15 and .dx_both == 12 and .dx_precision == 0.8
  and .dx_recall == 0.8 and .dx_jaccard == 0.6667 and .dx_items_agree == 2 and .poa_diff == 1
  and .px_coder == 2 and .px_reviewer == 3 and .px_both == 2 and .px_precision == 1
  and .px_recall == 0.6667 and .px_jaccard == 0.6667 and .px_items_agree == 5' "$tmp/rep.json" >/dev/null ||
  fail "cody's agreement: $(jq -c '.coders[1]' "$tmp/rep.json")"
jq -e '.coders[0] | .items == 2 and .pdx_rate == 1 and .dx_precision == 1 and .dx_recall == 0.75
  and .dx_jaccard == 0.75 and .px_jaccard == null' \
  "$tmp/rep.json" >/dev/null || fail "cal's agreement: $(jq -c '.coders[0]' "$tmp/rep.json")"
jq -e '.overall.items == 8 and .overall.pdx_agree == 7 and .overall.dx_both == 15' "$tmp/rep.json" >/dev/null ||
  fail "overall: $(jq -c '.overall' "$tmp/rep.json")"
# MCE edits of each version (v43.1): the reviewer's ventilation code on a
# same-day stay raises INCONSISTENT_WITH_LENGTH_OF_STAY; the edits the two
# versions share agree.
jq -e '.edits and (.coders[1] | .edits_items == 6 and .edits_items_agree == 5
  and .edits_reviewer - .edits_coder == 1) and ([.disagreements[] | select(.system == "mce")
  | [.account, .kind, .coder_code, .reviewer_code]] == [["800106","edit",null,"INCONSISTENT_WITH_LENGTH_OF_STAY 5A1955Z"]])' \
  "$tmp/rep.json" >/dev/null || fail "MCE edits: $(jq -c '[.coders[1], [.disagreements[] | select(.system == "mce")]]' "$tmp/rep.json")"
got=$(jq -c '[.disagreements[] | select(.system != "mce") | [.account, .kind, .coder_code, .reviewer_code]] | sort' "$tmp/rep.json")
want='[["800102","poa","E871","E871"],["800103","different","E119","E1165"],["800104","different","K8000","K8010"],["800104","principal","K8000","K8010"],["800105","extra","K219",null],["800105","missing",null,"E785"],["800106","missing",null,"5A1955Z"],["800108","missing",null,"E871"]]'
[ "$got" = "$want" ] || fail "disagreements: $got"
# A sensitivity label on an audited encounter: its codes leave the list for a
# reader the label is not granted to (one "restricted" row); the figures stay.
mrt --user pat label add encounter 800104 HIV --reason "test" >/dev/null
mrt --user sup coding-audit report --json > "$tmp/rep2.json"
jq -e '([.disagreements[] | select(.account == "800104") | [.kind, .restricted, .coder, .reviewer]]
   == [["restricted", true, "cody", "cora"]]) and .coders[1].dx_both == 12
  and (.disagreements | length == 8)' "$tmp/rep2.json" >/dev/null ||
  fail "restricted item: $(jq -c '.disagreements' "$tmp/rep2.json")"
! grep -q K8000 "$tmp/rep2.json" || fail "a labelled encounter's code shown"
mrt --user pat label remove encounter 800104 HIV --reason "test over" >/dev/null
# A period in which nothing audited was coded.
mrt --user sup coding-audit report --from 2001-01-01 --to 2001-12-31 --json | jq -e '.overall.items == 0' >/dev/null ||
  fail "period filter"
# A coder reads their own report only.
mrt --user cody coding-audit report --json | jq -e '.coders | length == 1 and .[0].coder == "cody"' >/dev/null ||
  fail "cody's own report"
refused "only their own" mrt --user cody coding-audit report --coder cal
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'coding_audit.report' AND outcome = 'deny'
  AND detail = 'another coder''s report'")" = 1 ] || fail "coding_audit.report: the denial not audited once"
refused "coder" mrt --user reg coding-audit report
mrt --user sup coding-audit report | grep -q "^cody " || fail "human report"
mrt --user sup coding-audit report --release 43.1 --json | jq -e '.edits and .overall.items == 8' >/dev/null ||
  fail "report against a chosen MCE release"
refused "no MCE release 9.9" mrt --user sup coding-audit report --release 9.9

# ---- DNFC on a pinned date ----------------------------------------------------
MRT_TODAY=2025-12-01 mrt --user sup coding dnfc --json > "$tmp/dnfc.json"
jq -e '.as_of == "2025-12-01" and .overall.count == 4 and .overall.mean_days == 18.25
  and .overall.median_days == 14 and .overall.max_days == 42
  and .overall.buckets == {"0-3":1,"4-7":1,"8-14":0,"15-30":1,">30":1}
  and ([.encounters[] | [.account, .discharge_date, .days, .coder, .status]] ==
   [["800111","2025-10-20",42,"unassigned","uncoded"],["800112","2025-11-10",21,"cal","in-progress"],
    ["800110","2025-11-24",7,"unassigned","uncoded"],["800109","2025-11-28",3,"cody","in-progress"]])
  and ([.coders[] | [.coder, .count, .max_days]] == [["cal",1,21],["cody",1,3],["unassigned",2,42]])
  and (.coders[2].mean_days == 24.5) and .timeliness.overall.count == 0' "$tmp/dnfc.json" >/dev/null ||
  fail "DNFC: $(jq -c . "$tmp/dnfc.json")"
MRT_TODAY=2025-12-01 mrt --user cody coding dnfc --json | jq -e '.overall.count == 1 and .encounters[0].account == "800109"' \
  >/dev/null || fail "a coder's own DNFC"
refused "only their own" mrt --user cody coding dnfc --coder cal
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'coding.dnfc' AND outcome = 'deny'
  AND detail = 'another coder''s list'")" = 1 ] || fail "coding.dnfc: the denial not audited once"
refused "no user nobody" mrt --user sup coding dnfc --coder nobody
refused "no user nobody" mrt --user sup coding-audit report --coder nobody
refused "coder" mrt --user reg coding dnfc
refused "--as-of" mrt --user sup coding dnfc --as-of 2025-13-01
# Timeliness: the eight finals were made today; days from each discharge.
today=$(date -u +%F)
days() { echo $(( ($(date -u -d "$today" +%s) - $(date -u -d "$1" +%s)) / 86400 )); }
mrt --user sup coding dnfc --json > "$tmp/t.json"
cody_max=$(days 2025-09-20)
cal_max=$(days 2025-11-02)
jq -e --argjson cm "$cody_max" --argjson lm "$cal_max" '.timeliness.overall.count == 8
  and ([.timeliness.coders[] | [.coder, .count, .max_days]] == [["cal",2,$lm],["cody",6,$cm]])' "$tmp/t.json" >/dev/null ||
  fail "timeliness: $(jq -c .timeliness "$tmp/t.json") (expected max $cody_max, $cal_max)"
MRT_TODAY=2025-12-01 mrt --user sup coding dnfc | grep -q "^800111 " || fail "human DNFC"

# Every command answers --help; usage errors exit 2.
for c in "coding-audit sample" "coding-audit code" "coding-audit report" "coding-audit list" "coding dnfc"; do
  # shellcheck disable=SC2086
  mrt $c --help | grep -q "^usage: mrt $c" || fail "$c --help"
done
usage() { set +e; mrt "$@" >/dev/null 2>&1; local rc=$?; set -e; [ "$rc" = 2 ] || fail "usage error exit $rc: $*"; }
usage --user sup coding-audit sample --n 2
usage --user sup coding-audit sample --coder cody --n two
usage --user cora coding-audit code 1
usage --user cora coding-audit code x --pdx I10
usage --user sup coding dnfc --bogus
mrt audit verify >/dev/null || fail "audit verify"

# ---- DNFC on the MIMIC-IV demo (a site of its own) ------------------------------
M=$data/mimic-iv-demo-2.2
if [ -f "$M/hosp/admissions.csv.gz" ]; then
  db=$tmp/mimic.db
  mrt init >/dev/null
  mrt import mimic "$M" >/dev/null || fail "MIMIC import"
  adm() { zcat "$M/hosp/admissions.csv.gz" | tail -n +2 | awk -F, '$4 != ""'; }
  n=$(adm | awk -F, 'substr($4, 1, 10) <= "2150-01-01"' | wc -l)
  oldest=$(adm | sort -t, -k4,4 | sed -n 1p | cut -d, -f2)
  MRT_TODAY=2150-01-01 mrt coding dnfc --json > "$tmp/m.json"
  got=$(jq -c '[.overall.count, .encounters[0].account, .coders[0].coder]' "$tmp/m.json")
  [ "$got" = "[$n,\"$oldest\",\"unassigned\"]" ] || fail "MIMIC DNFC: $got, expected $n, $oldest"
  jq -e '[.encounters[].days] | . == (sort | reverse)' "$tmp/m.json" >/dev/null || fail "MIMIC DNFC order"
fi
echo "coding audit: ok"
