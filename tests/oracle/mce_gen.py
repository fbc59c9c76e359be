#!/usr/bin/env python3
"""Random inpatient claims for comparing mrt's code editor with the CMS MCE.

Usage: mce_gen.py DATA_DIR N SEED [--mutate CLAIMS.jsonl] > claims.jsonl

With --mutate, each claim is instead one of the given claims (read at run
time, e.g. the MCE reference claims) with some of its fields changed: a
code replaced by one drawn as below, codes moved between positions, the
date moved across the fiscal-year and April boundaries, edge ages, sexes
and statuses.

Codes are drawn from the real ICD-10-CM/PCS order files of FY2025 and FY2026
and from the code lists of the CMS MCE definitions: billable codes, list
members (age, manifestation, questionable admission, unacceptable principal,
non-covered with their conditions, limited coverage, deliveries and outcomes,
ventilation, unspecified laterality, wrong procedure), header codes, typos,
codes deleted or added between the two years; edge ages, sexes, discharge
statuses, lengths of stay; discharge dates over FY2025 and FY2026 and after
2026-09-30; dotted diagnoses in some claims. Standard library only.

Like the reference claims, these use no ICD-10-PCS code of the April 1
updates (the order files are the October releases): a PCS code that differs
between the FY2025 and FY2026 order files is used only on October-March
dates, and the PCS codes chapter 2 of the definitions names (removed from a
list because CMS ended them on 2026-04-01) are not used.
"""
import datetime
import json
import os
import random
import re
import sys


def order_file(path):
    billable, headers = [], []
    with open(path, encoding="latin-1") as f:
        for line in f:
            code = line[6:13].strip()
            (billable if line[14:15] == "1" else headers).append(code)
    return billable, headers


def list_codes(path):
    codes, chapter2 = set(), set()
    rx = re.compile(r"^([A-Z0-9]{3,7})\s*\t")
    in2 = False
    with open(path, encoding="cp1252") as f:
        for line in f:
            in2 = in2 or line.rstrip("\r\n") == "Chapter 2: Code list changes"  # not the contents' line
            m = rx.match(line)
            if m:
                (chapter2 if in2 else codes).add(m.group(1))
    return codes, chapter2


def load(data):
    cm, pcs = {}, {}
    for fy in (2025, 2026):
        cm[fy] = order_file(os.path.join(data, "icd10cm/fy%d/icd10cm_order_%d.txt" % (fy, fy)))
        pcs[fy] = order_file(os.path.join(data, "icd10pcs/fy%d/icd10pcs_order_%d.txt" % (fy, fy)))
    lists, chapter2 = list_codes(os.path.join(data, "cms-mce/Definitions of Medicare Code Edits_v_43_1.txt"))
    allpcs = set(pcs[2025][0]) | set(pcs[2026][0])
    april = (set(pcs[2025][0]) ^ set(pcs[2026][0])) | (chapter2 & allpcs)
    allcm = set(cm[2025][0]) | set(cm[2026][0]) | set(cm[2025][1]) | set(cm[2026][1])
    p = {
        "cm": {fy: cm[fy][0] for fy in cm},
        "cm_head": sorted(set(cm[2025][1]) | set(cm[2026][1])),
        "pcs": {fy: [c for c in pcs[fy][0] if c not in chapter2] for fy in pcs},
        "april": april,
        "pcs_head": sorted(set(pcs[2025][1]) | set(pcs[2026][1])),
        "dx_list": sorted(c for c in lists if c in allcm and c not in allpcs),
        "proc_list": sorted(c for c in lists if c in allpcs and c not in chapter2),
        "cm_changed": sorted(set(cm[2025][0]) ^ set(cm[2026][0])),
        "pcs_changed": sorted(set(pcs[2025][0]) ^ set(pcs[2026][0])),
    }
    return p


SPECIAL_DX = ["Z5189", "Z302", "Z370", "Z3750", "Z379", "E1010", "E109", "E891", "C9100", "C9500",
              "Y6551", "Y6552", "Y6553", "E66813", "F070", "H169", "F0781", "H40841", "H168", "Z52001",
              "E11A", "E881", "G35", "I10", "V0001XA", "W010XXA", "Y92009", "D630", "G8100"]
SPECIAL_PROC = ["0FYG0Z0", "0FYG0Z1", "0TY00Z0", "0TY10Z1", "30233G0", "30243Y0", "0SR20JZ", "0SR40JZ",
                "0U570ZZ", "0VTQ4ZZ", "5A1955Z", "10D00Z1", "10D07Z3", "10E0XZZ", "02YA0Z0", "02HA3QZ"]
STATUSES = ["01", "02", "03", "04", "05", "06", "07", "20", "21", "30", "43", "50", "51", "61", "62", "63",
            "64", "65", "66", "69", "70", "81", "85", "89", "95"]
BAD_STATUS = ["00", "08", "09", "10", "19", "40", "41", "42", "71", "72", "96", "99"]
AGES = [-1, 0, 1, 8, 9, 14, 15, 16, 17, 18, 59, 60, 61, 64, 65, 123, 124, 125, 200, 999]


def pick_dx(r, p, fy):
    k = r.random()
    if k < 0.35:
        return r.choice(p["dx_list"])
    if k < 0.45:
        return r.choice(SPECIAL_DX)
    if k < 0.80:
        return r.choice(p["cm"][fy])
    if k < 0.87:
        return r.choice(p["cm_changed"])
    if k < 0.93:
        return r.choice(p["cm_head"])
    c = r.choice(p["cm"][fy])
    return c[:-1] + r.choice("0123456789XZ") if len(c) > 3 else c + "9"


def pick_proc(r, p, fy, month):
    while True:
        c = pick_proc1(r, p, fy)
        if c not in p["april"] or not 4 <= month <= 9:
            return c


def pick_proc1(r, p, fy):
    k = r.random()
    if k < 0.35:
        return r.choice(p["proc_list"])
    if k < 0.55:
        return r.choice(SPECIAL_PROC)
    if k < 0.85:
        return r.choice(p["pcs"][fy])
    if k < 0.92:
        return r.choice(p["pcs_changed"])
    return r.choice(p["pcs"][fy])[:6] + r.choice("0123456789XZ")


def discharge(r):
    k = r.random()
    if k < 0.05:
        return datetime.date(2026, 10, 1) + datetime.timedelta(days=r.choice([0, 1, 30, 400]))
    if k < 0.15:
        return r.choice([datetime.date(2024, 10, 1), datetime.date(2025, 9, 30), datetime.date(2025, 10, 1),
                         datetime.date(2026, 3, 31), datetime.date(2026, 4, 1), datetime.date(2026, 9, 30)])
    return datetime.date(2024, 10, 1) + datetime.timedelta(days=r.randrange(730))


def claim(r, p, i):
    d = discharge(r)
    fy = 2026 if d >= datetime.date(2025, 10, 1) else 2025
    pdx = pick_dx(r, p, fy)
    sdx = [pick_dx(r, p, fy) for _ in range(r.choice([0, 0, 1, 2, 3, 4, 6, 10, 24]))]
    if sdx and r.random() < 0.08:
        sdx.insert(r.randrange(len(sdx) + 1), pdx)
    procs = [pick_proc(r, p, fy, d.month) for _ in range(r.choice([0, 0, 1, 1, 2, 3, 5, 25]))]
    if procs and r.random() < 0.05:
        procs.append(procs[0])
    dotted = r.random() < 0.1
    dot = lambda c: c[:3] + "." + c[3:] if dotted and len(c) > 3 else c
    poa = lambda: r.choice(["Y", "N", "U", "W", "1", "", "X"])
    return {
        "id": "g%07d" % i,
        "discharge_date": d.isoformat(),
        "age": r.choice(AGES) if r.random() < 0.4 else r.randrange(0, 100),
        "sex": r.choice(["M", "F", "U", "X", "m", "", "1"]) if r.random() < 0.2 else r.choice("MF"),
        "discharge_status": (r.choice(BAD_STATUS) if r.random() < 0.08 else r.choice(STATUSES)
                             if r.random() < 0.97 else r.choice(["1", "6", 1, 20, "7"])),
        "los": r.choice([0, 1, 2, 3, 4, 5, 6, 10, 30]),
        "pdx": {"code": dot(pdx), "poa": poa()},
        "sdx": [{"code": dot(c), "poa": poa()} for c in sdx[:24]],
        "procedures": [{"code": c} for c in procs[:25]],
    }


def mutate(r, p, base, i):
    c = json.loads(json.dumps(base))
    c["id"] = "m%07d" % i
    d = datetime.date.fromisoformat(c["discharge_date"])
    if r.random() < 0.3:
        d = discharge(r)
        c["discharge_date"] = d.isoformat()
    fy = 2026 if d >= datetime.date(2025, 10, 1) else 2025
    dx = [c["pdx"]] + c.get("sdx", [])
    for _ in range(r.choice([0, 1, 1, 2, 3])):
        k = r.random()
        if k < 0.5:
            r.choice(dx)["code"] = pick_dx(r, p, fy)
        elif k < 0.7 and len(dx) > 1:
            a, b = r.sample(range(len(dx)), 2)
            dx[a]["code"], dx[b]["code"] = dx[b]["code"], dx[a]["code"]
        elif k < 0.85 and len(c.get("sdx", [])) < 24:
            c.setdefault("sdx", []).append({"code": r.choice(dx)["code"], "poa": "Y"})
        elif len(c.get("procedures", [])) < 25:
            c.setdefault("procedures", []).append({"code": pick_proc(r, p, fy, d.month)})
    if any(x["code"] in p["april"] for x in c.get("procedures", [])) and 4 <= d.month <= 9:
        c["procedures"] = [x for x in c["procedures"] if x["code"] not in p["april"]]
    if r.random() < 0.2:
        c["age"] = r.choice(AGES)
    if r.random() < 0.1:
        c["sex"] = r.choice(["M", "F", "U", "X"])
    if r.random() < 0.1:
        c["discharge_status"] = r.choice(BAD_STATUS + STATUSES)
    if r.random() < 0.1:
        c["los"] = r.choice([0, 4, 5])
    return c


def main():
    data, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    p = load(data)
    r = random.Random(seed)
    out = sys.stdout
    if len(sys.argv) > 5 and sys.argv[4] == "--mutate":
        with open(sys.argv[5], encoding="utf-8") as f:
            bases = [json.loads(line) for line in f if line.strip()]
        for i in range(n):
            out.write(json.dumps(mutate(r, p, r.choice(bases), i)) + "\n")
        return
    for i in range(n):
        out.write(json.dumps(claim(r, p, i)) + "\n")


if __name__ == "__main__":
    main()
