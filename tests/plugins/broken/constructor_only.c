/* constructor_only - a shared object that is no processor but runs code as
 * soon as it is loaded: its constructor creates the file named by
 * $BACKFILL_TEST_MARKER. The loader must refuse it without loading it. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor)) static void mark_loaded(void)
{
    const char *path = getenv("BACKFILL_TEST_MARKER");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f)
        fclose(f);
}

int not_a_processor(void);
int not_a_processor(void)
{
    return 0;
}
