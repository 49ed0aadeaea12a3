/* trust.c - refuse plugin files and directories that someone other than
 * root or the running user could have written. Symlinks are followed only
 * to targets inside plugin_dir: a link to elsewhere would make plugin_dir's
 * own permissions meaningless. */
#include "plugin/trust.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OVERRIDE "refusing (--allow-insecure-plugins overrides)"

/* The rule shared by files and directories, on an already stat'ed WHAT. */
static int check_stat(const char *what, const struct stat *st, char *err, size_t errlen)
{
    unsigned mode = (unsigned)(st->st_mode & 07777);
    if (st->st_mode & S_IWOTH) {
        snprintf(err, errlen, "%s: mode %04o is writable by others; " OVERRIDE, what, mode);
        return -1;
    }
    if (st->st_mode & S_IWGRP) {
        snprintf(err, errlen, "%s: mode %04o is writable by group; " OVERRIDE, what, mode);
        return -1;
    }
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        snprintf(err, errlen,
                 "%s: owned by uid %u, neither root nor the running user (uid %u); " OVERRIDE, what,
                 (unsigned)st->st_uid, (unsigned)geteuid());
        return -1;
    }
    return 0;
}

static int check_path(const char *what, char *err, size_t errlen)
{
    struct stat st;
    if (stat(what, &st) != 0) {
        snprintf(err, errlen, "%s: cannot stat: %s", what, strerror(errno));
        return -1;
    }
    return check_stat(what, &st, err, errlen);
}

int trust_check_dir(const char *dir, char *err, size_t errlen)
{
    return check_path(dir, err, errlen);
}

/* 1 if the canonical path PATH lies strictly inside the canonical DIR. */
static int inside(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (n == 1) /* "/" */
        return path[1] != '\0';
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

int trust_check_file(const char *dir, const char *path, char *err, size_t errlen)
{
    struct stat lst;
    char *real = NULL, *real_dir = NULL, *parent = NULL;
    int rc = -1;
    if (lstat(path, &lst) != 0) {
        snprintf(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
        return -1;
    }
    real = realpath(path, NULL);
    real_dir = realpath(dir, NULL);
    parent = real ? strdup(real) : NULL;
    if (!real || !real_dir || !parent) {
        snprintf(err, errlen, "%s: cannot resolve: %s", path, strerror(errno));
        goto done;
    }
    if (S_ISLNK(lst.st_mode) && !inside(real_dir, real)) {
        snprintf(err, errlen, "%s: symlink to %s, outside plugin_dir %s; " OVERRIDE, path, real,
                 dir);
        goto done;
    }
    /* The file as reached, then the directory that really holds it. */
    if (check_path(S_ISLNK(lst.st_mode) ? real : path, err, errlen) == 0 &&
        check_path(dirname(parent), err, errlen) == 0)
        rc = 0;
done:
    free(real);
    free(real_dir);
    free(parent);
    return rc;
}
