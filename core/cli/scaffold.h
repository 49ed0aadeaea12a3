/* scaffold.h - the files `backfill new` writes: scaffold.c writes them;
 * scaffold_sql.c holds the set for `new --sql` (a model file). */
#ifndef BF_SCAFFOLD_H
#define BF_SCAFFOLD_H

#include <stddef.h>
#include <sys/types.h>

typedef struct scaffold_file {
    const char *file; /* "@" stands for the name */
    const char *text; /* every "@NAME@" is the name */
    mode_t mode;
} scaffold_file;

/* The part both test.sh files share: the tiny store's data (a calendar of
 * three days and an "events" table)... */
#define SCAFFOLD_TEST_DATA                                                                         \
    "# Three days in the calendar; \"events\" holds two categories on each,\n"                     \
    "# category a twice on 2024-01-02.\n"                                                          \
    "sqlite3 \"$work/store.db\" <<'SQL'\n"                                                         \
    "CREATE TABLE calendar (day TEXT NOT NULL);\n"                                                 \
    "INSERT INTO calendar VALUES ('2024-01-01'), ('2024-01-02'), ('2024-01-03');\n"                \
    "CREATE TABLE events (day TEXT NOT NULL, category TEXT NOT NULL, amount INTEGER NOT NULL);\n"  \
    "INSERT INTO events VALUES\n"                                                                  \
    "  ('2024-01-01', 'a', 1), ('2024-01-01', 'b', 2),\n"                                          \
    "  ('2024-01-02', 'a', 3), ('2024-01-02', 'a', 4), ('2024-01-02', 'b', 5),\n"                  \
    "  ('2024-01-03', 'a', 6), ('2024-01-03', 'b', 7);\n"                                          \
    "SQL\n"

/* ...and the shell helpers: check NAME WANT GOT, bf ARGS (the exit code in
 * $rc, the output in $work/out), rows (the published rows on one line). */
#define SCAFFOLD_TEST_HELPERS                                                                      \
    "failed=0\n"                                                                                   \
    "check() {\n"                                                                                  \
    "    if [ \"$2\" = \"$3\" ]; then\n"                                                           \
    "        echo \"ok - $1\"\n"                                                                   \
    "    else\n"                                                                                   \
    "        echo \"not ok - $1: expected [$2], got [$3]\"\n"                                      \
    "        failed=1\n"                                                                           \
    "    fi\n"                                                                                     \
    "}\n"                                                                                          \
    "bf() {\n"                                                                                     \
    "    rc=0\n"                                                                                   \
    "    \"$backfill\" -c \"$work/backfill.conf\" --no-progress \"$@\" >\"$work/out\" 2>&1 || "    \
    "rc=$?\n"                                                                                      \
    "}\n"                                                                                          \
    "rows() {\n"                                                                                   \
    "    sqlite3 \"$work/store.db\" \\\n"                                                          \
    "        \"SELECT day || ' ' || category || ' ' || total FROM @NAME@ ORDER BY day, "           \
    "category\" "                                                                                  \
    "|\n"                                                                                          \
    "        tr '\\n' ','\n"                                                                       \
    "}\n"

/* The files of a model processor: NAME.sql, backfill.conf, test.sh. */
const scaffold_file *scaffold_sql_files(size_t *n);

#endif
