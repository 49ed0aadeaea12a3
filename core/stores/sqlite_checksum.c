/* sqlite_checksum.c - bf_checksum(col, ...): the aggregate the core
 * registers on every SQLite connection it opens. Each row's values (type
 * and bytes, in argument order) hash to 64 bits (FNV-1a); the aggregate is
 * their sum modulo 2^64, so it does not depend on the order rows are read
 * in, and a repeated row counts twice instead of cancelling out. */
#include <sqlite3.h>
#include <string.h>

#include "base/hash.h"
#include "stores/sqlite_store.h"

static uint64_t value_hash(uint64_t h, sqlite3_value *v)
{
    int type = sqlite3_value_type(v);
    unsigned char tag = (unsigned char)type;
    h = hash_bytes(h, &tag, 1);
    switch (type) {
    case SQLITE_INTEGER: {
        sqlite3_int64 i = sqlite3_value_int64(v);
        return hash_bytes(h, &i, sizeof i);
    }
    case SQLITE_FLOAT: {
        double d = sqlite3_value_double(v);
        return hash_bytes(h, &d, sizeof d);
    }
    case SQLITE_NULL: return h;
    default: {
        const void *b = type == SQLITE_BLOB ? sqlite3_value_blob(v) : sqlite3_value_text(v);
        int n = sqlite3_value_bytes(v);
        return b && n > 0 ? hash_bytes(h, b, (size_t)n) : h;
    }
    }
}

static void checksum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    uint64_t *sum = sqlite3_aggregate_context(ctx, sizeof *sum);
    if (!sum) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    uint64_t h = HASH_SEED;
    for (int i = 0; i < argc; i++)
        h = value_hash(h, argv[i]);
    *sum += h;
}

static void checksum_final(sqlite3_context *ctx)
{
    uint64_t *sum = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, (sqlite3_int64)(sum ? *sum : 0));
}

int sqlite_register_checksum(sqlite3 *db)
{
    return sqlite3_create_function_v2(db, "bf_checksum", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                      NULL, NULL, checksum_step, checksum_final, NULL);
}
