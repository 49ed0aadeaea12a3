/* test_checkpoint.c - round trip, atomic replacement, resume, corruption. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/plan.h"
#include "state/checkpoint.h"
#include "config/config.h"
#include "unit.h"

static bf_day day(const char *s)
{
    char why[64];
    bf_day d = 0;
    date_parse(s, &d, why, sizeof why);
    return d;
}

static date_entry entry(const char *date, int status, int64_t expected, int64_t actual)
{
    date_entry e = {.day = day(date),
                    .status = status,
                    .expected = expected,
                    .actual = actual,
                    .validation_passed = status == STATE_COMPLETE,
                    .attempts = 2,
                    .duration_ms = 12.5};
    snprintf(e.date, sizeof e.date, "%s", date);
    return e;
}

static int files_in(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static int has_file_containing(const char *dir, const char *part)
{
    int found = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        found |= strstr(e->d_name, part) != NULL;
    if (d)
        closedir(d);
    return found;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* As if the judge had found every date of pl in state. */
static void judged(plan *pl, int state)
{
    for (size_t i = 0; i < pl->n; i++)
        pl->dates[i].verdict = state;
}

/* The cases run in order over one state dir, each from what the one
 * before it left. */
static char base[] = "/tmp/bf-unit-checkpoint.XXXXXX", dir[160], file[200];
static checkpoint cp;

/* 2024-01-01..05 as calendar days, and as a range. */
static date_selection five_days(date_list *cal)
{
    memset(cal, 0, sizeof *cal);
    for (int i = 0; i < 5; i++)
        date_list_push(cal, day("2024-01-01") + i);
    return (date_selection){.is_range = 1, .first = day("2024-01-01"), .last = day("2024-01-05")};
}

/* The first 10 characters of each date's line in the file, and the number
 * of lines. */
static size_t saved_lines(char *firsts, size_t size)
{
    firsts[0] = '\0';
    FILE *in = fopen(file, "r");
    size_t nlines = 0;
    for (char line[1024]; in && fgets(line, sizeof line, in); nlines++)
        if (line[0] == '"' && strlen(firsts) + 12 < size)
            snprintf(firsts + strlen(firsts), 12, "%.10s ", line + 1);
    if (in)
        fclose(in);
    return nlines;
}

static const char *status_of(const checkpoint *c, const char *date)
{
    return json_string_value(
        json_object_get(json_object_get(json_object_get(c->root, "dates"), date), "status"));
}

UNIT_CASE(mkdirs)
{
    CHECK("temp dir", mkdtemp(base) != NULL);
    snprintf(dir, sizeof dir, "%s/a/b/state", base);
    snprintf(file, sizeof file, "%s/proc.json", dir);
    CHECK("mkdirs creates nested directories", checkpoint_mkdirs(dir) == 0);
    CHECK("mkdirs is idempotent", checkpoint_mkdirs(dir) == 0);
}

UNIT_CASE(save)
{
    char err[512];
    CHECK("a new checkpoint opens", checkpoint_open(&cp, dir, "proc", err, sizeof err) == 0);
    date_entry es[] = {
        entry("2024-01-01", STATE_COMPLETE, 16, 16), entry("2024-01-02", STATE_PARTIAL, 16, 2),
        entry("2024-01-03", STATE_BLOCKED, 0, 0),    entry("2024-01-04", STATE_SKIPPED, 0, 0),
        entry("2024-01-05", STATE_COMPLETE, 0, 0),   entry("2023-12-01", STATE_COMPLETE, 4, 4)};
    plan_set_error(&es[1], "incomplete: 2 of 16 expected rows");
    for (size_t i = 0; i < sizeof es / sizeof es[0]; i++)
        checkpoint_record(&cp, &es[i]);
    checkpoint_set_run(&cp, "skip_preflight", json_true());
    CHECK("save", checkpoint_save(&cp, err, sizeof err) == 0);
    CHECK("one file, no temp file left", files_in(dir) == 1);
    CHECK("no *.tmp.* file", !has_file_containing(dir, ".tmp."));
    CHECK("named after the processor", access(file, R_OK) == 0);
    CHECK_STR("path", file, cp.path);
    char firsts[128];
    CHECK("one line per date, plus the first and the last",
          saved_lines(firsts, sizeof firsts) == 6 + 2);
    CHECK_STR("the dates' lines in date order",
              "2023-12-01 2024-01-01 2024-01-02 2024-01-03 2024-01-04 2024-01-05 ", firsts);
    /* A date recorded again after a save: the next save has its new line. */
    es[1].status = STATE_COMPLETE;
    es[1].actual = 16;
    checkpoint_record(&cp, &es[1]);
    CHECK("saved again", checkpoint_save(&cp, err, sizeof err) == 0);
    checkpoint saved;
    CHECK_STR("the re-recorded date's new line is saved", "complete",
              checkpoint_open(&saved, dir, "proc", err, sizeof err) == 0
                  ? status_of(&saved, "2024-01-02")
                  : err);
    checkpoint_close(&saved);
    es[1].status = STATE_PARTIAL;
    es[1].actual = 2;
    checkpoint_record(&cp, &es[1]);
    CHECK("and back", checkpoint_save(&cp, err, sizeof err) == 0);
    checkpoint_close(&cp);
    free(es[1].error);
}

/* Leaves cp open for the resume cases. */
UNIT_CASE(reopen)
{
    char err[512];
    CHECK("reopen", checkpoint_open(&cp, dir, "proc", err, sizeof err) == 0);
    CHECK_STR("processor recorded", "proc",
              json_string_value(json_object_get(cp.root, "processor")));
    CHECK("every recorded date is there", json_object_size(json_object_get(cp.root, "dates")) == 6);
    json_t *done = json_object_get(json_object_get(cp.root, "dates"), "2024-01-01");
    CHECK("a complete date without error has error null",
          json_is_null(json_object_get(done, "error")) &&
              json_is_true(json_object_get(done, "validation_passed")) &&
              json_real_value(json_object_get(done, "completeness")) == 1.0);
    json_t *empty = json_object_get(json_object_get(cp.root, "dates"), "2024-01-05");
    CHECK("an empty date is 1.0 complete",
          json_real_value(json_object_get(empty, "completeness")) == 1.0);
    CHECK_STR("statuses by name", "blocked", status_of(&cp, "2024-01-03"));
    CHECK_STR("skipped by name", "skipped", status_of(&cp, "2024-01-04"));
    json_t *rec = json_object_get(json_object_get(cp.root, "dates"), "2024-01-02");
    CHECK_STR("status kept", "partial", json_string_value(json_object_get(rec, "status")));
    CHECK("figures kept", json_integer_value(json_object_get(rec, "expected")) == 16 &&
                              json_integer_value(json_object_get(rec, "actual")) == 2 &&
                              json_real_value(json_object_get(rec, "completeness")) == 0.125 &&
                              json_is_false(json_object_get(rec, "validation_passed")) &&
                              json_integer_value(json_object_get(rec, "attempts")) == 2 &&
                              json_real_value(json_object_get(rec, "duration_ms")) == 12.5);
    CHECK_STR("error kept", "incomplete: 2 of 16 expected rows",
              json_string_value(json_object_get(rec, "error")));
    CHECK("run metadata kept",
          json_is_true(json_object_get(json_object_get(cp.root, "run"), "skip_preflight")));
}

/* Resume over 2024-01-01..05: only the complete dates are taken. */
UNIT_CASE(resume)
{
    date_list cal;
    date_selection range = five_days(&cal);
    plan pl;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    CHECK("nothing is resumed before the judge agrees", plan_resume(&pl, &cp, 0, 0) == 0);
    judged(&pl, STATE_COMPLETE);
    CHECK("resume takes the 2 complete dates", plan_resume(&pl, &cp, 0, 0) == 2);
    CHECK("complete date resumed with its figures",
          pl.dates[0].status == STATE_COMPLETE && pl.dates[0].resumed &&
              pl.dates[0].expected == 16 && pl.dates[0].actual == 16 && pl.dates[0].attempts == 2 &&
              pl.dates[0].duration_ms == 12.5 && pl.dates[0].validation_passed);
    CHECK("incomplete date runs again",
          pl.dates[1].status == STATE_PENDING && !pl.dates[1].resumed);
    CHECK("a date run again keeps no old figures",
          pl.dates[1].expected == 0 && pl.dates[1].actual == 0 && pl.dates[1].attempts == 0 &&
              pl.dates[1].error == NULL);
    CHECK("skipped in the checkpoint is pending in a plan without bootstrap",
          pl.dates[3].status == STATE_PENDING && !pl.dates[3].resumed);
    CHECK("blocked date is checked again", pl.dates[2].status == STATE_PENDING);
    CHECK("an empty complete date resumes too",
          pl.dates[4].status == STATE_COMPLETE && pl.dates[4].resumed);
    plan_free(&pl);

    /* A plan whose bootstrap covers a complete date keeps it skipped. */
    season se = {day("2024-01-01"), day("2024-06-30")};
    plan_build(&pl, &cal, &range, &se, 1, 1);
    judged(&pl, STATE_COMPLETE);
    CHECK("a bootstrap day is not resumed", plan_resume(&pl, &cp, 0, 0) == 1 &&
                                                pl.dates[0].status == STATE_SKIPPED &&
                                                !pl.dates[0].resumed);
    plan_free(&pl);
    date_list_free(&cal);
}

UNIT_CASE(resume_list)
{
    date_list cal;
    five_days(&cal);
    date_selection pick = {0};
    date_list_push(&pick.list, day("2024-01-02"));
    date_list_push(&pick.list, day("2024-01-05"));
    pick.first = pick.list.days[0];
    pick.last = pick.list.days[1];
    plan pl;
    plan_build(&pl, &cal, &pick, NULL, 0, 0);
    judged(&pl, STATE_COMPLETE);
    CHECK("a list plan resumes its one complete date",
          plan_resume(&pl, &cp, 0, 0) == 1 && pl.dates[1].resumed && !pl.dates[0].resumed);
    plan_free(&pl);
    date_list_free(&pick.list);
    date_list_free(&cal);
}

/* The judge's verdict decides: stale is redone unless kept, partial (rows
 * changed since published) always. */
UNIT_CASE(resume_verdict)
{
    date_list cal;
    date_selection range = five_days(&cal);
    plan pl;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    judged(&pl, STATE_STALE);
    CHECK("stale dates are not resumed", plan_resume(&pl, &cp, 0, 0) == 0);
    CHECK("stale dates are kept with --no-stale", plan_resume(&pl, &cp, 1, 0) == 2);
    plan_free(&pl);
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    judged(&pl, STATE_OUTDATED);
    CHECK("outdated dates are not resumed", plan_resume(&pl, &cp, 1, 0) == 0);
    CHECK("outdated dates are kept with --keep-outdated", plan_resume(&pl, &cp, 0, 1) == 2);
    plan_free(&pl);
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    judged(&pl, STATE_PARTIAL);
    CHECK("changed dates are never resumed", plan_resume(&pl, &cp, 1, 1) == 0);
    plan_free(&pl);
    date_list_free(&cal);
}

/* Closes cp. */
UNIT_CASE(rerun_keeps_others)
{
    char err[512];
    date_entry again = entry("2024-01-02", STATE_COMPLETE, 16, 16);
    checkpoint_record(&cp, &again);
    checkpoint_save(&cp, err, sizeof err);
    checkpoint_close(&cp);
    checkpoint_open(&cp, dir, "proc", err, sizeof err);
    json_t *dates = json_object_get(cp.root, "dates");
    CHECK("a date outside the run is kept", json_object_get(dates, "2023-12-01") != NULL);
    CHECK_STR("a re-run date is replaced", "complete", status_of(&cp, "2024-01-02"));
    CHECK("dates recorded once each", json_object_size(dates) == 6);
    checkpoint_close(&cp);
}

static void write_file(const char *text)
{
    FILE *f = fopen(file, "w");
    fputs(text, f);
    fclose(f);
}

UNIT_CASE(corrupt)
{
    char err[512], want[600];
    write_file("{not json");
    CHECK("corrupt file refused", checkpoint_open(&cp, dir, "proc", err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s:1: corrupt checkpoint", file);
    CHECK("message names the file", strncmp(err, want, strlen(want)) == 0);
    write_file("{\"processor\": \"proc\", \"version\": 1, \"run\": {}}");
    CHECK("a checkpoint without dates refused",
          checkpoint_open(&cp, dir, "proc", err, sizeof err) == -1);
    CHECK("it says what is missing", strstr(err, "no \"dates\" object") != NULL);
    write_file("{\"processor\": \"proc\", \"version\": 1, \"dates\": {}}");
    CHECK("a checkpoint without run refused",
          checkpoint_open(&cp, dir, "proc", err, sizeof err) == -1);
    snprintf(want, sizeof want,
             "%s:1: corrupt checkpoint: no \"run\" object (move it aside and run with --no-resume)",
             file);
    CHECK_STR("the part, the file and the fix named", want, err);
    snprintf(want, sizeof want, "%s:1: corrupt checkpoint", file);
    write_file("");
    CHECK("an empty file refused", checkpoint_open(&cp, dir, "proc", err, sizeof err) == -1);
    CHECK("an empty file named", strncmp(err, want, strlen(want)) == 0);
    write_file("{\"dates\": []}");
    CHECK("dates not an object refused", checkpoint_open(&cp, dir, "proc", err, sizeof err) == -1);
    write_file("{\"dates\": {}}\n{\n");
    CHECK("trailing text refused", checkpoint_open(&cp, dir, "proc", err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s:2: corrupt checkpoint", file);
    CHECK("the line of the fault", strncmp(err, want, strlen(want)) == 0);
    CHECK("a refused file is left as it was", file_size(file) == 16);
}

/* A checkpoint written before the states had one vocabulary: its
 * "incomplete" is read as partial, "pending" as pending, and such a date is
 * run again, not resumed. */
UNIT_CASE(old_status_names)
{
    char err[512];
    write_file("{\"processor\": \"proc\", \"version\": 1, \"run\": {}, \"dates\": {"
               "\"2024-01-01\": {\"status\": \"complete\", \"expected\": 4, \"actual\": 4},"
               "\"2024-01-02\": {\"status\": \"incomplete\", \"expected\": 16, \"actual\": 2},"
               "\"2024-01-03\": {\"status\": \"pending\"},"
               "\"2024-01-04\": {\"status\": \"failed\", \"error\": \"x\"}}}");
    CHECK("an old checkpoint opens", checkpoint_open(&cp, dir, "proc", err, sizeof err) == 0);
    CHECK("\"incomplete\" is partial",
          date_state_parse(status_of(&cp, "2024-01-02")) == STATE_PARTIAL);
    CHECK("\"pending\" is pending",
          date_state_parse(status_of(&cp, "2024-01-03")) == STATE_PENDING);
    CHECK("\"failed\" is failed", date_state_parse(status_of(&cp, "2024-01-04")) == STATE_FAILED);
    date_list cal;
    date_selection range = five_days(&cal);
    plan pl;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    judged(&pl, STATE_COMPLETE);
    CHECK("only its complete date resumes", plan_resume(&pl, &cp, 0, 0) == 1 &&
                                                pl.dates[0].resumed &&
                                                pl.dates[1].status == STATE_PENDING);
    plan_free(&pl);
    date_list_free(&cal);
    checkpoint_close(&cp);
}

/* A state dir that does not exist: open starts fresh, save fails with the
 * temp path and leaves nothing. Removes the state dir after. */
UNIT_CASE(missing_state_dir)
{
    char gone[200], err[512], want[600];
    snprintf(gone, sizeof gone, "%s/absent", base);
    CHECK("open in a missing dir", checkpoint_open(&cp, gone, "proc", err, sizeof err) == 0);
    CHECK("save there fails", checkpoint_save(&cp, err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s/proc.json: could not be saved (create of %s/proc.json.tmp.",
             gone, gone);
    CHECK("the error names the file and its temp file",
          strncmp(err, want, strlen(want)) == 0 &&
              strstr(err, "No such file or directory); the previous file is kept") != NULL);
    checkpoint_close(&cp);
    CHECK("nothing created", access(gone, F_OK) != 0);

    unlink(file);
    char sub[200];
    rmdir(dir);
    snprintf(sub, sizeof sub, "%s/a/b", base);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/a", base);
    rmdir(sub);
    rmdir(base);
}

UNIT_CASE(mkdirs_over_a_file)
{
    char plain_dir[] = "/tmp/bf-unit-mkdirs.XXXXXX", plain[128];
    CHECK("temp dir for mkdirs", mkdtemp(plain_dir) != NULL);
    snprintf(plain, sizeof plain, "%s/plain", plain_dir);
    fclose(fopen(plain, "w"));
    CHECK("mkdirs refuses a path that is a regular file", checkpoint_mkdirs(plain) == -1);
    unlink(plain);
    rmdir(plain_dir);
}

UNIT_MAIN(66, UNIT(mkdirs), UNIT(save), UNIT(reopen), UNIT(resume), UNIT(resume_list),
          UNIT(resume_verdict), UNIT(rerun_keeps_others), UNIT(corrupt), UNIT(old_status_names),
          UNIT(missing_state_dir), UNIT(mkdirs_over_a_file))
