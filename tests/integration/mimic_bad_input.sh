#!/usr/bin/env bash
# `mrt import mimic` on hand-made MIMIC-IV files: bad rows are kept as
# rejects with their line numbers and the rest is imported; the rejects
# stay kept once over a second run; a damaged gzip (truncated copy) rolls
# the whole import back and keeps only the file itself as a reject; a
# missing required table or directory is an error that writes nothing;
# optional tables may be absent.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
h=$tmp/mimic/hosp
mkdir -p "$h"
cat >"$h/patients.csv" <<'CSV'
subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod
1,F,40,2150,2011 - 2013,
2,M,70,2150,2011 - 2013,2151-01-02
3,X,50,2150,2011 - 2013,
CSV
cat >"$h/admissions.csv" <<'CSV'
subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,admission_location,discharge_location,insurance,language,marital_status,race,edregtime,edouttime,hospital_expire_flag
1,11,2150-03-01 10:00:00,2150-03-05 12:00:00,,URGENT,P1,EMERGENCY ROOM,HOME,Medicare,ENGLISH,MARRIED,WHITE,,,0
2,21,2150-04-01 10:00:00,2150-04-03 09:30:00,2150-04-03 09:30:00,EW EMER.,,EMERGENCY ROOM,DIED,Medicaid,?,SINGLE,"BLACK, OTHER",,,1
2,22,2150-13-01 10:00:00,2150-04-03 09:30:00,,EW EMER.,,EMERGENCY ROOM,,Medicaid,,,,,,0
CSV
cat >"$h/diagnoses_icd.csv" <<'CSV'
subject_id,hadm_id,seq_num,icd_code,icd_version
1,11,2,4019,9
1,11,1,I10,10
1,11,3,E119,11
2,99,1,I10,10
2,21,2,E11.9,10
2,21,1,N179,10
1,21,3,N179,10
CSV
cat >"$h/d_icd_diagnoses.csv" <<'CSV'
icd_code,icd_version,long_title
I10,10,Essential (primary) hypertension
4019,9,"Unspecified essential hypertension, title with a comma"
I10,11,A title under a version that does not exist
CSV
cat >"$h/transfers.csv" <<'CSV'
subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime
1,11,101,admit,Medicine,2150-03-01 10:00:00,2150-03-05 12:00:00
1,,102,ED,Emergency Department,2150-02-01 10:00:00,2150-02-01 15:00:00
2,21,201,admit,Medicine,2150-04-01 10:00:00
CSV

mrt init >/dev/null
mrt import mimic "$tmp/mimic" --json >"$tmp/r1.json" || fail "import with bad rows"
jq -e '.tables.patients == {"read":3,"created":2,"updated":0,"unchanged":0,"rejected":1}' "$tmp/r1.json" >/dev/null ||
  fail "patients: $(jq -c .tables.patients "$tmp/r1.json")"
jq -e '.tables.admissions.read == 3 and .tables.admissions.created == 2 and .tables.admissions.rejected == 1' \
  "$tmp/r1.json" >/dev/null || fail "admissions: $(jq -c .tables.admissions "$tmp/r1.json")"
jq -e '.tables.diagnoses_icd.read == 7 and .tables.diagnoses_icd.created == 3 and .tables.diagnoses_icd.rejected == 4' \
  "$tmp/r1.json" >/dev/null || fail "diagnoses: $(jq -c .tables.diagnoses_icd "$tmp/r1.json")"
jq -e '.tables.transfers.created == 2 and .tables.transfers.rejected == 1 and .rejected == 7' "$tmp/r1.json" >/dev/null ||
  fail "transfers/total: $(jq -c '[.tables.transfers, .rejected]' "$tmp/r1.json")"
jq -e '(.absent | sort) == ["d_icd_procedures", "drgcodes", "procedures_icd", "provider", "services"]' \
  "$tmp/r1.json" >/dev/null || fail "absent tables: $(jq -c .absent "$tmp/r1.json")"
jq -e '.titles == {"read": 3, "used": 2, "skipped": 1}' "$tmp/r1.json" >/dev/null || fail "titles: $(jq -c .titles "$tmp/r1.json")"
# each reject: its file, line and a reason naming the column, the row kept as read
q "SELECT source || '|' || position FROM reject ORDER BY source, id" >"$tmp/rej.txt"
cat >"$tmp/rej.want" <<TXT
$h/admissions.csv|line 4
$h/diagnoses_icd.csv|line 4
$h/diagnoses_icd.csv|line 5
$h/diagnoses_icd.csv|line 6
$h/diagnoses_icd.csv|line 8
$h/patients.csv|line 4
$h/transfers.csv|line 4
TXT
diff "$tmp/rej.want" "$tmp/rej.txt" >/dev/null || fail "rejects: $(diff "$tmp/rej.want" "$tmp/rej.txt")"
[ "$(q "SELECT CAST(content AS TEXT) FROM reject WHERE position = 'line 4' AND source LIKE '%diagnoses_icd.csv'")" = "1,11,3,E119,11" ] ||
  fail "reject content is not the row"
[ "$(q "SELECT CAST(content AS TEXT) FROM reject WHERE source LIKE '%admissions.csv'")" = \
  "2,22,2150-13-01 10:00:00,2150-04-03 09:30:00,,EW EMER.,,EMERGENCY ROOM,,Medicaid,,,,,,0" ] || fail "admission reject content"
q "SELECT reason FROM reject WHERE source LIKE '%diagnoses_icd.csv' AND position = 'line 4'" | grep -q icd_version ||
  fail "reason names the column: $(q "SELECT reason FROM reject WHERE position = 'line 4'")"
q "SELECT reason FROM reject WHERE source LIKE '%diagnoses_icd.csv' AND position = 'line 5'" | grep -q "no admission" || fail "unknown hadm reason"
q "SELECT reason FROM reject WHERE source LIKE '%diagnoses_icd.csv' AND position = 'line 8'" | grep -q "another subject" || fail "wrong subject reason"
if q "SELECT reason FROM reject" | grep -q "E119\|BLACK"; then fail "a reason holds a value"; fi
# what was good is in: ordered by seq_num, seq 1 principal, the ED stay with no encounter, the death
cur="JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL JOIN encounter e ON e.id = x.encounter_id"
[ "$(q "SELECT group_concat(x.code || ':' || x.kind, ' ') FROM (SELECT x.* FROM diagnosis x $cur WHERE e.account = '11' ORDER BY x.seq) x")" = \
  "I10:principal 4019:secondary" ] || fail "encounter 11 diagnoses: $(q "SELECT x.seq, x.code, x.kind FROM diagnosis x $cur WHERE e.account = '11'")"
[ "$(q "SELECT group_concat(x.display, '|') FROM (SELECT x.display FROM diagnosis x $cur WHERE e.account = '11' ORDER BY x.seq) x")" = \
  "Essential (primary) hypertension|Unspecified essential hypertension, title with a comma" ] || fail "titles as display"
[ "$(q "SELECT count(*) FROM diagnosis x $cur WHERE e.account = '21' AND x.display IS NULL")" = 1 ] || fail "no title: no display"
[ "$(q "SELECT count(*) FROM transfer WHERE encounter_id IS NULL AND source_ref = '102'")" = 1 ] || fail "ED stay"
[ "$(q "SELECT deceased || ' ' || death_at FROM patient WHERE mrn = '2'")" = "1 2150-04-03T09:30:00" ] || fail "death from deathtime"
[ "$(q "SELECT race FROM patient WHERE mrn = '2'")" = "BLACK, OTHER" ] || fail "race from admissions"
[ "$(q "SELECT discharge_status FROM encounter WHERE account = '21'")" = 20 ] || fail "expired status"
[ "$(q "SELECT discharge_status FROM encounter WHERE account = '11'")" = 01 ] || fail "home status"

# a second run (given as a relative path, from elsewhere): the same rejects,
# kept once; nothing else changes
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d1.sql"
(cd "$tmp/mimic" && "$MRT" --db "$db" import mimic ./hosp/../hosp --json) >"$tmp/r2.json" || fail "second run"
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event' >"$tmp/d2.sql"
cmp -s "$tmp/d1.sql" "$tmp/d2.sql" || fail "second run changed: $(diff "$tmp/d1.sql" "$tmp/d2.sql" | head -5)"
jq -e '.rejected == 7' "$tmp/r2.json" >/dev/null || fail "second run still reports its rejects"

# a changed source row updates what it feeds, with the old row kept as history
sed -i 's/^1,11,\(.*\),Medicare,ENGLISH,MARRIED,/1,11,\1,Medicaid,SPANISH,MARRIED,/' "$h/admissions.csv"
grep -q "Medicaid,SPANISH" "$h/admissions.csv" || fail "test setup: admissions not edited"
mrt import mimic "$h" --json >"$tmp/r2b.json" || fail "import of a changed row"
jq -e '.tables.patients.updated == 1 and .tables.patients.unchanged == 1 and .tables.admissions.updated == 1
  and .tables.admissions.unchanged == 1 and .codings.created == 0' "$tmp/r2b.json" >/dev/null ||
  fail "changed row counts: $(jq -c '[.tables.patients, .tables.admissions, .codings]' "$tmp/r2b.json")"
[ "$(q "SELECT language FROM patient WHERE mrn = '1'")" = SPANISH ] || fail "language updated"
[ "$(q "SELECT payer FROM encounter WHERE account = '11'")" = Medicaid ] || fail "payer updated"
[ "$(q "SELECT count(*) FROM patient_history h JOIN patient p ON p.id = h.patient_id WHERE p.mrn = '1'")" -ge 1 ] ||
  fail "patient history kept"
[ "$(q "SELECT count(*) FROM encounter_history h JOIN encounter e ON e.id = h.encounter_id WHERE e.account = '11'")" -ge 1 ] ||
  fail "encounter history kept"

# progress on a terminal: each table's line, redrawn in place
script -qec "$MRT --db $db import mimic $h" /dev/null >"$tmp/tty.out" 2>&1 || fail "import on a terminal"
grep -q "patients: .*100.0%" "$tmp/tty.out" && grep -q "codings (apply)" "$tmp/tty.out" && grep -q $'\r' "$tmp/tty.out" ||
  fail "no progress on a terminal: $(head -c 300 "$tmp/tty.out" | od -c | head -5)"
mrt import mimic "$h" 2>"$tmp/notty.err" >/dev/null || fail "import with stderr to a file"
[ ! -s "$tmp/notty.err" ] || fail "progress written to a file: $(cat "$tmp/notty.err")"

# a damaged gzip: nothing of the import is written, the file is kept whole
rm "$h/transfers.csv"
awk 'BEGIN { print "subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime" }
     { for (i = 0; i < 4000; i++) printf "1,11,%d,transfer,Unit %d,2150-03-01 10:00:00,2150-03-02 10:00:00\n", 1000 + NR * 4000 + i, i }' \
  /dev/null <(echo) | gzip -9 >"$tmp/full.gz"
size=$(stat -c %s "$tmp/full.gz")
head -c $((size / 2)) "$tmp/full.gz" >"$h/transfers.csv.gz"
echo "2,21,1,N179,10" >>"$h/diagnoses_icd.csv" # would change a coding if it were imported
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event\|INSERT INTO reject' >"$tmp/d3.sql"
set +e
mrt import mimic "$tmp/mimic" --json >"$tmp/r3.json" 2>"$tmp/r3.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "damaged gzip: exit $rc"
grep -q "transfers.csv.gz" "$tmp/r3.err" || fail "error names the file: $(cat "$tmp/r3.err")"
grep -q "kept as reject" "$tmp/r3.err" || fail "says the file was kept: $(cat "$tmp/r3.err")"
sqlite3 "$db" .dump | grep -v 'INSERT INTO audit_event\|INSERT INTO reject' >"$tmp/d4.sql"
cmp -s "$tmp/d3.sql" "$tmp/d4.sql" || fail "a failed import wrote: $(diff "$tmp/d3.sql" "$tmp/d4.sql" | head -5)"
rid=$(jq -r '.failed.reject_id' "$tmp/r3.json")
[ "$(q "SELECT source || '|' || length(content) FROM reject WHERE id = $rid")" = "$h/transfers.csv.gz|$((size / 2))" ] ||
  fail "the file kept whole: $(q "SELECT source, position, length(content) FROM reject WHERE id = $rid")"
[ "$(q "SELECT count(*) FROM reject")" = 8 ] || fail "only the file added to the rejects"
q "SELECT detail FROM audit_event WHERE action = 'import.mimic' ORDER BY id DESC LIMIT 1" | grep -q "^failed" || fail "failure audited"

# missing pieces: no directory, no patients table
set +e
mrt import mimic "$tmp/nowhere" 2>"$tmp/e1"; r1=$?
mkdir -p "$tmp/empty/hosp"
mrt import mimic "$tmp/empty" 2>"$tmp/e2"; r2=$?
mrt import mimic 2>/dev/null; r3=$?
mrt import mimic "$tmp/empty" --bogus 2>/dev/null; r4=$?
set -e
[ "$r1" = 1 ] && grep -q "not a directory" "$tmp/e1" || fail "missing dir: $r1 $(cat "$tmp/e1")"
[ "$r2" = 1 ] && grep -q "patients" "$tmp/e2" || fail "no patients table: $r2 $(cat "$tmp/e2")"
[ "$r3" = 2 ] && [ "$r4" = 2 ] || fail "usage errors: $r3 $r4"
[ "$(q "SELECT count(*) FROM reject")" = 8 ] || fail "errors kept nothing"
echo "mimic_bad_input: ok"
