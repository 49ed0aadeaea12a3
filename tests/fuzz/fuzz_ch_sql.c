/* fuzz_ch_sql.c - what the ClickHouse driver reads in text it did not
 * write: a statement's leading words (the guard's view of it), its
 * placeholders bound into literals, and a query's answer. The input's
 * first line is a statement, its next three lines are text values, and
 * the whole input is also an answer body. A value bound into a literal
 * stays inside it: the bound statement has no placeholder left, so
 * binding it again with no values gives it back unchanged. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stores/ch_http.h"
#include "stores/ch_sql.h"

static int typed(void *udata, int ncols, const bf_value *v)
{
    (void)udata;
    for (int i = 0; i < ncols; i++)
        if (v[i].type < BF_NULL || v[i].type > BF_TEXT || (v[i].type == BF_TEXT && !v[i].v.s))
            abort();
    return 0;
}

static void words_within(const char *sql)
{
    char w[6][192];
    const char *rest = NULL;
    int n = ch_sql_words(sql, w, 6, &rest);
    if (n < 0 || n > 6 || !rest || rest < sql || rest > sql + strlen(sql))
        abort();
    for (int i = 0; i < n; i++)
        if (!memchr(w[i], '\0', sizeof w[i]))
            abort();
}

/* Bind sql with n values; the text bound if it binds (freed by the caller). */
static char *bound_text(const char *sql, const bf_value *v, int n)
{
    ch_buf out = {0};
    char why[256];
    if (ch_sql_bind(sql, v, n, &out, why, sizeof why) != 0 || out.oom) {
        free(out.p);
        return NULL;
    }
    if (!out.p || strlen(out.p) != out.len)
        abort();
    return out.p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *line[4] = {0};
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *p = text;
    for (int i = 0; i < 4 && p; i++) {
        line[i] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    bf_value v[3];
    for (int i = 0; i < 3; i++)
        v[i] = BF_V_TEXT(line[i + 1] ? line[i + 1] : "");
    words_within(line[0]);
    for (int n = 0; n <= 3; n++)
        free(bound_text(line[0], v, n));
    char *bound = bound_text("SELECT ?1, ?2 FROM t WHERE x = ?3", v, 3);
    if (!bound)
        abort(); /* any text binds */
    char *again = bound_text(bound, NULL, 0);
    if (!again || strcmp(again, bound) != 0)
        abort(); /* a value leaked out of its literal */
    words_within(bound);
    free(again);
    free(bound);
    ch_buf body = {.p = (char *)data, .len = size, .cap = size};
    char err[512];
    ch_http_rows(&body, typed, NULL, err, sizeof err);
    free(text);
    return 0;
}
