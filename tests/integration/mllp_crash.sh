#!/usr/bin/env bash
# ctest: serial
# The listener killed with SIGKILL in the middle of a stream: 2,000
# generated ADT^A01 messages (distinct control ids, each its own patient,
# encounter and two diagnoses) over 4 connections; the listener is killed
# once a few hundred are ACKed, restarted on the same database, and the
# sender resends every message it got no ACK for. Afterwards: every message
# was ACKed AA exactly once across the two runs, every ACKed message is in
# message_log with its patient, encounter and both diagnoses, nothing is
# half-written (integrity_check; each message's rows all or none), each
# message is applied once (counts exact, no second coding version), and the
# audit chain verifies.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/site.db
n=2000
fail() { echo "FAIL: $*" >&2; exit 1; }
send() { python3 "$MRT_SOURCE_DIR/tests/integration/mllp_send.py" "$@"; }
sql() { sqlite3 "$db" "$1"; }

start() {
  : >"$tmp/listen.err"
  "$MRT" --db "$db" listen --mllp 127.0.0.1:0 2>"$tmp/listen.err" &
  pid=$!
  for _ in $(seq 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/listen.err")
    [ -n "$port" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "listener exited before listening: $(cat "$tmp/listen.err")"
    sleep 0.05
  done
  fail "listener not ready"
}

"$MRT" --db "$db" init >/dev/null
start
: >"$tmp/acked1"
send stream --port "$port" --count $n --conns 4 --prefix CR --acked "$tmp/acked1" >/dev/null &
spid=$!
for _ in $(seq 3000); do
  [ "$(wc -l <"$tmp/acked1" 2>/dev/null || echo 0)" -ge 300 ] && break
  sleep 0.01
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=
wait "$spid" || fail "sender (first run)"
first=$(wc -l <"$tmp/acked1")
[ "$first" -ge 300 ] || fail "only $first ACKed before the kill"
[ "$first" -lt $n ] || fail "the stream ended before the kill"
# What was ACKed before the kill is already durable.
grep ' AA$' "$tmp/acked1" | cut -d' ' -f1 | sort >"$tmp/ids1"
sql "SELECT control_id FROM message_log WHERE control_id LIKE 'CR%'" | sort >"$tmp/db1"
[ "$(comm -23 "$tmp/ids1" "$tmp/db1" | wc -l)" = 0 ] || fail "ACKed messages lost by the kill"
committed=$(wc -l <"$tmp/db1")

start
send stream --port "$port" --count $n --conns 4 --prefix CR --acked "$tmp/acked2" \
  --skip-acked "$tmp/acked1" >/dev/null || fail "sender (resend)"
kill -TERM "$pid"
st=0; wait "$pid" || st=$?
pid=
[ "$st" = 0 ] || fail "listener exit $st"
second=$(wc -l <"$tmp/acked2")
[ $((first + second)) = $n ] || fail "ACKs: $first + $second != $n"
cat "$tmp/acked1" "$tmp/acked2" | grep -c ' AA$' | grep -qx $n || fail "not every ACK is AA"
cat "$tmp/acked1" "$tmp/acked2" | cut -d' ' -f1 | sort -u | wc -l | grep -qx $n ||
  fail "a control id ACKed twice or missing"
# Messages committed but not ACKed before the kill came back as duplicates.
dups=$(sed -n 's/^stopped: .* \([0-9][0-9]*\) duplicates.*/\1/p' "$tmp/listen.err")
[ "$dups" = $((committed - first)) ] ||
  fail "duplicates re-ACKed: $dups, want $((committed - first)) (committed $committed, ACKed $first)"

[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
[ "$(sql "SELECT count(*), count(DISTINCT control_id), sum(ack_code = 'AA') FROM message_log WHERE control_id LIKE 'CR%'")" = "$n|$n|$n" ] ||
  fail "message_log: $(sql "SELECT count(*), count(DISTINCT control_id), sum(ack_code = 'AA') FROM message_log WHERE control_id LIKE 'CR%'")"
[ "$(sql "SELECT count(*) FROM patient WHERE mrn LIKE 'CRM%'")" = $n ] ||
  fail "patients: $(sql "SELECT count(*) FROM patient WHERE mrn LIKE 'CRM%'")"
[ "$(sql "SELECT count(*) FROM encounter WHERE account LIKE 'CRA%'")" = $n ] ||
  fail "encounters: $(sql "SELECT count(*) FROM encounter WHERE account LIKE 'CRA%'")"
# All or nothing per message: each logged message has its patient with one
# encounter whose single coding version holds both diagnoses.
bad=$(sql "SELECT count(*) FROM message_log m JOIN patient p ON p.id = m.patient_id
           WHERE m.control_id LIKE 'CR%' AND (
             (SELECT count(*) FROM encounter e WHERE e.patient_id = p.id) != 1 OR
             (SELECT count(*) FROM coding c WHERE c.patient_id = p.id) != 1 OR
             (SELECT count(*) FROM diagnosis d WHERE d.patient_id = p.id) != 2)")
[ "$bad" = 0 ] || fail "$bad messages half-written or applied twice"
[ "$(sql "SELECT count(*) FROM message_log WHERE control_id LIKE 'CR%' AND patient_id IS NULL")" = 0 ] ||
  fail "message_log rows without their patient"
[ "$(sql "SELECT count(*) FROM diagnosis d JOIN patient p ON p.id = d.patient_id WHERE p.mrn LIKE 'CRM%'")" = $((2 * n)) ] ||
  fail "diagnoses"
"$MRT" --db "$db" audit verify >/dev/null || fail "audit verify"
echo "mllp_crash: killed after $first ACKs ($committed committed), resent $second, $((committed - first)) re-ACKed as duplicates; $n messages applied once"
