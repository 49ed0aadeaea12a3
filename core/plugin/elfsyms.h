/* elfsyms.h - the symbols a shared object defines, read from its file
 * without loading it: no code of the file runs, nothing is mapped
 * executable. The loader uses it to refuse a file that is not a processor
 * before dlopen, and to resolve exports only from the plugin file itself,
 * never from a library the plugin links. */
#ifndef BF_ELFSYMS_H
#define BF_ELFSYMS_H

#include <stddef.h>

typedef struct elfsyms elfsyms;

/* Read the dynamic symbol table of the shared object open on fd (its
 * file is PATH, for err). On success returns 0 and *out, owned by the
 * caller (elfsyms_free). On failure returns -1, *out = NULL, and one line
 * in err naming PATH and the fault: not an ELF file, not a shared object,
 * no dynamic symbol table, or a read error. fd stays open. */
int elfsyms_read(int fd, const char *path, elfsyms **out, char *err, size_t errlen);

/* 1 if the file itself defines NAME as a global or weak function or data
 * symbol visible to dlsym; 0 if NAME is undefined there (e.g. expected from
 * a linked library) or absent. */
int elfsyms_defines(const elfsyms *s, const char *name);

void elfsyms_free(elfsyms *s);

#endif
