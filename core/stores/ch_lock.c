/* ch_lock.c - the ClickHouse store lock: one run of a processor at a time
 * against one database, whatever state_dir or machine each run uses.
 *
 * The lock is a view, DB.backfill_lock_<processor>, on the entry server
 * (url; with cluster set, on that server only: every run enters there).
 * Taking it is CREATE VIEW ... AS SELECT 'HOLDER' AS holder, without IF NOT
 * EXISTS: ClickHouse creates a table atomically, so of two runs exactly one
 * creates it and the other gets "already exists" (code 57). A view keeps
 * the holder in its definition, written by the CREATE itself, so a loser
 * never finds the lock without its holder. Releasing is dropping it, by
 * the connection that created it and only while it still names that
 * connection's holder. These statements alone are sent without readonly=1
 * on the read-only connection that holds the lock (CH_LOCK).
 *
 * Nothing drops the view when its holder dies (kill -9, a crash, a lost
 * machine). A loser reads the holder; one that ran on this host under a
 * pid no process has any more is stale: dropped, and the lock taken again.
 * Reading and dropping are two requests, so two runs finding the same
 * stale holder could drop each other's fresh lock: both steps run under a
 * host-wide gate (lock_host_gate), and the drop happens only if the view
 * still names the dead holder. A holder on another host cannot be judged
 * from here: the run is refused with the DROP TABLE that clears it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/lock.h"
#include "base/log.h"
#include "stores/ch_store.h"

typedef struct {
    char *buf;
    size_t size;
} text_out;

static int take_text(void *udata, int ncols, const bf_value *values)
{
    text_out *t = udata;
    if (ncols > 0 && values[0].type == BF_TEXT)
        snprintf(t->buf, t->size, "%s", values[0].v.s);
    return 1;
}

enum { VANISHED = 1 }; /* read_holder: there is no lock table */

/* Into holder, the holder line the lock table name (db.table) names, ""
 * if none. Returns BF_OK, VANISHED, or the error (in cs). */
static int read_holder(ch_store *cs, const char *name, char *holder, size_t size)
{
    char qname[700], sql[800];
    text_out t = {holder, size};
    holder[0] = '\0';
    ch_quote(name, qname, sizeof qname); /* fits: ch_lock checked it */
    snprintf(sql, sizeof sql, "SELECT holder FROM %s LIMIT 1", qname);
    int rc = ch_send(cs, &cs->entry, sql, CH_READ, 1, take_text, &t);
    return rc != BF_OK && cs->last_code == 60 ? VANISHED : rc; /* no such table */
}

static int drop_lock(ch_store *cs, const char *name)
{
    char qname[700], sql[800];
    ch_quote(name, qname, sizeof qname);
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", qname);
    return ch_send(cs, &cs->entry, sql, CH_LOCK, 1, NULL, NULL);
}

/* Drop the lock table name if it still names holder, a dead process of
 * this host; under the host gate. 0, or -1 with err. */
static int drop_stale(ch_store *cs, const char *name, const char *holder, char *err, size_t errlen)
{
    char now[512];
    int gate = lock_host_gate(err, errlen);
    if (gate < 0)
        return -1;
    int rc = read_holder(cs, name, now, sizeof now);
    if (rc == BF_OK && strcmp(now, holder) == 0) {
        rc = drop_lock(cs, name);
        if (rc == BF_OK)
            log_warn("store lock: dropped %s, left by %s, a process that is gone", name, holder);
    }
    close(gate);
    if (rc != BF_OK && rc != VANISHED) {
        snprintf(err, errlen, "store lock: %s", cs->base.error);
        return -1;
    }
    return 0;
}

enum { TAKEN, HELD, RETRY, FAILED };

/* One CREATE of the lock table: TAKEN; HELD by holder; RETRY when it was
 * gone again before its holder could be read; FAILED (error in cs). */
static int try_take(ch_store *cs, const char *create, const char *name, char *holder, size_t size)
{
    if (ch_send(cs, &cs->entry, create, CH_LOCK, 0, NULL, NULL) == BF_OK)
        return TAKEN;
    if (cs->last_code != 57) /* table already exists */
        return FAILED;
    int rc = read_holder(cs, name, holder, size);
    return rc == BF_OK ? HELD : rc == VANISHED ? RETRY : FAILED;
}

int ch_lock(store *s, const char *processor, char *err, size_t errlen)
{
    ch_store *cs = (ch_store *)s;
    char name[320], qname[700], mine[512], holder[512];
    snprintf(name, sizeof name, "%s.backfill_lock_%s", cs->cfg->database, processor);
    if (cs->lock_holder[0] || ch_quote(name, qname, sizeof qname) != 0) {
        snprintf(err, errlen, "store lock of %s: %s", processor,
                 cs->lock_holder[0] ? "already taken on this connection" : "name too long");
        return -1;
    }
    lock_holder(mine, sizeof mine, NULL);
    ch_buf create = {0};
    ch_buf_printf(&create, "CREATE VIEW %s AS SELECT ", qname);
    ch_sql_quote_string(&create, mine);
    ch_buf_printf(&create, " AS holder");
    int rc = 1;
    if (create.oom) {
        snprintf(err, errlen, "store lock of %s: out of memory", processor);
        rc = -1;
    }
    /* A few tries: a lock released, or a stale one dropped, between this
     * run's CREATE and its reading of the holder is taken again. */
    for (int attempt = 0; rc == 1 && attempt < 3; attempt++) {
        switch (try_take(cs, create.p, name, holder, sizeof holder)) {
        case TAKEN:
            snprintf(cs->lock_table, sizeof cs->lock_table, "%s", name);
            snprintf(cs->lock_holder, sizeof cs->lock_holder, "%s", mine);
            rc = 0;
            break;
        case FAILED:
            snprintf(err, errlen, "store lock: %s", cs->base.error);
            rc = -1;
            break;
        case HELD: {
            int state = holder[0] ? lock_holder_state(holder) : LOCK_HOLDER_UNKNOWN;
            if (state == LOCK_HOLDER_GONE) {
                if (drop_stale(cs, name, holder, err, errlen) != 0)
                    rc = -1;
                break;
            }
            int hint = state != LOCK_HOLDER_LIVE;
            snprintf(err, errlen, "another run of %s on store %s holds lock table %s: %s%s%s%s",
                     processor, cs->cfg->location, name, holder[0] ? holder : "(holder unknown)",
                     hint ? " (if that run is gone, clear the lock with: DROP TABLE " : "",
                     hint ? name : "", hint ? ")" : "");
            rc = -2;
            break;
        }
        default: break; /* RETRY */
        }
    }
    free(create.p);
    if (rc == 1) {
        snprintf(err, errlen, "store lock of %s: lock table %s changed hands three times",
                 processor, name);
        rc = -1;
    }
    return rc;
}

void ch_unlock(store *s)
{
    ch_store *cs = (ch_store *)s;
    char now[512];
    if (!cs->lock_holder[0])
        return;
    int rc = read_holder(cs, cs->lock_table, now, sizeof now);
    if (rc == BF_OK && strcmp(now, cs->lock_holder) == 0)
        rc = drop_lock(cs, cs->lock_table);
    else if (rc == BF_OK)
        log_warn("store lock: %s now names %s, not this run: left as it is", cs->lock_table,
                 now[0] ? now : "(holder unknown)");
    if (rc != BF_OK && rc != VANISHED)
        log_warn("store lock: %s left behind: %s", cs->lock_table, cs->base.error);
    cs->lock_holder[0] = '\0';
}
