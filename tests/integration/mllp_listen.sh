#!/usr/bin/env bash
# `mrt listen --mllp`: the FHIR-Converter ADT samples sent over MLLP (each
# with a control id of its own) are each acknowledged with their control id,
# AA or AE (with ERR), and the ACK sent is the one stored in message_log;
# AA'd messages are in the chart. A message that cannot be parsed gets AR,
# one with a data error AE with ERR, both kept in rejects. A resend of a
# control id gets the stored ACK again and is not applied twice. Ten
# connections at once all land. Bytes outside a frame and a frame over the
# cap get an AR and a closed connection, and the listener serves on. A
# database failure on one message of a group: that message AE (not stored),
# the rest of the group AA; its resend later is applied. The same control
# id twice in one group is applied once. Under a low open-file limit every
# message still lands. A role
# without admin/him may not listen. SIGTERM in the middle of a stream:
# exit 0, and every ACKed message is in the database; the audit chain holds.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}
samples=$data/hl7v2/microsoft-fhir-converter
if [ ! -d "$samples" ]; then
  echo "skip: $samples not found"
  exit 77
fi
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/listen.err" ] && sed 's/^/listener: /' "$tmp/listen.err" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
send() { python3 "$MRT_SOURCE_DIR/tests/integration/mllp_send.py" "$@"; }
sql() { sqlite3 "$db" "$1"; }

# Starts the listener on a free port; sets pid and port.
start() {
  : >"$tmp/listen.err"
  (ulimit -n "${fdlimit:-1024}"; exec "$MRT" --db "$db" listen --mllp 127.0.0.1:0 "$@" 2>"$tmp/listen.err") &
  pid=$!
  for _ in $(seq 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/listen.err")
    [ -n "$port" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "listener exited before listening"
    sleep 0.05
  done
  fail "listener not ready"
}
stop() {
  kill -TERM "$pid"
  local st=0
  wait "$pid" || st=$?
  pid=
  [ "$st" = 0 ] || fail "listener exit status $st after SIGTERM"
}

mrt init >/dev/null
mrt user add cody --os-account cody-os --role coder >/dev/null

# Usage errors and access.
if mrt listen 2>/dev/null; then fail "listen without --mllp"; fi
st=0; mrt listen --mllp nohostport 2>/dev/null || st=$?
[ "$st" = 2 ] || fail "bad --mllp: status $st, want 2"
st=0; mrt listen --mllp 127.0.0.1:0 --max-connections 0 2>/dev/null || st=$?
[ "$st" = 2 ] || fail "--max-connections 0: status $st, want 2"
if mrt --user cody listen --mllp 127.0.0.1:0 2>"$tmp/err"; then fail "a coder may listen"; fi
grep -q "admin\|him" "$tmp/err" || fail "refusal names the roles: $(cat "$tmp/err")"

start
# 1. The ADT samples, each with a control id of its own.
ls "$samples"/ADT*.hl7 >"$tmp/files"
nfiles=$(wc -l <"$tmp/files")
[ "$nfiles" -ge 50 ] || fail "only $nfiles ADT samples"
mapfile -t files <"$tmp/files"
send files --port "$port" --rewrite-id SAMPLE "${files[@]}" >"$tmp/samples.jsonl"
[ "$(wc -l <"$tmp/samples.jsonl")" = "$nfiles" ] || fail "ACK count"
jq -se 'all(.msa2 == .control_id)' "$tmp/samples.jsonl" >/dev/null || fail "MSA-2 is not the control id"
jq -se 'all(.ack_code == "AA" or (.ack_code == "AE" and .has_err))' "$tmp/samples.jsonl" >/dev/null ||
  fail "ACK codes: $(jq -sc '[.[] | select(.ack_code != "AA") | {file, ack_code, has_err}]' "$tmp/samples.jsonl")"
jq -se '[.[] | select(.file | test("^ADT-A0[1348]-")) | .ack_code] | length == 8 and all(. == "AA")' \
  "$tmp/samples.jsonl" >/dev/null || fail "A01/A03/A04/A08 samples not all AA"
naa=$(jq -s '[.[] | select(.ack_code == "AA")] | length' "$tmp/samples.jsonl")
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id LIKE 'SAMPLE%' AND ack_code = 'AA'")" = "$naa" ] ||
  fail "message_log AA rows != $naa"
# Each ACK sent is the one stored, and each AA'd message has its patient.
python3 - "$db" "$tmp/samples.jsonl" <<'PY' || fail "sent ACKs vs message_log"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for line in open(sys.argv[2]):
    r = json.loads(line)
    row = db.execute("SELECT ack_code, ack, patient_id FROM message_log WHERE control_id = ?",
                     (r["control_id"],)).fetchone()
    if row is None:
        sys.exit("%s: no message_log row" % r["control_id"])
    stored = "\r".join(s for s in row[1].replace("\n", "\r").split("\r") if s)
    if row[0] != r["ack_code"] or stored != r["ack"]:
        sys.exit("%s: sent %s, stored %s (ACK text equal: %s)" % (r["control_id"], r["ack_code"], row[0], stored == r["ack"]))
    if r["ack_code"] == "AA" and row[2] is None:
        sys.exit("%s: AA but no patient" % r["control_id"])
PY
[ "$(sql "SELECT count(*) FROM message_log m LEFT JOIN patient p ON p.id = m.patient_id
          WHERE m.control_id LIKE 'SAMPLE%' AND m.ack_code = 'AA' AND p.id IS NULL")" = 0 ] ||
  fail "AA'd messages whose patient is missing"

# 2. A message that cannot be parsed (AR) and one with a data error (AE).
printf 'PID|1||123^^^X^MR\rPV1|1|I\r' >"$tmp/nomsh.hl7"
printf 'MSH|^~\\&|T|F|MRT|H|20260101||ADT^A01^ADT_A01|BADDATA1|P|2.5.1\rEVN|A01|20260101\rPV1|1|I\r' >"$tmp/nopid.hl7"
send files --port "$port" "$tmp/nomsh.hl7" "$tmp/nopid.hl7" >"$tmp/bad.jsonl"
jq -se '.[0].ack_code == "AR" and .[0].has_err' "$tmp/bad.jsonl" >/dev/null ||
  fail "unparsable message: $(head -1 "$tmp/bad.jsonl")"
jq -se '.[1].ack_code == "AE" and .[1].has_err and .[1].msa2 == "BADDATA1"' "$tmp/bad.jsonl" >/dev/null ||
  fail "message without PID: $(tail -1 "$tmp/bad.jsonl")"
[ "$(sql "SELECT count(*) FROM reject")" -ge 2 ] || fail "bad messages not kept in reject"
[ "$(sql "SELECT ack_code FROM message_log WHERE control_id = 'BADDATA1'")" = AE ] || fail "AE not logged"

# 2b. A database failure on one message of a group (a trigger makes its
# message_log insert fail): that message gets AE "not stored" and nothing
# of it is kept; the others of its group are committed and get AA; once
# the fault is gone its resend is applied.
stop
sql "CREATE TRIGGER inject_fault BEFORE INSERT ON message_log WHEN NEW.control_id = 'NS000003'
     BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"
start --batch-ms 50
send stream --port "$port" --count 8 --conns 8 --prefix NS --acked "$tmp/ns" >/dev/null
[ "$(grep -c ' AA$' "$tmp/ns")" = 7 ] || fail "injected fault: $(sort "$tmp/ns" | tr '\n' ' ')"
grep -qx 'NS000003 AE' "$tmp/ns" || fail "the failed message is not AE"
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id LIKE 'NS%'")" = 7 ] || fail "NS rows"
[ "$(sql "SELECT count(*) FROM patient WHERE mrn = 'NSM000003'")" = 0 ] || fail "failed message left its patient"
stop
grep -q "^stopped: 8 messages (7 AA, 0 AE, 0 AR, 0 duplicates, 1 not stored)" "$tmp/listen.err" ||
  fail "summary with a fault: $(tail -1 "$tmp/listen.err")"
grep -q "not stored: .*injected fault" "$tmp/listen.err" || fail "fault not logged"
sql "DROP TRIGGER inject_fault"
# --batch-ms holds a group open: a lone message waits that long for company.
start --batch-ms 300
t0=$(date +%s%N)
send stream --port "$port" --count 1 --conns 1 --prefix LONE --acked "$tmp/lone" >/dev/null
t1=$(date +%s%N)
grep -q ' AA$' "$tmp/lone" || fail "lone message"
[ $(((t1 - t0) / 1000000)) -ge 300 ] || fail "--batch-ms 300: ACK after $(((t1 - t0) / 1000000)) ms"
send stream --port "$port" --count 8 --conns 2 --prefix NS --acked "$tmp/ns2" >/dev/null
[ "$(grep -c ' AA$' "$tmp/ns2")" = 8 ] || fail "resend after the fault"
[ "$(sql "SELECT count(*) FROM patient WHERE mrn LIKE 'NSM%'")" = 8 ] || fail "NS patients after resend"
# (7 of the 8 were stored before: duplicates.) The same control id on two
# connections at once (one group): one is applied, the other gets the same
# ACK as a duplicate.
printf 'MSH|^~\\&|T|F|MRT|H|20260101||ADT^A01^ADT_A01|SAMEGROUP1|P|2.5.1\rEVN|A01|20260101\rPID|1||SGM1^^^T^MR||Same^Group||19800101|F||||||||||SGA1\rPV1|1|I\r' >"$tmp/same.hl7"
send files --port "$port" --conns 2 "$tmp/same.hl7" "$tmp/same.hl7" >"$tmp/same.jsonl"
jq -se 'length == 2 and .[0].ack_code == "AA" and .[0].ack == .[1].ack' "$tmp/same.jsonl" >/dev/null ||
  fail "one control id twice in a group: $(cat "$tmp/same.jsonl")"
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id = 'SAMEGROUP1'")" = 1 ] || fail "SAMEGROUP1 logged twice"
[ "$(sql "SELECT count(*) FROM patient WHERE mrn = 'SGM1'")" = 1 ] || fail "SAMEGROUP1 patient"
stop
grep -q "^stopped: 11 messages (3 AA, 0 AE, 0 AR, 8 duplicates, 0 not stored)" "$tmp/listen.err" ||
  fail "summary with a duplicate: $(tail -1 "$tmp/listen.err")"
# 1 + 4 groups of the 2 senders' messages + 1 for the pair (no batching: up to 11).
commits=$(sed -n 's/^stopped: .* in \([0-9][0-9]*\) commits.*/\1/p' "$tmp/listen.err")
[ "$commits" -le 7 ] || fail "--batch-ms 300: $commits commits for 11 messages"
start

# 3. A resend of the same control id: the stored ACK again, applied once.
send stream --port "$port" --count 3 --conns 1 --prefix DUP --acked "$tmp/dup1" >/dev/null
before=$(sql "SELECT (SELECT count(*) FROM patient) || '/' || (SELECT count(*) FROM message_log) || '/' || (SELECT count(*) FROM encounter)")
send stream --port "$port" --count 3 --conns 1 --prefix DUP --acked "$tmp/dup2" >/dev/null
cmp -s "$tmp/dup1" "$tmp/dup2" || fail "resend ACKs differ: $(cat "$tmp/dup1" "$tmp/dup2")"
grep -c ' AA$' "$tmp/dup2" | grep -qx 3 || fail "resend not AA: $(cat "$tmp/dup2")"
after=$(sql "SELECT (SELECT count(*) FROM patient) || '/' || (SELECT count(*) FROM message_log) || '/' || (SELECT count(*) FROM encounter)")
[ "$before" = "$after" ] || fail "resend applied again: $before -> $after"
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id LIKE 'DUP%'")" = 3 ] || fail "DUP rows"
send files --port "$port" --rewrite-id SAMPLE "${files[0]}" >"$tmp/again.jsonl"
first=$(head -1 "$tmp/samples.jsonl" | jq -r .ack)
jq -e --arg a "$first" '.ack == $a' "$tmp/again.jsonl" >/dev/null || fail "re-ACK is not the stored ACK"

# 4. Ten connections at once.
send stream --port "$port" --count 400 --conns 10 --prefix CONC --acked "$tmp/conc" >/dev/null
[ "$(grep -c ' AA$' "$tmp/conc")" = 400 ] || fail "10 connections: $(grep -c ' AA$' "$tmp/conc") of 400 AA"
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id LIKE 'CONC%' AND ack_code = 'AA'")" = 400 ] ||
  fail "10 connections: message_log rows"
[ "$(sql "SELECT count(DISTINCT patient_id) FROM message_log WHERE control_id LIKE 'CONC%'")" = 400 ] ||
  fail "10 connections: patients"

# 5. Bytes outside a frame; a frame over the cap (restart with a 4 KiB cap).
printf 'MSH|^~\\&|T|F|MRT|H|20260101||ADT^A01|RAW1|P|2.5.1\r' >"$tmp/raw"
send raw --port "$port" --file "$tmp/raw" >"$tmp/raw.json"
jq -e '.ack_code == "AR" and .has_err and .closed and (.ack | test("outside an MLLP frame"))' \
  "$tmp/raw.json" >/dev/null || fail "garbage: $(cat "$tmp/raw.json")"
stop
grep -q "^stopped: " "$tmp/listen.err" || fail "no stop summary"
start --max-frame 4096 --max-connections 2
python3 - "$tmp/big" <<'PY'
import sys
body = b"MSH|^~\\&|T|F|MRT|H|20260101||ADT^A01^ADT_A01|BIG1|P|2.5.1\rNTE|1||" + b"x" * 10000 + b"\r"
open(sys.argv[1], "wb").write(b"\x0b" + body + b"\x1c\x0d")
PY
send raw --port "$port" --file "$tmp/big" >"$tmp/big.json"
jq -e '.ack_code == "AR" and .msa2 == "BIG1" and .closed and (.ack | test("cap of 4096"))' \
  "$tmp/big.json" >/dev/null || fail "oversize: $(cat "$tmp/big.json")"
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id = 'BIG1'")" = 0 ] || fail "oversize stored"
# It serves on; with --max-connections 2 a third sender waits for a free
# slot instead of failing.
send stream --port "$port" --count 60 --conns 3 --prefix AFTER --acked "$tmp/after" >/dev/null
[ "$(grep -c ' AA$' "$tmp/after")" = 60 ] || fail "after a refusal, 3 senders over 2 slots: $(grep -c ' AA$' "$tmp/after") of 60"
stop
grep -q "^stopped: 60 messages (60 AA, 0 AE, 0 AR, 0 duplicates, 0 not stored)" "$tmp/listen.err" ||
  fail "summary: $(tail -1 "$tmp/listen.err")"

# 5b. A low open-file limit: the listener serves fewer connections at once
# and keeps descriptors for the database; every message still lands.
fdlimit=40 start
send stream --port "$port" --count 120 --conns 20 --prefix FD --acked "$tmp/fd" >/dev/null
[ "$(grep -c ' AA$' "$tmp/fd")" = 120 ] || fail "open-file limit: $(grep -c ' AA$' "$tmp/fd") of 120 AA"
grep -q "open-file limit 40: serving at most" "$tmp/listen.err" || fail "fd limit not reported"
stop

# 6. SIGTERM in the middle of a stream.
start
: >"$tmp/term"
send stream --port "$port" --count 3000 --conns 4 --prefix TERM --acked "$tmp/term" >/dev/null &
spid=$!
for _ in $(seq 1500); do
  [ "$(wc -l <"$tmp/term" 2>/dev/null || echo 0)" -ge 150 ] && break
  sleep 0.02
done
stop
wait "$spid" || fail "sender failed"
acked=$(grep -c ' AA$' "$tmp/term")
[ "$acked" -ge 150 ] || fail "only $acked ACKed before SIGTERM"
[ "$acked" -lt 3000 ] || fail "the stream ended before SIGTERM"
grep ' AA$' "$tmp/term" | cut -d' ' -f1 | sort >"$tmp/term.ids"
sql "SELECT control_id FROM message_log WHERE control_id LIKE 'TERM%' AND ack_code = 'AA'" | sort >"$tmp/term.db"
missing=$(comm -23 "$tmp/term.ids" "$tmp/term.db" | wc -l)
[ "$missing" = 0 ] || fail "$missing ACKed messages not in the database after SIGTERM"
grep -q "^stopped: .* 0 not stored" "$tmp/listen.err" || fail "stop summary: $(tail -1 "$tmp/listen.err")"
# No message content in the listener's log.
if grep -q "Tester\|Main St\|PATID" "$tmp/listen.err"; then fail "patient data in the log"; fi

[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
mrt audit verify >/dev/null || fail "audit verify"
mrt audit log --json >"$tmp/audit.json"
jq -e '[.[] | select(.action == "hl7.listen")] | length >= 6' "$tmp/audit.json" >/dev/null ||
  fail "listener start/stop not audited"
echo "mllp_listen: $nfiles samples ($naa AA), 400 over 10 connections, $acked ACKed before SIGTERM: all stored"
