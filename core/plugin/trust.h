/* trust.h - whether a plugin file may be loaded at all: only files and
 * directories that no one but root and the running user can change. A
 * plugin runs with the user's rights, so a file another user can replace
 * is that user's code. */
#ifndef BF_TRUST_H
#define BF_TRUST_H

#include <stddef.h>

/* 0 if DIR is writable by no one but its owner and owned by root or the
 * running user; else -1 and one line in err naming DIR and its mode or
 * owner. */
int trust_check_dir(const char *dir, char *err, size_t errlen);

/* 0 if PATH, a plugin file found in plugin_dir DIR, may be loaded: the file
 * it resolves to and that file's directory pass the rule of
 * trust_check_dir, and if PATH is a symlink its target lies inside DIR.
 * Else -1 and one line in err naming the file and the fault. */
int trust_check_file(const char *dir, const char *path, char *err, size_t errlen);

#endif
