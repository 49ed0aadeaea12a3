/* scaffold.c - `backfill new NAME [--sql] [--dir DIR]` (--sql: the files
 * of scaffold_sql.c, a model file instead of C): a processor an author can
 * build and test at once, outside any checkout, against the installed SDK:
 * NAME/NAME.c (the contract in comments), NAME/Makefile (pkg-config),
 * NAME/backfill.conf (the minimum config) and NAME/test.sh (builds it, runs
 * it with the installed backfill on a tiny store and checks its rows). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/scaffold.h"
#include "plugin/plugin_path.h"

/* Every "@NAME@" in a template is the processor's name. */
static const char source_template[] =
    "/* @NAME@.c - a backfill processor: per day, the total amount of each\n"
    " * category of the raw table \"events\".\n"
    " *\n"
    " *   make                   build @NAME@.so (pkg-config finds backfill/plugin.h)\n"
    " *   ./test.sh              run it on a tiny generated store and check its rows\n"
    " *   backfill -c backfill.conf run @NAME@ --start-date D --end-date D\n"
    " *\n"
    " * The whole contract: man backfill-plugin. Replace the SQL with your own;\n"
    " * keep the shape. */\n"
    "#include <stdio.h>\n"
    "\n"
    "#include <backfill/plugin.h>\n"
    "\n"
    "/* The ABI block: the core compares it with its own before it calls\n"
    " * anything else, and refuses a plugin built against another plugin.h. */\n"
    "BF_PLUGIN_MAGIC\n"
    "\n"
    "static const bf_descriptor descriptor = {\n"
    "    .name = \"@NAME@\",         /* must equal the file name, @NAME@.so */\n"
    "    .output_table = \"@NAME@\", /* the one table this processor writes */\n"
    "    .date_column = \"day\",     /* its date column: TEXT 'YYYY-MM-DD' */\n"
    "    .description = \"total amount per category and day\",\n"
    "    /* No history needed at a season's start; 0 would mean the config's\n"
    "     * bootstrap_days. */\n"
    "    .bootstrap_days = BF_NO_BOOTSTRAP,\n"
    "    /* No state of its own: several workers may run it at once. */\n"
    "    .thread_safe = 1,\n"
    "};\n"
    "\n"
    "/* What process_date reads. Before anything is written, pre-flight measures\n"
    " * each table's coverage of the requested days (preflight.min_coverage); a\n"
    " * day whose required table is empty is blocked, never computed. If a day\n"
    " * reads earlier days too (a running total, the last N games), declare\n"
    " * .lookback_days = N here: `backfill verify --inputs` (test.sh) checks it. */\n"
    "static const bf_dependency deps[] = {\n"
    "    {.table = \"events\", .date_column = \"day\", .requirement = BF_REQUIRED},\n"
    "};\n"
    "\n"
    "const bf_descriptor *backfill_descriptor(void)\n"
    "{\n"
    "    return &descriptor;\n"
    "}\n"
    "\n"
    "const bf_dependency *dependencies(size_t *count)\n"
    "{\n"
    "    *count = sizeof deps / sizeof deps[0];\n"
    "    return deps;\n"
    "}\n"
    "\n"
    "/* Once per run, after pre-flight and before the first day: create the\n"
    " * output table (and indexes on it), nothing else. */\n"
    "int prepare(bf_ctx *ctx)\n"
    "{\n"
    "    return bf_exec(ctx,\n"
    "                   \"CREATE TABLE IF NOT EXISTS @NAME@\"\n"
    "                   \" (day TEXT NOT NULL, category TEXT NOT NULL, total INTEGER NOT NULL)\",\n"
    "                   NULL, 0);\n"
    "}\n"
    "\n"
    "/* One day's rows, written into bf_output_table(ctx): a staging table with\n"
    " * the output table's columns, empty at each attempt. The core publishes\n"
    " * it (replacing the day's rows in one transaction) only if validate_date\n"
    " * finds it complete. Bind values with '?'; paste only table names. */\n"
    "int process_date(bf_ctx *ctx, const char *date)\n"
    "{\n"
    "    char sql[512];\n"
    "    snprintf(sql, sizeof sql,\n"
    "             \"INSERT INTO %s (day, category, total)\"\n"
    "             \" SELECT day, category, sum(amount) FROM events WHERE day = ? GROUP BY "
    "category\",\n"
    "             bf_output_table(ctx));\n"
    "    bf_value day = BF_V_TEXT(date);\n"
    "    return bf_exec(ctx, sql, &day, 1);\n"
    "}\n"
    "\n"
    "/* Read-only. expected comes from upstream (one row per category present\n"
    " * that day), never from what was written; actual counts the staging\n"
    " * table. The core counts it too, and publishes only if actual reaches\n"
    " * expected and no quality check failed. */\n"
    "int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)\n"
    "{\n"
    "    char sql[512];\n"
    "    bf_value day = BF_V_TEXT(date);\n"
    "    int rc = bf_query_int(ctx, \"SELECT count(DISTINCT category) FROM events WHERE day = "
    "?\",\n"
    "                          &day, 1, &out->expected);\n"
    "    if (rc != BF_OK)\n"
    "        return rc;\n"
    "    snprintf(sql, sizeof sql, \"SELECT count(*) FROM %s WHERE day = ?\", "
    "bf_output_table(ctx));\n"
    "    rc = bf_query_int(ctx, sql, &day, 1, &out->actual);\n"
    "    if (rc != BF_OK)\n"
    "        return rc;\n"
    "    /* A quality check: a negative total is a bad row; any fails the day. */\n"
    "    snprintf(sql, sizeof sql, \"SELECT count(*) FROM %s WHERE day = ? AND total < 0\",\n"
    "             bf_output_table(ctx));\n"
    "    return bf_query_int(ctx, sql, &day, 1, &out->failed_checks);\n"
    "}\n";

static const char makefile_template[] =
    "# Makefile - build @NAME@.so against the installed backfill SDK.\n"
    "#   make         build @NAME@.so\n"
    "#   make test    build it, then ./test.sh\n"
    "#   make clean\n"
    "#\n"
    "# pkg-config supplies the include path of <backfill/plugin.h>: from\n"
    "# PKG_CONFIG_PATH, else next to the backfill on PATH\n"
    "# (PREFIX/bin/backfill -> PREFIX/lib/pkgconfig/backfill.pc).\n"
    "CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra\n"
    "BACKFILL_PC := $(shell pkg-config --exists backfill 2>/dev/null && echo backfill || \\\n"
    "    echo \"$$(dirname \"$$(command -v backfill)\")/../lib/pkgconfig/backfill.pc\")\n"
    "ifneq ($(MAKECMDGOALS),clean)\n"
    "BACKFILL_CFLAGS := $(shell pkg-config --cflags \"$(BACKFILL_PC)\" 2>/dev/null || echo none)\n"
    "ifeq ($(BACKFILL_CFLAGS),none)\n"
    "$(error backfill.pc not found: install backfill (make install), or set PKG_CONFIG_PATH \\\n"
    "    to PREFIX/lib/pkgconfig)\n"
    "endif\n"
    "endif\n"
    "\n"
    "@NAME@.so: @NAME@.c\n"
    "\t$(CC) $(CFLAGS) $(BACKFILL_CFLAGS) -fPIC -shared -o $@ @NAME@.c $(LDFLAGS)\n"
    "\n"
    "test: @NAME@.so\n"
    "\t./test.sh\n"
    "\n"
    "clean:\n"
    "\trm -f @NAME@.so\n"
    "\n"
    ".PHONY: test clean\n";

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
    "# Where processors are found, first match first: this directory, where\n"
    "# `make` builds @NAME@.so. Add the installed ones with `backfill list`'s\n"
    "# directories, e.g. [ \".\", \"/usr/local/lib/backfill/plugins\" ].\n"
    "plugin_dir = [ \".\" ];\n"
    "\n"
    "# Checkpoints, locks and run logs (this is the default).\n"
    "state_dir = \"var/state\";\n";

static const char test_template[] =
    "#!/bin/sh\n"
    "# test.sh - build @NAME@, run it with the installed backfill on a tiny\n"
    "# generated store, and check the rows it published. Exits 0 if all pass.\n"
    "#   BACKFILL=/path/to/backfill ./test.sh    to test with another backfill\n"
    "set -eu\n"
    "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
    "backfill=${BACKFILL:-backfill}\n"
    "work=$(mktemp -d)\n"
    "trap 'rm -rf \"$work\"' EXIT\n"
    "\n"
    "make -C \"$here\" --no-print-directory >/dev/null\n"
    "\n" SCAFFOLD_TEST_DATA "\n"
    "# backfill.conf's keys, with the store and the state in $work.\n"
    "cat >\"$work/backfill.conf\" <<EOF\n"
    "store = { driver = \"sqlite\"; path = \"$work/store.db\"; };\n"
    "calendar = { table = \"calendar\"; date_column = \"day\"; };\n"
    "plugin_dir = [ \"$here\" ];\n"
    "state_dir = \"$work/state\";\n"
    "EOF\n"
    "\n" SCAFFOLD_TEST_HELPERS "\n"
    "bf run @NAME@ --start-date 2024-01-01 --end-date 2024-01-03\n"
    "check \"run exits 0\" 0 \"$rc\"\n"
    "[ \"$rc\" = 0 ] || cat \"$work/out\"\n"
    "want='2024-01-01 a 1,2024-01-01 b 2,2024-01-02 a 7,2024-01-02 b 5,2024-01-03 a 6,2024-01-03 b "
    "7,'\n"
    "check \"published rows\" \"$want\" \"$(rows)\"\n"
    "\n"
    "# What is published passes validation again, with nothing written.\n"
    "bf verify @NAME@ --start-date 2024-01-01 --end-date 2024-01-03 --audit\n"
    "check \"verify --audit exits 0\" 0 \"$rc\"\n"
    "[ \"$rc\" = 0 ] || cat \"$work/out\"\n"
    "\n"
    "# The declared windows are wide enough: each day is built again in\n"
    "# staging with its inputs confined to what dependencies() declares, then\n"
    "# with the whole tables. Reading earlier days without declaring them\n"
    "# fails here, naming the lookback_days that fixes it.\n"
    "bf verify @NAME@ --start-date 2024-01-01 --end-date 2024-01-03 --inputs\n"
    "check \"verify --inputs exits 0\" 0 \"$rc\"\n"
    "[ \"$rc\" = 0 ] || cat \"$work/out\"\n"
    "\n"
    "# A late event: the same command again redoes that day alone.\n"
    "sqlite3 \"$work/store.db\" \"INSERT INTO events VALUES ('2024-01-03', 'c', 8)\"\n"
    "bf run @NAME@ --dates 2024-01-03 --no-resume\n"
    "check \"re-run exits 0\" 0 \"$rc\"\n"
    "check \"re-run rows\" \"${want}2024-01-03 c 8,\" \"$(rows)\"\n"
    "exit $failed\n";

static const scaffold_file c_files[] = {
    {"@.c", source_template, 0644},
    {"Makefile", makefile_template, 0644},
    {"backfill.conf", config_template, 0644},
    {"test.sh", test_template, 0755},
};

/* Write text to path with every "@NAME@" replaced by name. */
static int write_template(const char *path, const char *text, const char *name, mode_t mode)
{
    FILE *f = fopen(path, "wx");
    if (!f)
        return -1;
    for (const char *t = text, *at; *t; t = at + strlen("@NAME@")) {
        at = strstr(t, "@NAME@");
        if (!at) {
            fputs(t, f);
            break;
        }
        fwrite(t, 1, (size_t)(at - t), f);
        fputs(name, f);
    }
    int failed = ferror(f);
    if (fclose(f) != 0 || failed || chmod(path, mode) != 0)
        return -1;
    return 0;
}

/* mkdir -p: every missing component of dir. */
static int make_dirs(const char *dir)
{
    char *copy = strdup(dir);
    if (!copy)
        return -1;
    for (char *s = copy + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(copy, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}

/* target/file, with file's "@" replaced by name. */
static void file_path(char *buf, size_t size, const char *target, const char *file,
                      const char *name)
{
    const char *at = strchr(file, '@');
    if (at)
        snprintf(buf, size, "%s/%.*s%s%s", target, (int)(at - file), file, name, at + 1);
    else
        snprintf(buf, size, "%s/%s", target, file);
}

/* Create every file in target; on failure remove what was made. */
static int scaffold(const char *target, const char *name, const scaffold_file *files, size_t n)
{
    char path[4096];
    size_t made = 0;
    if (mkdir(target, 0755) != 0) {
        fprintf(stderr, "backfill new: %s: %s\n", target,
                errno == EEXIST ? "already exists; choose another name or --dir" : strerror(errno));
        return EXIT_USAGE;
    }
    for (; made < n; made++) {
        file_path(path, sizeof path, target, files[made].file, name);
        if (write_template(path, files[made].text, name, files[made].mode) != 0) {
            fprintf(stderr, "backfill new: %s: cannot write: %s\n", path, strerror(errno));
            remove(path);
            break;
        }
    }
    if (made == n)
        return EXIT_DONE;
    while (made-- > 0) {
        file_path(path, sizeof path, target, files[made].file, name);
        remove(path);
    }
    rmdir(target);
    return EXIT_USAGE;
}

int cmd_new(const cli_options *o, const bf_config *cfg)
{
    (void)cfg;
    const char *name = o->processor, *dir = o->dir ? o->dir : ".";
    if (!*dir) {
        fprintf(stderr, "backfill new: option '--dir' needs a value\n");
        return EXIT_USAGE;
    }
    /* The name is the file name, the descriptor's name and the table's. */
    if (!loader_valid_name(name) || (name[0] >= '0' && name[0] <= '9')) {
        fprintf(stderr,
                "backfill new: '%s' is not a processor name (lowercase letters, digits, '_'; "
                "not starting with a digit)\n",
                name);
        return EXIT_USAGE;
    }
    char target[4096];
    if (snprintf(target, sizeof target, "%s/%s", dir, name) >= (int)sizeof target) {
        fprintf(stderr, "backfill new: --dir %s: path too long\n", dir);
        return EXIT_USAGE;
    }
    if (make_dirs(dir) != 0) {
        fprintf(stderr, "backfill new: --dir %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    size_t n = sizeof c_files / sizeof c_files[0];
    const scaffold_file *files = o->sql ? scaffold_sql_files(&n) : c_files;
    int rc = scaffold(target, name, files, n);
    if (rc == EXIT_DONE && o->sql)
        printf("created %s/: %s.sql, backfill.conf, test.sh\nnext: %s/test.sh\n", target, name,
               target);
    else if (rc == EXIT_DONE)
        printf("created %s/: %s.c, Makefile, backfill.conf, test.sh\n"
               "next: make -C %s && %s/test.sh\n",
               target, name, target, target);
    return rc;
}
