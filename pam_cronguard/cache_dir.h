/* cache_dir.h - the root-only cache directory (/var/cache/cronguard) and
 * what every file in it shares: the manifest hash cache (manifest_cache.c),
 * manifest verdicts (manifest_verdict.c) and remembered plans
 * (plan_cache.c).
 *
 * Trust: the directory must be a directory owned by root with no group or
 * other permission bits, a file a single-link regular file owned by root
 * with no group or other bits, both checked with fstat on the opened
 * descriptors (O_NOFOLLOW); anything else is ignored, as if absent, and
 * replaced by the next write.  Writes go to a fresh O_EXCL temporary name
 * in the same directory and are renamed over the old file, so a reader sees
 * the old or the new file, never half of one (O_TMPFILE with linkat would
 * need /proc or CAP_DAC_READ_SEARCH and still could not replace a name).
 *
 * Stat keys: what a cache entry remembers of a file it vouches for.  ctime
 * cannot be set from user space and changes on every write, chmod, chown,
 * link, rename or unlink (a directory's on every entry added, removed or
 * renamed), so a file that stats the same as its key has not changed since,
 * provided its ctime was settled when the key was taken (cg_cache_settled). */
#ifndef CG_CACHE_DIR_H
#define CG_CACHE_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#define CG_CACHE_DIR "/var/cache/cronguard"

struct cg_stat_key {
	uint64_t dev, ino;
	int64_t size, mtime_s, ctime_s;
	uint32_t mtime_ns, ctime_ns;
	uint32_t uid, gid, mode;        /* st_mode: type and permissions */
	uint32_t reserved;
};

/* One file a decision read, with the fstat of the descriptor it read
 * (present), or a path it found absent: what a cache entry is remembered
 * by (the gate's crontabs, the policy's files).  The directories a
 * Landlock resolution looked into are stat'ed by path after the lookups
 * (apply.h): the settle rule makes that safe, since a change after the
 * clock was read leaves a ctime too recent to be remembered. */
struct cg_input {
	const char *path;
	bool present;
	struct stat st;
};

void cg_stat_key_fill(struct cg_stat_key *k, const struct stat *st);
bool cg_stat_key_same(const struct cg_stat_key *k, const struct stat *st);

/* May st be remembered by a reader that took the coarse clock t0 before
 * looking?  Only if no later change can leave its ctime as it is: ctime
 * older than t0's clock tick, and, when ctime has no nanoseconds (a
 * filesystem that stores whole seconds, or FAT's two), at least two
 * seconds older. */
bool cg_cache_settled(const struct stat *st, const struct timespec *t0);
/* The strict form: at least two seconds older than t0 whatever the
 * nanoseconds, which also covers granularities between 1 ns and 2 s
 * (exFAT's 10 ms, SMB's 100 ns) and small backward clock steps. */
bool cg_cache_settled_long(const struct stat *st, const struct timespec *t0);

/* Is a filesystem of this statfs f_type one whose times come from another
 * clock, or whose stat comes from an attribute cache (NFS, SMB, 9p, Ceph,
 * AFS, FUSE)?  Nothing on one is remembered. */
bool cg_cache_remote_fs(long f_type);

/* FNV-1a over s and its NUL, continuing from h (start with
 * 0xcbf29ce484222325): spreads cache files over names, never trusted. */
uint64_t cg_fnv1a(uint64_t h, const char *s);

/* The opened descriptor of a trusted dir/name (*st its fstat), or -1 with
 * *status saying why not ("absent", "ignored: ..."). */
int cg_cache_open(const char *dir, const char *name, struct stat *st, const char **status);
/* A trusted dir/name read whole into a malloc'd buffer of *size bytes,
 * min <= *size <= max; NULL when absent, untrusted, of another size or
 * unreadable. */
void *cg_cache_read(const char *dir, const char *name, size_t min, size_t max, size_t *size);
/* Writes the buffers to a fresh temporary name and renames it over
 * dir/name, creating dir (0700) if needed; root only.  Returns 0, or -1
 * with errno and *what naming the failed step. */
int cg_cache_replace(const char *dir, const char *name, const struct iovec *iov, int iovcnt,
		     const char **what);
/* Removes dir/name if dir is trusted; absent is fine.  Returns 0 or -1. */
int cg_cache_remove(const char *dir, const char *name);

#endif
