/* list.c - the `list` command: every processor in plugin_dir, loaded and
 * checked exactly as `run` would. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "loader.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_plugin_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 3 && strcmp(d->d_name + n - 3, ".so") == 0;
}

int cmd_list(const cli_options *o, const bf_config *cfg)
{
    (void)o;
    char err[1024];
    if (loader_check_dir(cfg->plugin_dir, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    struct dirent **names = NULL;
    int n = scandir(cfg->plugin_dir, &names, is_plugin_file, by_name);
    if (n < 0) {
        fprintf(stderr, "backfill: plugin_dir %s: cannot read: %m\n", cfg->plugin_dir);
        return EXIT_USAGE;
    }
    int broken = 0;
    for (int i = 0; i < n; i++) {
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strlen(names[i]->d_name) - 3, names[i]->d_name);
        free(names[i]);
        plugin p;
        if (loader_load(cfg->plugin_dir, name, &p, err, sizeof err) != BF_OK) {
            fprintf(stderr, "backfill: %s\n", err);
            broken++;
            continue;
        }
        printf("%-32s -> %s  %s\n", name, p.desc->output_table,
               p.desc->description ? p.desc->description : "");
        for (size_t k = 0; k < p.ndeps; k++)
            printf("    %s %s.%s\n", p.deps[k].requirement == BF_REQUIRED ? "requires" : "optional",
                   p.deps[k].table, p.deps[k].date_column);
        loader_unload(&p);
    }
    free(names);
    if (n == 0)
        printf("no processors in %s\n", cfg->plugin_dir);
    return broken ? EXIT_USAGE : EXIT_DONE;
}
