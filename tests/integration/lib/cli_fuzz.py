#!/usr/bin/env python3
"""Feeds hostile values into every text slot of every mrt command.

Used by the attack_*.sh tests (not a test itself: tests/CMakeLists.txt only
globs tests/integration/*.sh). The commands and their slots come from the
program's own `mrt --help` and `mrt CMD --help` usage lines, so a command
added later is attacked without editing this file.

For each command, each slot (positional placeholder or option value) gets
each payload while the other required slots hold plausible valid values.
After every run it checks: exit status below 128 (no signal), no sanitizer
report and no hang; no table vanished or appeared; no table lost rows
(nothing in mrt is ever deleted); the chart tables (patients, encounters,
names, identifiers) unchanged; after each command, PRAGMA integrity_check and
`mrt audit verify`.

usage: cli_fuzz.py MODE MRT DB WORKDIR VALUES.json
  MODE sql   classic SQL/LIKE/quote/binary/unicode payloads
  MODE long  128 KiB arguments (Linux caps one argv string at 128 KiB)
VALUES.json maps placeholder kinds (mrn, account, user, ...) to valid values.
Prints one line per command; exit 1 with the failing invocation on failure.
"""
import json
import os
import re
import sqlite3
import subprocess
import sys

SQL_PAYLOADS = [
    "' OR 1=1 --",
    "x'); DROP TABLE patient;--",
    "%",
    "_",
    "\"",
    "\\",
    "1; ATTACH DATABASE '/tmp/atk-pwn.db' AS pwn; --",
    "ünïcödé 漢字 \u202e\u200b\nline2",
    "",
    bytes(range(1, 256)),
    b"\xff\xfe\x80\xc0\xaf invalid utf-8",
]
# The global options are read by one parser for every command: fewer payloads.
GLOBAL_PAYLOADS = ["' OR 1=1 --", "%", bytes(range(1, 256))]

LONG = 128 * 1024 - 1  # MAX_ARG_STRLEN is 32 pages, including the NUL
LONG_PAYLOADS = ["A" * LONG, "'" * LONG, ("%_" * LONG)[:LONG], ("é" * LONG)[: LONG // 2]]

# Tables whose rows no text argument may add or change (who the patients are).
FROZEN = ["patient", "patient_name", "patient_identifier", "patient_history"]
SKIP_COMMANDS = {"listen", "init"}


def usage_of(mrt, db, cmd):
    """The usage line of a command, from --help or, failing that, no arguments."""
    for extra in (["--help"], []):
        p = subprocess.run([mrt, "--db", db] + cmd + extra, capture_output=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        text = (p.stdout + p.stderr).decode("utf-8", "replace")
        for line in text.splitlines():
            m = re.search(r"usage: mrt (.*)", line)
            if m:
                return m.group(1)
    return None


def commands(mrt, db):
    """[(command words, usage)] from `mrt --help`: a line names `noun verb` or
    `noun`, then its summary (sometimes after one space only), so the usage
    line decides how many words the command has."""
    p = subprocess.run([mrt, "--help"], capture_output=True, timeout=60)
    out = []
    for line in p.stdout.decode().splitlines():
        m = re.match(r"^  ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?", line)
        if not m:
            continue
        words = [w for w in m.groups() if w]
        if len(words) == 2:
            u = usage_of(mrt, db, words)
            if u is None and words[0] == "codes":
                u = ""
            if u is not None and (u == "" or u.startswith(" ".join(words))):
                out.append((words, u or None))
                continue
        out.append((words[:1], usage_of(mrt, db, words[:1])))
    return out


def placeholder_value(ph, values, work):
    """A valid value for a usage placeholder such as MRN, --out DIR, TYPE:ID."""
    base = ph.split("[")[0].rstrip(".")
    if "|" in base:
        first = base.split("|")[0]
        if not re.match(r"^[A-Z]", first):
            return first
        base = first
    key = base.lower()
    table = {
        "mrn": "mrn", "account": "account", "name": "user", "user": "user", "role": "role",
        "id": "id", "label": "label", "text": "text", "reason": "text", "kind": "kind",
        "type:id": "subject", "code": "code", "n": "n", "yyyy-mm-dd": "date", "date": "date",
        "acct": "text", "p": "purpose", "purpose": "purpose", "s": "system", "term": "text",
        "recipient": "text", "basis": "text", "items": "items", "method": "method",
        "list": "items", "addr": "text", "authority": "text", "matter": "text",
        "request_id": "id", "ref": "text",
    }
    if key in ("dir",):
        d = os.path.join(work, "out-%d" % placeholder_value.counter)
        placeholder_value.counter += 1
        return d
    if key in ("file", "path"):
        return values.get("file", os.devnull)
    return values.get(table.get(key, ""), values.get(key, "x"))


placeholder_value.counter = 0


def split_alternatives(words):
    """Top-level `A | B` in a usage line: each side is a way to call the command."""
    alts, cur, depth = [], [], 0
    for w in words:
        if w == "|" and depth == 0:
            alts.append(cur)
            cur = []
            continue
        cur.append(w)
        depth += w.count("[") + w.count("(") - w.count("]") - w.count(")")
    alts.append(cur)
    return alts


def parse_words(words):
    """Slots of one way to call: [(kind, option-or-None, placeholder, required)]."""
    slots = []
    depth = 0
    i = 0
    while i < len(words):
        w = words[i]
        opened = w.count("[") + w.count("(")
        bare = w.strip("[]()").rstrip(".").rstrip("]")
        required = depth == 0 and not w.startswith("[")
        if bare.startswith("--"):
            nxt = words[i + 1] if i + 1 < len(words) else ""
            nbare = nxt.strip("[]()|").rstrip(".")
            if nxt and not nxt.startswith(("[", "--", "|")) and (re.match(r"^[A-Z]", nbare) or "|" in nbare):
                slots.append(("opt", bare, nbare, required))
                i += 1
                depth += nxt.count("[") + nxt.count("(") - nxt.count("]") - nxt.count(")")
            else:
                slots.append(("flag", bare, None, required))
        elif re.match(r"^[A-Za-z]", bare) and bare != "|":
            slots.append(("pos", None, bare, required))
        depth += opened - w.count("]") - w.count(")")
        i += 1
    return slots


def parse_usage(usage, cmd):
    """The ways to call a command, each a list of slots."""
    words = []
    for k, part in enumerate(usage.split(" | mrt ")):
        ws = part.split()
        if k > 0:
            words.append("|")
        words += ws[len(cmd):]
    return [parse_words(a) for a in split_alternatives(words)]


def build_args(slots, values, work, target, payload):
    args = []
    records = any(s[0] == "pos" and s[2].startswith("patient|") for s in slots)
    for n, (kind, opt, ph, required) in enumerate(slots):
        if kind == "flag":
            if required:
                args.append(opt)
            continue
        if n != target and not required:
            continue
        if n == target:
            v = payload
        elif opt == "--out":
            v = placeholder_value("DIR", values, work)
        elif records and ph == "ID":
            v = values.get("mrn", "x")
        else:
            v = placeholder_value(ph, values, work)
        if kind == "opt":
            args += [opt, v]
        else:
            args.append(v)
    return args


def snapshot(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '%fts%' ORDER BY name")]
        counts = {t: con.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in names}
        chart = {}
        for t in FROZEN:
            if t in counts:
                chart[t] = con.execute('SELECT * FROM "%s" ORDER BY rowid' % t).fetchall()
        return names, counts, chart
    finally:
        con.close()


def integrity(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def show(args):
    out = []
    for a in args:
        if isinstance(a, bytes):
            a = a.decode("utf-8", "backslashreplace")
        out.append(a if len(a) < 60 else a[:40] + "...(%d chars)" % len(a))
    return " ".join(repr(a) for a in out)


def main():
    mode, mrt, db, work, values_path = sys.argv[1:6]
    with open(values_path) as f:
        values = json.load(f)
    payloads = SQL_PAYLOADS if mode == "sql" else LONG_PAYLOADS
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, TMPDIR=work)
    failures = []
    names0, counts0, chart0 = snapshot(db)
    runs = 0

    def check(args, p):
        nonlocal counts0
        err = p.stderr.decode("utf-8", "replace")
        why = None
        if p.returncode < 0 or p.returncode >= 128:
            why = "exit status %d (signal)" % p.returncode
        elif re.search(r"Sanitizer|runtime error:|Segmentation fault|core dumped|stack smashing", err):
            why = "sanitizer report: " + err[:2000]
        else:
            names, counts, chart = snapshot(db)
            if names != names0:
                why = "tables changed: %s" % sorted(set(names) ^ set(names0))
            elif chart != chart0:
                why = "the chart changed"
            else:
                lost = [t for t in names if counts[t] < counts0[t]]
                if lost:
                    why = "rows lost in %s" % lost
                counts0 = counts
        if why:
            failures.append("%s: %s" % (show(args), why))
            print("FAIL: %s\n  stderr: %s" % (failures[-1], err[:500]), file=sys.stderr)

    for cmd, usage in commands(mrt, db):
        if " ".join(cmd) in SKIP_COMMANDS or cmd[0] in SKIP_COMMANDS:
            continue
        # A command without a usage line takes no arguments (codes releases).
        ways = parse_usage(usage, cmd) if usage else [[]]
        # `codes load --all` loads every release in the data folder: minutes, no text.
        ways = [w for w in ways if not (cmd == ["codes", "load"] and ("flag", "--all", None, True) in w)]
        usage = usage or ""
        # Every slot of every way to call, then the global options that take
        # text (--user, --purpose) on the first way.
        jobs = [(slots, n) for slots in ways for n, s in enumerate(slots) if s[0] != "flag"]
        jobs += [(ways[0], "--user"), (ways[0], "--purpose")]
        n_cmd = 0
        for slots, target in jobs:
            for payload in (GLOBAL_PAYLOADS if isinstance(target, str) and mode == "sql" else payloads):
                if isinstance(target, str):
                    args = [mrt, "--db", db, target, payload] + cmd + build_args(
                        slots, values, work, -1, None)
                else:
                    args = [mrt, "--db", db] + cmd + build_args(slots, values, work, target, payload)
                stdin = values.get("stdin", "").encode() if "--password-stdin" in usage else b""
                try:
                    p = subprocess.run(args, capture_output=True, timeout=120, input=stdin,
                                       env=env)
                except subprocess.TimeoutExpired:
                    failures.append("%s: hung (120 s)" % show(args))
                    continue
                runs += 1
                n_cmd += 1
                check(args, p)
        ic = integrity(db)
        if ic != "ok":
            failures.append("%s: integrity_check: %s" % (" ".join(cmd), ic))
        v = subprocess.run([mrt, "--db", db, "audit", "verify"], capture_output=True, timeout=300)
        if v.returncode != 0:
            failures.append("%s: audit verify failed: %s" % (" ".join(cmd), v.stdout.decode()[-500:]))
        print("%-20s %3d slots %4d runs" % (" ".join(cmd), len(jobs), n_cmd))
        if len(failures) > 40:
            break
    print("%d runs, %d failures" % (runs, len(failures)))
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
