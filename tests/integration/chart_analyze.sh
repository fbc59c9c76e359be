#!/usr/bin/env bash
# Chart deficiency analysis, delinquency and physician queries.
# Real data: the HL7 MDM samples and the Synthea FHIR bundles (LOINC
# 34117-2 H&Ps recognised; a rule changed with rule-set applies at once).
# A hand-made hospital (HL7 ADT/MDM with PR1 procedures): the exact
# deficiencies and their physicians, work items in the physician's own
# queue, a re-run that opens nothing new, fixes that close deficiencies
# and their work items, delinquency on day 30 vs 31 and the quarterly
# rate; queries refused when leading, answered, closed with the resulting
# code change, and the hold on final coding; roles and audit events.
. "$(dirname "$0")/lib/common.sh"
ms=$data/hl7v2/microsoft-fhir-converter
fhir=$data/synthea-mcode-ri/fhir
CM=$data/icd10cm/fy2026/icd10cm_order_2026.txt
PCS=$data/icd10pcs/fy2026/icd10pcs_order_2026.txt
for f in "$ms/MDM-T01-01.hl7" "$ms/MDM_01.hl7" "$fhir" "$CM" "$PCS"; do
  [ -e "$f" ] || { echo "skip: no $f"; exit 77; }
done
needs jq sqlite3
export MRT_TODAY=2026-02-13

mrt init >/dev/null
add_users drhart:physician drcut:physician drother:physician cody:coder tess:him_technician
as() { local u=$1; shift; "$MRT" --db "$db" --user "$u" "$@"; }
deficiencies() { # account kind physician-ident status, sorted
  q "SELECT e.account, d.kind, coalesce(p.ident, '-'), d.status FROM deficiency d
     JOIN encounter e ON e.id = d.encounter_id LEFT JOIN provider p ON p.id = d.provider_id
     ORDER BY e.account, d.kind, d.key"
}

# 1. Real data. ---------------------------------------------------------
mrt import hl7 "$ms"/MDM*.hl7 >/dev/null || true
mrt import fhir "$fhir" >/dev/null
mrt chart analyze --json >"$tmp/real.json"
n_enc=$(q "SELECT count(*) FROM encounter WHERE status NOT IN ('merged','cancelled')")
jq -e --argjson n "$n_enc" '.encounters == $n' "$tmp/real.json" >/dev/null ||
  fail "analyze did not cover the $n_enc encounters"
# The MDM inpatient visit 10000001 has only a signed imaging report: its H&P
# is missing (the attending, 1234 HIPPOCRATES); 4000776 (admitted, no
# documents) the same for its attending 1122334. Nobody is discharged, so
# no summary is due; Synthea's outpatient visits owe no H&P and their notes
# are signed; their procedures are SNOMED, not operative ICD-10-PCS.
got=$(deficiencies)
want="10000001|history-physical|1234|open
4000776|history-physical|1122334|open"
[ "$got" = "$want" ] || fail "real-data deficiencies: $got"
q "SELECT detail FROM deficiency" | grep -qx "H&P missing: no history and physical from 720 h before to 24 h after admission" ||
  fail "detail of the missing H&P"
# Asking outpatient visits for an H&P and a discharge summary: the LOINC
# 34117-2 notes count as H&Ps, so only the summaries are missing.
as tess chart rule-set --class outpatient --requirement history-physical \
  --before-hours 720 --after-hours 24 >/dev/null
as tess chart rule-set --class outpatient --requirement discharge-summary >/dev/null
as tess chart analyze --json >"$tmp/real2.json"
no_ds=$(q "SELECT count(*) FROM encounter e WHERE class = 'outpatient' AND discharge_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM document d WHERE d.encounter_id = e.id AND d.type = '18842-5')")
hp_ok=$(q "SELECT count(*) FROM encounter e WHERE class = 'outpatient' AND EXISTS (SELECT 1 FROM
  document d WHERE d.encounter_id = e.id AND d.type = '34117-2' AND d.superseded_by IS NULL AND
  (julianday(d.written_at) - julianday(e.admit_at)) * 24 BETWEEN -720 AND 24)")
n_out=$(q "SELECT count(*) FROM encounter WHERE class = 'outpatient'")
[ "$no_ds" -gt 0 ] || fail "expected outpatient visits without a summary"
[ "$(q "SELECT count(*) FROM deficiency WHERE kind = 'discharge-summary'")" = "$no_ds" ] ||
  fail "discharge summaries missing: expected $no_ds"
[ "$(q "SELECT count(*) FROM deficiency WHERE kind = 'history-physical'")" = $((2 + n_out - hp_ok)) ] ||
  fail "outpatient H&Ps: expected $((n_out - hp_ok)) missing"
jq -e --argjson n "$no_ds" '.opened == $n + '"$((n_out - hp_ok))"' and .closed == 0' \
  "$tmp/real2.json" >/dev/null || fail "second run: $(jq -c '{opened, closed}' "$tmp/real2.json")"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'chart.rule-set'")" = 2 ] ||
  fail "rule-set not audited"
refused "him_technician" as cody chart analyze
refused "admin or him_technician" as drhart chart rule-set --class inpatient --requirement hp-update --disable
refused "not a valid rule" as tess chart rule-set --class ward --requirement history-physical

# 2. A hand-made hospital. -----------------------------------------------
db=$tmp/hosp.db
mrt init >/dev/null
add_users drhart:physician drcut:physician drother:physician cody:coder tess:him_technician
mrt codes load "$CM" "$PCS" >/dev/null
CR=$'\r' n=0
msg() { n=$((n + 1)); printf 'MSH|^~\\&|T|H|R|F|202601010000||%s|C%03d|P|2.5\r%s\n' "$1" "$n" "$2"; }
pid() { printf 'PID|1||%s^^^H^MR||Doe^Pat||19600101|F||||||||||%s\r' "$1" "$2"; }
pv1() { printf 'PV1|1|I|W^1^1||||1001^Hart^Ann^^^^^^H|||||||||||||||||||||||||||||||||||||%s|%s\r' "$2" "$3"; }
doc() { # ACC MRN TYPE TITLE WRITTEN AUTHOR-XCN STATUS DOCNO
  msg "MDM^T02" "$(pid "$2" "$1")$(pv1 "$1" "" "")TXA|1|$3^$4|TX|$5||$5|||$6|||$8|||||$7"
}
hart='1001^Hart^Ann^^^^^^H' cut='1002^Cut^Sam^^^^^^H'
{
  # A1: H&P 25 h after admission, an open appendectomy without a report, an
  # unsigned progress note of the surgeon, no discharge summary.
  msg "ADT^A01" "$(pid M1 A1)$(pv1 A1 202601100800 "")PR1|1||0DTJ0ZZ^Resection of appendix^I10P||202601101200|||||||$cut"
  msg "ADT^A03" "$(pid M1 A1)$(pv1 A1 202601100800 202601141000)"
  doc A1 M1 HP "History and physical" 202601110900 "$hart" AU D1
  doc A1 M1 PR "Progress note" 202601120900 "$cut" IP D2
  # A2: H&P 27 days before with its update note, 47 h with a final progress
  # note, procedures that need no operative report (via natural opening
  # endoscopic; administration section).
  msg "ADT^A01" "$(pid M2 A2)$(pv1 A2 202602010800 "")PR1|1||0DJ08ZZ^Inspection^I10P||202602011000|||||||$cut${CR}PR1|2||3E0234Z^Introduction^I10P||202602011100"
  msg "ADT^A03" "$(pid M2 A2)$(pv1 A2 202602010800 202602030700)"
  doc A2 M2 HP "History and physical" 202601050800 "$hart" AU D3
  doc A2 M2 "" "History and physical update" 202602011000 "$hart" AU D4
  doc A2 M2 PR "Progress note" 202602030600 "$hart" AU D5
  # A3: the same H&P without an update; 49 h with only a progress note.
  msg "ADT^A01" "$(pid M3 A3)$(pv1 A3 202602010800 "")"
  msg "ADT^A03" "$(pid M3 A3)$(pv1 A3 202602010800 202602030900)"
  doc A3 M3 HP "History and physical" 202601050800 "$hart" AU D6
  doc A3 M3 PR "Progress note" 202602030800 "$hart" AU D7
} >"$tmp/hosp.hl7"
mrt import hl7 "$tmp/hosp.hl7" --json | jq -e '.aa == 13' >/dev/null || fail "hospital import"
mrt user link drhart --provider 1001 >/dev/null

# Day 30 after A1's discharge (2026-01-14): incomplete, not yet delinquent.
as tess chart analyze --json >"$tmp/a1.json"
got=$(deficiencies)
want="A1|authentication|1002|open
A1|discharge-summary|1001|open
A1|history-physical|1001|open
A1|operative-report|1002|open
A3|discharge-summary|1001|open
A3|hp-update|1001|open"
[ "$got" = "$want" ] || fail "hospital deficiencies: $got"
jq -e '.encounters == 3 and .opened == 6 and .open == 6 and .delinquent == 0' "$tmp/a1.json" \
  >/dev/null || fail "first run: $(jq -c 'del(.deficiencies)' "$tmp/a1.json")"
q "SELECT detail FROM deficiency WHERE kind = 'history-physical'" | grep -q "outside its window" ||
  fail "late H&P detail"
# Work items: linked drhart gets his own; drcut is not linked yet: the role.
as drhart queue list --mine --json >"$tmp/mine.json"
[ "$(jq '[.[] | select(.kind == "chart-deficiency")] | length' "$tmp/mine.json")" = 4 ] ||
  fail "drhart's queue: $(jq -c '[.[] | .title]' "$tmp/mine.json")"
[ "$(q "SELECT count(*) FROM work_item WHERE assigned_role = 'physician' AND assigned_user IS NULL")" = 2 ] ||
  fail "unlinked surgeon's items not with the physician role"
# Day 31: delinquent; a re-run duplicates nothing; linking hands items over.
mrt user link drcut --provider 1002 >/dev/null
MRT_TODAY=2026-02-14 as tess chart analyze --json >"$tmp/a2.json"
jq -e '.opened == 0 and .closed == 0 and .open == 6 and .delinquent == 4 and .delinquent_records == 1' \
  "$tmp/a2.json" >/dev/null || fail "day 31: $(jq -c 'del(.deficiencies)' "$tmp/a2.json")"
[ "$(q "SELECT count(*) FROM deficiency")" = 6 ] || fail "re-run duplicated deficiencies"
[ "$(q "SELECT count(*) FROM work_item")" = 6 ] || fail "re-run duplicated work items"
[ "$(q "SELECT delinquent_since FROM deficiency WHERE kind = 'history-physical'")" = 2026-02-14 ] ||
  fail "delinquent since"
[ "$(as drcut queue list --mine --json | jq length)" = 2 ] || fail "drcut's items after linking"
as drhart chart deficiencies --json >"$tmp/dh.json"
jq -e '.open == 4 and .delinquent == 2 and .delinquent_records == 1' "$tmp/dh.json" >/dev/null ||
  fail "drhart's view: $(jq -c 'del(.deficiencies)' "$tmp/dh.json")"
# The physician's own queue says how many of its items are past due (delinquent).
MRT_TODAY=2026-02-14 as drhart queue list --mine | tail -n 1 |
  grep -qx "4 items, 2 overdue (due before 2026-02-14)" ||
  fail "queue footer: $(MRT_TODAY=2026-02-14 as drhart queue list --mine | tail -n 1)"
[ "$(as tess chart deficiencies --physician drcut --json | jq '.deficiencies | length')" = 2 ] ||
  fail "--physician drcut"
refused "him_technician" as drhart chart deficiencies --physician drcut
# A labelled encounter's deficiencies are stubs (no account, kind or physician)
# for a technician without the label's grant, and whole again with it.
add_users pol:privacy_officer
acct=$(as tess chart deficiencies --physician drcut --json | jq -r '.deficiencies[0].account')
as pol label add encounter "$acct" BH >/dev/null
as tess chart deficiencies --physician drcut --json >"$tmp/dl.json"
jq -e --arg a "$acct" '(.deficiencies | length) == 2 and ([.deficiencies[] | select(.restricted)]
  | length) >= 1 and all(.deficiencies[]; .account != $a) and all(.deficiencies[]
  | select(.restricted); (has("physician") or has("detail") or has("physician_user")) | not)' "$tmp/dl.json" \
  >/dev/null || fail "labelled deficiencies shown: $(jq -c . "$tmp/dl.json")"
as pol user grant tess BH >/dev/null
as tess chart deficiencies --physician drcut --json | jq -e --arg a "$acct" \
  '[.deficiencies[] | select(.account == $a)] | length >= 1' >/dev/null || fail "granted reader"
as pol user revoke tess BH >/dev/null
as pol label remove encounter "$acct" BH >/dev/null

# A run over discharge dates covers only those encounters.
as tess chart analyze --from 2026-02-01 --to 2026-02-28 --json |
  jq -e '.encounters == 2 and .opened == 0 and .closed == 0 and .open == 2
    and ([.deficiencies[].account] | unique) == ["A3"]' >/dev/null || fail "--from/--to scope"
refused "together" as tess chart analyze --from 2026-02-01
refused "not both" as tess chart analyze --account A1 --from 2026-02-01 --to 2026-02-28
refused "no encounter" as tess chart analyze --account NOPE

# Fixes: a discharge summary for A1 and the surgeon's note signed.
n=100
{
  doc A1 M1 DS "Discharge summary" 202601150900 "$hart" AU D8
  msg "MDM^T08" "$(pid M1 A1)$(pv1 A1 "" "")TXA|1|PR^Progress note|TX|202601120900||202601120900|||$cut|||D2|||||AU"
} >"$tmp/fix.hl7"
mrt import hl7 "$tmp/fix.hl7" >/dev/null
MRT_TODAY=2026-02-20 as tess chart analyze --account A1 --json >"$tmp/a3.json"
jq -e '.encounters == 1 and .opened == 0 and .closed == 2' "$tmp/a3.json" >/dev/null ||
  fail "fixes: $(jq -c 'del(.deficiencies)' "$tmp/a3.json")"
[ "$(q "SELECT group_concat(d.kind || ':' || w.status, ' ') FROM deficiency d JOIN work_item w
  ON w.id = d.work_item_id WHERE d.status = 'closed' ORDER BY d.id")" = \
  "discharge-summary:done authentication:done" ] || fail "closed deficiencies' work items"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'chart.analyze' AND patient_id IS NOT NULL")" -ge 3 ] ||
  fail "per-encounter audit events"

# Delinquency rate, 2026Q1: 3 discharges (1 a month); A1 and A3 delinquent
# at 2026-03-31 (due 2026-02-13 and 2026-03-05) = 200 %, over the 50 % limit.
as tess chart delinquency --quarter 2026Q1 --json >"$tmp/rate.json"
jq -e '.quarters[0] | .quarter == "2026Q1" and .discharges == 3 and .monthly_discharges == [1, 2, 0]
  and .average_monthly_discharges == 1
  and .delinquent_records == 2 and .rate_percent == 200 and .within_limit == false' \
  "$tmp/rate.json" >/dev/null || fail "2026Q1 rate: $(jq -c . "$tmp/rate.json")"
as tess chart delinquency --from 2025-12-01 --to 2026-06-30 --json >"$tmp/rate2.json"
[ "$(jq -c '[.quarters[] | [.quarter, .discharges, .rate_percent]]' "$tmp/rate2.json")" = \
  '[["2025Q4",0,null],["2026Q1",3,200],["2026Q2",0,null]]' ] ||
  fail "quarters: $(jq -c . "$tmp/rate2.json")"
refused "quarter" as tess chart delinquency --quarter 2026Q5
refused "admin or him_technician" as drhart chart delinquency --quarter 2026Q1

# 3. Physician queries. --------------------------------------------------
Q='Based on the hemoglobin of 7.2 and the transfusion, which type of anemia is being treated?'
refused "drg" as cody query new A1 --question "Which anemia? It changes the DRG" \
  --option "Acute blood loss anemia" --option "Iron deficiency anemia"
refused "yes/no" as cody query new A1 --question "Does the patient have sepsis?"
refused "yes/no" as cody query new A1 --question "Sepsis?" --option Yes --option No
refused "two clinically" as cody query new A1 --question "$Q" --option "Acute blood loss anemia"
refused "coder required" as drhart query new A1 --question "$Q" --option a --option b
[ "$(q "SELECT count(*) FROM physician_query")" = 0 ] || fail "a refused query was stored"
as cody query new A1 --question "$Q" --option "Acute blood loss anemia" \
  --option "Anemia of chronic disease" --json | jq -e '.id == 1' >/dev/null || fail "query new"
[ "$(q "SELECT group_concat(kind, ',') FROM physician_query_option WHERE query_id = 1 ORDER BY seq")" = \
  "clinical,clinical,other,undetermined" ] || fail "options not completed"
as drhart queue list --mine --json | jq -e '[.[] | select(.kind == "physician-query")] | length == 1' \
  >/dev/null || fail "the query is not in drhart's queue"
# Open query: final coding held.
refused "physician query 1 is open" as cody encounter status A1 final
refused "physician query 1 is open" as cody encounter code A1 --pdx K35.80 --final
refused "sent to another" as drother query answer 1 --choice 1
refused "only an answered query" as cody query close 1
refused "say what" as drhart query answer 1 --choice 3
as drhart query answer 1 --choice 1 >/dev/null
refused "already answered" as drhart query answer 1 --choice 2
as cody queue list --mine --json | jq -e '[.[] | select(.kind == "query-answered")] | length == 1' \
  >/dev/null || fail "the answer is not in the coder's queue"
as cody encounter code A1 --pdx K35.80 --sdx D62:N --px 0DTJ0ZZ@2026-01-10 >/dev/null
as cody query close 1 | grep -q "closed: code-change" || fail "close with code change"
as cody query show 1 --json >"$tmp/q1.json"
# The query, its answer and the resulting code change travel with the record.
as cody encounter show A1 --json | jq -e '.queries[0] | .status == "closed"
  and .outcome == "code-change" and .coding_before == 1 and .coding_after == 2
  and .answered_at != null and .answer_choice != null' >/dev/null ||
  fail "encounter show: $(as cody encounter show A1 --json | jq -c .queries)"
as cody encounter show A1 | grep -q "^  closed .*code-change (coding version 1 -> 2)" ||
  fail "encounter show table: query"
jq -e '.status == "closed" and .outcome == "code-change" and .answer_option == 1
  and .coding_before.version == 1 and .coding_after.version == 2
  and (.coding_after.codes | index("secondary D62")) != null' "$tmp/q1.json" >/dev/null ||
  fail "query show: $(jq -c . "$tmp/q1.json")"
as cody encounter status A1 final >/dev/null || fail "final coding after the query closed"
# An open question, answered in words, closed with no change.
as cody query new A3 --question "What is the clinical significance of the sodium of 128?" >/dev/null
as drhart query answer 2 --text "Hyponatremia due to SIADH" >/dev/null
as cody query close 2 | grep -q "closed: no-change" || fail "close without change"
[ "$(as drhart query list --json | jq length)" = 2 ] || fail "drhart's queries"
[ "$(as drother query list --json | jq length)" = 0 ] || fail "drother sees others' queries"
[ "$(as cody query list --open --json | jq length)" = 0 ] || fail "--open"
for a in query.new query.answer query.close query.show query.list; do
  [ "$(q "SELECT count(*) FROM audit_event WHERE action = '$a'")" -ge 1 ] || fail "no $a audit"
done
mrt audit verify >/dev/null || fail "audit chain"
echo "chart analyze: ok"
