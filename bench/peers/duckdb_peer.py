#!/usr/bin/env python3
"""The DuckDB peer of `thidua bench run` (and the plain SQLite load peer).

thidua exports the generated registry as CSV files into a directory; this
script loads them into an in-memory DuckDB database, runs the queries of
sweeps.sql (and the name searches of searches.json, if given) several
times, and prints one JSON object: the load's rows and seconds, and for each
query its times in milliseconds with the count and checksum of its answer,
computed the way thidua computes them. With --sqlite-load FILE it also
loads the same CSV files into a new SQLite file with Python's sqlite3 (one
transaction, executemany, indexes after) and reports that load.

Needs the `duckdb` package from PyPI (python3 -m pip install duckdb).
"""

import argparse
import csv
import json
import os
import sqlite3
import sys
import time

try:
    import duckdb
except ImportError:
    sys.stderr.write("cần gói duckdb của Python: python3 -m pip install duckdb\n")
    sys.exit(3)

M = (1 << 61) - 1

# Columns thidua exports, with their types.
TABLES = {
    "people": [("id", "BIGINT"), ("full_name", "VARCHAR"), ("name_folded", "VARCHAR")],
    "person_memberships": [("person_id", "BIGINT"), ("unit_id", "BIGINT"),
                           ("valid_from", "DATE"), ("valid_until", "DATE")],
    "person_ratings": [("person_id", "BIGINT"), ("year", "INTEGER"), ("rating", "VARCHAR")],
    "titles": [("id", "BIGINT"), ("person_id", "BIGINT"), ("year", "INTEGER"), ("code", "VARCHAR"),
               ("decision_date", "DATE"), ("status", "VARCHAR")],
    "awards": [("id", "BIGINT"), ("person_id", "BIGINT"), ("code", "VARCHAR"),
               ("decision_date", "DATE"), ("period_from", "INTEGER"), ("period_to", "INTEGER"),
               ("status", "VARCHAR")],
    "initiatives": [("person_id", "BIGINT"), ("year", "INTEGER"), ("scope", "VARCHAR"),
                    ("used_by_code", "VARCHAR"), ("used_by_year", "INTEGER"), ("status", "VARCHAR")],
    "disciplines": [("person_id", "BIGINT"), ("year", "INTEGER")],
    "person_words": [("word", "VARCHAR"), ("person_id", "BIGINT")],
    "name_words": [("word", "VARCHAR")],
}

# The indexes a competent engineer gives the SQLite copy.
SQLITE_INDEXES = [
    "create index r_p on person_ratings (person_id, year)",
    "create index t_p on titles (person_id, year)",
    "create index t_c on titles (code, year)",
    "create index a_p on awards (person_id)",
    "create index i_p on initiatives (person_id)",
    "create index d_p on disciplines (person_id)",
    "create index m_p on person_memberships (person_id)",
    "create index w_w on person_words (word, person_id)",
]


def checksum(ids):
    s = q = 0
    for i in ids:
        v = abs(int(i)) % M
        s = (s + v) % M
        q = (q + v * v % M) % M
    return (s * 1_000_003 + q) % M


def sections(path):
    out, name, lines = {}, None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-- name: "):
                if name:
                    out[name] = "".join(lines)
                name, lines = line[len("-- name: "):].strip(), []
            elif name:
                lines.append(line)
    if name:
        out[name] = "".join(lines)
    return out


def duckdb_sql(sql, year):
    return (sql.replace(":y", str(year)).replace("YEAR_OF(", "year(")
            .replace("MONTH_OF(", "month(").replace("GREATEST(", "greatest("))


def load_duckdb(con, folder):
    rows = 0
    for table, cols in TABLES.items():
        columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in cols) + "}"
        path = os.path.join(folder, table + ".csv")
        con.execute(f"create table {table} as select * from read_csv('{path}', header = true, "
                    f"columns = {columns}, nullstr = '\\N', quote = '\"')")
        rows += con.execute(f"select count(*) from {table}").fetchone()[0]
    return rows


def load_sqlite(folder, target):
    if os.path.exists(target):
        os.remove(target)
    con = sqlite3.connect(target)
    rows = 0
    started = time.perf_counter()
    con.execute("begin")
    for table, cols in TABLES.items():
        con.execute(f"create table {table} ({', '.join(c + ' ' + t for c, t in cols)})")
        marks = ", ".join("?" for _ in cols)
        with open(os.path.join(folder, table + ".csv"), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            batch = []
            for r in reader:
                batch.append([None if v == "\\N" else v for v in r])
                if len(batch) == 50_000:
                    con.executemany(f"insert into {table} values ({marks})", batch)
                    rows += len(batch)
                    batch = []
            con.executemany(f"insert into {table} values ({marks})", batch)
            rows += len(batch)
    load = time.perf_counter() - started
    started = time.perf_counter()
    for sql in SQLITE_INDEXES:
        con.execute(sql)
    con.execute("commit")
    con.close()
    return rows, load, time.perf_counter() - started


def percentile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round((len(v) - 1) * q)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--sql", required=True)
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--searches")
    ap.add_argument("--sqlite-load")
    a = ap.parse_args()
    out = {"engine": "duckdb " + duckdb.__version__}
    if a.sqlite_load:
        rows, load, idx = load_sqlite(a.csv, a.sqlite_load)
        out["sqlite_load"] = {"rows": rows, "load_seconds": load, "index_seconds": idx}
    con = duckdb.connect()
    started = time.perf_counter()
    rows = load_duckdb(con, a.csv)
    out["load"] = {"rows": rows, "load_seconds": time.perf_counter() - started, "index_seconds": 0.0}
    out["people"] = con.execute("select count(*) from people").fetchone()[0]
    queries = {}
    for name, sql in sections(a.sql).items():
        text = duckdb_sql(sql, a.year)
        times, result = [], None
        for _ in range(max(1, a.runs)):
            t = time.perf_counter()
            result = con.execute(text).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        entry = {"ms": times}
        if name == "streak_histogram":
            entry["rows"] = [[int(x), int(n)] for x, n in result]
        else:
            entry["count"] = len(result)
            entry["checksum"] = checksum(r[0] for r in result)
        queries[name] = entry
    out["queries"] = queries
    if a.searches:
        with open(a.searches, encoding="utf-8") as f:
            searches = json.load(f)
        out["search"] = {}
        for kind, items in searches.items():
            times, found = [], []
            for item in items:
                for _ in range(max(1, a.runs)):
                    t = time.perf_counter()
                    ids = [r[0] for r in con.execute(item["sql_duckdb"]).fetchall()]
                    times.append((time.perf_counter() - t) * 1000)
                found.append(checksum(ids))
            out["search"][kind] = {"p50": percentile(times, 0.5), "p99": percentile(times, 0.99),
                                   "checksum": checksum(found)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
