/* common.c - what every command takes from its options: the invocation the
 * reports name, the dates asked for, and where a command narrates what it
 * does (cli.h). */
#include "cli/cli.h"

invocation cli_invocation(const cli_options *o)
{
    return (invocation){o->program, o->config_path, o->command_line};
}

date_args cli_dates(const cli_options *o)
{
    return (date_args){o->start_date, o->end_date, o->dates, o->dates_file};
}

FILE *cli_narration(const cli_options *o)
{
    static FILE *nowhere;
    if (!o->quiet)
        return o->json ? stderr : stdout;
    if (!nowhere)
        nowhere = fopen("/dev/null", "w");
    return nowhere ? nowhere : o->json ? stderr : stdout;
}
