/* scaffold_sql.c - what `backfill new NAME --sql` writes: a processor in
 * SQL alone, NAME/NAME.sql (a windowed model, its format in comments: man
 * backfill-model), NAME/backfill.conf and NAME/test.sh (runs it with the
 * installed backfill on a tiny store and checks its rows, its audit, and
 * that a late raw row redoes exactly the dates whose window read it). No
 * compiler is needed. */
#include "cli/scaffold.h"

static const char model_template[] =
    "-- @NAME@.sql - a backfill processor written in SQL alone: per day and\n"
    "-- category, the total amount of the raw table \"events\" over the 7 days\n"
    "-- up to that day (a window). The whole format: man backfill-model.\n"
    "--\n"
    "--   ./test.sh    run it on a tiny generated store and check its rows\n"
    "--   backfill -c backfill.conf run @NAME@ --start-date D --end-date D\n"
    "--\n"
    "-- The header: one \"-- key: value\" per line, read strictly (an unknown key\n"
    "-- is refused with this file's name and line).\n"
    "--\n"
    "-- description: 7-day total amount per category and day\n"
    "-- date_column: day\n"
    "-- version: 1\n"
    "-- bootstrap_days: none\n"
    "--\n"
    "-- What the statements read. A date whose required input is empty is\n"
    "-- blocked; pre-flight, blocking and staleness judge the whole window.\n"
    "-- depends: events required lookback_days=6\n"
    "--\n"
    "-- A config key (processors.@NAME@.min_amount in backfill.conf), bound\n"
    "-- where the statement says {{config.min_amount}}.\n"
    "-- config: min_amount int 0 min=0 \"events below this amount are left out\"\n"
    "--\n"
    "-- Quality checks the core runs on every date before it publishes it.\n"
    "-- check: no_negative_total range column=total min=0 max=1e15\n"
    "-- check: one_row_per_category unique column=category\n"
    "--\n"
    "-- The output table, created before the first date, and an index on it.\n"
    "-- columns: day TEXT NOT NULL, category TEXT NOT NULL, total INTEGER NOT NULL\n"
    "-- index: category, day\n"
    "\n"
    "-- One date's rows, written into {{table}} (a staging area the core\n"
    "-- publishes only if the date is complete). {{date}} is the date.\n"
    "-- @process\n"
    "INSERT INTO {{table}} (day, category, total)\n"
    "SELECT {{date}}, category, sum(amount)\n"
    "  FROM events\n"
    " WHERE day > date({{date}}, '-7 days') AND day <= {{date}}\n"
    "   AND amount >= {{config.min_amount}}\n"
    "   AND category IN (SELECT category FROM events WHERE day = {{date}})\n"
    " GROUP BY category\n"
    "\n"
    "-- How many rows the date should hold, counted from upstream.\n"
    "-- @expected\n"
    "SELECT count(DISTINCT category) FROM events WHERE day = {{date}}\n";

static const char config_template[] =
    "# backfill.conf - the minimum configuration to run @NAME@\n"
    "# (every key: man backfill.conf). Relative paths resolve against this\n"
    "# file's directory.\n"
    "\n"
    "# Your warehouse: an SQLite file backfill opens but never creates.\n"
    "store = { driver = \"sqlite\"; path = \"warehouse.db\"; };\n"
    "\n"
    "# The dates that should hold data: every distinct value of this column.\n"
    "calendar = { table = \"calendar\"; date_column = \"day\"; };\n"
    "\n"
    "# Where processors are found, first match first: this directory, which\n"
    "# holds @NAME@.sql. Add others, e.g. [ \".\", \"/usr/local/lib/backfill/plugins\" ].\n"
    "plugin_dir = [ \".\" ];\n"
    "\n"
    "# Checkpoints, locks and run logs (this is the default).\n"
    "state_dir = \"var/state\";\n"
    "\n"
    "# The model's config keys (see its -- config: lines).\n"
    "processors = { @NAME@ = { min_amount = 0; }; };\n";

static const char test_template[] =
    "#!/bin/sh\n"
    "# test.sh - run @NAME@.sql with the installed backfill on a tiny generated\n"
    "# store, and check the rows it published. Exits 0 if all pass.\n"
    "#   BACKFILL=/path/to/backfill ./test.sh    to test with another backfill\n"
    "set -eu\n"
    "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
    "backfill=${BACKFILL:-backfill}\n"
    "work=$(mktemp -d)\n"
    "trap 'rm -rf \"$work\"' EXIT\n"
    "\n" SCAFFOLD_TEST_DATA "\n"
    "# backfill.conf's keys, with the store and the state in $work.\n"
    "cat >\"$work/backfill.conf\" <<EOF\n"
    "store = { driver = \"sqlite\"; path = \"$work/store.db\"; };\n"
    "calendar = { table = \"calendar\"; date_column = \"day\"; };\n"
    "plugin_dir = [ \"$here\" ];\n"
    "state_dir = \"$work/state\";\n"
    "processors = { @NAME@ = { min_amount = 0; }; };\n"
    "EOF\n"
    "\n" SCAFFOLD_TEST_HELPERS "\n"
    "# The model is read strictly: a fault is named with its file and line.\n"
    "bf list -v @NAME@\n"
    "check \"the model loads\" 0 \"$rc\"\n"
    "[ \"$rc\" = 0 ] || cat \"$work/out\"\n"
    "\n"
    "bf run @NAME@ --start-date 2024-01-01 --end-date 2024-01-03\n"
    "check \"run exits 0\" 0 \"$rc\"\n"
    "[ \"$rc\" = 0 ] || cat \"$work/out\"\n"
    "want='2024-01-01 a 1,2024-01-01 b 2,2024-01-02 a 8,2024-01-02 b 7,2024-01-03 a 14,2024-01-03 "
    "b 14,'\n"
    "check \"published rows\" \"$want\" \"$(rows)\"\n"
    "\n"
    "# What is published passes validation again, with nothing written.\n"
    "bf verify @NAME@ --start-date 2024-01-01 --end-date 2024-01-03 --audit\n"
    "check \"verify --audit exits 0\" 0 \"$rc\"\n"
    "[ \"$rc\" = 0 ] || cat \"$work/out\"\n"
    "\n"
    "# A late event on 2024-01-02: the same command again redoes that day and\n"
    "# 2024-01-03, whose window read it, and nothing else.\n"
    "sqlite3 \"$work/store.db\" \"INSERT INTO events VALUES ('2024-01-02', 'b', 10)\"\n"
    "bf run @NAME@ --start-date 2024-01-01 --end-date 2024-01-03\n"
    "check \"re-run exits 0\" 0 \"$rc\"\n"
    "check \"re-run rows\" '2024-01-01 a 1,2024-01-01 b 2,2024-01-02 a 8,2024-01-02 b "
    "17,2024-01-03 "
    "a 14,2024-01-03 b 24,' \"$(rows)\"\n"
    "exit $failed\n";

static const scaffold_file files[] = {
    {"@.sql", model_template, 0644},
    {"backfill.conf", config_template, 0644},
    {"test.sh", test_template, 0755},
};

const scaffold_file *scaffold_sql_files(size_t *n)
{
    *n = sizeof files / sizeof files[0];
    return files;
}
