/* manifest.c - see manifest.h: parse, create and verify manifests. */
#include "manifest.h"
#include "manifest_cache.h"
#include "manifest_verdict.h"
#include "safe_file.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A tree deeper than this is refused rather than walked: each level holds
 * a directory descriptor. */
enum { MAX_DEPTH = 64 };

struct mf_ent {
	const char *path;
	uint8_t sha[CG_SHA256_LEN];
	bool meta, seen;
	uid_t uid;
	gid_t gid;
	mode_t mode;
};

struct mf {
	struct mf_ent *v;
	size_t n;
	const char **dirs;
	size_t ndirs;
};

/* Entries found while creating. */
struct cent {
	const char *path;
	struct stat st;
	uint8_t sha[CG_SHA256_LEN];
};

struct walk {
	bool create;
	struct cg_arena *a;             /* scratch: freed when the call returns */
	struct cg_manifest_report *r;
	const struct cg_logger *log;
	const char *top;                /* canonical top being walked */
	char path[PATH_MAX];
	/* verify */
	struct mf *mf;
	struct cg_mcache *cache;
	struct cg_mverdict *verdict;    /* what a clean run will remember */
	struct timespec t0;             /* coarse clock before the walk */
	/* Entries under the directory being read: mf->v[lo..hi), names
	 * compared from offset off (one bsearch on short names per file
	 * instead of one on whole paths: a third of a cached verification's
	 * user time went to strcmp on long common prefixes). */
	size_t lo, hi, off;
	bool in_range;
	struct mf_ent *known;           /* the entry being verified, when known */
	size_t listed;                  /* files found listed, for walk_dir */
	/* create */
	struct cent *ents;
	size_t nents, capents;
};

static const char *const kind_names[CG_MF_KIND_COUNT] = {
	[CG_MF_CHANGED] = "changed",
	[CG_MF_NEW] = "new",
	[CG_MF_VANISHED] = "vanished",
	[CG_MF_WRITABLE] = "writable",
	[CG_MF_NOT_ROOT] = "not-root-owned",
	[CG_MF_META] = "owner-mode-changed",
	[CG_MF_SYMLINK_OUT] = "symlink-out",
	[CG_MF_SPECIAL] = "special-file",
	[CG_MF_UNREADABLE] = "unreadable",
};

const char *cg_mf_kind_name(enum cg_mf_kind k)
{
	return (unsigned)k < CG_MF_KIND_COUNT ? kind_names[k] : "?";
}

void cg_manifest_report_free(struct cg_manifest_report *r)
{
	cg_arena_free(&r->arena);
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

void cg_manifest_log_findings(const struct cg_manifest_report *r, const struct cg_logger *log,
			      int prio)
{
	for (size_t i = 0; i < r->nfindings; i++)
		cg_logf(log, prio, "manifest: %s: %s: %s", r->findings[i].path,
			cg_mf_kind_name(r->findings[i].kind), r->findings[i].detail);
}

__attribute__((format(printf, 4, 5)))
static int finding(struct cg_manifest_report *r, enum cg_mf_kind kind, const char *path,
		   const char *fmt, ...)
{
	struct cg_mf_finding *f;
	char detail[512];
	va_list ap;

	if (r->nfindings == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;

		f = realloc(r->findings, cap * sizeof(*f));
		if (!f)
			return -1;
		r->findings = f;
		r->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	f = &r->findings[r->nfindings];
	f->kind = kind;
	f->path = cg_arena_strdup(&r->arena, path);
	f->detail = cg_arena_strdup(&r->arena, detail);
	if (!f->path || !f->detail)
		return -1;
	r->nfindings++;
	return 0;
}

/* --- escaping, as sha256sum does it ----------------------------------- */

static bool needs_escape(const char *s)
{
	return strpbrk(s, "\\\n\r") != NULL;
}

static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\r')
			fputs("\\r", out);
		else
			fputc(*s, out);
	}
}

/* Returns the unescaped copy of s[0..n), or NULL (bad escape, ENOMEM). */
static char *unescape(struct cg_arena *a, char *s, size_t n)
{
	char *out, *o;

	/* Almost no name has a backslash: use the line in place. */
	if (!memchr(s, '\\', n)) {
		s[n] = '\0';
		return s;
	}
	out = o = cg_arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		if (++i == n)
			return NULL;
		if (s[i] == '\\')
			*o++ = '\\';
		else if (s[i] == 'n')
			*o++ = '\n';
		else if (s[i] == 'r')
			*o++ = '\r';
		else
			return NULL;
	}
	*o = '\0';
	return out;
}

/* --- parsing ------------------------------------------------------------ */

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mf_ent *)a)->path, ((const struct mf_ent *)b)->path);
}

static struct mf_ent *mf_find(const struct mf *mf, const char *path)
{
	struct mf_ent key = { .path = path };

	if (!mf->n)
		return NULL;
	return bsearch(&key, mf->v, mf->n, sizeof(key), ent_cmp);
}

/* [lo, hi) of the entries whose path starts with prefix[0..n). */
static void mf_range(const struct mf *mf, const char *prefix, size_t n, size_t *lo, size_t *hi)
{
	size_t a = 0, b = mf->n;

	while (a < b) {         /* first entry >= prefix */
		size_t m = a + (b - a) / 2;

		if (strncmp(mf->v[m].path, prefix, n) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	b = mf->n;
	while (a < b) {         /* first entry > every string with the prefix */
		size_t m = a + (b - a) / 2;

		if (strncmp(mf->v[m].path, prefix, n) <= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
}

static struct mf_ent *mf_find_in(const struct mf *mf, size_t lo, size_t hi, size_t off,
				 const char *name)
{
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		int c = strcmp(mf->v[m].path + off, name);

		if (c == 0)
			return &mf->v[m];
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

struct pending_meta {
	const char *path;
	unsigned line;
	uid_t uid;
	gid_t gid;
	mode_t mode;
};

/* "PREFIXdigits " with digits in base 8 or 10, at most max; advances *p
 * past the space.  By hand: strtoul was a tenth of a job start's parsing. */
static bool parse_num(char **p, const char *prefix, unsigned base, unsigned long max,
		      unsigned long *out)
{
	size_t n = strlen(prefix);
	unsigned long v = 0;
	char *s = *p;

	if (strncmp(s, prefix, n) != 0)
		return false;
	s += n;
	if (*s < '0' || *s >= (char)('0' + base))
		return false;
	for (; *s >= '0' && *s < (char)('0' + base); s++) {
		v = v * base + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	if (*s != ' ')
		return false;
	*out = v;
	*p = s + 1;
	return true;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 64;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

#define PARSE_ERR(...) do { cg_logf(log, LOG_ERR, __VA_ARGS__); goto fail; } while (0)

static int mf_parse(struct cg_arena *a, const char *file, char *text, size_t len,
		    struct mf *mf, const struct cg_logger *log)
{
	struct mf_ent *v = NULL;
	struct pending_meta *pm = NULL;
	const char **dirs = NULL;
	size_t n = 0, cap = 0, npm = 0, cappm = 0, nd = 0, capd = 0;
	unsigned lineno = 0;
	char *p = text, *end = text + len;
	unsigned meta_line = 0;
	bool sorted = true;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p;
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);

		p = nl ? nl + 1 : end;
		lineno++;
		line[ll] = '\0';        /* text is ours (arena copy) */
		if (ll == 0)
			continue;
		if (strncmp(line, "# cronguard: ", 13) == 0) {
			char *d = line + 13;
			unsigned long uid, gid, mode;

			if (strncmp(d, "dir /", 5) == 0) {
				char *path = unescape(a, d + 4, strlen(d + 4));

				if (!path)
					PARSE_ERR("manifest %s:%u: bad escape in path", file, lineno);
				if (grow((void **)&dirs, &capd, nd, sizeof(*dirs)) < 0)
					goto nomem;
				dirs[nd++] = path;
			} else if (strncmp(d, "file ", 5) == 0) {
				d += 5;
				if (!parse_num(&d, "uid=", 10, UINT_MAX - 1, &uid) ||
				    !parse_num(&d, "gid=", 10, UINT_MAX - 1, &gid) ||
				    !parse_num(&d, "mode=", 8, 07777, &mode) || d[0] != '/')
					PARSE_ERR("manifest %s:%u: expected 'file uid=N gid=N mode=OCTAL /PATH'",
						  file, lineno);
				if (grow((void **)&pm, &cappm, npm, sizeof(*pm)) < 0)
					goto nomem;
				pm[npm].path = unescape(a, d, strlen(d));
				if (!pm[npm].path)
					PARSE_ERR("manifest %s:%u: bad escape in path", file, lineno);
				pm[npm].line = lineno;
				pm[npm].uid = (uid_t)uid;
				pm[npm].gid = (gid_t)gid;
				pm[npm].mode = (mode_t)mode;
				npm++;
				meta_line = lineno;
			} else {
				PARSE_ERR("manifest %s:%u: unknown cronguard line '%.40s'", file, lineno, d);
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		{
			bool esc = line[0] == '\\';
			char *h = line + esc, *name;
			struct mf_ent *e;

			if (strlen(h) < 67 || (h[64] != ' ') || (h[65] != ' ' && h[65] != '*'))
				PARSE_ERR("manifest %s:%u: expected 'SHA256  /PATH' (sha256sum format)",
					  file, lineno);
			if (grow((void **)&v, &cap, n, sizeof(*v)) < 0)
				goto nomem;
			e = &v[n];
			memset(e, 0, sizeof(*e));
			if (cg_sha256_parse_hex(h, e->sha) < 0)
				PARSE_ERR("manifest %s:%u: bad SHA-256 hex", file, lineno);
			name = h + 66;
			e->path = esc ? unescape(a, name, strlen(name)) : name;
			if (!e->path)
				PARSE_ERR("manifest %s:%u: bad escape in path", file, lineno);
			if (e->path[0] != '/')
				PARSE_ERR("manifest %s:%u: path '%s' is not absolute", file, lineno, e->path);
			if (n && strcmp(v[n - 1].path, e->path) >= 0)
				sorted = false;
			/* create writes each file line right before its hash
			 * line: attach it here and spare the lookup below. */
			if (meta_line && meta_line == lineno - 1 && strcmp(pm[npm - 1].path, e->path) == 0) {
				e->meta = true;
				e->uid = pm[npm - 1].uid;
				e->gid = pm[npm - 1].gid;
				e->mode = pm[npm - 1].mode;
				npm--;
			}
			n++;
		}
	}
	/* create writes sorted output; only a hand-made manifest pays qsort. */
	if (!sorted) {          /* strictly ascending already means no duplicates */
		qsort(v, n, sizeof(*v), ent_cmp);
		for (size_t i = 1; i < n; i++)
			if (strcmp(v[i - 1].path, v[i].path) == 0)
				PARSE_ERR("manifest %s: '%s' is listed twice", file, v[i].path);
	}
	mf->v = v;
	mf->n = n;
	for (size_t i = 0; i < npm; i++) {
		struct mf_ent *e = mf_find(mf, pm[i].path);

		if (!e)
			PARSE_ERR("manifest %s:%u: file line without a hash line for '%s'", file,
				  pm[i].line, pm[i].path);
		e->meta = true;
		e->uid = pm[i].uid;
		e->gid = pm[i].gid;
		e->mode = pm[i].mode;
	}
	free(pm);
	/* Copy the arrays into the arena so the caller frees one thing. */
	mf->v = cg_arena_alloc(a, (n ? n : 1) * sizeof(*v));
	mf->dirs = cg_arena_alloc(a, (nd ? nd : 1) * sizeof(*dirs));
	if (!mf->v || !mf->dirs)
		goto nomem;
	if (n)
		memcpy(mf->v, v, n * sizeof(*v));
	if (nd)
		memcpy(mf->dirs, dirs, nd * sizeof(*dirs));
	mf->ndirs = nd;
	free(v);
	free(dirs);
	return 0;
nomem:
	cg_logf(log, LOG_ERR, "manifest %s: out of memory", file);
fail:
	free(v);
	free(pm);
	free(dirs);
	memset(mf, 0, sizeof(*mf));
	return -1;
}

/* *st: the manifest's fstat. */
static int mf_load(struct cg_arena *a, const char *file, struct mf *mf, struct stat *st,
		   const struct cg_logger *log)
{
	char *text;
	size_t len;

	if (cg_read_file_at(a, AT_FDCWD, file, true, &text, &len, st) < 0) {
		if (errno == EPERM)
			cg_logf(log, LOG_ERR, "manifest %s: %s: refusing to trust it", file,
				cg_stat_untrusted(st));
		else if (errno == ELOOP)
			cg_logf(log, LOG_ERR, "manifest %s: is a symlink: refusing to follow it", file);
		else if (errno == EINVAL)
			cg_logf(log, LOG_ERR, "manifest %s: not a regular file", file);
		else
			cg_logf(log, LOG_ERR, "manifest %s: %m", file);
		return -1;
	}
	return mf_parse(a, file, text, len, mf, log);
}

/* --- walking ------------------------------------------------------------- */

static int check_owner(struct walk *w, const struct stat *st)
{
	if (st->st_uid != 0 &&
	    finding(w->r, CG_MF_NOT_ROOT, w->path, "owned by uid %u, not root",
		    (unsigned)st->st_uid) < 0)
		return -1;
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    finding(w->r, CG_MF_WRITABLE, w->path, "%s writable by %s (mode %04o)",
		    S_ISDIR(st->st_mode) ? "directory" : "file",
		    (st->st_mode & S_IWGRP) && (st->st_mode & S_IWOTH) ? "group and others" :
		    (st->st_mode & S_IWGRP) ? "group" : "others",
		    (unsigned)(st->st_mode & 07777)) < 0)
		return -1;
	return 0;
}

/* Hashes name at dfd; *st becomes the opened file's fstat.  Returns 0, or
 * -1 with errno. */
static int hash_at(int dfd, const char *name, struct stat *st, uint8_t sha[CG_SHA256_LEN])
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int rc, saved;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0) {
		rc = -1;
	} else if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		rc = -1;
	} else {
		rc = cg_sha256_fd(fd, sha);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int verify_file(struct walk *w, int dfd, const char *name, const struct stat *lst)
{
	struct mf_ent *e = w->known ? w->known :
			   w->in_range ? mf_find_in(w->mf, w->lo, w->hi, w->off, name) :
			   mf_find(w->mf, w->path);
	const uint8_t *cached;
	uint8_t sha[CG_SHA256_LEN];
	struct stat st;

	w->r->files++;
	cg_mverdict_entry(w->verdict, w->path, lst);
	if (check_owner(w, lst) < 0)
		return -1;
	if (!e)
		return finding(w->r, CG_MF_NEW, w->path, "not listed in the manifest");
	e->seen = true;
	w->listed++;
	if (e->meta && (lst->st_uid != e->uid || lst->st_gid != e->gid ||
			(lst->st_mode & 07777) != e->mode) &&
	    finding(w->r, CG_MF_META, w->path,
		    "owner %u:%u mode %04o, manifest says %u:%u mode %04o",
		    (unsigned)lst->st_uid, (unsigned)lst->st_gid, (unsigned)(lst->st_mode & 07777),
		    (unsigned)e->uid, (unsigned)e->gid, (unsigned)e->mode) < 0)
		return -1;
	cached = cg_mcache_lookup(w->cache, lst, CG_MCACHE_FILE);
	if (cached) {
		w->r->cached++;
		memcpy(sha, cached, sizeof(sha));
	} else {
		if (hash_at(dfd, name, &st, sha) < 0)
			return finding(w->r, CG_MF_UNREADABLE, w->path, "cannot hash it: %s",
				       strerror(errno));
		w->r->hashed++;
		/* A write in the same clock tick as our fstat would leave
		 * ctime unchanged: only a ctime older than the coarse clock
		 * read before the walk proves later writes show up. */
		if (cg_cache_settled(&st, &w->t0) &&
		    cg_mcache_add(w->cache, &st, CG_MCACHE_FILE, sha) < 0)
			return -1;
	}
	if (memcmp(sha, e->sha, sizeof(sha)) != 0) {
		char now[CG_SHA256_HEX], want[CG_SHA256_HEX];

		cg_sha256_hex(sha, now);
		cg_sha256_hex(e->sha, want);
		return finding(w->r, CG_MF_CHANGED, w->path,
			       "content changed: SHA-256 %.16s..., manifest says %.16s...", now, want);
	}
	return 0;
}

static int create_file(struct walk *w, int dfd, const char *name, const struct stat *lst)
{
	struct cent *c;

	w->r->files++;
	if (check_owner(w, lst) < 0)
		return -1;
	if (grow((void **)&w->ents, &w->capents, w->nents, sizeof(*w->ents)) < 0)
		return -1;
	c = &w->ents[w->nents];
	if (hash_at(dfd, name, &c->st, c->sha) < 0)
		return finding(w->r, CG_MF_UNREADABLE, w->path, "cannot hash it, not listed: %s",
			       strerror(errno));
	w->r->hashed++;
	c->path = cg_arena_strdup(w->a, w->path);
	if (!c->path)
		return -1;
	w->nents++;
	return 0;
}

static int on_file(struct walk *w, int dfd, const char *name, const struct stat *st)
{
	return w->create ? create_file(w, dfd, name, st) : verify_file(w, dfd, name, st);
}

/* Followed only within: a symlink resolving inside the top directory is
 * fine (its target is verified where it lives); one resolving outside, or
 * not at all, is a finding. */
static int on_symlink(struct walk *w)
{
	char *real = realpath(w->path, NULL);
	int rc;

	/* What it means depends on paths a verdict does not stat. */
	cg_mverdict_spoil(w->verdict);
	if (!real)
		return finding(w->r, CG_MF_SYMLINK_OUT, w->path,
			       "symlink does not resolve (%s)", strerror(errno));
	rc = 0;
	if (!cg_path_under(real, w->top))
		rc = finding(w->r, CG_MF_SYMLINK_OUT, w->path, "symlink leaves %s: points to %s",
			     w->top, real);
	free(real);
	return rc;
}

/* Are all entries in [lo, hi) directly in the directory (no '/' in the
 * names)?  Then the manifest says the directory holds regular files only. */
static bool range_is_flat(const struct mf *mf, size_t lo, size_t hi, size_t off)
{
	for (size_t i = lo; i < hi; i++)
		if (strchr(mf->v[i].path + off, '/'))
			return false;
	return true;
}

static void names_digest(const struct mf *mf, size_t lo, size_t hi, size_t off,
			 uint8_t out[CG_SHA256_LEN])
{
	struct cg_sha256 c;

	cg_sha256_init(&c);
	for (size_t i = lo; i < hi; i++)
		cg_sha256_update(&c, mf->v[i].path + off, strlen(mf->v[i].path + off) + 1);
	cg_sha256_final(&c, out);
}

/* The directory's listing is known: its (dev, ino, size, mtime, ctime) are
 * those of a verification that found exactly the manifest's names in it,
 * all regular files.  Creating, removing or renaming an entry changes the
 * directory's ctime, so the names are still those: stat them by name and
 * skip reading the directory (getdents and the release of an ext4 htree
 * cursor were a fifth of a cached verification).  Returns 0 done, -1
 * error, 1 when anything looks different (the caller reads the directory). */
static int verify_known_listing(struct walk *w, int dfd, size_t lo, size_t hi, size_t off)
{
	struct stat *sts = malloc((hi - lo ? hi - lo : 1) * sizeof(*sts));
	int rc = 0;

	if (!sts)
		return -1;
	for (size_t i = lo; i < hi; i++)
		if (fstatat(dfd, w->mf->v[i].path + off, &sts[i - lo], AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(sts[i - lo].st_mode) || strlen(w->mf->v[i].path) >= sizeof(w->path)) {
			free(sts);
			return 1;
		}
	for (size_t i = lo; i < hi && rc == 0; i++) {
		strcpy(w->path, w->mf->v[i].path);
		w->known = &w->mf->v[i];
		rc = on_file(w, dfd, w->mf->v[i].path + off, &sts[i - lo]);
		w->known = NULL;
	}
	free(sts);
	return rc;
}

/* Reads the directory open at dfd (whose fstat is *dst, whose path is
 * w->path[0..plen)); takes dfd. */
static int walk_dir(struct walk *w, int dfd, const struct stat *dst, size_t plen, int depth)
{
	DIR *d;
	struct dirent *de;
	size_t lo = 0, hi = 0, off = 0, listed_before = w->listed, nreg = 0;
	uint8_t names[CG_SHA256_LEN];
	bool flat = false, exact;
	int rc = 0;

	if (depth > MAX_DEPTH) {
		cg_logf(w->log, LOG_ERR, "manifest: %s: deeper than %d directories", w->path, MAX_DEPTH);
		close(dfd);
		return -1;
	}
	if (!w->create) {
		/* w->path[0..plen) is the directory; entries below start
		 * with it and a slash (the top "/" already ends in one). */
		size_t n = plen == 1 ? 1 : plen + 1;
		const uint8_t *known;

		w->path[plen] = '/';
		mf_range(w->mf, w->path, n, &lo, &hi);
		w->path[plen] = '\0';
		off = n;
		flat = range_is_flat(w->mf, lo, hi, off);
		if (flat) {
			names_digest(w->mf, lo, hi, off, names);
			known = cg_mcache_lookup(w->cache, dst, CG_MCACHE_DIR);
			if (known && memcmp(known, names, sizeof(names)) == 0) {
				rc = verify_known_listing(w, dfd, lo, hi, off);
				w->path[plen] = '\0';
				if (rc <= 0) {
					w->r->dirs_known++;
					close(dfd);
					return rc;
				}
				rc = 0;
			}
		}
	}
	/* Only a flat directory, read in full, whose entries all turn out to
	 * be listed regular files, may be remembered as known. */
	exact = flat;
	w->r->dirs_read++;
	d = fdopendir(dfd);
	if (!d) {
		cg_logf(w->log, LOG_ERR, "manifest: %s: %m", w->path);
		close(dfd);
		return -1;
	}
	for (;;) {
		const char *name;
		size_t nlen;
		struct stat st;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				cg_logf(w->log, LOG_ERR, "manifest: reading %s: %m", w->path);
				rc = -1;
			}
			break;
		}
		name = de->d_name;
		if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		nlen = strlen(name);
		if (plen + 1 + nlen >= sizeof(w->path)) {
			w->path[plen] = '\0';
			cg_logf(w->log, LOG_ERR, "manifest: %s/%s: path too long", w->path, name);
			rc = -1;
			break;
		}
		/* The top may be "/" itself. */
		if (plen == 1 && w->path[0] == '/') {
			memcpy(w->path + 1, name, nlen + 1);
		} else {
			w->path[plen] = '/';
			memcpy(w->path + plen + 1, name, nlen + 1);
		}
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)    /* removed while we walk */
				continue;
			cg_logf(w->log, LOG_ERR, "manifest: %s: %m", w->path);
			rc = -1;
			break;
		}
		if (S_ISREG(st.st_mode)) {
			nreg++;
			w->lo = lo;
			w->hi = hi;
			w->off = off;
			w->in_range = true;
			rc = on_file(w, dfd, name, &st);
			w->in_range = false;
		} else if (S_ISLNK(st.st_mode)) {
			exact = false;
			rc = on_symlink(w);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			struct stat sst;

			exact = false;
			if (sub < 0 || fstat(sub, &sst) < 0) {
				cg_logf(w->log, LOG_ERR, "manifest: %s: %m", w->path);
				if (sub >= 0)
					close(sub);
				rc = -1;
				break;
			}
			cg_mverdict_entry(w->verdict, w->path, &sst);
			cg_mverdict_dir_fs(w->verdict, sub);
			rc = check_owner(w, &sst);
			if (rc == 0)
				rc = walk_dir(w, sub, &sst, strlen(w->path), depth + 1);
			else
				close(sub);
		} else {
			exact = false;
			rc = finding(w->r, CG_MF_SPECIAL, w->path,
				     "not a regular file, directory or symlink");
		}
		if (rc < 0)
			break;
	}
	w->path[plen] = '\0';
	closedir(d);
	/* Every entry was a listed regular file and every listed name was
	 * there: remember the listing, if the directory's ctime is older
	 * than the clock tick the walk began in (so no change can hide in
	 * the tick we read it in). */
	if (rc == 0 && exact && nreg == hi - lo && w->listed - listed_before == hi - lo &&
	    cg_cache_settled(dst, &w->t0) && cg_mcache_add(w->cache, dst, CG_MCACHE_DIR, names) < 0)
		rc = -1;
	return rc;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Canonical tops, sorted, without any that lies under another (it would be
 * walked twice).  A top that does not exist stays as given (its listed
 * files then vanished).  Returns the count or -1. */
static ssize_t canonical_tops(struct cg_arena *a, const char *const *in, size_t n,
			      const char ***out, struct cg_mverdict *verdict,
			      const struct cg_logger *log)
{
	const char **v = cg_arena_alloc(a, (n ? n : 1) * sizeof(*v));
	size_t k = 0;

	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *real = realpath(in[i], NULL);

		if (!real) {
			if (errno != ENOENT || in[i][0] != '/') {
				cg_logf(log, LOG_ERR, "manifest: %s: %m", in[i]);
				return -1;
			}
			cg_mverdict_spoil(verdict);
			v[k++] = in[i];
			continue;
		}
		/* A verdict reopens the tops by their canonical names: one
		 * named through a symlink could be re-pointed unseen. */
		if (strcmp(real, in[i]) != 0)
			cg_mverdict_spoil(verdict);
		v[k] = cg_arena_strdup(a, real);
		free(real);
		if (!v[k++])
			return -1;
	}
	qsort(v, k, sizeof(*v), str_cmp);
	n = k;
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || !cg_path_under(v[i], v[k - 1]))
			v[k++] = v[i];
	*out = v;
	return (ssize_t)k;
}

static int walk_top(struct walk *w, const char *top)
{
	struct stat st;
	size_t len = strlen(top);
	int fd;

	if (len >= sizeof(w->path)) {
		cg_logf(w->log, LOG_ERR, "manifest: %s: path too long", top);
		return -1;
	}
	memcpy(w->path, top, len + 1);
	w->top = top;
	if (lstat(top, &st) < 0) {
		cg_mverdict_spoil(w->verdict);  /* gone since canonical_tops() */
		if (errno == ENOENT)
			return 0;
		cg_logf(w->log, LOG_ERR, "manifest: %s: %m", top);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		cg_mverdict_spoil(w->verdict);  /* verdicts know directories only */
	if (S_ISREG(st.st_mode))
		return on_file(w, AT_FDCWD, top, &st);
	if (!S_ISDIR(st.st_mode))
		return finding(w->r, CG_MF_SPECIAL, top, "not a regular file or directory");
	fd = open(top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cg_logf(w->log, LOG_ERR, "manifest: %s: %m", top);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	cg_mverdict_top(w->verdict, top, &st);
	cg_mverdict_dir_fs(w->verdict, fd);
	if (check_owner(w, &st) < 0) {
		close(fd);
		return -1;
	}
	return walk_dir(w, fd, &st, len, 0);
}

/* --- verify ---------------------------------------------------------------- */

int cg_manifest_verify(const char *manifest, const struct cg_strlist *dirs,
		       const struct cg_manifest_opts *o, struct cg_manifest_report *r,
		       const struct cg_logger *log)
{
	struct cg_arena a = { 0 };
	struct cg_mcache cache;
	struct cg_mverdict verdict = { 0 };
	struct mf mf;
	struct stat mst;
	struct timespec t0;
	struct walk *w = NULL;
	const char *const *in;
	const char **tops = NULL;
	const char *cache_dir = o ? o->cache_dir : NULL;
	bool record = cache_dir && o->write_cache && geteuid() == 0;
	size_t nin;
	ssize_t ntops;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	/* Nothing changed since the last clean verification: done. */
	if (cache_dir && cg_mverdict_holds(cache_dir, manifest, dirs, &r->files, &r->dirs_known)) {
		r->cached = r->files;
		r->cache_status = "used";
		r->verdict_held = true;
		return 0;
	}
	/* Everything a verdict records must be older than this. */
	if (clock_gettime(CLOCK_REALTIME_COARSE, &t0) < 0) {
		cg_logf(log, LOG_ERR, "manifest: clock_gettime: %m");
		return -1;
	}
	cg_mcache_load(&cache, cache_dir);
	r->cache_status = cache.status;
	if (mf_load(&a, manifest, &mf, &mst, log) < 0)
		goto out;
	if (record)
		cg_mverdict_begin(&verdict, manifest, dirs, &mst, &t0);
	if (dirs && dirs->n) {
		in = dirs->v;
		nin = dirs->n;
	} else if (mf.ndirs) {
		in = mf.dirs;
		nin = mf.ndirs;
	} else {
		/* A plain sha256sum list: exactly the listed files. */
		const char **files = cg_arena_alloc(&a, (mf.n ? mf.n : 1) * sizeof(*files));

		if (!files)
			goto nomem;
		for (size_t i = 0; i < mf.n; i++)
			files[i] = mf.v[i].path;
		in = files;
		nin = mf.n;
	}
	ntops = canonical_tops(&a, in, nin, &tops, record ? &verdict : NULL, log);
	if (ntops < 0)
		goto out;
	w = cg_arena_zalloc(&a, sizeof(*w));
	if (!w)
		goto nomem;
	w->a = &a;
	w->r = r;
	w->log = log;
	w->mf = &mf;
	w->cache = &cache;
	w->verdict = record ? &verdict : NULL;
	w->t0 = t0;
	for (ssize_t i = 0; i < ntops; i++)
		if (walk_top(w, tops[i]) < 0)
			goto out;
	for (size_t i = 0; i < mf.n; i++) {
		if (mf.v[i].seen)
			continue;
		for (ssize_t t = 0; t < ntops; t++)
			if (cg_path_under(mf.v[i].path, tops[t])) {
				if (finding(r, CG_MF_VANISHED, mf.v[i].path,
					    "listed in the manifest but missing") < 0)
					goto nomem;
				break;
			}
	}
	if (record) {
		const char *what;
		int s = cg_mcache_save(&cache, cache_dir, &what);

		if (s < 0)
			cg_logf(log, LOG_WARNING, "manifest cache %s/%s: %s: %m (verification still done)",
				cache_dir, CG_MANIFEST_CACHE_FILE, what);
		r->cache_written = s > 0;
		/* Only a clean answer is worth remembering. */
		if (r->nfindings)
			cg_mverdict_spoil(&verdict);
		s = cg_mverdict_save(&verdict, cache_dir, &what);
		if (s < 0)
			cg_logf(log, LOG_WARNING, "manifest cache %s/%s: %s: %m (verification still done)",
				cache_dir, verdict.name, what);
		r->cache_written |= s > 0;
	}
	rc = r->nfindings ? 1 : 0;
	goto out;
nomem:
	cg_logf(log, LOG_ERR, "manifest %s: out of memory", manifest);
	rc = -1;
out:
	cg_mverdict_free(&verdict);
	cg_mcache_free(&cache);
	cg_arena_free(&a);
	return rc;
}

int cg_manifest_verify_dirs(const char *manifest, const struct cg_strlist *dirs,
			    struct cg_manifest_report *r, const struct cg_logger *log)
{
	static const struct cg_manifest_opts o = { CG_MANIFEST_CACHE_DIR, true };

	return cg_manifest_verify(manifest, dirs, &o, r, log);
}

/* --- create ---------------------------------------------------------------- */

static int cent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cent *)a)->path, ((const struct cent *)b)->path);
}

static void put_path_line(FILE *out, const char *prefix, const char *path)
{
	fputs(prefix, out);
	put_escaped(out, path);
	fputc('\n', out);
}

int cg_manifest_create(const struct cg_strlist *dirs, FILE *out,
		       struct cg_manifest_report *r, const struct cg_logger *log)
{
	struct cg_arena a = { 0 };
	struct walk *w;
	const char **tops = NULL;
	ssize_t ntops;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->cache_status = "off";
	w = cg_arena_zalloc(&a, sizeof(*w));
	if (!w) {
		cg_logf(log, LOG_ERR, "manifest: out of memory");
		return -1;
	}
	w->create = true;
	w->a = &a;
	w->r = r;
	w->log = log;
	ntops = canonical_tops(&a, dirs->v, dirs->n, &tops, NULL, log);
	if (ntops < 0)
		goto out;
	for (ssize_t i = 0; i < ntops; i++) {
		struct stat st;

		if (lstat(tops[i], &st) < 0) {
			cg_logf(log, LOG_ERR, "manifest: %s: %m", tops[i]);
			goto out;
		}
		if (walk_top(w, tops[i]) < 0)
			goto out;
	}
	if (w->nents)
		qsort(w->ents, w->nents, sizeof(*w->ents), cent_cmp);
	fputs("# cronguard manifest 1: `sha256sum -c FILE` checks the hashes;\n"
	      "# `cronguard manifest verify FILE` also checks owners, modes, new and missing files.\n",
	      out);
	for (ssize_t i = 0; i < ntops; i++) {
		struct stat st;

		/* A single file is listed, not covered as a directory. */
		if (stat(tops[i], &st) == 0 && S_ISDIR(st.st_mode))
			put_path_line(out, "# cronguard: dir ", tops[i]);
	}
	for (size_t i = 0; i < w->nents; i++) {
		const struct cent *c = &w->ents[i];
		char hex[CG_SHA256_HEX];

		fprintf(out, "# cronguard: file uid=%u gid=%u mode=%04o ", (unsigned)c->st.st_uid,
			(unsigned)c->st.st_gid, (unsigned)(c->st.st_mode & 07777));
		put_escaped(out, c->path);
		fputc('\n', out);
		cg_sha256_hex(c->sha, hex);
		if (needs_escape(c->path))
			fputc('\\', out);
		fprintf(out, "%s  ", hex);
		put_escaped(out, c->path);
		fputc('\n', out);
	}
	if (fflush(out) != 0 || ferror(out)) {
		cg_logf(log, LOG_ERR, "manifest: writing: %m");
		goto out;
	}
	rc = r->nfindings ? 1 : 0;
out:
	free(w->ents);
	cg_arena_free(&a);
	return rc;
}
