/* signals.c - two-stage interrupt handling; only async-signal-safe calls. */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

atomic_int signals_stop;

static struct sigaction saved_int, saved_term;

static void on_signal(int sig)
{
    (void)sig;
    int saved_errno = errno;
    if (atomic_load(&signals_stop)) {
        static const char msg[] = "\nbackfill: second interrupt: exiting now; in-flight dates "
                                  "are discarded, published dates stay\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(EXIT_INTERRUPTED);
    }
    atomic_store(&signals_stop, 1);
    static const char msg[] = "\nbackfill: interrupt: finishing in-flight dates, then saving "
                              "the checkpoint (interrupt again to exit now)\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    errno = saved_errno;
}

void signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &saved_int);
    sigaction(SIGTERM, &sa, &saved_term);
}

void signals_restore(void)
{
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGTERM, &saved_term, NULL);
}
