/* demo_gen.c - a reproducible NBA warehouse for the demo and the tests.
 *
 *   demo_gen --db FILE [--seed N] [--start D] [--end D] [--teams N]
 *       creates the raw tables of a new warehouse: schedule, the two
 *       box-score feeds (player_boxscores, team_boxscores) and player_props.
 *   demo_gen --db FILE --incident a
 *       leaves a fully backfilled Phase 3 as the operators found it on
 *       2026-01-05: team_defense_game_summary 776/848,
 *       upcoming_player_game_context 446/848 and upcoming_team_game_context
 *       496/848 expected dates.
 *   demo_gen --db FILE --incident b [--seed N]
 *       the team box-score feed is late: on 12 dates with 8 games only the
 *       first game's two team rows have arrived; the rest wait in
 *       late_team_boxscores. The player feed is whole, which is how the
 *       operators came to hold every player's row but only 2 of 16 team
 *       rows, and so NULL usage rates.
 *   demo_gen --db FILE --deliver-late
 *       the feed catches up: late rows move into team_boxscores.
 *
 * Everything derives from the seed through one PRNG, so the same arguments
 * always produce byte-identical tables. */
#include <getopt.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/dates.h"
#include "demo_gen.h"

#define MAX_TEAMS     30
#define ROSTER        15
#define DRESSED       13
#define REGULAR_GAMES 82

static const char *const team_codes[MAX_TEAMS] = {
    "ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW",
    "HOU", "IND", "LAC", "LAL", "MEM", "MIA", "MIL", "MIN", "NOP", "NYK",
    "OKC", "ORL", "PHI", "PHX", "POR", "SAC", "SAS", "TOR", "UTA", "WAS"};

static const char *const first_names[] = {
    "James",   "Luka",  "Jayson", "Nikola", "Devin", "Jalen",   "Tyrese", "Anthony",
    "Donovan", "Jaren", "Bam",    "Darius", "Mikal", "Scottie", "Franz",  "Paolo"};
static const char *const last_names[] = {
    "Walker", "Brooks", "Hayes",   "Porter", "Reed",    "Coleman", "Grant", "Mitchell", "Young",
    "Green",  "Allen",  "Bridges", "Murray", "Holiday", "Wagner",  "Banks", "Turner"};

/* Opening night, last regular-season day, first play-in day, last Finals
 * day: the real dates of each season. */
static const struct {
    const char *open, *regular_end, *playoffs, *finals_end;
} seasons[] = {
    {"2021-10-19", "2022-04-10", "2022-04-12", "2022-06-16"},
    {"2022-10-18", "2023-04-09", "2023-04-11", "2023-06-12"},
    {"2023-10-24", "2024-04-14", "2024-04-16", "2024-06-17"},
    {"2024-10-22", "2025-04-13", "2025-04-15", "2025-06-22"},
    {"2025-10-21", "2026-04-12", "2026-04-14", "2026-06-21"},
};
#define NSEASONS (int)(sizeof seasons / sizeof seasons[0])

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}
int rng_int(int n)
{
    return (int)(rng_unit() * n);
}
static double rng_between(double lo, double hi)
{
    return lo + (hi - lo) * rng_unit();
}
static int binomial(int n, double p)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += rng_unit() < p;
    return k;
}

bf_day day_of(const char *s)
{
    char why[64];
    bf_day d = 0;
    if (date_parse(s, &d, why, sizeof why) != 0) {
        fprintf(stderr, "demo_gen: bad built-in date %s\n", s);
        exit(2);
    }
    return d;
}

/* Day of the week, 0 = Monday (1970-01-01 was a Thursday). */
static int weekday(bf_day d)
{
    return ((d % 7) + 7 + 3) % 7;
}

/* Regular-season days without games: Thanksgiving, Christmas Eve and the
 * All-Star break (Thursday to Wednesday around the third Monday of
 * February). */
static int is_off_day(int season_year, bf_day d)
{
    bf_day nov1 = date_from_ymd(season_year, 11, 1);
    bf_day thanksgiving = nov1 + (3 - weekday(nov1) + 7) % 7 + 21;
    bf_day xmas_eve = date_from_ymd(season_year, 12, 24);
    bf_day feb1 = date_from_ymd(season_year + 1, 2, 1);
    bf_day presidents_day = feb1 + (7 - weekday(feb1)) % 7 + 14;
    return d == thanksgiving || d == xmas_eve ||
           (d >= presidents_day - 4 && d <= presidents_day + 2);
}

/* Playoff days, counted from the first play-in day: play-in 0-3, a day
 * off, the first two rounds daily to day 29, then every other day. */
static int is_playoff_game_day(int i)
{
    return i <= 3 || (i >= 5 && i <= 29) || (i > 29 && (i - 29) % 2 == 0);
}

typedef struct player {
    int id;
    char name[40];
    double shot_rate, fg_skill, three_share, ft_rate, minutes_weight;
} player;

typedef struct league {
    int nteams;
    player roster[MAX_TEAMS][ROSTER];
} league;

typedef struct writer {
    sqlite3 *db;
    sqlite3_stmt *game, *box, *team, *prop;
    bf_day first, last;
    long games, rows, props;
    date_list days;
} writer;

static void new_rosters(league *lg, int season_year)
{
    for (int t = 0; t < lg->nteams; t++)
        for (int s = 0; s < ROSTER; s++) {
            player *p = &lg->roster[t][s];
            p->id = season_year * 1000 + t * 20 + s;
            snprintf(p->name, sizeof p->name, "%s %s",
                     first_names[rng_int(sizeof first_names / sizeof first_names[0])],
                     last_names[rng_int(sizeof last_names / sizeof last_names[0])]);
            p->shot_rate = rng_between(0.25, 0.55);
            p->fg_skill = rng_between(0.9, 1.1);
            p->three_share = rng_between(0.15, 0.5);
            p->ft_rate = rng_between(0.05, 0.2);
            /* Starters first, then the bench, then the end of the roster. */
            p->minutes_weight = s < 5 ? rng_between(32, 37) : s < 10 ? rng_between(10, 24) : 0;
        }
}

int step(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "demo_gen: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* The columns both feeds share, in table order: points to pf. */
#define BOX_TOTALS 14

/* One team's box score: 13 dressed players, minutes summing to 240, and
 * the team's line in the team feed, their totals. Both feeds' rows start
 * with the same six columns, bound once (a reset keeps bindings). */
static int write_team_game(writer *w, const league *lg, const char *game_id, const char *date,
                           int season_year, int team, int opponent, int home)
{
    long totals[BOX_TOTALS] = {0};
    double team_minutes = 0;
    sqlite3_stmt *feeds[2] = {w->box, w->team};
    for (int f = 0; f < 2; f++) {
        sqlite3_bind_text(feeds[f], 1, game_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(feeds[f], 2, date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(feeds[f], 3, season_year);
        sqlite3_bind_text(feeds[f], 4, team_codes[team], -1, SQLITE_STATIC);
        sqlite3_bind_text(feeds[f], 5, team_codes[opponent], -1, SQLITE_STATIC);
        sqlite3_bind_int(feeds[f], 6, home);
    }
    const int sitting[2] = {rng_int(ROSTER), rng_int(ROSTER)};
    double total_weight = 0, weight[ROSTER];
    for (int s = 0; s < ROSTER; s++) {
        weight[s] = lg->roster[team][s].minutes_weight * rng_between(0.85, 1.15);
        if (s == sitting[0] || s == sitting[1])
            weight[s] = 0;
        total_weight += weight[s];
    }
    int dressed = 0;
    for (int s = 0; s < ROSTER && dressed < DRESSED; s++) {
        if ((s == sitting[0] || s == sitting[1]) && dressed + (ROSTER - s) > DRESSED)
            continue;
        dressed++;
        const player *p = &lg->roster[team][s];
        double minutes = total_weight > 0 ? round(240.0 * weight[s] / total_weight * 10) / 10 : 0;
        int fga = (int)lround(minutes * p->shot_rate * rng_between(0.7, 1.3));
        int three_fga = (int)lround(fga * p->three_share * rng_between(0.8, 1.2));
        if (three_fga > fga)
            three_fga = fga;
        int mid_fga = (int)lround((fga - three_fga) * rng_between(0.2, 0.45));
        int paint_fga = fga - three_fga - mid_fga;
        int paint_fgm = binomial(paint_fga, 0.58 * p->fg_skill);
        int mid_fgm = binomial(mid_fga, 0.41 * p->fg_skill);
        int three_fgm = binomial(three_fga, 0.35 * p->fg_skill);
        int fta = (int)lround(minutes * p->ft_rate * rng_between(0.5, 1.5));
        int ftm = binomial(fta, 0.78);
        int fgm = paint_fgm + mid_fgm + three_fgm;
        int points = 2 * (paint_fgm + mid_fgm) + 3 * three_fgm + ftm;
        /* One statement each: the order of the draws is part of the seed's
         * meaning, and an initializer list does not sequence them. */
        int oreb = binomial((int)minutes, 0.04);
        int dreb = binomial((int)minutes, 0.13);
        int ast = binomial((int)minutes, 0.09);
        int stl = binomial((int)minutes, 0.03);
        int blk = binomial((int)minutes, 0.02);
        int tov = binomial((int)minutes, 0.05);
        int pf = binomial((int)minutes, 0.07);
        const int stats[] = {points,    fgm,       fga,     three_fgm, three_fga, ftm,      fta,
                             oreb,      dreb,      ast,     stl,       blk,       tov,      pf,
                             paint_fga, paint_fgm, mid_fga, mid_fgm,   three_fga, three_fgm};
        sqlite3_stmt *st = w->box;
        sqlite3_bind_int(st, 7, p->id);
        sqlite3_bind_text(st, 8, p->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 9, minutes);
        for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++)
            sqlite3_bind_int(st, 10 + (int)k, stats[k]);
        if (step(w->db, st) != 0)
            return -1;
        w->rows++;
        for (int k = 0; k < BOX_TOTALS; k++)
            totals[k] += stats[k];
        team_minutes += minutes;
        if (s < 5) { /* prop lines for the starters */
            sqlite3_bind_text(w->prop, 1, date, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(w->prop, 2, game_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(w->prop, 3, p->id);
            sqlite3_bind_double(w->prop, 4,
                                floor(36 * p->shot_rate * 1.1 * rng_between(0.8, 1.2)) + 0.5);
            if (step(w->db, w->prop) != 0)
                return -1;
            w->props++;
        }
    }
    sqlite3_stmt *st = w->team;
    sqlite3_bind_double(st, 7, round(team_minutes * 10) / 10);
    for (int k = 0; k < BOX_TOTALS; k++)
        sqlite3_bind_int64(st, 8 + k, totals[k]);
    return step(w->db, st);
}

static int write_game(writer *w, const league *lg, int season_year, const char *type, bf_day d,
                      int home, int away)
{
    char date[DATE_LEN], game_id[40];
    date_format(d, date);
    snprintf(game_id, sizeof game_id, "%s-%s-%s", date, team_codes[away], team_codes[home]);
    if (d < w->first || d > w->last)
        return 0; /* played, but outside the requested range */
    sqlite3_bind_text(w->game, 1, game_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w->game, 2, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(w->game, 3, season_year);
    sqlite3_bind_text(w->game, 4, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(w->game, 5, team_codes[home], -1, SQLITE_STATIC);
    sqlite3_bind_text(w->game, 6, team_codes[away], -1, SQLITE_STATIC);
    if (step(w->db, w->game) != 0)
        return -1;
    w->games++;
    if (w->days.n == 0 || w->days.days[w->days.n - 1] != d)
        date_list_push(&w->days, d);
    if (write_team_game(w, lg, game_id, date, season_year, home, away, 1) != 0)
        return -1;
    return write_team_game(w, lg, game_id, date, season_year, away, home, 0);
}

/* Pair up to k games among teams, those with most games left first. */
static int regular_day(writer *w, const league *lg, int season_year, bf_day d, int k, int left[])
{
    int order[MAX_TEAMS], n = lg->nteams, used[MAX_TEAMS] = {0};
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = n - 1; i > 0; i--) { /* shuffle, then stable sort by games left */
        int j = rng_int(i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && left[order[j]] > left[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int g = 0, i = 0; g < k && i < n; i++) {
        int a = order[i];
        if (used[a] || left[a] == 0)
            continue;
        for (int j = i + 1; j < n; j++) {
            int b = order[j];
            if (used[b] || left[b] == 0)
                continue;
            used[a] = used[b] = 1;
            left[a]--;
            left[b]--;
            int home = rng_int(2);
            if (write_game(w, lg, season_year, "regular", d, home ? a : b, home ? b : a) != 0)
                return -1;
            g++;
            break;
        }
    }
    return 0;
}

static int write_season(writer *w, league *lg, int si)
{
    bf_day open = day_of(seasons[si].open), reg_end = day_of(seasons[si].regular_end);
    bf_day playoffs = day_of(seasons[si].playoffs), finals_end = day_of(seasons[si].finals_end);
    int year = atoi(seasons[si].open);
    new_rosters(lg, year);
    int left[MAX_TEAMS], ndays = 0;
    for (int t = 0; t < lg->nteams; t++)
        left[t] = REGULAR_GAMES;
    for (bf_day d = open; d <= reg_end; d++)
        ndays += !is_off_day(year, d);
    int total = lg->nteams * REGULAR_GAMES / 2, done_days = 0, scheduled = 0;
    for (bf_day d = open; d <= reg_end; d++) {
        if (is_off_day(year, d))
            continue;
        /* Spread the remaining games evenly over the remaining days. */
        int k = (total - scheduled) / (ndays - done_days);
        k += rng_unit() < (double)((total - scheduled) % (ndays - done_days)) / (ndays - done_days);
        if (k < 1)
            k = 1;
        if (regular_day(w, lg, year, d, k, left) != 0)
            return -1;
        scheduled += k;
        done_days++;
    }
    /* Playoffs: 16 teams (half a small league), halved every ~two weeks. */
    int alive[MAX_TEAMS], nalive = lg->nteams >= 16 ? 16 : lg->nteams / 2 * 2;
    for (int i = 0; i < lg->nteams; i++)
        alive[i] = i;
    for (int i = lg->nteams - 1; i > 0; i--) {
        int j = rng_int(i + 1), t = alive[i];
        alive[i] = alive[j];
        alive[j] = t;
    }
    for (bf_day d = playoffs; d <= finals_end; d++) {
        int i = d - playoffs;
        if (!is_playoff_game_day(i))
            continue;
        int teams = i <= 3 ? 4 : i < 20 ? nalive : i < 34 ? nalive / 2 : i < 46 ? nalive / 4 : 2;
        if (teams < 2)
            teams = 2;
        int games = teams / 4 > 0 ? teams / 4 : 1;
        for (int g = 0; g < games; g++) {
            int a = alive[(2 * g) % nalive], b = alive[(2 * g + 1) % nalive];
            if (write_game(w, lg, year, "playoffs", d, (i + g) % 2 ? a : b, (i + g) % 2 ? b : a))
                return -1;
        }
    }
    return 0;
}

static const char schema[] =
    "CREATE TABLE schedule (game_id TEXT PRIMARY KEY, game_date TEXT NOT NULL, season INTEGER,"
    " season_type TEXT, home_team TEXT, away_team TEXT);"
    "CREATE INDEX schedule_date ON schedule (game_date);"
    "CREATE TABLE player_boxscores (game_id TEXT, game_date TEXT NOT NULL, season INTEGER,"
    " team TEXT, opponent TEXT, home INTEGER, player_id INTEGER, player_name TEXT, minutes REAL,"
    " points INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER,"
    " fta INTEGER, oreb INTEGER, dreb INTEGER, ast INTEGER, stl INTEGER, blk INTEGER,"
    " tov INTEGER, pf INTEGER, paint_fga INTEGER, paint_fgm INTEGER, mid_fga INTEGER,"
    " mid_fgm INTEGER, three_fga INTEGER, three_fgm INTEGER);"
    "CREATE INDEX boxscores_date ON player_boxscores (game_date);"
    "CREATE INDEX boxscores_player ON player_boxscores (player_id, game_date);"
    "CREATE TABLE team_boxscores (game_id TEXT, game_date TEXT NOT NULL, season INTEGER,"
    " team TEXT, opponent TEXT, home INTEGER, minutes REAL, points INTEGER, fgm INTEGER,"
    " fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER, oreb INTEGER,"
    " dreb INTEGER, ast INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER);"
    "CREATE INDEX team_boxscores_date ON team_boxscores (game_date);"
    "CREATE INDEX team_boxscores_team ON team_boxscores (team, game_date);"
    "CREATE TABLE player_props (game_date TEXT NOT NULL, game_id TEXT, player_id INTEGER,"
    " market TEXT, line REAL);"
    "CREATE INDEX props_date ON player_props (game_date, player_id);";

int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK)
        return 0;
    fprintf(stderr, "demo_gen: %s\n", sqlite3_errmsg(db));
    return -1;
}

/* Is d one of the first BOOTSTRAP_DAYS days of a season? */
int is_bootstrap(bf_day d)
{
    for (int si = 0; si < NSEASONS; si++) {
        bf_day open = day_of(seasons[si].open);
        if (d >= open && d < open + BOOTSTRAP_DAYS)
            return 1;
    }
    return 0;
}

static int generate(sqlite3 *db, int nteams, bf_day first, bf_day last)
{
    writer w = {.db = db, .first = first, .last = last};
    static league lg;
    lg.nteams = nteams;
    int rc = -1;
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
        fprintf(stderr, "demo_gen: %s\n", sqlite3_errmsg(db));
    else if (prepare(db, "INSERT INTO schedule VALUES (?,?,?,?,?,?)", &w.game) == 0 &&
             prepare(db,
                     "INSERT INTO player_boxscores VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                     "?,?,?,?,?,?,?,?,?)",
                     &w.box) == 0 &&
             prepare(
                 db,
                 "INSERT INTO team_boxscores VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 &w.team) == 0 &&
             prepare(db, "INSERT INTO player_props VALUES (?,?,?,'points',?)", &w.prop) == 0)
        rc = 0;
    for (int si = 0; si < NSEASONS && rc == 0; si++)
        rc = write_season(&w, &lg, si);
    sqlite3_finalize(w.game);
    sqlite3_finalize(w.box);
    sqlite3_finalize(w.team);
    sqlite3_finalize(w.prop);
    int bootstrap = 0;
    for (size_t i = 0; i < w.days.n; i++)
        bootstrap += is_bootstrap(w.days.days[i]);
    if (rc == 0)
        printf("warehouse: %zu game dates (%d in the first %d days of a season), %ld games, "
               "%ld player-game rows, %ld prop lines\n",
               w.days.n, bootstrap, BOOTSTRAP_DAYS, w.games, w.rows, w.props);
    date_list_free(&w.days);
    return rc;
}

static const char usage[] =
    "usage: demo_gen --db FILE [--seed N] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--teams N]\n"
    "       demo_gen --db FILE --incident a|b [--seed N]\n"
    "       demo_gen --db FILE --deliver-late\n"
    "\n"
    "Without --incident or --deliver-late, creates a new warehouse (FILE must not hold one):\n"
    "schedule, player_boxscores, team_boxscores and player_props for --teams teams (an even\n"
    "number 2-30, default 30) from 2021-10-19 to 2026-01-03 unless --start/--end say otherwise.\n"
    "  --incident a    leave a backfilled Phase 3 as reported on 2026-01-05\n"
    "  --incident b    hold back the team box scores of all but one game on 12 dates with\n"
    "                  8 games; prints the dates\n"
    "  --deliver-late  deliver what --incident b held back\n"
    "The same --seed (default 42) gives the same warehouse and the same incident b dates.\n";

/* One line on stderr, exit status 2. */
static int usage_error(const char *fmt, const char *arg)
{
    fputs("demo_gen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see demo_gen --help)\n", stderr);
    return 2;
}

/* What the command line asks for. */
typedef struct args {
    const char *db_path, *start, *end, *incident, *generate_only;
    long seed, teams;
    int deliver;
} args;

/* Read argv into a. Returns 0, 1 after --help, or 2 after a usage line. */
static int parse_args(int argc, char **argv, args *a)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"start", required_argument, NULL, 'a'},
                                         {"end", required_argument, NULL, 'b'},
                                         {"teams", required_argument, NULL, 't'},
                                         {"incident", required_argument, NULL, 'i'},
                                         {"deliver-late", no_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    char *rest;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db_path = optarg; break;
        case 'a': a->start = optarg, a->generate_only = "--start"; break;
        case 'b': a->end = optarg, a->generate_only = "--end"; break;
        case 'i': a->incident = optarg; break;
        case 'l': a->deliver = 1; break;
        case 's':
        case 't': {
            long v = strtol(optarg, &rest, 10);
            if (*optarg == '\0' || *rest != '\0' || v < 0 ||
                (c == 't' && (v < 2 || v > MAX_TEAMS || v % 2)))
                return usage_error(c == 's' ? "--seed: '%s' is not a number >= 0"
                                            : "--teams: '%s' is not an even number 2-30",
                                   optarg);
            if (c == 't')
                a->generate_only = "--teams";
            *(c == 's' ? &a->seed : &a->teams) = v;
            break;
        }
        case 'h': fputs(usage, stdout); return 1;
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!a->db_path)
        return usage_error("%s is required", "--db");
    if (a->incident && strcmp(a->incident, "a") != 0 && strcmp(a->incident, "b") != 0)
        return usage_error("--incident: '%s' is not a or b", a->incident);
    if (a->incident && a->deliver)
        return usage_error("%s: give --incident or --deliver-late, not both", "--deliver-late");
    if ((a->incident || a->deliver) && a->generate_only)
        return usage_error("%s only applies when creating a warehouse", a->generate_only);
    return 0;
}

int main(int argc, char **argv)
{
    args a = {.start = "2021-10-19", .end = "2026-01-03", .seed = 42, .teams = MAX_TEAMS};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    const char *db_path = a.db_path;
    bf_day first, last;
    char why[64];
    if (date_parse(a.start, &first, why, sizeof why) != 0)
        return usage_error("--start: %s", why);
    if (date_parse(a.end, &last, why, sizeof why) != 0)
        return usage_error("--end: %s", why);
    if (first > last)
        return usage_error("--end %s is before --start", a.end);
    struct stat sb;
    int creating = !a.incident && !a.deliver;
    if (creating && stat(db_path, &sb) == 0 && sb.st_size > 0) {
        fprintf(stderr, "demo_gen: %s exists; a new warehouse needs a new file\n", db_path);
        return 1;
    }
    rng_state = (uint64_t)a.seed;
    sqlite3 *db;
    int flags = creating ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(db_path, &db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "demo_gen: %s: %s\n", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    sqlite3_busy_timeout(db, 10000);
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "demo_gen: %s: %s\n", db_path, sqlite3_errmsg(db));
    else if (creating)
        rc = generate(db, (int)a.teams, first, last);
    else if (a.deliver)
        rc = deliver_late(db);
    else
        rc = *a.incident == 'a' ? incident_a(db) : incident_b(db);
    if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "demo_gen: %s: %s\n", db_path, sqlite3_errmsg(db));
        rc = -1;
    }
    if (rc != 0)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    /* Statistics for the query planner once the raw tables are loaded: the
     * processors' joins then pick their indexes. */
    if (rc == 0 && creating && sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "demo_gen: %s: %s\n", db_path, sqlite3_errmsg(db));
        rc = -1;
    }
    sqlite3_close(db);
    return rc == 0 ? 0 : 1;
}
