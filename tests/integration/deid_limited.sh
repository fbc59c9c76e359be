#!/usr/bin/env bash
# Limited data sets (HIPAA 164.514(e)) on the Synthea CSV: `mrt dua add |
# list | end`, and `mrt export deid --method limited --dua ID`: refused
# without --dua, with an unknown, an expired or an ended agreement (each
# refusal a deny row in the audit trail), by a coder or a records
# technician; made by a researcher under an active agreement, keeping the
# dates, city, state, ZIP and ages (checked against the database) and
# removing the direct identifiers of 164.514(e)(2) (MRN, names, street,
# phone, SSN, driver's licence, passport, account numbers: none appears in
# any cell); a patient whose record the access rules hold back from this
# disclosure (a 42 CFR Part 2 record, when export.limited is a disclosure
# in privacy/access.c) is withheld and counted; the extract
# is recorded with its agreement, and the agreement's terms cannot be
# changed. Only the privacy officer records agreements.
. "$(dirname "$0")/lib/common.sh"
syn=$data/synthea-mcode-ri
[ -f "$syn/csv/patients.csv" ] || { echo "no Synthea CSV in $data: skipped"; exit 77; }
export MRT_SITE_DIR=$tmp/site MRT_TODAY=2026-11-25
denies() { q "SELECT count(*) FROM audit_event WHERE outcome = 'deny'"; }

mrt init >/dev/null
mrt import synthea "$syn" >/dev/null 2>&1 || fail "import"
mrt user add res1 --os-account os-res1 --role researcher >/dev/null
mrt user add po1 --os-account os-po1 --role privacy_officer >/dev/null
mrt user add cod1 --os-account os-cod1 --role coder >/dev/null
mrt user add him1 --os-account os-him1 --role him_technician >/dev/null

# Agreements: the privacy officer only
d0=$(denies)
if mrt --user res1 dua add --recipient "R" --purpose research --permitted-uses "x" --expires 2027-01-01 2>/dev/null; then
  fail "a researcher recorded an agreement"; fi
[ "$(denies)" -gt "$d0" ] || fail "dua add refusal not audited"
if mrt --user po1 dua add --recipient "R" --purpose research --permitted-uses "x" --expires 2026-11-24 2>/dev/null; then
  fail "an agreement already expired was accepted"; fi
mrt --user po1 dua add --recipient "Readmissions study, State University" --purpose research \
  --permitted-uses "30-day readmission analysis; no linkage, no contact" --expires 2026-11-30 --json >"$tmp/dua.json" ||
  fail "dua add"
dua=$(jq -r .id "$tmp/dua.json")
short=$(mrt --user po1 dua add --recipient "Short study" --purpose research --permitted-uses "y" --expires 2026-11-25 --json | jq -r .id)
ended=$(mrt --user po1 dua add --recipient "Ended study" --purpose research --permitted-uses "z" --expires 2027-06-30 --json | jq -r .id)
mrt --user po1 dua end "$ended" --reason "study withdrawn" >/dev/null || fail "dua end"
if mrt --user po1 dua end "$ended" 2>/dev/null; then fail "an agreement ended twice"; fi
mrt --user res1 dua list --json | jq -e --argjson d "$dua" 'map(.id) | index($d) != null and length == 2' >/dev/null ||
  fail "dua list (active): $(mrt --user res1 dua list --json | jq -c 'map(.id)')"
mrt --user po1 dua list --all --json | jq -e 'map(select(.status == "ended")) | length == 1' >/dev/null || fail "dua list --all"
if sqlite3 "$db" "UPDATE dua SET expires_on = '2099-12-31' WHERE id = $dua" 2>/dev/null; then fail "agreement terms changed"; fi

# A Part 2 patient: withheld when the access table says so
p2=$(q "SELECT mrn FROM patient ORDER BY id LIMIT 1")
mrt label add patient "$p2" 42CFRPart2 --reason "from a Part 2 program" >/dev/null || fail "label"

# Refusals
if mrt --user res1 export deid --method limited --out "$tmp/l0" 2>/dev/null; then fail "no --dua accepted"; fi
d0=$(denies)
if mrt --user res1 export deid --method limited --dua 999 --out "$tmp/l1" 2>"$tmp/err"; then fail "unknown agreement accepted"; fi
grep -q "no data use agreement 999" "$tmp/err" || fail "unknown agreement message: $(cat "$tmp/err")"
if mrt --user res1 export deid --method limited --dua "$ended" --out "$tmp/l2" 2>"$tmp/err"; then fail "ended agreement accepted"; fi
grep -q "ended" "$tmp/err" || fail "ended agreement message"
if MRT_TODAY=2026-11-26 mrt --user res1 export deid --method limited --dua "$short" --out "$tmp/l3" 2>"$tmp/err"; then
  fail "expired agreement accepted"; fi
grep -q "expired" "$tmp/err" || fail "expired agreement message: $(cat "$tmp/err")"
[ "$(denies)" -ge $((d0 + 3)) ] || fail "refused limited data sets not audited"
for u in cod1 him1; do
  d0=$(denies)
  if mrt --user "$u" export deid --method limited --dua "$dua" --out "$tmp/l4" 2>/dev/null; then fail "$u allowed"; fi
  [ "$(denies)" -gt "$d0" ] || fail "$u refusal not audited"
done
for d in l1 l2 l3 l4; do [ ! -e "$tmp/$d/patients.csv" ] || fail "a refused extract wrote files ($d)"; done

# The limited data set
mrt --user res1 export deid --method limited --dua "$dua" --out "$tmp/lds" --json >"$tmp/r.json" || fail "limited export"
jq -e --argjson d "$dua" '.method == "limited" and .dua == $d and .files["patients.csv"] + .patients_withheld == 115' \
  "$tmp/r.json" >/dev/null || fail "report: $(jq -c . "$tmp/r.json")"
q "SELECT mrn FROM patient UNION SELECT value FROM patient_identifier UNION SELECT account FROM encounter
   UNION SELECT family FROM patient WHERE family IS NOT NULL UNION SELECT given FROM patient WHERE given IS NOT NULL
   UNION SELECT family FROM patient_name UNION SELECT given FROM patient_name
   UNION SELECT address_line FROM patient WHERE address_line IS NOT NULL
   UNION SELECT phone_home FROM patient WHERE phone_home IS NOT NULL
   UNION SELECT name FROM provider WHERE name IS NOT NULL" >"$tmp/direct"
python3 - "$syn/csv/patients.csv" >>"$tmp/direct" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    for k in ("Id", "SSN", "DRIVERS", "PASSPORT", "FIRST", "LAST", "MAIDEN", "ADDRESS", "LAT", "LON"):
        if r.get(k):
            print(r[k])
PY
# what a limited data set keeps, from the database (the Part 2 patient left out)
held=$(jq -r '.patients_withheld' "$tmp/r.json")
[ "$held" = 0 ] && p2=none
q "SELECT coalesce(birth_date,'') || '|' || coalesce(city,'') || '|' || coalesce(postal_code,'') || '|' || coalesce(state,'')
   FROM patient WHERE mrn <> '$p2' ORDER BY 1" >"$tmp/kept.db"
q "SELECT admit_at || '|' || coalesce(discharge_at,'') FROM encounter e JOIN patient p ON p.id = e.patient_id
   WHERE p.mrn <> '$p2' ORDER BY 1" >"$tmp/enc.db"
python3 - "$tmp/lds" "$tmp/direct" "$tmp/kept.db" "$tmp/enc.db" <<'PY' || fail "limited data set check (above)"
import csv, os, re, sys
d, direct, kept, enc = sys.argv[1:5]
ids = set(l.rstrip("\n") for l in open(direct) if len(l.strip()) >= 4)
errors = []
rows = {f: list(csv.DictReader(open(os.path.join(d, f), newline=""))) for f in os.listdir(d) if f.endswith(".csv")}
for f, rs in rows.items():
    for r in rs:
        for k, v in r.items():
            if v in ids:
                errors.append(f"{f}: column {k} holds a direct identifier")
blob = "\x1f".join(v for rs in rows.values() for r in rs for k, v in r.items() if k not in ("patient", "encounter"))
for i in ids:
    if len(i) >= 6 and i in blob:
        errors.append("a direct identifier inside a cell")
        break
pat = rows["patients.csv"]
got = sorted(f'{r["birth_date"]}|{r["city"]}|{r["zip"]}|{r["state"]}' for r in pat)
want = [l.rstrip("\n") for l in open(kept)]
if got != want:
    errors.append("birth date, city, ZIP, state differ from the database")
if not any(r["age"] and int(r["age"]) > 89 for r in pat):
    errors.append("no exact age over 89 (a limited data set keeps ages)")
got = sorted(f'{r["admit_at"]}|{r["discharge_at"]}' for r in rows["encounters.csv"])
if got != [l.rstrip("\n") for l in open(enc)]:
    errors.append("admission and discharge dates differ from the database")
for e in errors[:20]:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
jq -e '.method == "limited" and (.warning | test("164.514\\(e\\)\\(4\\)")) and (.zip3_list == null)' "$tmp/lds/manifest.json" >/dev/null ||
  fail "manifest"
grep -q "data use agreement $dua" "$tmp/lds/README.txt" || fail "README names the agreement"
# recorded with its agreement; one audit event
[ "$(q "SELECT count(*) FROM deid_extract WHERE method = 'limited' AND dua_id = $dua")" = 1 ] || fail "extract record"
[ "$(q "SELECT count(*) FROM audit_event WHERE action = 'export.limited' AND outcome = 'allow'")" = 1 ] || fail "audit event"
mrt --user po1 dua list --json | jq -e --argjson d "$dua" 'map(select(.id == $d))[0].extracts == 1' >/dev/null ||
  fail "dua list counts the extract"
# the agreement that expires today still allows one today
mrt --user res1 export deid --method limited --dua "$short" --out "$tmp/lds2" >/dev/null || fail "agreement on its expiry day"
echo "ok: limited data sets refused without an active agreement, made and recorded under one"
