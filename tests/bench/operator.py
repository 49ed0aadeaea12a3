#!/usr/bin/env python3
"""What an operator would write instead of backfill: the Python standard
library only, a thread pool over the dates of each processor in turn, and
per date DELETE, INSERT ... SELECT, count against expected, commit.

    operator.py DB WORKERS SQL_DIR PROCESSOR...

SQL_DIR holds PROCESSOR.sql (bin/plugin_sql output) and PROCESSOR.dates
(one date a line). The validate statements are, in order, the expected
count, the actual count and optional quality checks that must count 0.
Exits 1 on the first incomplete date."""
import sqlite3
import sys
import threading
from concurrent.futures import ThreadPoolExecutor


def load(sql_dir, name):
    prepare, process, validate = [], [], []
    phases = {"prepare": prepare, "process": process, "validate": validate}
    with open(f"{sql_dir}/{name}.sql") as f:
        for line in f:
            phase, rest = line.rstrip("\n").split("\t", 1)
            if phase == "output":
                table, column = rest.split("\t")
            else:
                phases[phase].append(rest)
    with open(f"{sql_dir}/{name}.dates") as f:
        dates = [d.strip() for d in f if d.strip()]
    return table, column, prepare, process, validate, dates


def main():
    db, workers, sql_dir, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    local = threading.local()

    def connect():
        if not hasattr(local, "conn"):
            conn = sqlite3.connect(db, timeout=60, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            local.conn = conn
        return local.conn

    for name in names:
        table, column, prepare, process, validate, dates = load(sql_dir, name)
        conn = connect()
        for stmt in prepare:
            conn.execute(stmt)

        def one_date(date):
            conn = connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (date,))
                for stmt in process:
                    conn.execute(stmt, (date,))
                counts = [conn.execute(q, (date,)).fetchone()[0] for q in validate]
                if counts[0] != counts[1] or any(counts[2:]):
                    raise RuntimeError(f"{name} {date}: {counts}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

        with ThreadPoolExecutor(max_workers=workers, initializer=connect) as pool:
            for _ in pool.map(one_date, dates):
                pass


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, sqlite3.Error) as e:
        print(f"operator.py: {e}", file=sys.stderr)
        sys.exit(1)
