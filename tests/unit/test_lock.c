/* test_lock.c - the holder line every lock writes, and what this host can
 * tell from one: its own live process, a dead one, or another host's. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state/lock.h"
#include "unit.h"

static char host[256];

UNIT_CASE(holder_line)
{
    char mine[512], want[600], line[600];
    gethostname(host, sizeof host - 1);
    lock_holder(mine, sizeof mine, NULL);
    snprintf(want, sizeof want, "pid %ld on %s since ", (long)getpid(), host);
    CHECK("holder: pid, host, since",
          strncmp(mine, want, strlen(want)) == 0 &&
              strlen(mine) == strlen(want) + strlen("2024-01-01T00:00:00Z"));
    lock_holder(line, sizeof line, "a note");
    CHECK("holder: the note after a comma", strstr(line, "Z, a note") != NULL);
    CHECK("this process: live", lock_holder_state(mine) == LOCK_HOLDER_LIVE);
}

/* Needs host from holder_line. */
UNIT_CASE(holder_state)
{
    char line[600];

    /* A pid no process has: a child, reaped. Flushed first: under TSan a
     * child's _exit flushes stdio, and would print these lines again. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    snprintf(line, sizeof line, "pid %ld on %s since 2024-01-01T00:00:00Z", (long)child, host);
    CHECK("a reaped child: gone", lock_holder_state(line) == LOCK_HOLDER_GONE);

    snprintf(line, sizeof line, "pid %ld on elsewhere.example since 2024-01-01T00:00:00Z",
             (long)child);
    CHECK("another host: elsewhere, even with a dead pid here",
          lock_holder_state(line) == LOCK_HOLDER_ELSEWHERE);
    snprintf(line, sizeof line, "pid %ld on %s", (long)child, host);
    CHECK("no since: unknown", lock_holder_state(line) == LOCK_HOLDER_UNKNOWN);
    CHECK("not a holder line: unknown",
          lock_holder_state("(holder unknown)") == LOCK_HOLDER_UNKNOWN);
}

UNIT_MAIN(7, UNIT(holder_line), UNIT(holder_state))
