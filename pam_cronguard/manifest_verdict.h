/* manifest_verdict.h - a clean verification remembered, so that the next
 * one of the same manifest and directories costs one fstatat() per entry
 * and nothing else (internal to manifest.c).
 *
 * Why: a cached verification through manifest_cache.c still reads and
 * parses the manifest and looks every file up; on the dev VM that was 50 us
 * on top of the 85 us that one stat per file costs, and a job start pays it
 * every time.  A verdict holds the answer instead: the (device, inode, size,
 * mtime, ctime, owner, group, mode) of the manifest, of each directory
 * walked and of each file found clean, as they were when verification found
 * nothing.  ctime cannot be set from user space and changes on every write,
 * chmod, chown, link, rename or unlink (a directory's on every entry added,
 * removed or renamed), so when every one of them stats the same, nothing the
 * verification looked at has changed, and neither has its answer.  Any
 * difference, or any doubt, sends the caller to the full verification.
 *
 * What is never remembered: a verification with findings; a tree holding a
 * symlink (its meaning depends on paths outside what is stat'ed); a
 * directory named through a symlink, or missing, or a single file instead
 * of a directory; a tree on a network or FUSE filesystem; anything whose
 * ctime is not settled (cg_cache_settled: a change in the clock tick the
 * walk began in could leave ctime as it was).  A verification with
 * findings removes the verdict it contradicts.
 *
 * One file per (manifest, directories) in the cache directory, named
 * verdict-HASH, under the same trust rules as manifest.cache (root-only
 * directory and file, checked on the opened descriptors); the manifest path
 * and directories are stored in it and compared, so the hash only picks the
 * name. */
#ifndef CG_MANIFEST_VERDICT_H
#define CG_MANIFEST_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "cache_dir.h"
#include "plan.h"

/* What a verdict entry is, in file order: the manifest, the directories
 * asked for, then each top followed by what lies below it. */
enum cg_mv_kind {
	CG_MV_MANIFEST = 1,     /* the manifest: name is its path */
	CG_MV_DIRARG = 2,       /* a directory the caller asked for (no stat) */
	CG_MV_TOP = 3,          /* a top directory: name is its absolute path */
	CG_MV_BELOW = 4,        /* a directory or file: name relative to the top */
};

struct cg_mverdict_ent {
	struct cg_stat_key key;         /* zero for CG_MV_DIRARG */
	uint32_t kind, name;            /* name: offset in the string table */
};

enum { CG_MVERDICT_NAME = 32 };         /* "verdict-" and 16 hex digits */

/* A verdict being recorded during a verification. */
struct cg_mverdict {
	struct cg_mverdict_ent *v;
	size_t n, cap;
	char *str;                      /* names, each NUL-terminated */
	size_t slen, scap;
	struct timespec t0;             /* coarse clock before the walk */
	size_t rel;                     /* where names below the current top start */
	bool spoiled;                   /* nothing to remember from this run */
	char name[CG_MVERDICT_NAME];    /* its file in the cache directory */
};

/* Does the remembered verdict for (manifest, dirs) still hold?  true: every
 * recorded entry stats as it did; *files and *dirs_seen count them. */
bool cg_mverdict_holds(const char *cache_dir, const char *manifest,
		       const struct cg_strlist *dirs, size_t *files, size_t *dirs_seen);

/* Recording: begin with the manifest's fstat and the clock read before it;
 * then each top directory as it is opened, and each directory or regular
 * file below it by its full path (it must start with the top's).  These
 * three and cg_mverdict_spoil do nothing when m is NULL (not recording). */
void cg_mverdict_begin(struct cg_mverdict *m, const char *manifest,
		       const struct cg_strlist *dirs, const struct stat *manifest_st,
		       const struct timespec *t0);
void cg_mverdict_top(struct cg_mverdict *m, const char *top, const struct stat *st);
void cg_mverdict_entry(struct cg_mverdict *m, const char *path, const struct stat *st);
/* What this run saw cannot be proven unchanged by stat alone. */
void cg_mverdict_spoil(struct cg_mverdict *m);
/* A directory of the walk, open at fd: on a network or FUSE filesystem
 * (NFS, SMB, 9p, Ceph, AFS, FUSE) times come from another clock and stat
 * from an attribute cache, so nothing there is remembered. */
void cg_mverdict_dir_fs(struct cg_mverdict *m, int fd);
/* Writes the verdict; when spoiled, removes the one an earlier run left
 * instead (it no longer answers this question).  Returns 1 written, 0
 * nothing to write, -1 with errno and *what naming the failed step. */
int cg_mverdict_save(struct cg_mverdict *m, const char *cache_dir, const char **what);
void cg_mverdict_free(struct cg_mverdict *m);

#endif
