#!/usr/bin/env bash
# `mrt import fhir` on the two Synthea R4 transaction Bundles in the data
# folder: every supported resource imported (counts computed here with jq
# from the Bundles), other types reported as skipped, SNOMED CT codes and
# note texts stored as sent; a second run changes nothing (dump of the
# chart tables); a broken file and a resource with an unknown reference
# become rejects and leave the chart otherwise unchanged; a coder is
# refused; export -> import into an empty DB -> export gives the same
# resources (also from gzip NDJSON); --since.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-${MRT_SOURCE_DIR:?}/../shared/data}
fhir=$data/synthea-mcode-ri/fhir
ls "$fhir"/*.json >/dev/null 2>&1 || { echo "no Synthea FHIR bundles in $data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
# jq over every entry's resource of both bundles, as one array.
res() { jq -rs "[.[].entry[].resource] | $1" "$fhir"/*.json; }
n_of() { res "map(select(.resourceType == \"$1\")) | length"; }
chart_dump() {
  for t in patient patient_identifier patient_name patient_history provider encounter \
           encounter_history coding diagnosis procedure coding_finding document label; do
    sqlite3 "$1" "SELECT * FROM $t ORDER BY id"
  done
}

mrt init >/dev/null
mrt import fhir "$fhir" --json >"$tmp/r1.json" || fail "import"
for t in Patient Encounter Condition Procedure DocumentReference; do
  n=$(n_of "$t")
  [ "$n" -gt 0 ] || fail "no $t in the bundles"
  jq -e --arg t "$t" --argjson n "$n" '.resources[$t] | .read == $n and .created == $n and
      .rejected == 0 and .skipped == 0' "$tmp/r1.json" >/dev/null ||
    fail "report $t ($n): $(jq -c --arg t "$t" '.resources[$t]' "$tmp/r1.json")"
done
[ "$(n_of Patient)" = 2 ] && [ "$(n_of Encounter)" = 12 ] && [ "$(n_of Condition)" = 16 ] &&
  [ "$(n_of Procedure)" = 6 ] && [ "$(n_of DocumentReference)" = 12 ] || fail "not the expected bundles"
# Every other type is counted as skipped, by type.
want=$(res 'map(.resourceType) | map(select(IN("Patient","Encounter","Condition","Procedure",
  "DocumentReference","Practitioner") | not)) | group_by(.) | map({(.[0]): length}) | add')
jq -e --argjson w "$want" '.skipped == $w and .files == 2 and .file_rejects == 0 and
  (.rejects | length) == 0' "$tmp/r1.json" >/dev/null || fail "skipped: $(jq -c .skipped "$tmp/r1.json")"

# The chart holds them.
[ "$(q 'SELECT count(*) FROM patient')" = 2 ] || fail "patients"
[ "$(q 'SELECT count(*) FROM encounter')" = 12 ] || fail "encounters"
[ "$(q 'SELECT count(*) FROM document')" = 12 ] || fail "documents"
mr=$(res '[.[] | select(.resourceType == "Patient") | .identifier[] |
  select(.type.coding[0].code == "MR") | .value] | sort | join(",")')
[ "$(q "SELECT group_concat(mrn) FROM (SELECT mrn FROM patient ORDER BY mrn)")" = "$mr" ] ||
  fail "MRNs are the MR identifiers"
ids=$(res '[.[] | select(.resourceType == "Patient") | .identifier | length] | add')
[ "$(q 'SELECT count(*) FROM patient_identifier')" = "$ids" ] || fail "identifiers ($ids)"
amb=$(res 'map(select(.resourceType == "Encounter" and .class.code == "AMB")) | length')
emer=$(res 'map(select(.resourceType == "Encounter" and .class.code == "EMER")) | length')
[ "$(q "SELECT count(*) FROM encounter WHERE class = 'outpatient'")" = "$amb" ] &&
  [ "$(q "SELECT count(*) FROM encounter WHERE class = 'emergency'")" = "$emer" ] || fail "classes"
cur="JOIN coding c ON c.id = x.coding_id AND c.superseded_by IS NULL"
# A coding merge keeps one item per (system, code) of an encounter.
dx=$(res '[.[] | select(.resourceType == "Condition") | [.encounter.reference,
  .code.coding[0].system, .code.coding[0].code]] | unique | length')
px=$(res '[.[] | select(.resourceType == "Procedure") | [.encounter.reference,
  .code.coding[0].system, .code.coding[0].code, .performedPeriod.start]] | unique | length')
[ "$(q "SELECT count(*) FROM diagnosis x $cur WHERE x.system = 'http://snomed.info/sct'")" = "$dx" ] ||
  fail "diagnoses ($dx)"
[ "$(q "SELECT count(*) FROM procedure x $cur WHERE x.system = 'http://snomed.info/sct'")" = "$px" ] ||
  fail "procedures ($px)"
encs=$(res '[.[] | select(.resourceType == "Condition" or .resourceType == "Procedure") |
  .encounter.reference] | unique | length')
[ "$(q 'SELECT count(*) FROM coding')" = "$encs" ] || fail "one coding per coded encounter"
code=$(res '[.[] | select(.resourceType == "Condition")][0] | .id + "|" + .code.coding[0].code')
[ "$(q "SELECT source_ref || '|' || code FROM diagnosis WHERE source_ref = '${code%%|*}'")" = "$code" ] ||
  fail "condition code as sent"
npis=$(res '[.[] | (.participant[]?.individual.reference, .author[]?.reference) |
  select(type == "string" and startswith("Practitioner?"))] | unique | length')
[ "$(q 'SELECT count(*) FROM provider')" = "$npis" ] || fail "providers from references ($npis)"
[ "$(q 'SELECT count(*) FROM encounter WHERE attending_id IS NOT NULL')" = 12 ] || fail "attending"
doc=$(res '[.[] | select(.resourceType == "DocumentReference")][3]')
echo "$doc" | jq -r '.content[0].attachment.data' | base64 -d >"$tmp/note.want"
q "SELECT text FROM document WHERE doc_ref = '$(echo "$doc" | jq -r .id)'" >"$tmp/note.got"
printf '\n' >>"$tmp/note.want"
cmp -s "$tmp/note.want" "$tmp/note.got" || fail "note text decoded from base64"
[ "$(q "SELECT count(*) FROM document WHERE status = 'signed' AND encounter_id IS NOT NULL")" = 12 ] ||
  fail "documents signed, on their encounters"

# A second import changes nothing.
chart_dump "$db" >"$tmp/dump1"
mrt import fhir "$fhir" --json >"$tmp/r2.json" || fail "second import"
jq -e '[.resources[] | .created + .updated + .rejected] | add == 0' "$tmp/r2.json" >/dev/null ||
  fail "second import changed: $(jq -c .resources "$tmp/r2.json")"
jq -e '.resources.Condition.unchanged == 16 and .resources.Patient.unchanged == 2' "$tmp/r2.json" \
  >/dev/null || fail "second import unchanged counts"
chart_dump "$db" >"$tmp/dump2"
cmp -s "$tmp/dump1" "$tmp/dump2" || fail "second import changed the chart"

# A broken file and a resource with an unknown reference: rejects; the rest
# of the input is applied (here: nothing new), the chart is unchanged.
mkdir "$tmp/bad"
cp "$fhir"/*.json "$tmp/bad/"
printf '{"resourceType": "Bundle", "entry": [ {"resource": ' >"$tmp/bad/broken.json"
jq '.entry[0].resource.subject.reference = "urn:uuid:nobody" |
    .entry |= [.[0]] | .entry[0].resource.resourceType = "Condition" |
    .entry[0].resource.id = "c-unknown" | .entry[0].resource.code = {"coding": [{"system": "http://snomed.info/sct", "code": "1"}]}' \
  "$fhir/$(ls "$fhir" | head -1)" >"$tmp/bad/unknown.json"
rejects0=$(q "SELECT count(*) FROM reject")
mrt import fhir "$tmp/bad" --json >"$tmp/r3.json" || fail "import with a broken file"
jq -e '.file_rejects == 1 and .resources.Condition.rejected == 1 and
  ([.rejects[].reason] | any(test("not JSON")) and any(test("Condition.subject: unresolvable"))) and
  ([.resources[] | .created + .updated] | add == 0)' "$tmp/r3.json" >/dev/null ||
  fail "rejects: $(jq -c '{file_rejects, rejects}' "$tmp/r3.json")"
[ "$(q "SELECT count(*) FROM reject")" = $((rejects0 + 2)) ] || fail "two reject rows"
[ "$(q "SELECT length(content) FROM reject WHERE source LIKE '%broken.json'")" = \
  "$(wc -c <"$tmp/bad/broken.json")" ] || fail "the broken file is kept whole"
chart_dump "$db" >"$tmp/dump3"
cmp -s "$tmp/dump1" "$tmp/dump3" || fail "rejects changed the chart"
if mrt import fhir "$tmp/nowhere" >/dev/null 2>&1; then fail "missing path accepted"; fi

# A coder may neither import nor export.
mrt user add cody --os-account cody-os --role coder >/dev/null
if mrt --user cody import fhir "$fhir" >/dev/null 2>"$tmp/err"; then fail "coder imported"; fi
grep -q "admin" "$tmp/err" || fail "refusal names the roles: $(cat "$tmp/err")"
if mrt --user cody export fhir --out "$tmp/x" >/dev/null 2>&1; then fail "coder exported"; fi
[ ! -e "$tmp/x/Patient.ndjson" ] || fail "refused export wrote files"
chart_dump "$db" >"$tmp/dump4"
cmp -s "$tmp/dump1" "$tmp/dump4" || fail "refusal changed the chart"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.fhir' AND outcome = 'deny'")" -ge 1 ] ||
  fail "refusal audited"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'import.fhir' AND outcome = 'allow'")" = 3 ] ||
  fail "one audit event per import"

# Export -> import into an empty DB -> export: the same resources.
mrt export fhir --out "$tmp/out1" --json >"$tmp/e1.json" || fail "export"
jq -e '.files == {"Patient.ndjson": 2, "Encounter.ndjson": 12, "Condition.ndjson": '"$dx"',
  "Procedure.ndjson": '"$px"', "Practitioner.ndjson": '"$npis"', "DocumentReference.ndjson": 12}' \
  "$tmp/e1.json" >/dev/null || fail "export counts: $(jq -c .files "$tmp/e1.json")"
[ "$(stat -c %a "$tmp/out1/Patient.ndjson")" = 600 ] || fail "export files are 0600"
ls -A "$tmp/out1" | grep -q '^\.' && fail "temporary files left"
for f in "$tmp"/out1/*.ndjson; do jq -e 'has("resourceType") and has("id")' "$f" >/dev/null ||
  fail "$f: not NDJSON resources"; done
"$MRT" --db "$tmp/empty.db" init >/dev/null
"$MRT" --db "$tmp/empty.db" import fhir "$tmp/out1" --json >"$tmp/r4.json" || fail "re-import"
jq -e '([.resources[] | .rejected] | add == 0) and .file_rejects == 0' "$tmp/r4.json" >/dev/null ||
  fail "re-import rejects: $(jq -c .rejects "$tmp/r4.json")"
"$MRT" --db "$tmp/empty.db" export fhir --out "$tmp/out2" >/dev/null || fail "second export"
for f in "$tmp"/out1/*.ndjson; do
  b=$(basename "$f")
  cmp -s <(sort "$f") <(sort "$tmp/out2/$b") || fail "round trip differs in $b"
done
[ "$(ls "$tmp/out1" | wc -l)" = "$(ls "$tmp/out2" | wc -l)" ] || fail "round trip file sets"
# The same from gzip NDJSON.
mkdir "$tmp/gz"
for f in "$tmp"/out1/*.ndjson; do gzip -c "$f" >"$tmp/gz/$(basename "$f").gz"; done
"$MRT" --db "$tmp/gz.db" init >/dev/null
"$MRT" --db "$tmp/gz.db" import fhir "$tmp/gz" >/dev/null || fail "gzip import"
"$MRT" --db "$tmp/gz.db" export fhir --out "$tmp/out3" >/dev/null || fail "gzip export"
for f in "$tmp"/out1/*.ndjson; do
  cmp -s <(sort "$f") <(sort "$tmp/out3/$(basename "$f")") || fail "gzip round trip $(basename "$f")"
done

# --since: everything was written today; nothing after tomorrow.
mrt export fhir --out "$tmp/since1" --since 2000-01-01 --json | jq -e '.resources > 50' >/dev/null ||
  fail "--since in the past"
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
mrt export fhir --out "$tmp/since2" --since "$tomorrow" --json | jq -e '.resources == 0' >/dev/null ||
  fail "--since tomorrow"
[ -z "$(ls -A "$tmp/since2")" ] || fail "--since tomorrow wrote files"
if mrt export fhir --out "$tmp/since3" --since 2020-13-01 >/dev/null 2>&1; then fail "bad --since"; fi
if mrt export fhir >/dev/null 2>&1; then fail "export without --out"; fi
echo "fhir import: ok"
