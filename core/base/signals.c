/* signals.c - two-stage interrupt handling; only async-signal-safe calls.
 *
 * The handler also writes one byte into a pipe that is never read: any
 * thread waiting in signals_wait_ms sees it readable at once, which is how
 * a retry backoff ends early without racing the flag. */
#include "base/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/exit_code.h"

atomic_int signals_stop;

static struct sigaction saved_int, saved_term;
static int wake[2] = {-1, -1};
/* Processors of one pipeline install and restore concurrently: the first
 * install and the last restore act. */
static pthread_mutex_t installs_lock = PTHREAD_MUTEX_INITIALIZER;
static int installs;

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
    if (wake[1] >= 0)
        (void)!write(wake[1], "!", 1);
    static const char msg[] = "\nbackfill: interrupt: finishing in-flight dates, then saving "
                              "the checkpoint (interrupt again to exit now)\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    errno = saved_errno;
}

void signals_install(void)
{
    pthread_mutex_lock(&installs_lock);
    if (installs++ > 0) {
        pthread_mutex_unlock(&installs_lock);
        return;
    }
    if (wake[0] < 0 && pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
        wake[0] = wake[1] = -1; /* waits then simply run their full time */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &saved_int);
    sigaction(SIGTERM, &sa, &saved_term);
    pthread_mutex_unlock(&installs_lock);
}

void signals_restore(void)
{
    pthread_mutex_lock(&installs_lock);
    if (--installs > 0) {
        pthread_mutex_unlock(&installs_lock);
        return;
    }
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGTERM, &saved_term, NULL);
    for (int i = 0; i < 2; i++) {
        if (wake[i] >= 0)
            close(wake[i]);
        wake[i] = -1;
    }
    pthread_mutex_unlock(&installs_lock);
}

int signals_wait_ms(long ms)
{
    double until = clock_now_ms() + (double)ms;
    for (;;) {
        if (atomic_load(&signals_stop))
            return 1;
        double left = until - clock_now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = wake[0], .events = POLLIN};
        /* poll ignores a negative fd and just waits out the time. */
        if (poll(&p, 1, (int)(left + 0.999)) > 0)
            return 1;
    }
}

void signals_block_in_thread(sigset_t *saved)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, saved);
}

void signals_unblock_in_thread(const sigset_t *saved)
{
    pthread_sigmask(SIG_SETMASK, saved, NULL);
}
