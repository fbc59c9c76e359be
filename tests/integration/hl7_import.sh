#!/usr/bin/env bash
# HL7 v2 files into the chart on the real sample messages: all 139 sample
# messages get an ACK (ADT/BAR/MDM applied or refused for a stated data
# reason; other message types refused as unsupported; a control id reused
# by the samples for different content refused), each file again with its
# own control id so that every ADT/MDM message's own outcome shows; every
# nHapi BadInputs file refused with a reason and kept in reject, quickly;
# a second run changes no chart table; a failed file (unreadable, or a
# database failure half-way) leaves the whole database dump as it was;
# access needs admin or him.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
ms=$data/hl7v2/microsoft-fhir-converter
bad=$data/hl7v2/nhapi-testdata/BadInputs
if [ ! -d "$ms" ] || [ ! -d "$bad" ]; then
  echo "skip: no HL7 v2 sample data in $data/hl7v2"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
db=$tmp/site.db
mrt() { "$MRT" --db "$db" "$@"; }
chart_tables="patient patient_identifier patient_name patient_history provider encounter
  encounter_history transfer coding diagnosis procedure coding_finding document label
  patient_link encounter_link message_log reject"
dump() {
  for t in $chart_tables; do sqlite3 "$1" ".dump $t"; done
}

mrt init >/dev/null
files=("$ms"/*.hl7)
[ "${#files[@]}" -eq 139 ] || fail "expected 139 sample files, found ${#files[@]}"

# 1. Every sample message, as it is, into one database.
mrt import hl7 "${files[@]}" --json >"$tmp/run1.json"
jq -e '.messages == 139 and .files == 139 and .failed_files == 0' "$tmp/run1.json" >/dev/null ||
  fail "run 1 totals: $(jq -c '{messages, files, failed_files}' "$tmp/run1.json")"
jq -e '.aa + .ae + .ar + .duplicate == .messages' "$tmp/run1.json" >/dev/null || fail "counts do not add up"
# Every AR is either an unsupported type (never ADT/BAR/MDM) or a reused control id.
jq -e '[.problems[] | select(.ack == "AR")] | all(.reason | test("^MSH-9: unsupported message type (?!ADT|BAR|MDM)") or test("^MSH-10: control id already used"))' \
  "$tmp/run1.json" >/dev/null || fail "unexpected AR reasons: $(jq -c '[.problems[] | select(.ack == "AR") | .reason] | unique' "$tmp/run1.json")"
# Non-ADT/BAR/MDM types never get AA.
jq -e '[.by_event | to_entries[] | select(.key | test("^(ADT|BAR|MDM)\\^") | not) | .value.aa // 0] | add == 0' \
  "$tmp/run1.json" >/dev/null || fail "an unsupported type was applied"
jq -e '.aa > 0 and .ae > 0' "$tmp/run1.json" >/dev/null || fail "run 1: nothing applied"
rejects=$(sqlite3 "$db" "SELECT count(*) FROM reject")
[ "$rejects" -eq "$(jq '.ae + .ar' "$tmp/run1.json")" ] || fail "rejects $rejects != AE + AR"
# Applied messages are kept as they came (Z-segments included), byte for byte;
# refused ones live in reject instead.
[ "$(sqlite3 "$db" "SELECT count(*) FROM message_log WHERE ack_code = 'AA' AND content IS NULL")" = 0 ] ||
  fail "an applied message was not kept"
first=$(sqlite3 "$db" "SELECT channel FROM message_log WHERE ack_code = 'AA' ORDER BY id LIMIT 1")
sqlite3 "$db" "SELECT writefile('$tmp/kept.hl7', content) FROM message_log WHERE ack_code = 'AA' ORDER BY id LIMIT 1" >/dev/null
f1=${first#file:}; f1=${f1%#*}
tr -d '\n\r' < "$f1" > "$tmp/a"; tr -d '\n\r' < "$tmp/kept.hl7" > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "kept message differs from $f1"
echo "samples as they are: $(jq -c '{messages, aa, ae, ar, applied, unchanged}' "$tmp/run1.json"); AR reasons:"
jq -r '[.problems[] | select(.ack == "AR") | .reason | sub(" [A-Z]{3}\\^.*"; "")] | group_by(.) | map("  \(length) \(.[0])")[]' "$tmp/run1.json"

# 2. A second run changes nothing (resends are recognised by control id).
dump "$db" >"$tmp/before.sql"
mrt import hl7 "${files[@]}" --json >"$tmp/run2.json"
dump "$db" >"$tmp/after.sql"
cmp -s "$tmp/before.sql" "$tmp/after.sql" || fail "a second run changed the chart: $(diff "$tmp/before.sql" "$tmp/after.sql" | head -5)"
logged=$(sqlite3 "$db" "SELECT count(*) FROM message_log")
jq -e --argjson n "$logged" '.duplicate == $n and .aa == 0 and .ae == 0' "$tmp/run2.json" >/dev/null ||
  fail "run 2: $(jq -c '{aa, ae, ar, duplicate}' "$tmp/run2.json"), logged $logged"

# 3. Each sample with a control id of its own (copies in $tmp): every
# ADT/BAR/MDM message applies (AA) or gets AE for a stated reason; none AR.
mkdir "$tmp/own"
python3 - "$ms" "$tmp/own" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    if not name.endswith('.hl7'):
        continue
    b = open(os.path.join(src, name), 'rb').read()
    i = b.find(b'MSH|')
    j = i
    while j < len(b) and b[j] not in b'\r\n':
        j += 1
    f = b[i:j].split(b'|')
    f[9] = f[9] + b'-' + name[:-4].encode()
    open(os.path.join(dst, name), 'wb').write(b[:i] + b'|'.join(f) + b[j:])
PY
db2=$tmp/own.db
"$MRT" --db "$db2" init >/dev/null
"$MRT" --db "$db2" import hl7 "$tmp"/own/*.hl7 --json >"$tmp/own.json"
jq -e '.messages == 139 and .duplicate == 0' "$tmp/own.json" >/dev/null || fail "own ids: totals"
jq -e '[.by_event | to_entries[] | select(.key | test("^(ADT|BAR|MDM)\\^")) | .value.ar // 0] | add == 0' \
  "$tmp/own.json" >/dev/null || fail "an ADT/BAR/MDM message was refused: $(jq -c '[.problems[] | select(.ack == "AR")]' "$tmp/own.json")"
jq -e '[.by_event | to_entries[] | select(.key | test("^(ADT|BAR|MDM)\\^") | not) | .value]
  | all((.ar // 0) == ([.[]] | add))' "$tmp/own.json" >/dev/null || fail "an unsupported type was not refused"
# AE only for merge/move/identifier messages naming a record that is not here.
jq -e '[.problems[] | select(.ack == "AE") | .reason] | all(test("^MRG-[0-9]|^MRG-3 / MRG-5"))' "$tmp/own.json" >/dev/null ||
  fail "unexpected AE reasons: $(jq -c '[.problems[] | select(.ack == "AE") | .reason]' "$tmp/own.json")"
adt=$(jq '[.by_event | to_entries[] | select(.key | test("^(ADT|BAR|MDM)\\^")) | .value | add] | add' "$tmp/own.json")
aa=$(jq '[.by_event | to_entries[] | select(.key | test("^(ADT|BAR|MDM)\\^")) | .value.aa // 0] | add' "$tmp/own.json")
[ $((aa * 10)) -ge $((adt * 9)) ] || fail "fewer than 90% of ADT/BAR/MDM messages applied ($aa of $adt)"
echo "samples with own control ids: ADT/BAR/MDM $aa AA of $adt; AE reasons:"
jq -r '.problems[] | select(.ack == "AE") | "  \(.channel | sub(".*/"; "")): \(.reason)"' "$tmp/own.json"
# What the messages made.
"$MRT" --db "$db2" patient show PATID1234 --json >"$tmp/p.json"
jq -e '(.identifiers | length) >= 2 and (.encounters | length) >= 1 and (.labels | length) >= 1' \
  "$tmp/p.json" >/dev/null || fail "patient PATID1234: $(jq -c '{identifiers: (.identifiers | length), encounters: (.encounters | length)}' "$tmp/p.json")"
"$MRT" --db "$db2" encounter show 4000776 --json >"$tmp/e.json"
jq -e '(.diagnoses | length) >= 1 and (.procedures | length) >= 1 and (.transfers | length) >= 1
  and (.diagnoses[0].system == "http://snomed.info/sct")' "$tmp/e.json" >/dev/null ||
  fail "encounter 4000776: $(jq -c '{d: (.diagnoses | length), p: (.procedures | length)}' "$tmp/e.json")"
docs=$(sqlite3 "$db2" "SELECT count(DISTINCT doc_ref) FROM document")
[ "$docs" -ge 1 ] || fail "no document from the MDM messages"
[ "$(sqlite3 "$db2" "SELECT count(*) FROM patient_link WHERE kind = 'merge' AND status = 'pending'")" -ge 1 ] ||
  fail "A40 left no pending merge"
echo "chart: $(sqlite3 "$db2" "SELECT (SELECT count(*) FROM patient) || ' patients, ' || (SELECT count(*) FROM encounter) || ' encounters, ' || (SELECT count(*) FROM diagnosis) || ' diagnosis rows, ' || (SELECT count(*) FROM document) || ' document versions'")"

# 4. Every BadInputs file refused with a reason, kept in reject, quickly.
mapfile -t badfiles < <(find "$bad" -type f | sort)
db3=$tmp/bad.db
"$MRT" --db "$db3" init >/dev/null
timeout 60 "$MRT" --db "$db3" import hl7 "${badfiles[@]}" --json >"$tmp/bad.json" || fail "BadInputs run failed or took too long"
jq -e '.aa == 0 and .ae == 0 and .ar == .messages and .failed_files == 0' "$tmp/bad.json" >/dev/null ||
  fail "BadInputs: $(jq -c '{messages, aa, ae, ar, failed_files}' "$tmp/bad.json")"
jq -e '[.problems[] | .reason | length > 0] | all' "$tmp/bad.json" >/dev/null || fail "a refusal without a reason"
for f in "${badfiles[@]}"; do
  n=$(sqlite3 "$db3" "SELECT count(*) FROM reject WHERE kind = 'hl7' AND source = '$f' AND reason <> ''")
  [ "$n" -ge 1 ] || fail "BadInputs file not in reject: ${f#"$bad"/}"
done
echo "BadInputs: ${#badfiles[@]} files, $(jq .messages "$tmp/bad.json") messages, all AR, $(sqlite3 "$db3" "SELECT count(*) FROM reject") rejects"

# 5. A failed file leaves the database as it was.
sqlite3 "$db" .dump >"$tmp/before.sql"
if mrt import hl7 "$tmp/no-such-file.hl7" 2>"$tmp/err"; then fail "a missing file was imported"; fi
grep -q "no-such-file.hl7" "$tmp/err" || fail "missing file: message does not name it"
if mrt import hl7 "$tmp" 2>/dev/null; then fail "a directory was imported"; fi
sqlite3 "$db" .dump >"$tmp/after.sql"
cmp -s "$tmp/before.sql" "$tmp/after.sql" || fail "an unreadable file changed the database"
printf 'MSH|^~\\&|T|F|R|F|20240101||ADT^A04|X1|P|2.5\rPID|1||X1^^^F^MR\rPV1|1|O|||||||||||||||||XV1\r%s%s' \
  'MSH|^~\&|T|F|R|F|20240101||ADT^A04|X2|P|2.5'$'\r''PID|1||X2^^^F^MR'$'\r' \
  'MSH|^~\&|T|F|R|F|20240101||ADT^A04|X3|P|2.5'$'\r''PID|1||X3^^^F^MR'$'\r' >"$tmp/three.hl7"
sqlite3 "$db" "CREATE TRIGGER injected_failure BEFORE INSERT ON message_log WHEN NEW.control_id = 'X3'
  BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
sqlite3 "$db" .dump >"$tmp/before.sql"
if mrt import hl7 "$tmp/three.hl7" 2>"$tmp/err"; then fail "a file failing half-way was imported"; fi
sqlite3 "$db" .dump >"$tmp/after.sql"
cmp -s "$tmp/before.sql" "$tmp/after.sql" || fail "a file failing half-way changed the database"
sqlite3 "$db" "DROP TRIGGER injected_failure"
mrt import hl7 "$tmp/three.hl7" >"$tmp/out.txt" || fail "the same file once the failure is gone"
grep -q "^3 messages in 1 file: 1 AA (1 applied, 0 unchanged), 2 AE, 0 AR, 0 duplicates" "$tmp/out.txt" ||
  fail "summary line: $(cat "$tmp/out.txt")"
grep -q "^AE file:.*three.hl7#2: PID-18: no account" "$tmp/out.txt" || fail "AE line: $(cat "$tmp/out.txt")"
mrt import rejects --json | jq -e '[.[] | select(.source | endswith("three.hl7"))] | length == 2' >/dev/null ||
  fail "the AE messages are not listed by mrt import rejects"

# 6. Access: admin or him.
mrt user add cody --os-account cody-os --role coder >/dev/null
if mrt --user cody import hl7 "$tmp/three.hl7" 2>"$tmp/err"; then fail "a coder imported HL7"; fi
grep -qi "him\|admin" "$tmp/err" || fail "refusal does not name the role: $(cat "$tmp/err")"
mrt audit log --json | jq -e '[.[] | select(.action == "hl7.import" and .outcome == "deny")] | length == 1' \
  >/dev/null || fail "refusal not audited"
echo "ok"
