/* elfsyms.c - list the symbols a shared object defines, with libelf, from
 * its dynamic symbol table (.dynsym): the table dlsym itself searches. */
#include "plugin/elfsyms.h"

#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct elfsyms {
    size_t n;
    char **names; /* defined symbols, owned */
};

static int defined_export(const GElf_Sym *sym)
{
    int type = GELF_ST_TYPE(sym->st_info), bind = GELF_ST_BIND(sym->st_info);
    int vis = GELF_ST_VISIBILITY(sym->st_other);
    return sym->st_shndx != SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK) &&
           (vis == STV_DEFAULT || vis == STV_PROTECTED) &&
           (type == STT_FUNC || type == STT_OBJECT || type == STT_GNU_IFUNC);
}

/* Copy the names of the defined exports of the dynsym section SCN. */
static int collect(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, elfsyms *s, const char *path,
                   char *err, size_t errlen)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data) {
        snprintf(err, errlen, "%s: cannot read its dynamic symbol table: %s", path, elf_errmsg(-1));
        return -1;
    }
    /* Counted from the data read, not the header's claim. */
    size_t count = sh->sh_entsize ? data->d_size / sh->sh_entsize : 0;
    s->names = calloc(count ? count : 1, sizeof *s->names);
    if (!s->names)
        goto oom;
    for (size_t i = 0; i < count; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym) || !defined_export(&sym))
            continue;
        const char *name = elf_strptr(e, sh->sh_link, sym.st_name);
        if (!name || !*name)
            continue;
        s->names[s->n] = strdup(name);
        if (!s->names[s->n])
            goto oom;
        s->n++;
    }
    return 0;
oom:
    snprintf(err, errlen, "%s: out of memory", path);
    return -1;
}

int elfsyms_read(int fd, const char *path, elfsyms **out, char *err, size_t errlen)
{
    *out = NULL;
    elfsyms *s = calloc(1, sizeof *s);
    Elf *e = NULL;
    int rc = -1;
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "%s: cannot read ELF files: %s", path, elf_errmsg(-1));
        goto done;
    }
    e = elf_begin(fd, ELF_C_READ, NULL);
    GElf_Ehdr eh;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        snprintf(err, errlen, "%s: not a shared object (no ELF header)", path);
        goto done;
    }
    if (eh.e_type != ET_DYN) {
        snprintf(err, errlen, "%s: not a shared object (ELF type %d)", path, (int)eh.e_type);
        goto done;
    }
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM)
            continue;
        rc = collect(e, scn, &sh, s, path, err, errlen);
        goto done;
    }
    snprintf(err, errlen, "%s: not a shared object (no dynamic symbol table)", path);
done:
    if (e)
        elf_end(e);
    if (rc == 0)
        *out = s;
    else
        elfsyms_free(s);
    return rc;
}

int elfsyms_defines(const elfsyms *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return 1;
    return 0;
}

void elfsyms_free(elfsyms *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    free(s);
}
