#!/usr/bin/env bash
# xargs_date.sh DB TEMPLATE DATE... - the shell-loop baseline's unit of work:
# one sqlite3 process per date, running TEMPLATE (DELETE of the date and the
# processor's per-date statements, ?1 standing for the date) in one
# transaction. Exits 255 on the first failure, which stops xargs.
db=$1 template=$(<"$2")
shift 2
for d in "$@"; do
    sqlite3 -bail "$db" ".timeout 60000" "PRAGMA synchronous=NORMAL" \
        "BEGIN IMMEDIATE; ${template//\?1/\'$d\'} COMMIT;" >/dev/null || exit 255
done
