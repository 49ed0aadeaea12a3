/* exit_code.h - the exit codes of every command: the contract scripts are
 * written against (backfill(1), EXIT STATUS). */
#ifndef BF_EXIT_CODE_H
#define BF_EXIT_CODE_H

/* Exit codes: the contract scripts are written against. */
enum exit_code {
    EXIT_DONE = 0,            /* every expected date complete or skipped */
    EXIT_DATES_FAILED = 1,    /* some dates failed, partial or blocked */
    EXIT_USAGE = 2,           /* usage, config or plugin error: nothing ran */
    EXIT_REFUSED = 3,         /* pre-flight refused the run: nothing written */
    EXIT_LOCKED = 4,          /* another run of this processor holds the lock */
    EXIT_STATE_NOT_SAVED = 5, /* dates ran, but the checkpoint or event log could not be saved */
    EXIT_INTERRUPTED = 130    /* interrupted; checkpoint saved */
};

#endif
