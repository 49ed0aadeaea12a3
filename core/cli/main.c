/* main.c - global options, then one command of the table in options.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/settings.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "plugin/loader.h"
#include "base/heap.h"
#include "base/log.h"
#include "stores/store.h"

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = calloc(1, len);
    for (int i = 0; s && i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* The config the command reads, its store set up around the command; a
 * command taking DATES has them settled first (reldates.c). */
static int run_with_config(const cli_command *cmd, cli_options *o)
{
    const char *path = o->config_path ? o->config_path : getenv("BACKFILL_CONFIG");
    if (!path || !*path)
        path = CONFIG_DEFAULT_PATH;
    bf_config cfg;
    char err[1024];
    if (settings_load(path, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    if (store_init(cfg.store_conf, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        settings_free(&cfg);
        return EXIT_USAGE;
    }
    int rc = (cmd->bit & CLI_DATED) && !o->check_file
                 ? cli_dates_settle(o, &cfg, !(cmd->bit & CMD_GAPS))
                 : 0;
    rc = rc ? rc : cmd->run(o, &cfg);
    store_shutdown(cfg.store_conf);
    settings_free(&cfg);
    return rc;
}

/* Parse and run one command line; returns the exit code. */
static int dispatch(int argc, char **argv, cli_options *o)
{
    int at, rc = cli_parse_global(argc, argv, o, &at);
    if (rc != 0)
        return rc == 1 ? EXIT_DONE : rc;
    if (o->version) {
        printf("backfill %s\n", BF_VERSION);
        return EXIT_DONE;
    }
    loader_allow_insecure(o->allow_insecure_plugins);
    if (at >= argc) {
        fprintf(stderr, "backfill: no command given (try: backfill --help)\n");
        return EXIT_USAGE;
    }
    const cli_command *cmd = cli_find_command(argv[at]);
    if (!cmd)
        return cli_unknown_command(argv[at]);
    rc = cli_parse(cmd, argc - at, argv + at, o);
    if (rc != 0)
        return rc == 1 ? EXIT_DONE : rc;
    /* Scaffolding and help read no config. */
    if (cmd->bit & (CMD_NEW | CMD_HELP))
        return cmd->run(o, NULL);
    return run_with_config(cmd, o);
}

int main(int argc, char **argv)
{
    heap_tune();
    /* Joined before getopt permutes argv, for the checkpoint's record. */
    cli_options o = {.workers = -1,
                     .retries = -1,
                     .max_failure_rate = -1,
                     .program = argv[0],
                     .command_line = join_args(argc, argv)};
    int rc = dispatch(argc, argv, &o);
    free(o.command_line);
    free(o.dates_buf);
    return rc;
}
