/* gaps.h - the date x table matrix `backfill gaps` prints: every cell is the
 * judge's verdict (judge.h) on one date of one processor's table; nothing
 * here decides a state. Shared by the text formats (gaps.c) and the HTML
 * heatmap (gaps_html.c). */
#ifndef BF_GAPS_H
#define BF_GAPS_H

#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "base/dates.h"
#include "engine/plan.h"
#include "engine/rerun.h"
#include "engine/selection.h"

#include <jansson.h>

/* One cell: the judge's state, rows held, and rows expected (-1: unknown). */
typedef struct gaps_cell {
    int state; /* enum date_state; STATE_PENDING: no verdict on that date */
    int64_t actual, expected;
    const char *why; /* the judge's reason (stale, outdated, blocked...): one of
                        the matrix's reasons, or NULL */
} gaps_cell;

/* One column: a processor's output table and what its cells add up to. */
typedef struct gaps_table {
    const char *processor, *table; /* borrowed from the loaded plugin */
    char code[16];                 /* short, unique: initials of the words */
    size_t states[STATE_COUNT];    /* cells per state */
    size_t expected;               /* dates not skipped */
    size_t covered;                /* complete + unverified + waived: what coverage counts */
    double coverage;               /* covered / expected, 1 if none */
    rerun_list rerun;              /* owned: the dates that need work, by state */
    int passed;                    /* judge_table_passes */
    char last_run[32];             /* the checkpoint's run.finished_at, or "" */
    int layer;                     /* in the graph: 0 reads no processor, else 1 + its
                                      deepest upstream's */
} gaps_table;

typedef struct gaps_matrix {
    char first[DATE_LEN], last[DATE_LEN]; /* the selection asked for */
    double threshold;                     /* preflight.min_coverage */
    const season *seasons;                /* borrowed from the config: marked */
    int nseasons;
    const config_group *groups; /* borrowed from the config: the HTML summary's sets */
    int ngroups;
    date_list days;     /* rows, ascending */
    gaps_table *tables; /* columns, in graph order */
    size_t ntables;
    gaps_cell *cells; /* days.n x ntables, row by row */
    char **reasons;   /* owned: the cells' reasons */
    size_t nreasons, reasons_cap;
} gaps_matrix;

static inline const gaps_cell *gaps_at(const gaps_matrix *m, size_t row, size_t col)
{
    return &m->cells[row * m->ntables + col];
}

/* Short codes for names: the initials of their '_'-separated words, a word
 * of two letters or fewer kept whole ("ml_feature_store" -> "mlfs"); a code
 * already taken gets a number. names[i] -> codes[i] (16 bytes each). */
void gaps_codes(const char *const *names, size_t n, char (*codes)[16]);

/* The matrix of the selected processors over v's dates, every cell the
 * judge's verdict. Returns 0, or -1 with one line in err. Free with
 * gaps_free either way. */
int gaps_build(gaps_matrix *m, const selection *v, const bf_config *cfg, char *err, size_t errlen);
void gaps_free(gaps_matrix *m);

/* The formats: text (compact merges equal rows; tty colours the cells),
 * CSV, JSON written to f as it is made (gaps_json.c: 0, or -1 if writing
 * failed), and HTML written to path (gaps_html.h), with a line on stdout
 * saying what was written (0, or -1 after an error line). */
void gaps_print_text(FILE *out, const gaps_matrix *m, int compact, int tty);
void gaps_print_csv(FILE *out, const gaps_matrix *m);
int gaps_write_json(FILE *f, const gaps_matrix *m);
int gaps_html_file(const char *path, const gaps_matrix *m);

#endif
