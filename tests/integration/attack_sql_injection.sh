#!/usr/bin/env bash
# SQL injection and wildcard attacks on every text input (issue 5, section 5).
# 1. Every command listed by `mrt --help` (new ones included, from their own
#    usage lines), every positional and option value, and the global --user
#    and --purpose, fed classic payloads (quotes, `' OR 1=1 --`, `DROP
#    TABLE`, `%`, `_`, backslash, NUL-free binary, invalid UTF-8, unicode):
#    no signal or sanitizer report, no table dropped or emptied, the
#    patients untouched, integrity_check ok and the audit chain verifying
#    after each command (lib/cli_fuzz.py).
# 2. The same payloads arriving inside imported data (HL7, FHIR, Synthea)
#    are stored literally and shown back as they came.
# 3. A name search with % or _ matches only names that contain them
#    (LIKE wildcards are not wildcards to the user).
# 5. Code search terms in FTS5 syntax (quotes, NEAR, columns, ^, *) on a
#    real ICD-10-CM order file: no crash, no SQL or FTS error passed through,
#    % and _ match nothing, the code table intact.
# 4. Text that a command stores (a user's full name, a work item's title and
#    note, a disclosure's recipient and legal basis, a mandated report's
#    agency, a legal hold's matter) is stored exactly as given, quotes and
#    all; the accounting of a patient whose MRN is SQL lists only theirs.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/fixtures.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
cd "$tmp"

mrt init >/dev/null
mrt user add atkuser --os-account atk-os --role coder >/dev/null
mrt queue add --kind review --subject encounter:1 --patient 1 --role coder >/dev/null

# Hostile strings as data: names, street, MRN and account carry SQL and wildcards.
evil="x'); DROP TABLE patient;--"
fx_hl7 "$tmp/a.hl7" "ATK-MRN-1" "O'Brien" "$evil" "1 OR 1=1 -- St" "ATK-ACC-1"
fx_fhir_bundle "$tmp/b.json" "' OR 1=1 --" "Zq%x" "50%_off" "\\\"; DELETE FROM encounter; --" "acc'; --" pb
fx_fhir_ndjson "$tmp/nd" "ATK-MRN-3" "Zqabc" "Plain" "3 Plain St" "ATK-ACC-3" pc
fx_synthea "$tmp/syn" 11111111-1111-1111-1111-111111111111 "Robert'); DROP TABLE app_user;--" "Zq_y" \
  "4 Quote\"s St" aaaaaaaa-0000-0000-0000-000000000001
mrt import hl7 "$tmp/a.hl7" >/dev/null || fail "import hl7"
mrt import fhir "$tmp/b.json" >/dev/null || fail "import fhir bundle"
mrt import fhir "$tmp/nd" >/dev/null || fail "import fhir ndjson"
mrt import synthea "$tmp/syn" >/dev/null || fail "import synthea"
[ "$(q "SELECT count(*) FROM patient")" = 4 ] || fail "patients: $(q "SELECT count(*) FROM patient")"

# 2. stored literally, shown back as they came
[ "$(q "SELECT given FROM patient WHERE mrn = 'ATK-MRN-1'")" = "$evil" ] || fail "HL7 given name not literal"
mrt patient show ATK-MRN-1 --json | jq -e --arg e "$evil" '.family == "O'"'"'Brien" and .given == $e and
  .address_line == "1 OR 1=1 -- St"' >/dev/null || fail "HL7 patient shown: $(mrt patient show ATK-MRN-1 --json)"
mrt patient show "' OR 1=1 --" --json | jq -e '.family == "Zq%x" and .given == "50%_off"' >/dev/null ||
  fail "FHIR patient by an MRN of SQL"
mrt encounter show "acc'; --" --json | jq -e '.account == "acc'"'"'; --"' >/dev/null ||
  fail "encounter by an account of SQL: $(mrt encounter show "acc'; --" --json 2>&1 | head -5)"
[ "$(q "SELECT family FROM patient WHERE mrn = '11111111-1111-1111-1111-111111111111'")" = \
  "Robert'); DROP TABLE app_user;--" ] || fail "Synthea family not literal"
[ "$(q "SELECT address_line FROM patient WHERE family = 'Zq%x'")" = "\\\"; DELETE FROM encounter; --" ] ||
  fail "FHIR street not literal"

# 3. LIKE wildcards are literal characters to the user
find_mrns() { mrt patient find --name "$1" --json | jq -r '[.[].mrn] | sort | join(",")'; }
[ "$(find_mrns 'Zq')" = "' OR 1=1 --,11111111-1111-1111-1111-111111111111,ATK-MRN-3" ] ||
  fail "plain prefix search: $(find_mrns Zq)"
[ "$(find_mrns 'Zq%')" = "' OR 1=1 --" ] || fail "'Zq%' matched: $(find_mrns 'Zq%')"
[ "$(find_mrns 'Zq_')" = "11111111-1111-1111-1111-111111111111" ] || fail "'Zq_' matched: $(find_mrns 'Zq_')"
[ "$(find_mrns '%')" = "" ] || fail "'%' matched: $(find_mrns '%')"
[ "$(find_mrns '_')" = "" ] || fail "'_' matched: $(find_mrns '_')"
[ "$(find_mrns '%a%')" = "" ] || fail "'%a%' matched: $(find_mrns '%a%')"
[ "$(find_mrns "' OR 1=1 --")" = "" ] || fail "SQL as a name matched: $(find_mrns "' OR 1=1 --")"
[ "$(find_mrns "O'Brien")" = "ATK-MRN-1" ] || fail "a quote in a name: $(find_mrns "O'Brien")"

# 4. text a command stores is stored exactly
mrt user add quoted --os-account quoted-os --full-name "$evil" --role coder >/dev/null || fail "user add"
[ "$(q "SELECT full_name FROM app_user WHERE name = 'quoted'")" = "$evil" ] || fail "full name not literal"
mrt queue add --kind review --subject encounter:2 --title "' OR 1=1 -- %_" --role coder >/dev/null ||
  fail "queue add with a title of SQL"
[ "$(q "SELECT title FROM work_item ORDER BY id DESC LIMIT 1")" = "' OR 1=1 -- %_" ] || fail "title not literal"
item=$(q "SELECT max(id) FROM work_item")
mrt queue "done" "$item" --note "$evil" >/dev/null || fail "queue done with a note of SQL"
[ "$(q "SELECT note FROM work_item_history WHERE work_item_id = $item ORDER BY id DESC LIMIT 1")" = "$evil" ] ||
  fail "note not literal"
# ... and so do the release-of-information commands, where present
has_cmd() { "$MRT" --db "$db" "$@" --help 2>&1 | grep -q "usage:"; }
if has_cmd disclose new; then
  mrt disclose new --patient ATK-MRN-1 --recipient "$evil" --recipient-address "%_" --purpose public_health \
    --legal-basis "' OR 1=1 --" --items encounters --json >"$tmp/d.json" || fail "disclose new with SQL text"
  mrt disclose show "$(jq -r .id "$tmp/d.json")" --json | jq -e --arg e "$evil" '.recipient == $e and
    .recipient_address == "%_" and .legal_basis == "'"'"' OR 1=1 --"' >/dev/null || fail "disclosure not literal"
  mrt disclose accounting ATK-MRN-1 --json | jq -e --arg e "$evil" '[.entries[] | select(.recipient == $e)] |
    length == 1' >/dev/null || fail "accounting: the disclosure's recipient not literal"
  mrt disclose accounting "' OR 1=1 --" --json | jq -e '[.entries[]] | length == 0' >/dev/null ||
    fail "accounting of the MRN \"' OR 1=1 --\" lists another patient's disclosures"
fi
if has_cmd mandated new; then
  mrt mandated new --patient ATK-MRN-1 --kind wound --jurisdiction "%" --legal-basis "$evil" \
    --agency "' OR 1=1 --" --items encounters --json >"$tmp/m.json" || fail "mandated new with SQL text"
  mrt mandated show "$(jq -r .id "$tmp/m.json")" --json | jq -e --arg e "$evil" '.legal_basis == $e and
    .agency == "'"'"' OR 1=1 --" and .jurisdiction == "%"' >/dev/null || fail "mandated report not literal"
fi
if has_cmd hold add; then
  mrt hold add --patient ATK-MRN-1 --matter "$evil" >/dev/null || fail "hold add with SQL text"
  mrt hold list --json | jq -e --arg e "$evil" 'any(.[]; .matter == $e)' >/dev/null || fail "hold matter not literal"
fi
mrt audit verify >/dev/null || fail "audit chain after the stored payloads"

# 5. code search terms (FTS5 query syntax is a language too), on a real
#    ICD-10-CM order file when the data is there
order=${MRT_DATA:-$MRT_SOURCE_DIR/../shared/data}/icd10cm/fy2025/icd10cm_order_2025.txt
if [ -f "$order" ]; then
  mrt codes load "$order" >/dev/null || fail "codes load"
  for p in '"' '"a" "b' 'NEAR(' 'NEAR(a b, -1)' 'title:x' '^a' 'a*' '*' 'AND' 'OR OR' 'a NOT' \
    "' OR 1=1 --" "x'); DROP TABLE code;--" '%' '_' '\' '{a b}' 'a + b' ')'; do
    for c in "codes search" "codes show" "codes index"; do
      set +e
      # shellcheck disable=SC2086
      mrt $c "$p" --json >"$tmp/c.out" 2>"$tmp/c.err"
      rc=$?
      set -e
      [ "$rc" -lt 3 ] || fail "$c '$p' exited $rc: $(head -c 500 "$tmp/c.err")"
      if grep -qiE "fts5|syntax error|Sanitizer|runtime error:" "$tmp/c.err"; then
        fail "$c '$p': $(head -c 500 "$tmp/c.err")"
      fi
    done
  done
  for p in '%' '_' '%%' '*'; do
    n=$(mrt codes search "$p" --json 2>/dev/null | jq length 2>/dev/null || echo 0)
    [ "${n:-0}" = 0 ] || fail "codes search '$p' matched $n codes"
  done
  mrt codes search 'hyper%' --limit 50 --json | jq -e 'length > 0 and
    all(.[]; .matched | ascii_downcase | test("hyper"))' >/dev/null || fail "codes search 'hyper%'"
  [ "$(q "SELECT count(*) FROM code")" -gt 90000 ] || fail "codes after the payloads"
fi

# the listener's --mllp HOST:PORT (the fuzzer leaves the server out): a
# usage error, or it listens until stopped
for p in "' OR 1=1 --" ":99999" "[::1]:0" "127.0.0.1:-1" "%" "host:1:2" "" "127.0.0.1:0x10" \
  "$(head -c 131000 /dev/zero | tr '\0' 9)" "x'); DROP TABLE patient;--:0"; do
  set +e
  timeout 5 "$MRT" --db "$db" listen --mllp "$p" >/dev/null 2>"$tmp/l.err"
  rc=$?
  set -e
  { [ "$rc" -lt 128 ] && ! grep -qE "Sanitizer|runtime error:" "$tmp/l.err"; } ||
    fail "listen --mllp '${p:0:40}' exited $rc: $(head -c 500 "$tmp/l.err")"
done

# 1. every text slot of every command
jq -n --arg file "$tmp/empty" '{mrn: "ATK-MRN-1", account: "ATK-ACC-1", user: "atkuser",
  role: "coder", id: "1", label: "BH", text: "atk text", kind: "review", subject: "encounter:1",
  code: "I10", n: "5", date: "2024-01-02", purpose: "treatment", system: "icd10cm",
  items: "encounters", method: "safe-harbor", file: $file,
  stdin: "atk-password-1\natk-password-2\n"}' >"$tmp/values.json"
: >"$tmp/empty"
python3 "$here/lib/cli_fuzz.py" sql "$MRT" "$db" "$tmp/work" "$tmp/values.json" >"$tmp/fuzz.out" ||
  { cat "$tmp/fuzz.out"; fail "hostile arguments (see above)"; }
tail -1 "$tmp/fuzz.out"
[ -e /tmp/atk-pwn.db ] && fail "an ATTACH payload created /tmp/atk-pwn.db"
[ "$(q "SELECT count(*) FROM patient")" = 4 ] || fail "patients after the payloads"
q "PRAGMA integrity_check" | grep -qx ok || fail "integrity"
mrt audit verify >/dev/null || fail "audit chain at the end"
echo "attack_sql_injection: ok"
