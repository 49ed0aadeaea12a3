/* fuzz_config.c - config_load on a file holding the input. */
#include "engine/settings.h"
#include "config/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("backfill.conf", data, size);
    bf_config cfg;
    char err[1024];
    if (path && settings_load(path, &cfg, err, sizeof err) == 0)
        settings_free(&cfg);
    return 0;
}
