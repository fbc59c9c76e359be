#!/usr/bin/env bash
# Retention and representatives on the Synthea data (real birth and death
# dates): the `retention due` report equals, patient for patient, the set
# computed here in Python from patients.csv and encounters.csv with the
# default schedule (10 years after the last discharge; minors at the last
# discharge until 21 if later), on today and on two later days; a legal
# hold takes a due patient out of the purge check; a parent represents a
# Synthea minor and not an adult; an executor represents a patient who
# died, not a living one; a request through the executor is accepted.
. "$(dirname "$0")/lib/common.sh"
csv=$data/synthea-mcode-ri/csv
[ -f "$csv/patients.csv" ] || { echo "no Synthea CSV in $data: skipped"; exit 77; }
needs sqlite3 jq

mrt init >/dev/null
mrt import synthea "$data/synthea-mcode-ri" >/dev/null
mrt user add tess --os-account tess-os --role him_technician >/dev/null

expected() { # $1 = today; prints the MRNs due, one a line, sorted
  python3 - "$csv" "$1" <<'PY'
import csv, datetime, sys
d = datetime.date.fromisoformat
def add_years(day, n):
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February
        return day.replace(year=day.year + n, day=28)
today = d(sys.argv[2])
last = {}
with open(sys.argv[1] + "/encounters.csv", newline="") as f:
    for r in csv.DictReader(f):
        stop = d(r["STOP"][:10])
        last[r["PATIENT"]] = max(stop, last.get(r["PATIENT"], stop))
due = []
with open(sys.argv[1] + "/patients.csv", newline="") as f:
    for p in csv.DictReader(f):
        if p["Id"] not in last:
            continue
        birth, ld = d(p["BIRTHDATE"]), last[p["Id"]]
        age = ld.year - birth.year - ((ld.month, ld.day) < (birth.month, birth.day))
        until = add_years(ld, 10)
        if age < 18:
            until = max(until, add_years(birth, 21))
        if today > until:
            due.append(p["Id"])
print("\n".join(sorted(due)))
PY
}
for day in "$(date +%Y-%m-%d)" 2030-06-30 2045-01-01; do
  expected "$day" >"$tmp/want"
  MRT_TODAY=$day mrt --user tess retention due --json | jq -r '.[].mrn' | sort >"$tmp/got"
  diff "$tmp/want" "$tmp/got" >/dev/null ||
    fail "due on $day: $(diff "$tmp/want" "$tmp/got" | head -5) ($(wc -l <"$tmp/want") expected)"
  [ -s "$tmp/want" ] || [ "$day" != 2045-01-01 ] || fail "nothing due in 2045: the test proves nothing"
done
MRT_TODAY=2045-01-01 mrt --user tess retention due --json | jq -e 'any(.class == "minor") and any(.class == "adult")' \
  >/dev/null || fail "the Synthea data should have both classes due in 2045"

# a hold on a due patient
P=$(head -1 "$tmp/want")
MRT_TODAY=2045-01-01 mrt --user tess retention check "$P" --json | jq -e '.may_purge == true' >/dev/null || fail "due"
mrt --user tess hold add --patient "$P" --matter "estate litigation" >/dev/null
MRT_TODAY=2045-01-01 mrt --user tess retention check "$P" --json | jq -e '.may_purge == false and .holds == 1' \
  >/dev/null || fail "a hold blocks the purge check"

# representatives on real birth and death dates
minor=$(sqlite3 "$db" "SELECT mrn FROM patient WHERE deceased = 0 AND birth_date > date('now', '-17 years') LIMIT 1")
adult=$(sqlite3 "$db" "SELECT mrn FROM patient WHERE deceased = 0 AND birth_date < date('now', '-30 years') LIMIT 1")
dead=$(sqlite3 "$db" "SELECT mrn FROM patient WHERE deceased = 1 AND death_at < date('now') LIMIT 1")
[ -n "$minor" ] && [ -n "$adult" ] && [ -n "$dead" ] || fail "Synthea lacks a minor, an adult or a deceased patient"
add() { mrt --user tess representative add --patient "$1" --name "R" --relation "$2" --authority "papers" --json; }
add "$minor" parent | jq -e '.valid_today == true' >/dev/null || fail "parent of a Synthea minor"
add "$adult" parent | jq -e '.valid_today == false' >/dev/null || fail "parent of a Synthea adult"
add "$adult" executor | jq -e '.valid_today == false' >/dev/null || fail "executor of a living patient"
add "$dead" executor >"$tmp/ex.json"
jq -e '.valid_today == true' "$tmp/ex.json" >/dev/null || fail "executor of a deceased patient"
add "$dead" guardian | jq -e '.valid_today == false' >/dev/null || fail "guardian after death"
mrt --user tess request access --patient "$dead" --received "$(date +%Y-%m-%d)" \
  --via-representative "$(jq -r .id "$tmp/ex.json")" >/dev/null || fail "request through the executor"
mrt audit verify >/dev/null || fail "audit chain"
echo "requests_synthea: ok"
