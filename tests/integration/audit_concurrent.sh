#!/usr/bin/env bash
# Several mrt processes writing at once: every event lands in one chain
# (no id used twice, no fork), every committed event gets its anchor line
# whatever order the processes finish in, and the chain verifies.
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
for p in "${pids[@]}"; do wait "$p" || fail "a writer failed"; done

want=$((1 + writers * per))
[ "$(sqlite3 "$db" "SELECT count(*), max(id) FROM audit_event")" = "$want|$want" ] ||
  fail "events: $(sqlite3 "$db" "SELECT count(*), max(id) FROM audit_event"), want $want"
[ "$(sqlite3 "$db" "SELECT count(*) FROM work_item")" = $((writers * per)) ] || fail "work items"
anchor=$(ls "$tmp"/.mrt-*.audit-anchor)
[ "$(wc -l <"$anchor")" = "$want" ] || fail "anchor lines: $(wc -l <"$anchor"), want $want"
[ "$(cut -d' ' -f1 "$anchor" | sort -n | uniq | wc -l)" = "$want" ] || fail "an id anchored twice"
out=$("$MRT" --db "$db" audit verify) || fail "chain broken after concurrent writers"
grep -q "^audit chain intact: $want events" <<<"$out" || fail "verify: $out"
echo "audit_concurrent: ok"
