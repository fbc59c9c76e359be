#!/usr/bin/env bash
# `mrt edits run` and `mrt edits findings` on the real FY2025/FY2026 code
# sets and the CMS MCE v43.1 definitions: a small hand-made hospital (HL7
# ADT^A03 discharges with birth dates, UB-04 statuses, DG1 with POA and PR1,
# real FY2026 dates) with planted errors gives exactly the findings the CMS
# edits and the tabular rules raise, one coder work item per encounter with
# findings; a re-run duplicates nothing; fixing codes with `mrt encounter
# code` closes those findings and, when none remain, the work item (one a coder
# took for themselves is closed by their own run, not another's); a coder
# without a grant of a labelled patient's label skips that encounter (never
# read); a registrar may not run it; a run that fails half-way leaves nothing.
# Then the MIMIC-IV demo (dates shifted
# to 2110-2201, edited against release 43.1): the findings per rule are
# printed and must be the same on a re-run.
. "$(dirname "$0")/lib/common.sh"
needs jq sqlite3 python3
defs="$data/cms-mce/Definitions of Medicare Code Edits_v_43_1.txt"
needs_files "$defs" "$data/icd10cm/fy2026/icd10cm_order_2026.txt" "$data/icd10cm/fy2025/icd10cm_order_2025.txt" \
  "$data/icd10pcs/fy2026/icd10pcs_order_2026.txt" "$data/icd10pcs/fy2025/icd10pcs_order_2025.txt" \
  "$data/mimic-iv-demo-2.2/hosp/admissions.csv.gz"
export MRT_SITE_DIR=$tmp/site
mrt init >/dev/null
add_users cody:coder cora:coder reg:registrar
mrt user grant cora BH >/dev/null
mrt codes load "$data/icd10cm/fy2025/icd10cm_order_2025.txt" "$data/icd10cm/fy2026/icd10cm_order_2026.txt" \
  "$data/icd10pcs/fy2025/icd10pcs_order_2025.txt" "$data/icd10pcs/fy2026/icd10pcs_order_2026.txt" \
  "$defs" >/dev/null

# The hospital: one HL7 v2.5 A03 per discharge (fields by number).
mkdir "$tmp/hl7"
python3 - "$tmp/hl7" <<'PY'
import os, sys
def seg(name, **f):
    fields = [''] * (max(int(k[1:]) for k in f) + 1)
    fields[0] = name
    for k, v in f.items():
        fields[int(k[1:])] = v
    return '|'.join(fields)
def a03(cid, mrn, birth, sex, acc, admit, disch, status, dx, px):
    s = ['MSH|^~\\&|ADT|GH|MRT|GH|%s||ADT^A03^ADT_A03|%s|P|2.5' % (disch, cid),
         seg('EVN', f1='A03', f2=disch),
         seg('PID', f1='1', f3=mrn + '^^^GH^MR', f5='Test^' + mrn, f7=birth, f8=sex),
         seg('PV1', f1='1', f2='I', f10='MED', f19=acc, f36=status, f44=admit, f45=disch)]
    for i, (code, principal, poa) in enumerate(dx, 1):
        s.append(seg('DG1', f1=str(i), f3=code + '^^I10', f6='F', f15='1' if principal else '',
                     f26=poa))
    for i, (code, day) in enumerate(px, 1):
        s.append(seg('PR1', f1=str(i), f3=code + '^^I10P', f5=day))
    return '\r'.join(s) + '\r'
stays = [
    # NSTEMI coded twice, a header (I25.1) and an unspecified eye (H34.239): FY2026 April, v43.1.
    ('C1', 'H1', '19500501', 'F', 'ACC1', '20260406080000', '20260410120000', '01',
     [('I21.4', 1, 'Y'), ('I21.4', 0, 'Y'), ('I25.1', 0, 'Y'), ('H34.239', 0, 'N')], []),
    # Ventilation over 96 hours in a 2-day stay; status 08 is no UB-04 status.
    ('C2', 'H2', '20100315', 'M', 'ACC2', '20260501090000', '20260503100000', '08',
     [('J96.01', 1, 'Y'), ('I10', 0, 'Y')], [('5A1955Z', '20260501')]),
    # The labelled patient (BH): depression coded twice.
    ('C3', 'H3', '19800101', 'F', 'ACC3', '20260601090000', '20260605100000', '01',
     [('F32.A', 1, 'Y'), ('F32.A', 0, 'Y')], []),
    # Clean, in March (v43.0, rebuilt from the v43.1 text).
    ('C4', 'H4', '19900720', 'M', 'ACC4', '20260316090000', '20260320100000', '06',
     [('I21.4', 1, 'Y'), ('I10', 0, 'Y')], [('02703ZZ', '20260317')]),
    # After the newest MCE release (2026-09-30): not edited.
    ('C5', 'H4', '19900720', 'M', 'ACC5', '20261001090000', '20261005100000', '01',
     [('I10', 1, 'Y')], []),
]
for st in stays:
    with open(os.path.join(sys.argv[1], st[0] + '.hl7'), 'w', newline='') as fh:
        fh.write(a03(*st))
PY
mrt import hl7 "$tmp"/hl7/*.hl7 >/dev/null || fail "import hl7"
mrt label add patient H3 BH --reason "behavioral health unit" >/dev/null

# A registrar may not run the editor; the refusal is audited.
refused "coder" mrt --user reg edits run
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'edits.run' AND outcome = 'deny'")" = 1 ] ||
  fail "registrar's refusal not audited"
refused "not both" mrt edits run --account ACC1 --from 2026-01-01
refused "not a date" mrt --user cody edits run --from 2026-13-01

# cody (no grant of BH): ACC3 is skipped and never read; ACC5 is outside the MCE releases.
mrt --user cody edits run --json >"$tmp/r1.json"
jq -e '.encounters == {"selected": 5, "edited": 3, "skipped_access": 1, "skipped_other": 1,
  "no_coding": 0, "no_principal": 0, "outside_releases": 1}
  and .findings == {"new": 6, "still_open": 0, "closed": 0}
  and .work_items.opened == 2' "$tmp/r1.json" >/dev/null || fail "first run: $(jq -c . "$tmp/r1.json")"
acc3=$(q "SELECT id FROM encounter WHERE account = 'ACC3'")
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'edits.run' AND object_id = '$acc3'")" = 0 ] ||
  fail "the skipped encounter was read"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'edits.run' AND object_type = 'encounter'")" = 4 ] ||
  fail "one audit event per encounter read"
mrt --user cody edits findings --json >"$tmp/f1.json"
jq -e '[.[] | [.account, .kind, .rule, .code, .code2, .severity]] == [
  ["ACC1", "mce", "DUPLICATE_OF_PDX", "I214", "", "error"],
  ["ACC1", "mce", "INVALID_CODE", "I251", "", "error"],
  ["ACC1", "mce", "UNSPECIFIED", "H34239", "", "error"],
  ["ACC1", "tabular", "header", "I251", "", "error"],
  ["ACC2", "mce", "INCONSISTENT_WITH_LENGTH_OF_STAY", "5A1955Z", "", "error"],
  ["ACC2", "mce", "INVALID_DISCHARGE_STATUS", "", "", "error"]]
  and all(.status == "open" and .mce_release == "43.1" and .first_run == 1)' "$tmp/f1.json" >/dev/null ||
  fail "findings: $(jq -c 'map([.account, .kind, .rule, .code, .mce_release])' "$tmp/f1.json")"
jq -e '.[] | select(.rule == "INVALID_CODE") | .source == "1"' "$tmp/f1.json" >/dev/null ||
  fail "an MCE finding names its edit number"
mrt --user cody edits findings | grep -q "INCONSISTENT_WITH_LENGTH_OF_STAY" || fail "findings table"
# The encounter's own view carries its open findings.
mrt encounter show ACC2 --json | jq -e '[.edit_findings[].rule] | sort ==
  ["INCONSISTENT_WITH_LENGTH_OF_STAY", "INVALID_DISCHARGE_STATUS"]' >/dev/null ||
  fail "encounter show: $(mrt encounter show ACC2 --json | jq -c .edit_findings)"
mrt encounter show ACC2 | grep -q "^edit: .*INCONSISTENT_WITH_LENGTH_OF_STAY" || fail "encounter show table"

# The coder queue: one item per encounter with findings, for the coder role, no patient data.
mrt --user cody queue list --role coder --json >"$tmp/q1.json"
acc1=$(q "SELECT id FROM encounter WHERE account = 'ACC1'")
acc2=$(q "SELECT id FROM encounter WHERE account = 'ACC2'")
jq -e --arg a "$acc1" --arg b "$acc2" '[.[] | select(.kind == "coding-edit")] | length == 2
  and (map(.subject_id) | sort == ([$a, $b] | sort)) and all(.assigned_role == "coder"
  and .subject_type == "encounter" and .status == "open" and (.due_date | length == 10)
  and (.title | test("H1|H2|Test") | not))' "$tmp/q1.json" >/dev/null || fail "queue: $(jq -c . "$tmp/q1.json")"

# cora holds BH: ACC3 is edited; the others are found again and not duplicated.
mrt --user cora edits run --json >"$tmp/r2.json"
jq -e '.encounters.edited == 4 and .encounters.skipped_access == 0
  and .findings == {"new": 1, "still_open": 6, "closed": 0} and .work_items.opened == 1' "$tmp/r2.json" \
  >/dev/null || fail "second run: $(jq -c . "$tmp/r2.json")"
[ "$(q "SELECT count(*) FROM edit_finding")" = 7 ] || fail "duplicated findings"
[ "$(q "SELECT count(*) FROM work_item WHERE kind = 'coding-edit' AND status = 'open'")" = 3 ] || fail "items"
mrt --user cora edits findings --account ACC3 --json | jq -e '[.[] | [.rule, .code]] ==
  [["DUPLICATE_OF_PDX", "F32A"]]' >/dev/null || fail "ACC3 findings"
refused "restricted record" mrt --user cody edits findings --account ACC3
mrt --user cody edits findings | grep -q "1 encounter with findings not shown" || fail "hidden not counted"

# Dates select by discharge; one account alone.
mrt --user cody edits run --from 2026-04-01 --to 2026-04-30 --json |
  jq -e '.encounters.selected == 1 and .encounters.edited == 1 and .findings.still_open == 4' >/dev/null ||
  fail "--from/--to"

# The coder fixes the duplicate only: that finding closes, the item stays.
mrt --user cody encounter code ACC1 --pdx I21.4:Y --sdx I25.1:Y --sdx H34.239:N >/dev/null 2>&1 &&
  fail "a header was accepted by the coder's entry"
mrt --user cody encounter code ACC1 --pdx I21.4:Y --sdx I25.10:Y --sdx H34.239:N >/dev/null
mrt --user cody edits run --account ACC1 --json >"$tmp/r4.json"
jq -e '.findings == {"new": 0, "still_open": 1, "closed": 3} and .work_items == {"opened": 0,
  "closed": 0, "kept_open": 0}' "$tmp/r4.json" >/dev/null || fail "partial fix: $(jq -c . "$tmp/r4.json")"
mrt --user cody edits findings --account ACC1 --status closed --json | jq -e '(map(.rule) | sort ==
  ["DUPLICATE_OF_PDX", "INVALID_CODE", "header"]) and all(.closed_run == 4)' >/dev/null || fail "closed findings"
# cora takes the ACC1 item; cody fixes the laterality: nothing left, but the item is
# cora's and stays open for her; her next run closes it.
item1=$(q "SELECT id FROM work_item WHERE kind = 'coding-edit' AND subject_id = '$acc1'")
mrt --user cora queue assign "$item1" --user cora >/dev/null
mrt --user cody encounter code ACC1 --pdx I21.4:Y --sdx I25.10:Y --sdx H34.231:N >/dev/null
mrt --user cody edits run --account ACC1 --json >"$tmp/r5.json"
jq -e '.findings == {"new": 0, "still_open": 0, "closed": 1}
  and .work_items == {"opened": 0, "closed": 0, "kept_open": 1}' "$tmp/r5.json" \
  >/dev/null || fail "full fix: $(jq -c . "$tmp/r5.json")"
[ "$(q "SELECT status FROM work_item WHERE id = $item1")" = "open" ] || fail "cora's item closed by cody"
mrt --user cora edits run --account ACC1 --json >"$tmp/r6.json"
jq -e '.findings == {"new": 0, "still_open": 0, "closed": 0} and .work_items.closed == 1' "$tmp/r6.json" \
  >/dev/null || fail "cora's run: $(jq -c . "$tmp/r6.json")"
[ "$(q "SELECT w.status FROM work_item w WHERE w.kind = 'coding-edit' AND w.subject_id = '$acc1'")" = "done" ] ||
  fail "ACC1 item not done"
mrt --user cody queue list --role coder --json | jq -e --arg a "$acc1" '[.[] | select(.subject_id == $a)] == []' \
  >/dev/null || fail "a done item still listed"
mrt --user cody edits findings --account ACC1 --json | jq -e '. == []' >/dev/null || fail "ACC1 still has open findings"
[ "$(q "SELECT count(*) FROM edit_run")" = 6 ] || fail "runs"
# A run that fails half-way (the store refuses a row) leaves nothing: no run, no finding
# changed, no work item, no audit event (but the session's own act-as event).
before=$(q "SELECT (SELECT count(*) FROM edit_run), (SELECT count(*) FROM audit_event WHERE action <> 'auth.act-as'),
  (SELECT count(*) FROM work_item), (SELECT group_concat(last_run) FROM edit_finding)")
q "CREATE TRIGGER fail_los BEFORE UPDATE OF last_run ON edit_finding
  WHEN NEW.rule = 'INCONSISTENT_WITH_LENGTH_OF_STAY' BEGIN SELECT RAISE(ABORT, 'store full'); END"
refused "store full" mrt --user cora edits run
[ "$(q "SELECT (SELECT count(*) FROM edit_run), (SELECT count(*) FROM audit_event WHERE action <> 'auth.act-as'),
  (SELECT count(*) FROM work_item), (SELECT group_concat(last_run) FROM edit_finding)")" = "$before" ] ||
  fail "a failed run left rows behind: $before"
q "DROP TRIGGER fail_los"
mrt audit verify >/dev/null || fail "audit chain after a failed run"
mrt audit verify >/dev/null || fail "audit chain"

# The MIMIC-IV demo, against release 43.1 (its dates are shifted to 2110-2201).
mrt import mimic "$data/mimic-iv-demo-2.2" >/dev/null || fail "import mimic"
mrt edits run --from 2100-01-01 --to 2299-12-31 --release 43.1 --json >"$tmp/m1.json"
mrt edits run --from 2100-01-01 --to 2299-12-31 --release 43.1 --json >"$tmp/m2.json"
echo "MIMIC-IV demo, release 43.1: $(jq -c .encounters "$tmp/m1.json")"
jq -r '.by_rule[] | "  \(.kind) \(.rule): \(.new) findings, \(.occurrences) occurrences"' "$tmp/m1.json"
jq -e '.encounters.edited > 100 and .findings.new > 0' "$tmp/m1.json" >/dev/null || fail "MIMIC edited nothing"
jq -n -e --slurpfile a "$tmp/m1.json" --slurpfile b "$tmp/m2.json" '
  $b[0].findings == {"new": 0, "still_open": $a[0].findings.new, "closed": 0}
  and ($a[0].by_rule | map([.rule, .new])) == ($b[0].by_rule | map([.rule, .still_open]))
  and $a[0].encounters == $b[0].encounters and $b[0].work_items.opened == 0' >/dev/null ||
  fail "MIMIC re-run differs: $(jq -c '{findings, work_items}' "$tmp/m2.json")"
# Diagnoses past the 24 a claim holds (MIMIC has stays with more) are said, not cut silently.
[ "$(q "SELECT count(*) FROM edit_finding WHERE rule = 'TOO_MANY_DIAGNOSES'")" -gt 0 ] ||
  fail "no TOO_MANY_DIAGNOSES finding on the MIMIC demo"
[ "$(q "SELECT count(*) FROM edit_finding WHERE rule = 'TOO_MANY_DIAGNOSES' AND (kind <> 'claim'
  OR severity <> 'warning' OR message NOT GLOB '[1-9]* secondary diagnoses past the 24 a claim holds were not edited')")" = 0 ] ||
  fail "TOO_MANY_DIAGNOSES: $(q "SELECT kind, severity, message FROM edit_finding WHERE rule = 'TOO_MANY_DIAGNOSES' LIMIT 3")"
echo "edits run: ok"
