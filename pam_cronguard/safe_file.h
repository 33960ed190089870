/* safe_file.h - open and read files the way a root process must.
 *
 * O_NOFOLLOW|O_CLOEXEC on every open, and every check made on the opened
 * descriptor (fstat), never on the path, so a file swapped between check and
 * use is not trusted. */
#ifndef CG_SAFE_FILE_H
#define CG_SAFE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "arena.h"

enum { CG_MAX_FILE_SIZE = 4 << 20 };

/* Trust a file or directory only if root owns it and neither group nor
 * others may write it.  Returns NULL or the reason. */
const char *cg_stat_untrusted(const struct stat *st);

/* Reads a whole regular file (at dirfd, or AT_FDCWD) into the arena, NUL
 * terminated.  When trusted_only, applies cg_stat_untrusted().  Returns 0, or
 * -1 with errno set (ELOOP for a symlink, EINVAL not a regular file, EFBIG
 * over CG_MAX_FILE_SIZE, EPERM untrusted owner or mode). */
int cg_read_file_at(struct cg_arena *a, int dirfd, const char *path, bool trusted_only,
		    char **text, size_t *len, struct stat *st);

#endif
