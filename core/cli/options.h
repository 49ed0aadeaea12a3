/* options.h - every command and every option of the command line in two
 * tables: which option applies to which command, its value and its line of
 * help. The parser, each command's --help, `backfill help --options` (what
 * the bash completion offers) and the test that holds the man pages to it
 * all read these tables, so none of them can name an option the others
 * do not. */
#ifndef BF_OPTIONS_H
#define BF_OPTIONS_H

#include <stdio.h>

#include "cli/cli.h"

/* The commands, as bits: an option lists those it applies to. */
enum cli_command_bit {
    CMD_GLOBAL = 1u << 0, /* before the command (and after it, for a few) */
    CMD_LIST = 1u << 1,
    CMD_RUN = 1u << 2,
    CMD_VERIFY = 1u << 3,
    CMD_STATUS = 1u << 4,
    CMD_PIPELINE = 1u << 5,
    CMD_GAPS = 1u << 6,
    CMD_NEW = 1u << 7,
    CMD_HELP = 1u << 8,
    CMD_PS = 1u << 9,
    CMD_WATCH = 1u << 10,
    CMD_SIGNOFF = 1u << 11,
};

/* The commands taking DATES: settled (relative dates resolved) before
 * they run. */
#define CLI_DATED (CMD_RUN | CMD_VERIFY | CMD_PIPELINE | CMD_GAPS | CMD_SIGNOFF)

typedef struct cli_command {
    const char *name;
    unsigned bit;
    int (*run)(const cli_options *o, const bf_config *cfg); /* NULL: needs no config */
    const char *args;                                       /* after the name in the usage line */
    const char *summary;                                    /* one line, for the global help */
    const char *about;                                      /* the paragraph under the usage line */
} cli_command;

typedef struct cli_option {
    const char *name;  /* the long name, without "--" */
    char short_name;   /* 0: none */
    const char *value; /* what it takes ("N", "FILE"), NULL: a flag */
    unsigned commands; /* enum cli_command_bit */
    const char *help;  /* one line */
} cli_option;

extern const cli_command cli_commands[];
extern const size_t cli_ncommands;
extern const cli_option cli_option_table[];
extern const size_t cli_noptions;

/* The command named name, or NULL. */
const cli_command *cli_find_command(const char *name);

/* Parse argv (argv[0] is the command's name) into o. Returns 0; 1 when
 * --help was asked and printed; or EXIT_USAGE after one error line (an
 * unknown option names the nearest known one). */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_options *o);

/* The options before the command (--config, -v, ...) into o; *command is
 * the index of the command's name in argv (argc if none). Returns as
 * cli_parse. */
int cli_parse_global(int argc, char **argv, cli_options *o, int *command);

/* "unknown command", with the nearest known one. Returns EXIT_USAGE. */
int cli_unknown_command(const char *name);

#endif
