/* manifest_cache.c - see manifest_cache.h. */
#include "manifest_cache.h"
#include "cache_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_NAME "manifest.cache"

/* "CGMC", then version, count, and a reserved word, little-endian host
 * order (the cache never leaves the host). */
enum { CACHE_MAGIC = 0x434d4743, CACHE_VERSION = 2 };
/* Every job start whose plan names a manifest reads the whole cache, so it
 * must stay small: a write keeps the entries this run used or added, and
 * other entries (files of other plans, or of files long deleted: nothing
 * tells them apart without a stat) only while the total stays under
 * CACHE_KEEP.  A file whose entry was dropped is just hashed again.  A
 * cache over CACHE_MAX_ENTRIES is ignored. */
enum { CACHE_KEEP = 4096, CACHE_MAX_ENTRIES = 65536 };

struct cache_hdr {
	uint32_t magic, version, count, reserved;
};

static int ent_cmp(const void *a, const void *b)
{
	const struct cg_mcache_ent *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static void fill_key(struct cg_mcache_ent *e, const struct stat *st, enum cg_mcache_kind kind)
{
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->dev = (uint64_t)st->st_dev;
	e->ino = (uint64_t)st->st_ino;
	e->size = (int64_t)st->st_size;
	e->mtime_s = (int64_t)st->st_mtim.tv_sec;
	e->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
	e->ctime_s = (int64_t)st->st_ctim.tv_sec;
	e->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
}

static bool same_key(const struct cg_mcache_ent *a, const struct cg_mcache_ent *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->kind == b->kind && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

void cg_mcache_load(struct cg_mcache *c, const char *dir)
{
	struct cache_hdr h;
	struct stat st;
	int fd;
	size_t want;
	ssize_t got;

	memset(c, 0, sizeof(*c));
	if (!dir) {
		c->status = "off";
		return;
	}
	c->dirty = true;        /* whatever goes wrong below, a write repairs it */
	fd = cg_cache_open(dir, CACHE_NAME, &st, &c->status);
	if (fd < 0)
		return;
	if (read(fd, &h, sizeof(h)) != (ssize_t)sizeof(h) || h.magic != CACHE_MAGIC ||
	    h.version != CACHE_VERSION || h.count > CACHE_MAX_ENTRIES ||
	    (off_t)(sizeof(h) + (size_t)h.count * sizeof(struct cg_mcache_ent)) != st.st_size) {
		c->status = "ignored: cache is corrupt or of another version";
		close(fd);
		return;
	}
	want = (size_t)h.count * sizeof(struct cg_mcache_ent);
	c->old = malloc(want ? want : 1);
	if (!c->old) {
		c->status = "ignored: out of memory";
		close(fd);
		return;
	}
	got = want ? read(fd, c->old, want) : 0;
	close(fd);
	if (got != (ssize_t)want) {
		free(c->old);
		c->old = NULL;
		c->status = "ignored: short read";
		return;
	}
	c->nold = h.count;
	c->used = calloc(h.count ? h.count : 1, sizeof(*c->used));
	if (!c->used) {
		free(c->old);
		c->old = NULL;
		c->nold = 0;
		c->status = "ignored: out of memory";
		return;
	}
	c->status = "used";
	c->dirty = false;
}

const uint8_t *cg_mcache_lookup(struct cg_mcache *c, const struct stat *st,
				enum cg_mcache_kind kind)
{
	uint64_t dev = (uint64_t)st->st_dev, ino = (uint64_t)st->st_ino;
	size_t lo = 0, hi = c->nold;

	/* Open-coded search: one per verified file at every job start. */
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		const struct cg_mcache_ent *e = &c->old[m];

		if (e->dev == dev && e->ino == ino) {
			struct cg_mcache_ent key;

			fill_key(&key, st, kind);
			if (!same_key(e, &key))
				return NULL;
			if (c->used && !c->used[m]) {
				c->used[m] = true;
				c->nused++;
			}
			return e->sha;
		}
		if (e->dev < dev || (e->dev == dev && e->ino < ino))
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

int cg_mcache_add(struct cg_mcache *c, const struct stat *st, enum cg_mcache_kind kind,
		  const uint8_t sha[CG_SHA256_LEN])
{
	if (c->nadd == c->capadd) {
		size_t cap = c->capadd ? 2 * c->capadd : 64;
		struct cg_mcache_ent *v = realloc(c->add, cap * sizeof(*v));

		if (!v)
			return -1;
		c->add = v;
		c->capadd = cap;
	}
	fill_key(&c->add[c->nadd], st, kind);
	memcpy(c->add[c->nadd].sha, sha, CG_SHA256_LEN);
	c->nadd++;
	c->dirty = true;
	return 0;
}

/* Added entries win over old ones for the same (dev, ino); old entries for
 * files not seen in this run stay (another plan may verify them), up to the
 * size limit. */
static struct cg_mcache_ent *merged(struct cg_mcache *c, size_t *n)
{
	size_t total = c->nold + c->nadd, k = 0, nuniq;
	struct cg_mcache_ent *v = malloc((total ? total : 1) * sizeof(*v));

	if (!v)
		return NULL;
	if (c->nadd)
		qsort(c->add, c->nadd, sizeof(*c->add), ent_cmp);
	for (size_t i = 0; i < c->nadd; i++)
		if (k == 0 || ent_cmp(&v[k - 1], &c->add[i]) != 0)
			v[k++] = c->add[i];
		else
			v[k - 1] = c->add[i];
	nuniq = k;
	/* Used entries first (they are still right), then the others while
	 * there is room. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nold; i++) {
			bool used = c->used && c->used[i];

			if (used != (pass == 0) || (pass == 1 && k >= CACHE_KEEP))
				continue;
			if (!bsearch(&c->old[i], v, nuniq, sizeof(*v), ent_cmp))
				v[k++] = c->old[i];
		}
	qsort(v, k, sizeof(*v), ent_cmp);
	*n = k;
	return v;
}

int cg_mcache_save(struct cg_mcache *c, const char *dir, const char **what)
{
	struct cache_hdr h = { CACHE_MAGIC, CACHE_VERSION, 0, 0 };
	struct cg_mcache_ent *v;
	struct iovec iov[2];
	size_t n;
	int saved;

	*what = "";
	if (!dir || !c->dirty)
		return 0;
	v = merged(c, &n);
	if (!v) {
		*what = "allocate";
		return -1;
	}
	h.count = (uint32_t)n;
	iov[0] = (struct iovec){ &h, sizeof(h) };
	iov[1] = (struct iovec){ v, n * sizeof(*v) };
	if (cg_cache_replace(dir, CACHE_NAME, iov, 2, what) < 0) {
		saved = errno;
		free(v);
		errno = saved;
		return -1;
	}
	free(v);
	c->dirty = false;
	return 1;
}

void cg_mcache_free(struct cg_mcache *c)
{
	free(c->used);
	free(c->old);
	free(c->add);
	memset(c, 0, sizeof(*c));
}
