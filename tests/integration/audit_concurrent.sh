#!/usr/bin/env bash
# Several mrt processes writing at once: every event lands in one chain
# (no id used twice, no fork), every committed event gets its anchor line
# whatever order the processes finish in, and the chain verifies. Sealed
# and FHIR exports taken while the writers run (the files are written
# outside any transaction) each verify, and the chain still does after.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }

"$MRT" --db "$db" init >/dev/null
writers=4 per=12
pids=()
for w in $(seq 1 $writers); do
  (
    for i in $(seq 1 $per); do
      "$MRT" --db "$db" queue add --kind review --subject "encounter:$w$i" --role coder >/dev/null
    done
  ) &
  pids+=($!)
done
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
for k in 1 2 3; do
  "$MRT" --db "$db" audit export --before "$tomorrow" --out "$tmp/sealed$k.jsonl" >/dev/null ||
    fail "sealed export $k during the writes"
  "$MRT" --db "$db" audit export --fhir --out "$tmp/fhir$k.ndjson" >/dev/null || fail "fhir export $k"
done
for p in "${pids[@]}"; do wait "$p" || fail "a writer failed"; done
for k in 1 2 3; do
  "$MRT" --db "$db" audit verify --export "$tmp/sealed$k.jsonl" >/dev/null || fail "sealed export $k"
  jq -e -s '[.[].id | tonumber] == [range(1; length + 1)]' "$tmp/fhir$k.ndjson" >/dev/null ||
    fail "fhir export $k: not every event 1..n"
done

want=$((1 + writers * per + 6))
[ "$(sqlite3 "$db" "SELECT count(*), max(id) FROM audit_event")" = "$want|$want" ] ||
  fail "events: $(sqlite3 "$db" "SELECT count(*), max(id) FROM audit_event"), want $want"
[ "$(sqlite3 "$db" "SELECT count(*) FROM work_item")" = $((writers * per)) ] || fail "work items"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_export")" = 6 ] || fail "export register"
anchor=$(ls "$tmp"/.mrt-*.audit-anchor)
[ "$(wc -l <"$anchor")" = "$want" ] || fail "anchor lines: $(wc -l <"$anchor"), want $want"
[ "$(cut -d' ' -f1 "$anchor" | sort -n | uniq | wc -l)" = "$want" ] || fail "an id anchored twice"
out=$("$MRT" --db "$db" audit verify) || fail "chain broken after concurrent writers"
grep -q "^audit chain intact: $want events" <<<"$out" || fail "verify: $out"
echo "audit_concurrent: ok"
