/* manifest_cache.h - the root-only hash cache behind manifest verification
 * (internal to manifest.c).
 *
 * One file, CACHE_DIR/manifest.cache: a header and entries sorted by
 * (device, inode), each with size, mtime and ctime in ns and the SHA-256 of
 * the content that had them (or, for a directory, of the names it held).  ctime cannot be set from user space and
 * changes on every write, chmod, chown, rename or link, so a matching entry
 * means the content hashed then is the content now.
 *
 * Trust and writes: cache_dir.h (an untrusted cache is ignored, and every
 * file is then hashed). */
#ifndef CG_MANIFEST_CACHE_H
#define CG_MANIFEST_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sha256.h"

/* What an entry's digest is of. */
enum cg_mcache_kind {
	CG_MCACHE_FILE = 1,     /* the file's content */
	CG_MCACHE_DIR = 2,      /* the manifest names the directory held, exactly,
				 * all regular files (see walk_dir in manifest.c) */
};

struct cg_mcache_ent {
	uint64_t dev, ino;
	int64_t size;
	int64_t mtime_s, ctime_s;
	uint32_t mtime_ns, ctime_ns;
	uint32_t kind, reserved;
	uint8_t sha[CG_SHA256_LEN];
};

struct cg_mcache {
	struct cg_mcache_ent *old;      /* loaded, sorted by (dev, ino) */
	size_t nold;
	bool *used;                     /* old[i] matched in this run */
	size_t nused;
	struct cg_mcache_ent *add;      /* hashed in this run */
	size_t nadd, capadd;
	const char *status;             /* "used", "absent", "off", or why ignored */
	bool dirty;                     /* something to write */
};

/* Loads dir/manifest.cache if trusted; dir NULL: status "off".  Never fails:
 * an untrusted or broken cache is reported in c->status and ignored. */
void cg_mcache_load(struct cg_mcache *c, const char *dir);
/* The cached digest of this kind for st, or NULL. */
const uint8_t *cg_mcache_lookup(struct cg_mcache *c, const struct stat *st,
				enum cg_mcache_kind kind);
/* Remembers a digest computed now.  Returns 0 or -1 (ENOMEM). */
int cg_mcache_add(struct cg_mcache *c, const struct stat *st, enum cg_mcache_kind kind,
		  const uint8_t sha[CG_SHA256_LEN]);
/* Writes added and used entries, and as many others as fit, atomically if
 * dirty.  Returns 1 written,
 * 0 nothing to do, -1 with errno (with *what naming the failed step). */
int cg_mcache_save(struct cg_mcache *c, const char *dir, const char **what);
void cg_mcache_free(struct cg_mcache *c);

#endif
