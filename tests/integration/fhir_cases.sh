#!/usr/bin/env bash
# `mrt import fhir` / `mrt export fhir` on small hand-made NDJSON: labels
# from meta.security, references to resources of an earlier import (by
# source_ref) and conditional references by identifier, a Practitioner
# resource referenced as Practitioner/id, a Condition with no encounter
# (skipped with its reason), ICD-10-CM preferred over SNOMED CT, a changed
# resource counted as updated, a subject that is not the encounter's
# patient, an unresolvable reference rolled back whole, and the round
# trip with labels and deaths.
set -euo pipefail
: "${MRT:?MRT must name the mrt binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/site.db
fail() { echo "FAIL: $*" >&2; exit 1; }
mrt() { "$MRT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }

mkdir "$tmp/a" "$tmp/b"
cat >"$tmp/a/Patient.ndjson" <<'EOF'
{"resourceType":"Patient","id":"pa","identifier":[{"system":"urn:hosp","type":{"coding":[{"code":"MR"}]},"value":"MRN-A"}],"name":[{"use":"official","family":"Alpha","given":["Ann"]},{"use":"maiden","family":"Before"}],"gender":"female","birthDate":"1950-05-06","deceasedDateTime":"2021-03-04","meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R","display":"restricted"}]}}
{"resourceType":"Patient","id":"pb","identifier":[{"system":"urn:hosp","type":{"coding":[{"code":"MR"}]},"value":"MRN-B"}],"name":[{"family":"Beta","given":["Bob"]}],"gender":"male"}
EOF
cat >"$tmp/a/Practitioner.ndjson" <<'EOF'
{"resourceType":"Practitioner","id":"doc1","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567893"}],"name":[{"family":"Careful","given":["Cat"]}]}
EOF
mrt init >/dev/null
mrt import fhir "$tmp/a" --json >"$tmp/r1.json" || fail "import a"
jq -e '.resources.Patient.created == 2 and .resources.Practitioner.created == 1 and .labels == 1' \
  "$tmp/r1.json" >/dev/null || fail "a: $(jq -c . "$tmp/r1.json")"
[ "$(q "SELECT deceased || death_at FROM patient WHERE mrn = 'MRN-A'")" = "12021-03-04" ] || fail "death"
[ "$(q "SELECT use || family FROM patient_name WHERE family = 'Before'")" = "maidenBefore" ] || fail "maiden"
[ "$(q "SELECT code || display FROM label WHERE object_type = 'patient'")" = "Rrestricted" ] || fail "label"

# A second import, in another run, refers to the first one's resources
# (patients by source_ref or identifier; a Practitioner/id by the
# practitioner's id kept as the provider's source_ref).
cat >"$tmp/b/Encounter.ndjson" <<'EOF'
{"resourceType":"Encounter","id":"ea","identifier":[{"value":"ACC-A"}],"status":"finished","class":{"code":"IMP"},"period":{"start":"2020-01-02T08:00:00Z","end":"2020-01-05T10:00:00Z"},"hospitalization":{"dischargeDisposition":{"coding":[{"system":"https://www.nubc.org/CodeSystem/PatDischargeStatus","code":"01"}],"text":"Home"}},"subject":{"reference":"Patient/pa"},"participant":[{"type":[{"coding":[{"code":"ATND"}]}],"individual":{"reference":"Practitioner/doc1"}}],"diagnosis":[{"condition":{"reference":"Condition/c1"},"rank":1}],"meta":{"security":[{"system":"s","code":"PSY"}]}}
{"resourceType":"Encounter","id":"eb","status":"in-progress","class":{"code":"EMER"},"subject":{"reference":"Patient?identifier=urn:hosp|MRN-B"}}
{"resourceType":"Encounter","id":"ex","status":"finished","subject":{"reference":"Patient/nobody"}}
EOF
cat >"$tmp/b/Condition.ndjson" <<'EOF'
{"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"},{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I10","display":"Essential hypertension"}]},"subject":{"reference":"Patient/pa"},"encounter":{"reference":"Encounter/ea"}}
{"resourceType":"Condition","id":"c2","code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"subject":{"reference":"Patient/pa"}}
{"resourceType":"Condition","id":"c3","code":{"coding":[{"system":"urn:x","code":"X"}]},"subject":{"reference":"Patient/pb"},"encounter":{"reference":"Encounter/ea"}}
{"resourceType":"Condition","id":"c4","code":{"coding":[{"code":"Y"}]},"subject":{"reference":"Patient/pa"},"encounter":{"reference":"Encounter/ea"}}
EOF
cat >"$tmp/b/Procedure.ndjson" <<'EOF'
{"resourceType":"Procedure","id":"x1","status":"completed","code":{"coding":[{"system":"http://www.cms.gov/Medicare/Coding/ICD10","code":"0DTJ4ZZ"}]},"subject":{"reference":"Patient/pa"},"encounter":{"reference":"Encounter/ea"},"performedDateTime":"2020-01-03","performer":[{"actor":{"reference":"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893"}}]}
EOF
cat >"$tmp/b/DocumentReference.ndjson" <<'EOF'
{"resourceType":"DocumentReference","id":"n1","status":"current","docStatus":"preliminary","type":{"coding":[{"system":"http://loinc.org","code":"18842-5"}]},"description":"Discharge summary","subject":{"reference":"Patient/pa"},"date":"2020-01-05T11:00:00Z","author":[{"reference":"Practitioner/doc1"}],"content":[{"attachment":{"contentType":"text/plain","data":"RGlzY2hhcmdlZCBob21lLg=="}}],"context":{"encounter":[{"reference":"Encounter/ea"}]},"meta":{"security":[{"system":"s","code":"HIV"}]}}
EOF
mrt import fhir "$tmp/b" --json >"$tmp/r2.json" || fail "import b"
jq -e '.resources.Encounter.created == 2 and .resources.Encounter.rejected == 1 and
  .resources.Condition.created == 1 and .resources.Condition.skipped == 1 and
  .resources.Condition.rejected == 2 and .resources.Procedure.created == 1 and
  .resources.DocumentReference.created == 1 and .labels == 2 and
  .resources.Practitioner.read == 0 and
  (.skipped_reasons | keys | any(test("Condition with no encounter"))) and
  ([.rejects[] | .type + "/" + .id + ": " + .reason] |
     any(test("Encounter/ex: subject: unresolvable reference")) and
     any(test("Condition/c3: subject is not the patient of the encounter")) and
     any(test("Condition/c4: Condition.code has no coding with a system")))' "$tmp/r2.json" \
  >/dev/null || fail "b: $(jq -c . "$tmp/r2.json")"
[ "$(q "SELECT p.mrn FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE account = 'fhir:eb'")" = MRN-B ] ||
  fail "conditional subject by identifier; account fhir:<id> without an identifier"
[ "$(q "SELECT class || discharge_status || discharge_location || pr.ident FROM encounter e JOIN provider pr ON pr.id = e.attending_id WHERE account = 'ACC-A'")" = "inpatient01Home1234567893" ] ||
  fail "encounter fields and attending by Practitioner/id of an earlier import"
[ "$(q "SELECT system || ' ' || code || ' ' || kind FROM diagnosis")" = \
  "http://hl7.org/fhir/sid/icd-10-cm I10 principal" ] ||
  fail "ICD-10-CM coding preferred; principal from Encounter.diagnosis rank 1"
[ "$(q "SELECT count(*) FROM procedure x JOIN provider pr ON pr.id = x.surgeon_id WHERE pr.ident = '1234567893'")" = 1 ] ||
  fail "surgeon by conditional reference"
[ "$(q "SELECT status || '|' || text || '|' || title FROM document")" = "in-progress|Discharged home.|Discharge summary" ] ||
  fail "document"
[ "$(q "SELECT group_concat(object_type || ':' || code) FROM (SELECT * FROM label ORDER BY id)")" = \
  "patient:R,encounter:PSY,document:HIV" ] || fail "labels on patient, encounter, document"
[ "$(q "SELECT count(*) FROM encounter WHERE source_ref = 'ex'")" = 0 ] || fail "rejected encounter left rows"
[ "$(q "SELECT reason FROM reject WHERE position = 'line 3' AND source LIKE '%Encounter.ndjson'")" = \
  "Encounter/ex: subject: unresolvable reference" ] || fail "reject row reason"
printf '%s\n' '{"resourceType":"Encounter","id":"ey","status":"finished","subject":{"reference":"Patient/pa"},"participant":[{"individual":{"reference":"Practitioner/doc9"}}]}' \
  >"$tmp/doc9.ndjson"
mrt import fhir "$tmp/doc9.ndjson" --json | jq -e '.resources.Encounter.rejected == 1 and
  .rejects[0].reason == "practitioner: unresolvable reference"' >/dev/null || fail "unknown practitioner"

printf '%s\n' '{"resourceType":"Encounter","id":"ez","identifier":[{"value":"ACC-A"}],"status":"finished","subject":{"reference":"Patient/pb"}}' \
  >"$tmp/moved.ndjson"
mrt import fhir "$tmp/moved.ndjson" --json | jq -e '.resources.Encounter.rejected == 1 and
  .rejects[0].reason == "Encounter.identifier: the account belongs to another patient"' >/dev/null ||
  fail "an account of another patient"
[ "$(q "SELECT p.mrn FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE account = 'ACC-A'")" = MRN-A ] ||
  fail "the account stayed with its patient"

# A changed resource is updated; the rest unchanged.
sed 's/"gender":"male"/"gender":"other"/' "$tmp/a/Patient.ndjson" >"$tmp/changed.ndjson"
mrt import fhir "$tmp/changed.ndjson" --json >"$tmp/r3.json" || fail "import changed"
jq -e '.resources.Patient.updated == 1 and .resources.Patient.unchanged == 1' "$tmp/r3.json" \
  >/dev/null || fail "updated: $(jq -c .resources.Patient "$tmp/r3.json")"
[ "$(q "SELECT sex || version FROM patient WHERE mrn = 'MRN-B'")" = "O2" ] || fail "new version"
mrt import fhir "$tmp/b" --json | jq -e '[.resources[] | .created + .updated] | add == 0' >/dev/null ||
  fail "second import of b changed something"

# Round trip with labels, deaths, documents, conditional practitioners.
mrt export fhir --out "$tmp/o1" --json >"$tmp/e1.json" || fail "export"
jq -e '.files == {"Patient.ndjson": 2, "Encounter.ndjson": 2, "Condition.ndjson": 1,
  "Procedure.ndjson": 1, "Practitioner.ndjson": 1, "DocumentReference.ndjson": 1}' "$tmp/e1.json" \
  >/dev/null || fail "export files: $(jq -c .files "$tmp/e1.json")"
jq -se 'map(select(.id == "pa"))[0] | .meta.security[0].code == "R" and .deceasedDateTime == "2021-03-04"
  and (.name | length) == 2' "$tmp/o1/Patient.ndjson" >/dev/null || fail "exported patient"
jq -e '.docStatus == "preliminary" and .content[0].attachment.data == "RGlzY2hhcmdlZCBob21lLg=="' \
  "$tmp/o1/DocumentReference.ndjson" >/dev/null || fail "exported document"
jq -se 'map(select(.id == "ea"))[0] | .participant[0].individual.reference ==
  "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893"' "$tmp/o1/Encounter.ndjson" \
  >/dev/null || fail "conditional practitioner reference"
jq -se 'map(select(.id == "ea"))[0] | .diagnosis == [{"condition": {"reference": "Condition/c1"},
  "rank": 1, "use": {"coding": [{"code": "DD",
  "system": "http://terminology.hl7.org/CodeSystem/diagnosis-role"}]}}]' "$tmp/o1/Encounter.ndjson" \
  >/dev/null || fail "principal diagnosis exported"
"$MRT" --db "$tmp/e.db" init >/dev/null
"$MRT" --db "$tmp/e.db" import fhir "$tmp/o1" >/dev/null || fail "re-import"
"$MRT" --db "$tmp/e.db" export fhir --out "$tmp/o2" >/dev/null || fail "re-export"
for f in "$tmp"/o1/*.ndjson; do
  cmp -s <(sort "$f") <(sort "$tmp/o2/$(basename "$f")") || fail "round trip $(basename "$f")"
done
# One NDJSON file with every type, children before parents: resources
# whose reference is not found yet are tried again after the rest.
cat >"$tmp/mixed.ndjson" <<'EOF'
{"resourceType":"Condition","id":"mc","code":{"coding":[{"system":"http://snomed.info/sct","code":"1"}]},"subject":{"reference":"Patient/mp"},"encounter":{"reference":"Encounter/me"}}
{"resourceType":"Encounter","id":"me","identifier":[{"value":"ACC-M"}],"status":"finished","subject":{"reference":"Patient/mp"},"participant":[{"individual":{"reference":"Practitioner/md"}}],"diagnosis":[{"condition":{"reference":"Condition/mc"},"rank":1}]}
{"resourceType":"Encounter","id":"mx","status":"finished","subject":{"reference":"Patient/never"}}
{"resourceType":"Practitioner","id":"md"}
{"resourceType":"Patient","id":"mp","identifier":[{"value":"MRN-M"}]}
EOF
mrt import fhir "$tmp/mixed.ndjson" --json >"$tmp/r5.json" || fail "mixed file"
jq -e '.resources.Patient.created == 1 and .resources.Practitioner.created == 1 and
  .resources.Encounter.read == 2 and .resources.Encounter.created == 1 and
  .resources.Encounter.rejected == 1 and .resources.Condition.created == 1 and
  .resources.Condition.read == 1 and (.rejects | length) == 1 and .rejects[0].id == "mx" and
  .rejects[0].position == "line 3"' "$tmp/r5.json" >/dev/null ||
  fail "mixed: $(jq -c '{resources, rejects}' "$tmp/r5.json")"
[ "$(q "SELECT d.kind || pr.ident FROM diagnosis d JOIN encounter e ON e.id = d.encounter_id
  JOIN provider pr ON pr.id = e.attending_id WHERE e.account = 'ACC-M'")" = "principalfhir:md" ] ||
  fail "mixed: principal and attending resolved"
mrt import fhir "$tmp/mixed.ndjson" --json | jq -e '[.resources[] | .created + .updated] | add == 0' \
  >/dev/null || fail "mixed file imported twice changed something"

# Progress on a terminal only.
script -qec "$MRT --db $db import fhir $tmp/b" /dev/null >"$tmp/tty.out" 2>&1 || fail "import on a terminal"
grep -q "import fhir: 4 files, 9 resources" "$tmp/tty.out" || fail "no progress on a terminal: $(cat "$tmp/tty.out")"
mrt import fhir "$tmp/b" >/dev/null 2>"$tmp/notty.err" || fail "import to a file"
[ ! -s "$tmp/notty.err" ] || fail "progress written when stderr is not a terminal"
echo "fhir cases: ok"
