#!/usr/bin/env python3
"""Agreement of `mrt edits check --json` output with the CMS MCE's own output.

Usage: mce_agree.py MRT_OUTPUT.jsonl EXPECTED.tsv [EXPECTED_CODES.tsv]

EXPECTED.tsv: id, edit type, EDIT=count,... (the CMS component's output, as the
MCE oracle prints it). EXPECTED_CODES.tsv adds a 4th column pdx:CODE=EDIT|EDIT;sdxN:...
Prints the agreement figures and the first disagreements; exits 1 unless every
claim agrees on status, edit names and counts (and codes, when given).
Standard library only.
"""
import collections
import json
import sys


def load_mrt(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            o = json.loads(line)
            if "error" in o:
                out[o.get("id") or ("line %d" % n)] = ("ERROR", collections.Counter(), collections.Counter())
                continue
            counts = collections.Counter(e["edit"] for e in o["edits"])
            codes = collections.Counter((e.get("code", ""), e["edit"]) for e in o["edits"] if "code" in e)
            out[o["id"]] = (o["status"], counts, codes)
    return out


def parse_counts(field):
    c = collections.Counter()
    for kv in filter(None, field.split(",")):
        k, v = kv.split("=")
        c[k] = int(v)
    return c


def parse_codes(field):
    c = collections.Counter()
    for item in filter(None, field.split(";")):
        _, rest = item.split(":", 1)
        code, edits = rest.split("=", 1)
        for e in edits.split("|"):
            c[(code, e)] += 1
    return c


def main():
    mrt = load_mrt(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        expected = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    codes = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                codes[p[0]] = parse_codes(p[3] if len(p) > 3 else "")
    n = ok_status = ok_names = ok_counts = ok_codes = 0
    bad = []
    for p in expected:
        cid, etype, want = p[0], p[1], parse_counts(p[2] if len(p) > 2 else "")
        n += 1
        got = mrt.get(cid)
        if got is None:
            bad.append("%s: missing from mrt's output" % cid)
            continue
        st, counts, gcodes = got
        s_ok = st == etype
        names_ok = set(counts) == set(want)
        counts_ok = counts == want
        ok_status += s_ok
        ok_names += names_ok
        ok_counts += counts_ok
        c_ok = True
        if cid in codes:
            c_ok = gcodes == codes[cid]
            ok_codes += c_ok
        if not (s_ok and counts_ok and c_ok):
            bad.append("%s: CMS %s %s %s | mrt %s %s %s" % (
                cid, etype, dict(want), dict(codes.get(cid, {})), st, dict(counts), dict(gcodes)))
    pct = lambda k: 100.0 * k / n if n else 0.0
    print("claims %d: status %d (%.2f %%), edit names %d (%.2f %%), names and counts %d (%.2f %%)"
          % (n, ok_status, pct(ok_status), ok_names, pct(ok_names), ok_counts, pct(ok_counts)))
    if codes:
        print("codes carrying each edit: %d (%.2f %%)" % (ok_codes, pct(ok_codes)))
    extra = len(set(mrt) - {p[0] for p in expected})
    if extra:
        bad.append("%d claims in mrt's output that CMS did not edit" % extra)
    for b in bad[:40]:
        print("DIFF " + b)
    if len(bad) > 40:
        print("... %d more" % (len(bad) - 40))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
