/* safe_file.h - open and read files the way a root process must.
 *
 * O_NOFOLLOW|O_CLOEXEC on every open, and every check made on the opened
 * descriptor (fstat), never on the path, so a file swapped between check and
 * use is not trusted. */
#ifndef CG_SAFE_FILE_H
#define CG_SAFE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* openat2(2) (5.6), which Debian 12's glibc does not wrap: opens path at
 * dirfd with flags | O_CLOEXEC under the CG_RESOLVE_* rules.  Returns the
 * fd, or -1 with errno (ENOSYS on an older kernel). */
#define CG_RESOLVE_NO_MAGICLINKS 0x02
#define CG_RESOLVE_NO_SYMLINKS 0x04
#define CG_RESOLVE_BENEATH 0x08
int cg_openat2(int dirfd, const char *path, int flags, uint64_t resolve);

/* write() until all len bytes are written (short writes, EINTR); 0 or -1
 * with errno. */
int cg_write_all(int fd, const void *buf, size_t len);

#endif
