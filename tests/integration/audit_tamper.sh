#!/usr/bin/env bash
# The audit chain against direct edits of the SQLite file (triggers
# dropped first, on a fresh copy of the site each time): altering a field,
# deleting a middle row, inserting a forged row, swapping two rows and
# truncating the last rows each make `mrt audit verify` exit non-zero
# naming the first broken row; the untouched site verifies; a copy of the
# database placed beside the original verifies against the same key and
# anchor; a missing key or anchor is reported. The same edits of a sealed
# export file (`mrt audit export --before`), and edits of its header,
# trailer or formatting, make `mrt audit verify --export` fail naming the
# first broken row (or the seal / trailer at fault).
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

site=$tmp/site
mkdir "$site"
db=$site/mrt.db
"$MRT" --db "$db" init >/dev/null
for u in ann ben cat dee; do "$MRT" --db "$db" user add "$u" --os-account "$u-os" --role coder >/dev/null; done
for i in 1 2 3; do
  "$MRT" --db "$db" queue add --kind review --subject "encounter:$i" --role coder >/dev/null
done
out=$("$MRT" --db "$db" audit verify) || fail "fresh chain does not verify"
grep -q "^audit chain intact: 8 events, head 8 [0-9a-f]\{64\}$" <<<"$out" || fail "verify said: $out"
# The program itself cannot change or remove audit rows.
if sqlite3 "$db" "UPDATE audit_event SET detail = 'x' WHERE id = 2" 2>/dev/null; then
  fail "the update trigger did not stop an update"
fi
if sqlite3 "$db" "DELETE FROM audit_event WHERE id = 2" 2>/dev/null; then
  fail "the delete trigger did not stop a delete"
fi
"$MRT" --db "$db" audit verify --json | jq -e '.intact == true and .events == 8' >/dev/null ||
  fail "verify --json"
n=$(sqlite3 "$db" "SELECT max(id) FROM audit_event")

triggers=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
[ "$(grep -c "CREATE TRIGGER" <<<"$triggers")" = 2 ] || fail "the two audit triggers"
# tamper NAME EXPECTED_ROW SQL: a fresh copy of the site, the edit, then verify.
tamper() {
  local name=$1 row=$2 sql=$3 dir=$tmp/$1
  cp -a "$site" "$dir"
  # drop the triggers, edit, put the triggers back (the schema looks untouched)
  sqlite3 "$dir/mrt.db" "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete; $sql;
    $triggers"
  [ "$(sqlite3 "$dir/mrt.db" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")" = 2 ] ||
    fail "$name: triggers not restored"
  if "$MRT" --db "$dir/mrt.db" audit verify >"$dir/out" 2>"$dir/err"; then
    fail "$name: verify passed after tampering"
  fi
  grep -q "audit chain BROKEN: audit row $row:" "$dir/err" || fail "$name: expected row $row: $(cat "$dir/err")"
  echo "$name: caught at row $row: $(cat "$dir/err")"
}

tamper alter 4 "UPDATE audit_event SET detail = 'user added; roles: admin' WHERE id = 4"
tamper alter-patient 5 "UPDATE audit_event SET patient_id = 42 WHERE id = 5"
tamper delete 4 "DELETE FROM audit_event WHERE id = 3"
tamper insert 3 "UPDATE audit_event SET id = id + 1000 WHERE id >= 3;
  INSERT INTO audit_event(id, at, actor, action, outcome, prev_mac, mac)
    SELECT 3, at, actor, 'user.add', 'allow', mac, lower(hex(randomblob(32))) FROM audit_event WHERE id = 2;
  UPDATE audit_event SET id = id - 999 WHERE id > 1000;"
tamper append $((n + 1)) "INSERT INTO audit_event(id, at, actor, action, outcome, prev_mac, mac)
    SELECT id + 1, at, actor, action, outcome, mac, mac FROM audit_event WHERE id = $n"
tamper swap 5 "UPDATE audit_event SET id = -5 WHERE id = 5; UPDATE audit_event SET id = 5 WHERE id = 6;
  UPDATE audit_event SET id = 6 WHERE id = -5"
tamper truncate $((n - 1)) "DELETE FROM audit_event WHERE id >= $((n - 1))"
# A copied row with the real MAC, over another row: replaced content.
tamper replace 3 "UPDATE audit_event SET (at, actor, action, object_id, detail, prev_mac, mac) =
  (SELECT at, actor, action, object_id, detail, prev_mac, mac FROM audit_event WHERE id = 4) WHERE id = 3"

# A crash between a commit and its anchor line leaves the newest events
# unanchored: still checked by the chain, reported, not failed. A torn last
# anchor line (no newline) is ignored.
cp -a "$site" "$tmp/crash"
a=$(ls "$tmp"/crash/.mrt-*.audit-anchor)
head -n -2 "$a" >"$a.new" && mv "$a.new" "$a"
printf '%s 0123' "$n" >>"$a"
out=$("$MRT" --db "$tmp/crash/mrt.db" audit verify) || fail "unanchored tail failed verification"
grep -q "^(2 newest events not yet in the anchor file)$" <<<"$out" || fail "unanchored tail: $out"
"$MRT" --db "$tmp/crash/mrt.db" audit verify --json | jq -e '.intact and .unanchored == 2' >/dev/null ||
  fail "unanchored count in --json"
# ... but a malformed line inside the anchor is tampering.
cp -a "$site" "$tmp/badanchor"
a=$(ls "$tmp"/badanchor/.mrt-*.audit-anchor)
sed -i '2s/^2 /2x/' "$a"
if "$MRT" --db "$tmp/badanchor/mrt.db" audit verify 2>"$tmp/err"; then fail "malformed anchor accepted"; fi
grep -q "audit-anchor:2: malformed anchor line" "$tmp/err" || fail "malformed anchor message: $(cat "$tmp/err")"

# The broken row is named in --json too.
dir=$tmp/truncate
if "$MRT" --db "$dir/mrt.db" audit verify --json >"$dir/json" 2>/dev/null; then fail "json verify passed"; fi
jq -e --argjson r $((n - 1)) '.intact == false and .broken_id == $r' "$dir/json" >/dev/null ||
  fail "verify --json: $(cat "$dir/json")"

# Without the key or the anchor, verification says which file is missing.
cp -a "$site" "$tmp/nokey"
rm "$tmp"/nokey/.mrt-*.audit-key
if "$MRT" --db "$tmp/nokey/mrt.db" audit verify 2>"$tmp/err"; then fail "verified without the key"; fi
grep -q "audit-key: cannot open the audit key" "$tmp/err" || fail "missing key message: $(cat "$tmp/err")"
cp -a "$site" "$tmp/noanchor"
rm "$tmp"/noanchor/.mrt-*.audit-anchor
if "$MRT" --db "$tmp/noanchor/mrt.db" audit verify 2>"$tmp/err"; then fail "verified without the anchor"; fi
grep -q "cannot open the audit anchor" "$tmp/err" || fail "missing anchor message: $(cat "$tmp/err")"

# A key readable by others still works but is warned about.
cp -a "$site" "$tmp/loosekey"
chmod 644 "$tmp"/loosekey/.mrt-*.audit-key
"$MRT" --db "$tmp/loosekey/mrt.db" audit verify >/dev/null 2>"$tmp/err" || fail "loose key"
grep -q "audit key is readable by others (mode 644); run chmod 600" "$tmp/err" || fail "no loose-key warning"

# The original is untouched by all of the above, and a copy beside it
# verifies against the same key and anchor (found by the database id);
# verifying writes nothing, so the original still verifies afterwards.
"$MRT" --db "$db" audit verify >/dev/null || fail "original no longer verifies"
cp "$db" "$site/copy.db"
"$MRT" --db "$site/copy.db" audit verify | grep -q "^audit chain intact: 8 events" ||
  fail "copy beside the original"
"$MRT" --db "$db" audit verify >/dev/null || fail "original after verifying its copy"
# A copy elsewhere, without the site's files, has no key.
mkdir "$tmp/elsewhere"
cp "$db" "$tmp/elsewhere/mrt.db"
if "$MRT" --db "$tmp/elsewhere/mrt.db" audit verify 2>/dev/null; then fail "verified away from its site"; fi
# ... unless $MRT_HOME names the site.
MRT_HOME=$site "$MRT" --db "$tmp/elsewhere/mrt.db" audit verify >/dev/null 2>&1 ||
  fail "MRT_HOME did not find the site"
# The sealed export (made on a copy of the site, so the original keeps its 8
# events): each edit of the file is caught.
cp -a "$site" "$tmp/exp"
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
"$MRT" --db "$tmp/exp/mrt.db" audit export --before "$tomorrow" --out "$tmp/exp/sealed.jsonl" >/dev/null
"$MRT" --db "$tmp/exp/mrt.db" audit verify --export "$tmp/exp/sealed.jsonl" | grep -q "^audit export intact: 8 events" ||
  fail "sealed export does not verify"
# tamper_export NAME EXPECTED ED_SCRIPT: a copy of the file, edited with sed, then verify.
tamper_export() {
  local name=$1 want=$2 script=$3 f=$tmp/exp/$1.jsonl
  cp "$tmp/exp/sealed.jsonl" "$f"
  sed -i "$script" "$f"
  if "$MRT" --db "$tmp/exp/mrt.db" audit verify --export "$f" >/dev/null 2>"$f.err"; then
    fail "export $name: verify passed after tampering"
  fi
  grep -q "audit export BROKEN: $want" "$f.err" || fail "export $name: expected '$want': $(cat "$f.err")"
  echo "export $name: caught: $(cat "$f.err")"
}
# line 1 is the header, line k+1 row k, line 10 the trailer
tamper_export alter "audit row 4: MAC does not match" '5s/"actor":"[^"]*"/"actor":"mallory"/'
tamper_export alter-patient "audit row 5: MAC does not match" '6s/"patient_id":null/"patient_id":42/'
tamper_export delete "audit row 4: follows row 2" '4d'
tamper_export insert "audit row 3: follows row 3" '4p'
tamper_export reorder "audit row 5: follows row 3" '5{h;d};6G'
tamper_export truncate "audit row 7: missing" '8,9d'
tamper_export no-trailer "audit row 9: no trailer" '$d'
tamper_export trailer-count "the seal does not match" '$s/"count":8/"count":7/'
tamper_export header-date "the seal does not match" '1s/"before":"[0-9-]*"/"before":"2000-01-01"/'
tamper_export reformat "the body.s sha256 differs" '3s/,"at":/, "at":/'
tamper_export after-trailer "line 11: text after the trailer" '$p'
# A row's id renumbered to hide a deleted one: its MAC covers the id.
tamper_export renumber "audit row 3: does not link to row 2" '4d;5s/"id":4,/"id":3,/'
# Checked by another site (another database and key): refused, not trusted.
mkdir "$tmp/other"
"$MRT" --db "$tmp/other/mrt.db" init >/dev/null
if "$MRT" --db "$tmp/other/mrt.db" audit verify --export "$tmp/exp/sealed.jsonl" 2>"$tmp/err"; then
  fail "another site accepted the export"
fi
grep -q "exported from another database" "$tmp/err" || fail "other site: $(cat "$tmp/err")"
# The database must agree with the export: the last exported row replaced
# in the database afterwards is named.
cp -a "$tmp/exp" "$tmp/exp2"
sqlite3 "$tmp/exp2/mrt.db" "DROP TRIGGER audit_event_no_update;
  UPDATE audit_event SET mac = lower(hex(randomblob(32))) WHERE id = 8"
if "$MRT" --db "$tmp/exp2/mrt.db" audit verify --export "$tmp/exp2/sealed.jsonl" 2>"$tmp/err"; then
  fail "export verified against a database that differs"
fi
grep -q "audit row 8: the database holds another row than the export" "$tmp/err" ||
  fail "db disagreement: $(cat "$tmp/err")"
"$MRT" --db "$tmp/exp/mrt.db" audit verify --export "$tmp/exp/sealed.jsonl" --json |
  jq -e '.intact == true and .events == 8 and .head_id == 8' >/dev/null || fail "verify --export --json"

echo "audit_tamper: ok"
