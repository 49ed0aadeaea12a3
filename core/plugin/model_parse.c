/* model_parse.c - read a model file (NAME.sql): its header block of
 * "-- key: value" lines, then its "-- @section" statements. Strict: an
 * unknown key or section, a repeated key, a value of the wrong form and a
 * missing statement are refused with PATH:LINE and the fix. The keys'
 * values are read by model_keys.c, the statements checked by model_sql.c. */
#include "plugin/model.h"
#include "plugin/model_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/names.h"

#define MODEL_FILE_MAX (1024 * 1024)

/* "-- @process", "-- @expected.clickhouse": the statement that follows. */
static int start_section(model_parser *ps, const char *marker)
{
    char word[64];
    size_t n = strcspn(marker, ". \t");
    const char *dot = marker[n] == '.' ? marker + n + 1 : NULL;
    snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), marker);
    model_stmt *const kinds[MODEL_KINDS] = {ps->m->process, ps->m->expected, ps->m->fallback,
                                            ps->m->process_block, ps->m->expected_block};
    for (size_t k = 0; k < MODEL_KINDS; k++) {
        model_stmt *kind = kinds[k];
        if (strcmp(word, model_section_names[k]) != 0)
            continue;
        int d = dot ? model_dialect_of(dot) : MODEL_ANY;
        if (d < 0)
            return model_fail(ps,
                              "unknown dialect in '-- @%s'; write @%s, @%s.sqlite or "
                              "@%s.clickhouse",
                              marker, word, word, word);
        if (kind[d].line)
            return model_fail(ps, "a second '-- @%s' section; the first is at line %d", marker,
                              kind[d].line);
        ps->section = kind + d;
        ps->section->line = ps->line;
        ps->kind = (int)k;
        ps->len = 0;
        return BF_OK;
    }
    const char *near = name_nearest(word, model_section_names, MODEL_KINDS);
    return model_fail(ps,
                      "unknown section '-- @%s'%s%s%s (the sections: @process, @expected, "
                      "@fallback, @process_block, @expected_block)",
                      marker, near ? "; did you mean '@" : "", near ? near : "", near ? "'?" : "");
}

/* The statement collected so far becomes its section's text. */
static int end_section(model_parser *ps)
{
    if (!ps->section)
        return BF_OK;
    int line = ps->line;
    ps->line = ps->section->line;
    int rc = model_sql_compile(ps, ps->section, ps->kind, ps->buf ? ps->buf : "", ps->len);
    ps->line = line;
    ps->section = NULL;
    return rc;
}

static int append(model_parser *ps, const char *s, size_t n)
{
    if (ps->len + n + 2 > ps->cap) {
        size_t cap = (ps->len + n + 2) * 2;
        char *buf = realloc(ps->buf, cap);
        if (!buf)
            return model_fail(ps, "out of memory");
        ps->buf = buf;
        ps->cap = cap;
    }
    memcpy(ps->buf + ps->len, s, n);
    ps->len += n;
    ps->buf[ps->len++] = '\n';
    ps->buf[ps->len] = '\0';
    return BF_OK;
}

/* "key: value" or "key.dialect: value" after "--": the length of the key
 * part (up to the colon), or 0 if the comment is not a key line. */
static size_t key_length(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_' || s[n] == '.' ||
           (n > 0 && s[n] >= '0' && s[n] <= '9'))
        n++;
    return n > 0 && s[n] == ':' ? n : 0;
}

static int one_line(model_parser *ps, char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        line[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)line[i] < ' ' && line[i] != '\t')
            return model_fail(ps, "a control character (byte %d); a model file is text",
                              (unsigned char)line[i]);
    char *s = line + strspn(line, " \t");
    if (s[0] == '-' && s[1] == '-') {
        char *c = s + 2 + strspn(s + 2, " \t");
        if (c[0] == '@' && c[1] && !strpbrk(c, " \t")) {
            if (end_section(ps) != BF_OK)
                return BF_ERROR;
            return start_section(ps, c + 1);
        }
        size_t k = key_length(c);
        if (k && !ps->section) {
            c[k] = '\0';
            char *value = c + k + 1;
            return model_key(ps, c, value + strspn(value, " \t"));
        }
        if (k && ps->section && model_is_key(c, k))
            return model_fail(ps,
                              "header key '%.*s' after the statements began; move it above "
                              "the first '-- @' section",
                              (int)k, c);
    }
    if (ps->section)
        return append(ps, line, n);
    if (*s == '\0' || (s[0] == '-' && s[1] == '-'))
        return BF_OK; /* a blank line or a comment of the header */
    return model_fail(ps, "SQL before any section; start the statement with a line "
                          "'-- @process' (or '-- @expected', '-- @fallback')");
}

/* Split text into lines and parse each; then the whole is checked. */
static int parse_text(model_parser *ps, const char *text, size_t len)
{
    char line[8192];
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        ps->line++;
        if (memchr(text + at, '\0', n))
            return model_fail(ps, "a NUL byte; a model file is text");
        if (n >= sizeof line)
            return model_fail(ps, "a line longer than %zu bytes; split it", sizeof line - 1);
        memcpy(line, text + at, n);
        line[n] = '\0';
        if (one_line(ps, line) != BF_OK)
            return BF_ERROR;
        at += n + 1;
    }
    if (end_section(ps) != BF_OK)
        return BF_ERROR;
    ps->line = 0;
    return model_finish(ps);
}

int model_parse(const char *path, const char *name, const char *text, size_t len, model **out,
                char *err, size_t errlen)
{
    *out = NULL;
    model_parser ps = {.path = path, .name = name, .err = err, .errlen = errlen};
    ps.m = calloc(1, sizeof *ps.m);
    if (!ps.m) {
        snprintf(err, errlen, "out of memory");
        return BF_ERROR;
    }
    ps.m->desc.thread_safe = 1;
    int rc = (ps.m->path = model_keep(&ps, path, strlen(path))) ? BF_OK
                                                                : model_fail(&ps, "out of memory");
    if (rc == BF_OK)
        rc = parse_text(&ps, text, len);
    free(ps.buf);
    if (rc != BF_OK) {
        model_free(ps.m);
        return BF_ERROR;
    }
    *out = ps.m;
    return BF_OK;
}

int model_read(const char *path, const char *name, model **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return BF_ERROR;
    }
    char *text = malloc(MODEL_FILE_MAX + 1);
    size_t len = text ? fread(text, 1, MODEL_FILE_MAX + 1, f) : 0;
    int bad = !text || ferror(f);
    fclose(f);
    int rc = BF_ERROR;
    if (bad)
        snprintf(err, errlen, "%s: cannot read", path);
    else if (len > MODEL_FILE_MAX)
        snprintf(err, errlen, "%s: larger than %d bytes; a model is one processor's SQL", path,
                 MODEL_FILE_MAX);
    else
        rc = model_parse(path, name, text, len, out, err, errlen);
    if (rc == BF_OK)
        (*out)->file_hash = hash_bytes(HASH_SEED, text, len);
    free(text);
    return rc;
}
