"""Crash harness (see scripts/crash.sh): kill -9 at random moments of
imports, value entry, review closing and dossier steps, then check that
nothing partial was kept.

usage: crash_harness.py BINARY WORKDIR TRIALS ENGINE [ADMIN_URL]

ENGINE is sqlite or postgres (ADMIN_URL then names the cluster). Each trial
copies a prepared database, starts one operation (a CLI command, or one
request to `thidua serve`: see crash_served.py), kills the process with
SIGKILL after a random delay within the operation's measured duration, and
checks on the copy:
  * the database is sound (SQLite: PRAGMA integrity_check);
  * the audit chain verifies (`thidua audit verify`);
  * the operation's rows are all there or none are (no partial import),
    and all are there whenever the process had finished before the kill;
  * the audit log grew by exactly the operation's entries, or not at all;
  * every dossier is in the state its last event moved it to.
"""
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

import crash_served as served

binary, work, trials, engine = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
admin = sys.argv[5] if len(sys.argv) > 5 else None
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
random.seed(17)


def run(db, *args, check=True):
    return subprocess.run([binary, "--db", db, *args], check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def sql(db, query):
    """One number from the database, read outside thidua."""
    if engine == "sqlite":
        with sqlite3.connect(db) as c:
            return c.execute(query).fetchone()[0]
    out = subprocess.run(["psql", db, "-Atc", query], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return int(out.strip())


def sound(db):
    if engine == "sqlite":
        with sqlite3.connect(db) as c:
            return c.execute("pragma integrity_check").fetchone()[0] == "ok"
    return sql(db, "select 1") == 1


def psql(query):
    subprocess.run(["psql", admin, "-qc", query], check=True, stdout=subprocess.DEVNULL)


def prepared(name, make):
    """A database made once; trials work on copies."""
    if engine == "sqlite":
        path = os.path.join(work, name + ".db")
        make(path)
        return path
    psql(f"create database {name}")
    url = admin.rsplit("/", 1)[0] + "/" + name
    make(url)
    return url


n = [0]


def copy(base):
    n[0] += 1
    if engine == "sqlite":
        path = os.path.join(work, f"trial{n[0]}.db")
        shutil.copy(base, path)
        for ext in ("-wal", "-shm"):
            if os.path.exists(base + ext):
                shutil.copy(base + ext, path + ext)
        return path
    name = base.rsplit("/", 1)[1]
    psql(f"create database trial{n[0]} template {name}")
    return admin.rsplit("/", 1)[0] + f"/trial{n[0]}"


def drop(db):
    if engine == "sqlite":
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(db + ext):
                os.remove(db + ext)
    else:
        psql(f"drop database {db.rsplit('/', 1)[1]} with (force)")


print(f"== {engine}: preparing the demo and an empty database", flush=True)
demo = prepared("base_demo", lambda db: run(db, "demo"))
empty = prepared("base_empty", lambda db: run(db, "audit", "verify"))

# A values file for every xã of Lâm Đồng that has no 2026 figures yet.
codes_sql = """
select u.code from org_units u
join org_links l on l.child_id = u.id and l.valid_until is null
join org_units p on p.id = l.parent_id and p.code = '68' and p.valid_until is null
where u.kind = 'commune' and lower(u.admin_type) = 'xã' and u.valid_until is null
  and u.id not in (select v.unit_id from indicator_values v join indicators i on i.id = v.indicator_id
                   join movements m on m.id = i.movement_id where m.code = 'NTM-LD-2026')
order by u.code"""
if engine == "sqlite":
    with sqlite3.connect(demo) as c:
        codes = [r[0] for r in c.execute(codes_sql)]
else:
    codes = subprocess.run(["psql", demo, "-Atc", codes_sql], check=True,
                           stdout=subprocess.PIPE, text=True).stdout.split()
values_csv = os.path.join(work, "values.csv")
with open(values_csv, "w", encoding="utf-8") as f:
    f.write("Mã đơn vị,Kỳ,Mã chỉ tiêu,Giá trị\n")
    for code in codes:
        for i in range(1, 20):
            f.write(f"{code},2026,TC{i:02},{'Đạt' if (i + len(code)) % 3 else 'Không đạt'}\n")
rows = len(codes) * 19

VALUES = "select count(*) from indicator_values"
APPROVED = "select count(*) from indicator_values where status = 'approved'"
UNITS = "select count(*) from org_units"
AUDIT = "select count(*) from audit_log"


def counts_of(db, queries):
    return [sql(db, q) for q in queries]


class Command:
    """A CLI operation: the process is the one killed."""

    def __init__(self, name, base, args, counts):
        self.name, self.base, self.args, self.counts = name, base, args, counts + [AUDIT]

    def attempt(self, db, delay):
        before = counts_of(db, self.counts)
        t = time.monotonic()
        p = subprocess.Popen([binary, "--db", db, *self.args],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay is None:
            p.wait()
            return before, counts_of(db, self.counts), p.returncode == 0, time.monotonic() - t
        time.sleep(delay)
        done = p.poll() is not None
        if not done:
            p.kill()
        p.wait()
        return before, counts_of(db, self.counts), done and p.returncode == 0, None


class Served:
    """A server operation: the server is killed while it answers."""

    def __init__(self, op, base, ids):
        self.op, self.base, self.ids = op, base, ids
        self.name = op[0]
        self.counts = op[3] + [AUDIT, served.STATES_AGREE]

    def attempt(self, db, delay):
        before, now, status, took = served.trial(binary, db, self.ids, self.op, self.counts,
                                                 delay, counts_of)
        return before, now, status is not None and status < 400, took


print(f"== {engine}: preparing the served operations (an open review, two dossiers)", flush=True)
served_base = copy(demo)
unit_id = sql(served_base, "select id from org_units where code = '%s' and valid_until is null"
              % served.COMMUNE)
ids = served.prepare(binary, served_base, unit_id, run)

operations = [
    Command("values import", demo, ["values", "import", "NTM-LD-2026", values_csv], [VALUES]),
    Command("values import --approve", demo,
            ["values", "import", "--approve", "NTM-LD-2026", values_csv], [VALUES, APPROVED]),
    Command("official units import", empty,
            ["import", "admin-units", os.path.join(repo, "data", "admin_units")], [UNITS]),
] + [Served(op, served_base, ids) for op in served.operations(ids)]


def label(q):
    if q == served.STATES_AGREE:
        return "dossiers out of step with their events"
    return q.split(" from ")[1].split()[0]


# Calibration: each operation once to the end, for its duration and what
# it changes (served operations sign in first, which writes too, so their
# effect is a difference from the counts read just before the request).
calibrated = []
for op in operations:
    db = copy(op.base)
    before, after, ok, took = op.attempt(db, None)
    drop(db)
    if not ok:
        sys.exit(f"{op.name}: the operation failed when run to its end")
    delta = [a - b for a, b in zip(after, before)]
    calibrated.append((op, delta, took))
    print(f"   {op.name}: {took:.3f} s, " + ", ".join(
        f"{label(q)} {b}→{a}" for q, b, a in zip(op.counts, before, after)), flush=True)

failures = []
killed = finished = 0
for trial in range(trials):
    op, delta, took = calibrated[trial % len(calibrated)]
    db = copy(op.base)
    before, now, done, _ = op.attempt(db, random.uniform(0, took * 1.1))
    after = [b + d for b, d in zip(before, delta)]
    if done:
        finished += 1
    else:
        killed += 1
    problems = []
    if not sound(db):
        problems.append("integrity check failed")
    if run(db, "audit", "verify", check=False).returncode != 0:
        problems.append("the audit chain does not verify")
    if now != before and now != after:
        problems.append(f"partial: {now}, expected {before} or {after}")
    if done and now != after:
        problems.append(f"finished but not all kept: {now}")
    if problems:
        failures.append(f"trial {trial} ({op.name}): " + "; ".join(problems))
        print("FAIL", failures[-1], flush=True)
    drop(db)

print(f"== {engine}: {trials} trials, {killed} killed mid-operation, {finished} finished first, "
      f"{len(failures)} failures", flush=True)
sys.exit(1 if failures else 0)
