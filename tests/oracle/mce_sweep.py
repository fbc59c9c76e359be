#!/usr/bin/env python3
"""Sweep every ICD-10-CM and ICD-10-PCS code through the CMS MCE component
(the oracle, a test reference only) to learn each code's MCE list
memberships on a date, then compare them with mrt's loaded lists.

  mce_sweep.py gen DATA PERIOD GPROC > claims.tsv
      claims in the oracle's TSV for every billable code of the period's
      code set (PERIOD = fy2025 | fy2026a | fy2026b), each code in claims
      made to reveal its lists: as principal dx at ages 0, 10, 30, 70 (the
      age lists by their pattern of conflicts; manifestation, questionable
      admission, unacceptable, requires-sdx, unspecified, wrong procedure),
      as secondary dx next to a pancreas transplant, an autologous stem-cell
      transfusion, a cesarean and GPROC (11B/11D/11G dx lists, Z37 outcome);
      each PCS code alone at age 30 and LOS 2 (11A, 11B pancreas, 17A, 8B,
      19), at age 70 (11F), with a leukemia dx (11D), with Z302 (11G), with
      a listed diabetes dx (11B pancreas vs 11A) and after a pancreas
      transplant (11B kidney).
  mce_sweep.py derive < oracle_output.tsv > lists.tsv
      "list<TAB>code" memberships from the oracle's --codes output.
  mce_sweep.py compare DERIVED.tsv MRT_LISTS.tsv CODES.txt
      differences, restricted to the swept codes ("8B-proc" stands for the
      cesarean and vaginal lists, which the oracle cannot tell apart).
  mce_sweep.py differences DERIVED_FY2025.tsv MRT_V430.tsv CODES_FY2025.txt
      the FY2025 differences file (share/mce/mce-fy2025-differences.tsv).
"""
import sys

PERIODS = {"fy2025": ("20250315", "2025"), "fy2026a": ("20251115", "2026"),
           "fy2026b": ("20260515", "2026")}
AGES = (0, 10, 30, 70)
AGE_LIST = {(10, 30, 70): "4A", (30, 70): "4B", (0, 70): "4C", (0, 10): "4D"}
PDX_EDITS = {"MANIFESTATION_AS_PDX": "6", "QUESTIONABLE_ADMISSION": "8A",
             "UNACCEPTABLE_PDX": "9", "UNSPECIFIED": "20", "WRONG_PROCEDURE_PERFORMED": "18"}
PANCREAS, STEMCELL, CESAREAN = "0FYG0Z0", "30233G0", "10D00Z0"
CM_FILLER, LEUKEMIA, STERIL, DIABETES = "I10", "C9100", "Z302", "E1010"


def order_codes(path):
    """Billable codes of a CMS order file (code in columns 7-13, flag 15)."""
    out = []
    with open(path, encoding="latin-1") as f:
        for line in f:
            if len(line) > 15 and line[14] == "1":
                out.append(line[6:13].strip())
    return out


def codes(data, fy):
    cm = order_codes(f"{data}/icd10cm/fy{fy}/icd10cm_order_{fy}.txt")
    pcs = order_codes(f"{data}/icd10pcs/fy{fy}/icd10pcs_order_{fy}.txt")
    return cm, pcs


def claim(cid, date, age, pdx, sdx=(), procs=(), los=2):
    s = ",".join(f"{c}:Y" for c in sdx)
    return f"{cid}\t{date}\t{age}\tU\t01\t{los}\t{pdx}:Y\t{s}\t{','.join(procs)}"


def gen(data, period, gproc):
    date, fy = PERIODS[period]
    cm, pcs = codes(data, fy)
    out = sys.stdout
    for c in cm:
        for a in AGES:
            print(claim(f"D|{c}|a{a}", date, a, c), file=out)
        print(claim(f"D|{c}|s", date, 30, CM_FILLER, [c], [PANCREAS, STEMCELL, CESAREAN, gproc]), file=out)
    for p in pcs:
        print(claim(f"P|{p}|base", date, 30, CM_FILLER, [], [p]), file=out)
        print(claim(f"P|{p}|old", date, 70, CM_FILLER, [], [p]), file=out)
        print(claim(f"P|{p}|leuk", date, 30, LEUKEMIA, [], [p]), file=out)
        print(claim(f"P|{p}|steril", date, 30, CM_FILLER, [STERIL], [p]), file=out)
        print(claim(f"P|{p}|diab", date, 30, DIABETES, [], [p]), file=out)
        print(claim(f"P|{p}|kidney", date, 30, CM_FILLER, [], [PANCREAS, p]), file=out)


def parse_codes(field):
    """{position: set(edits)} from 'pdx:C=E|E;sdx1:C=E;proc2:C=E'."""
    out = {}
    for part in filter(None, field.split(";")):
        pos, rest = part.split(":", 1)
        _, edits = rest.split("=", 1)
        out.setdefault(pos, set()).update(edits.split("|"))
    return out


def derive(lines):
    by = {}
    for line in lines:
        f = line.rstrip("\n").split("\t")
        if len(f) < 3 or "|" not in f[0]:
            continue
        kind, code, var = f[0].split("|")
        by.setdefault((kind, code), {})[var] = parse_codes(f[3] if len(f) > 3 else "")
    lists = set()
    unknown = []
    for (kind, code), v in by.items():
        if kind == "D":
            conflict = tuple(a for a in AGES if "AGE_CONFLICT" in v.get(f"a{a}", {}).get("pdx", ()))
            if conflict:
                if conflict in AGE_LIST:
                    lists.add((AGE_LIST[conflict], code))
                else:
                    unknown.append(f"{code}: age conflicts at {conflict}")
            pdx = v.get("a30", {}).get("pdx", set())
            for e, l in PDX_EDITS.items():
                if e in pdx:
                    lists.add((l, code))
            if "REQUIRES_SDX" in pdx:
                lists.update({("9", code), ("9-requires-sdx", code)})
            s = v.get("s", {})
            if "NON_COVERED" not in s.get("proc1", ()):
                lists.add(("11B-dx", code))
            if "NON_COVERED" in s.get("proc2", ()):
                lists.add(("11D-dx", code))
            if "QUESTIONABLE_OBSTETRIC_ADMISSION" not in s.get("proc3", ()):
                lists.add(("8B-outcome", code))
            if "NON_COVERED" in s.get("proc4", ()):
                lists.add(("11G-dx", code))
        else:
            e = {k: v.get(k, {}).get("proc1", set()) for k in ("base", "old", "leuk", "steril", "diab")}
            nc = {k for k, x in e.items() if "NON_COVERED" in x}
            if nc == set(e):
                lists.add(("11A", code))
            elif nc == {"base", "old", "leuk", "steril"}:
                lists.add(("11B-pancreas", code))
            elif nc == {"old"}:
                lists.add(("11F", code))
            elif nc == {"leuk"}:
                lists.add(("11D-proc", code))
            elif nc == {"steril"}:
                lists.add(("11G-proc", code))
            elif nc:
                unknown.append(f"{code}: NON_COVERED in {sorted(nc)}")
            if any("LIMITED_COVERAGE" in x for x in e.values()):
                lists.add(("17A", code))
            if "QUESTIONABLE_OBSTETRIC_ADMISSION" in e["base"]:
                lists.add(("8B-proc", code))
            if "INCONSISTENT_WITH_LENGTH_OF_STAY" in e["base"]:
                lists.add(("19", code))
            if "kidney" in v and "NON_COVERED" not in v["kidney"].get("proc1", set()):
                lists.add(("11B-kidney", code))
    for u in unknown:
        print(f"# unknown pattern: {u}", file=sys.stderr)
    return lists


def read_lists(path, merge=True):
    out = set()
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            l, c = line.rstrip("\n").split("\t")[:2]
            if merge and l in ("8B-cesarean", "8B-vaginal"):
                l = "8B-proc"
            out.add((l, c))
    return out


def read_codes(path):
    with open(path) as f:
        return {line.strip() for line in f if line.strip()}


def compare(derived, mrt, codes_path):
    swept = read_codes(codes_path)
    d = read_lists(derived)
    m = {x for x in read_lists(mrt) if x[1] in swept}
    only_d, only_m = sorted(d - m), sorted(m - d)
    for l, c in only_d:
        print(f"oracle-only\t{l}\t{c}")
    for l, c in only_m:
        print(f"mrt-only\t{l}\t{c}")
    print(f"# {len(d)} oracle memberships, {len(m)} mrt memberships over {len(swept)} codes: "
          f"{len(only_d)} only in the oracle, {len(only_m)} only in mrt", file=sys.stderr)
    return 0 if not only_d and not only_m else 1


HEADER = """\
# MCE lists in force 2024-10-01..2025-09-30 where they differ from v43.0, for codes valid in
# FY2025; derived by editing every FY2025 code with the CMS MCE 2.0 component v43.1 on a
# FY2025 date; regenerate with tests/oracle/mce_sweep.sh
# release: 42.1-derived
# effective: 2024-10-01 2025-09-30
# derived_from: 43.0
# columns: add|remove <TAB> list (as mrt names it) <TAB> code
"""


def differences(derived, v430, codes_path):
    swept = read_codes(codes_path)
    d = read_lists(derived)
    full = read_lists(v430, merge=False)
    m = {("8B-proc" if l in ("8B-cesarean", "8B-vaginal") else l, c) for l, c in full if c in swept}
    rows = []
    for l, c in sorted(d - m):
        if l == "8B-proc":
            print(f"# cannot tell cesarean from vaginal for {c}: left out", file=sys.stderr)
            continue
        rows.append(("add", l, c))
    for l, c in sorted(m - d):
        if l == "8B-proc":
            rows += [("remove", x, c) for x in ("8B-cesarean", "8B-vaginal") if (x, c) in full]
        else:
            rows.append(("remove", l, c))
    sys.stdout.write(HEADER)
    for r in rows:
        print("\t".join(r))
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "gen":
        gen(argv[2], argv[3], argv[4])
        return 0
    if len(argv) == 2 and argv[1] == "derive":
        for l, c in sorted(derive(sys.stdin)):
            print(f"{l}\t{c}")
        return 0
    if len(argv) == 5 and argv[1] == "compare":
        return compare(argv[2], argv[3], argv[4])
    if len(argv) == 5 and argv[1] == "differences":
        return differences(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
