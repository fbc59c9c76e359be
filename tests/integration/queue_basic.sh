#!/usr/bin/env bash
# The work queue through the CLI: a supervisor adds items for a role or a
# user; list filters by --mine, --role and --status; users see only items
# of theirs or their roles; assign and done keep a history and write
# audit events; closed items cannot be closed again; bad input is refused.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }

mrt init >/dev/null
mrt user add cody --os-account cody-os --role coder >/dev/null
mrt user add cora --os-account cora-os --role coder >/dev/null
mrt user add phil --os-account phil-os --role physician >/dev/null

mrt queue add --kind coding-review --subject encounter:100 --role coder --due 2026-12-01 \
  --title "Review principal diagnosis" | grep -q "added work item 1" || fail "add 1"
mrt queue add --kind physician-query --subject encounter:101 --assign phil --title "Query" >/dev/null
mrt queue add --kind coding-review --subject encounter:102 --role coder --due 2026-11-01 >/dev/null

mrt queue list --json >"$tmp/all.json"
jq -e 'length == 3 and (map(.id) == [3, 1, 2])' "$tmp/all.json" >/dev/null ||
  fail "supervisor list (due date order): $(jq -c 'map(.id)' "$tmp/all.json")"
jq -e '.[1] | .kind == "coding-review" and .subject_type == "encounter" and .subject_id == "100"
  and .title == "Review principal diagnosis" and .assigned_user == null and .assigned_role == "coder"
  and .status == "open" and .due_date == "2026-12-01" and (.created_at | test("^20"))
  and (.history | length == 1) and .history[0].action == "add"' "$tmp/all.json" >/dev/null ||
  fail "item keys: $(jq -c '.[1]' "$tmp/all.json")"
mrt queue list --role coder --json | jq -e 'map(.id) == [3, 1]' >/dev/null || fail "--role coder"
mrt queue list --role physician --json | jq -e 'length == 0' >/dev/null || fail "--role physician"
# A coder sees the coder items, not the physician's.
mrt --user cody queue list --json | jq -e 'map(.id) == [3, 1]' >/dev/null || fail "coder's view"
mrt --user phil queue list --json | jq -e 'map(.id) == [2]' >/dev/null || fail "physician's view"
mrt --user phil queue list --mine --json | jq -e 'map(.id) == [2]' >/dev/null || fail "phil --mine"
mrt --user cody queue list --mine --json | jq -e 'length == 0' >/dev/null || fail "cody --mine"

# A physician may not close a coder item or add items; the refusal is audited.
if mrt --user phil queue done 1 2>"$tmp/err"; then fail "physician closed a coder item"; fi
grep -q "not assigned to user phil" "$tmp/err" || fail "refusal message: $(cat "$tmp/err")"
if mrt --user cody queue add --kind x --subject encounter:1 2>/dev/null; then fail "coder added an item"; fi
mrt audit log --json | jq -e '[.[] | select(.action == "queue.done" and .outcome == "deny")] | length == 1' \
  >/dev/null || fail "refused done not audited"

# A coder takes an item of the coder role; a supervisor assigns another.
mrt --user cody queue assign 1 --to-user cody | grep -q "assigned to user cody" || fail "take"
if mrt --user cody queue assign 3 --to-user cora 2>/dev/null; then fail "coder assigned to someone else"; fi
mrt queue assign 3 --user cora | grep -q "assigned to user cora" || fail "assign --user"
mrt --user cody queue list --mine --json | jq -e 'map(.id) == [1]' >/dev/null || fail "cody --mine after take"
mrt --user cora queue list --mine --json | jq -e 'map(.id) == [3]' >/dev/null || fail "cora --mine"
mrt queue assign 2 --role physician >/dev/null
mrt queue list --role physician --json | jq -e 'map(.id) == [2]' >/dev/null || fail "reassigned to a role"

mrt --user cody queue done 1 --note "principal confirmed" | grep -q "work item 1 done" || fail "done"
if mrt --user cody queue done 1 2>"$tmp/err"; then fail "closed twice"; fi
grep -q "already done" "$tmp/err" || fail "closed twice message"
mrt queue list --json | jq -e 'map(.id) == [3, 2]' >/dev/null || fail "done items leave the open list"
mrt queue list --status done --json >"$tmp/done.json"
jq -e 'length == 1 and .[0].id == 1 and .[0].status == "done"
  and (.[0].history | map(.action) == ["add", "assign", "done"])
  and .[0].history[1].by == "cody" and .[0].history[1].assigned_user == "cody"
  and .[0].history[2].note == "principal confirmed" and .[0].history[2].from_status == "open"' \
  "$tmp/done.json" >/dev/null || fail "history: $(cat "$tmp/done.json")"
mrt queue list --status all --json | jq -e 'length == 3' >/dev/null || fail "--status all"
mrt queue show 1 --json | jq -e '.id == 1 and (.history | length == 3)' >/dev/null || fail "show"
if mrt --user phil queue show 1 2>/dev/null; then fail "physician saw a coder item"; fi
mrt audit log --json | jq -e '[.[] | select(.object_type == "work_item" and .outcome == "allow")
  | .action] | (map(select(. == "queue.add")) | length == 3) and (map(select(. == "queue.assign"))
  | length == 3) and (map(select(. == "queue.done")) | length == 1)' >/dev/null || fail "queue audit events"

# Bad input.
for args in "--kind review --subject encounter" "--kind review --subject :5" "--kind Bad! --subject e:1" \
            "--kind r --subject e:1 --due 2026-02-30" "--kind r --subject e:1 --role surgeon" \
            "--kind r --subject e:1 --role coder --assign cody" "--subject e:1"; do
  # shellcheck disable=SC2086
  set +e; mrt queue add $args >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || fail "queue add $args exited $rc, not 2"
done
if mrt queue add --kind r --subject e:1 --assign nobody-here 2>"$tmp/err"; then fail "unknown assignee"; fi
grep -q "no mrt user named nobody-here" "$tmp/err" || fail "unknown assignee message"
if mrt queue done 99 2>"$tmp/err"; then fail "done on a missing item"; fi
grep -q "no work item 99" "$tmp/err" || fail "missing item message"
set +e; mrt queue list --status maybe >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "bad --status exited $rc"
mrt audit verify >/dev/null || fail "chain"
echo "queue_basic: ok"
