#!/usr/bin/env bash
# The round-trip law on charts that did not come from FHIR: the MIMIC-IV
# demo (100 patients, 275 encounters, 4,506 diagnoses - ICD-9 and ICD-10 -,
# 722 procedures, local date-times with no zone, the same procedure twice
# on one stay) and the Synthea CSV (115 patients, 4,402 encounters) are
# exported, imported into an empty database with no reject, and exported
# again: the same resources, one per chart row, ids unique.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
data=${MRT_DATA:-${MRT_SOURCE_DIR:?}/../shared/data}
mimic=$data/mimic-iv-demo-2.2
synthea=$data/synthea-mcode-ri
[ -d "$mimic/hosp" ] && [ -f "$synthea/csv/patients.csv" ] ||
  { echo "no MIMIC demo or Synthea CSV in $data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

round_trip() { # name, import command..., expected "Patient Encounter Condition Procedure"
  local name=$1 want=$2
  shift 2
  local db=$tmp/$name.db
  "$MRT" --db "$db" init >/dev/null
  "$MRT" --db "$db" import "$@" >/dev/null 2>&1 || fail "$name: import $1"
  "$MRT" --db "$db" export fhir --out "$tmp/$name.1" --json >"$tmp/$name.e1" || fail "$name: export"
  local got
  got=$(jq -r '.files | [."Patient.ndjson", ."Encounter.ndjson", ."Condition.ndjson",
    ."Procedure.ndjson"] | map(tostring) | join(" ")' "$tmp/$name.e1")
  [ "$got" = "$want" ] || fail "$name: exported $got, want $want"
  [ "$(sqlite3 "$db" 'SELECT count(*) FROM provider')" = \
    "$(jq '.files."Practitioner.ndjson"' "$tmp/$name.e1")" ] || fail "$name: practitioners"
  for f in "$tmp/$name.1"/*.ndjson; do
    [ -z "$(jq -r .id "$f" | sort | uniq -d)" ] || fail "$name: duplicate ids in $(basename "$f")"
  done
  "$MRT" --db "$tmp/$name.empty.db" init >/dev/null
  "$MRT" --db "$tmp/$name.empty.db" import fhir "$tmp/$name.1" --json >"$tmp/$name.r" ||
    fail "$name: re-import"
  jq -e '([.resources[] | .rejected + .skipped] | add == 0) and .file_rejects == 0 and
    .unreadable == 0' "$tmp/$name.r" >/dev/null ||
    fail "$name: re-import rejects: $(jq -c '.rejects[0:3]' "$tmp/$name.r")"
  "$MRT" --db "$tmp/$name.empty.db" export fhir --out "$tmp/$name.2" >/dev/null ||
    fail "$name: second export"
  for f in "$tmp/$name.1"/*.ndjson; do
    cmp -s <(sort "$f") <(sort "$tmp/$name.2/$(basename "$f")") ||
      fail "$name: round trip differs in $(basename "$f")"
  done
  # And a second import of the export changes nothing.
  "$MRT" --db "$tmp/$name.empty.db" import fhir "$tmp/$name.1" --json |
    jq -e '[.resources[] | .created + .updated] | add == 0' >/dev/null ||
    fail "$name: second import of the export changed the chart"
}

round_trip mimic "100 275 4506 722" mimic "$mimic"
round_trip synthea "115 4402 1454 3219" synthea "$synthea"
# Principal diagnoses travel as Encounter.diagnosis rank 1.
cur="JOIN coding c ON c.id = d.coding_id AND c.superseded_by IS NULL"
for d in mimic.db mimic.empty.db; do
  [ "$(sqlite3 "$tmp/$d" "SELECT count(*) FROM diagnosis d $cur WHERE kind = 'principal'")" = \
    "$(sqlite3 "$tmp/mimic.db" "SELECT count(*) FROM diagnosis d $cur WHERE seq = 1")" ] ||
    fail "principal diagnoses in $d"
done
# ICD-9 and ICD-10 kept apart by their system URIs.
for sys in icd-9-cm icd-10-cm; do
  [ "$(grep -c "http://hl7.org/fhir/sid/$sys\"" "$tmp/mimic.1/Condition.ndjson")" -gt 0 ] ||
    fail "no $sys conditions"
done
echo "fhir round trip: ok"
