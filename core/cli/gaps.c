/* gaps.c - the `gaps` command: the date x table matrix of the selected
 * processors (report/gaps.h) in the format asked for. Exit 0 when every
 * table passes, 1 when one does not. Nothing is written to the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/gaps.h"

int cmd_gaps(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    selection v;
    gaps_matrix m;
    if (o->csv + o->json + (o->html != NULL) > 1) {
        fprintf(stderr, "backfill gaps: --csv, --json and --html exclude each other\n");
        return EXIT_USAGE;
    }
    date_args dates = cli_dates(o);
    if (selection_open(&v, &dates, cfg, o->targets, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    int rc = EXIT_USAGE;
    if (gaps_build(&m, &v, cfg, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        goto out;
    }
    if (m.days.n == 0) { /* never "0 of 0, 100 %" */
        int one = strcmp(m.first, m.last) == 0;
        fprintf(stderr, "backfill: no date of calendar %s.%s in %s%s%s: nothing to do\n",
                cfg->calendar_table, cfg->calendar_column, m.first, one ? "" : "..",
                one ? "" : m.last);
        goto out;
    }
    rc = EXIT_DONE;
    for (size_t k = 0; k < m.ntables; k++)
        if (!m.tables[k].passed)
            rc = EXIT_DATES_FAILED;
    if (o->html) {
        if (gaps_html_file(o->html, &m) != 0)
            rc = EXIT_USAGE;
    } else if (o->csv) {
        gaps_print_csv(stdout, &m);
    } else if (o->json) {
        if (gaps_write_json(stdout, &m) != 0) { /* written as made: no tree of every cell */
            fprintf(stderr, "backfill gaps: --json: cannot write the document\n");
            rc = EXIT_USAGE;
        }
    } else {
        const char *no_colour = getenv("NO_COLOR");
        gaps_print_text(stdout, &m, o->compact,
                        isatty(STDOUT_FILENO) && !(no_colour && *no_colour));
    }
out:
    gaps_free(&m);
    selection_close(&v);
    return rc;
}
