/* fuzz_model.c - the model file reader (model_parse) over any bytes. A
 * model accepted holds what every model must (a description, a date
 * column, a statement per dialect it serves, placeholders resolved, a
 * block statement beside its per-date one); a
 * model refused says so in one line that starts with the file's path. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "plugin/model.h"

#define PATH "fuzz/m.sql"

static void check_stmt(const model_stmt *st)
{
    if (!st->text)
        return;
    if (strstr(st->text, "?1") == NULL || st->nkeys < 0 || st->nkeys > MODEL_KEYS_MAX)
        abort();
}

static void check_model(const model *m)
{
    if (!m->desc.name || strcmp(m->desc.name, "m") != 0 || !m->desc.description ||
        !m->desc.date_column || !m->desc.output_table)
        abort();
    if (!model_stmt_for(m->process, "sqlite") && !model_stmt_for(m->process, "clickhouse"))
        abort();
    for (int d = 0; d < MODEL_DIALECTS; d++) {
        check_stmt(&m->process[d]);
        check_stmt(&m->expected[d]);
        check_stmt(&m->fallback[d]);
        if (m->expected[d].text && strchr(m->expected[d].text, MODEL_TABLE_MARK))
            abort();
        if (m->process[d].text && !strchr(m->process[d].text, MODEL_TABLE_MARK))
            abort();
        /* A block statement binds {{first}} and {{last}}, and stands
         * beside a per-date one. */
        const model_stmt *pb = &m->process_block[d], *eb = &m->expected_block[d];
        check_stmt(pb);
        check_stmt(eb);
        if ((pb->text &&
             (pb->ndates != 2 || !strstr(pb->text, "?2") || !strchr(pb->text, MODEL_TABLE_MARK))) ||
            (eb->text && (eb->ndates != 2 || strchr(eb->text, MODEL_TABLE_MARK))))
            abort();
        if (pb->text && d > 0 && !model_stmt_for(m->process, d == 1 ? "sqlite" : "clickhouse"))
            abort();
    }
    if (m->nkeys > MODEL_KEYS_MAX || m->keys[m->nkeys].name || m->nchecks > MODEL_CHECKS_MAX ||
        m->checks[m->nchecks].name || m->ndeps > MODEL_DEPS_MAX)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    model *m = NULL;
    char err[1024] = "";
    if (model_parse(PATH, "m", (const char *)data, size, &m, err, sizeof err) == BF_OK) {
        check_model(m);
        model_free(m);
        return 0;
    }
    if (m || strncmp(err, PATH ":", strlen(PATH) + 1) != 0 || strchr(err, '\n'))
        abort();
    return 0;
}
