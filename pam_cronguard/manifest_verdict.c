/* manifest_verdict.c - see manifest_verdict.h. */
#include "manifest_verdict.h"
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

/* "CGMV"; host byte order (the file never leaves the host).  Layout: this
 * header, count entries, then strbytes of NUL-terminated names. */
enum { MV_MAGIC = 0x564d4743, MV_VERSION = 2 };
/* A verdict of more than this is not read (65,536 files of long names). */
enum { MV_MAX_SIZE = 32 << 20 };


struct mv_hdr {
	uint32_t magic, version, count, strbytes;
};

/* The file name: FNV-1a of the manifest path and directories.  It only
 * spreads verdicts over names; the file itself holds the strings. */
static void file_name(const char *manifest, const struct cg_strlist *dirs, char out[CG_MVERDICT_NAME])
{
	uint64_t h = cg_fnv1a(0xcbf29ce484222325ULL, manifest);

	for (size_t i = 0; dirs && i < dirs->n; i++)
		h = cg_fnv1a(h, dirs->v[i]);
	snprintf(out, CG_MVERDICT_NAME, "verdict-%016" PRIx64, h);
}

/* Reads a trusted verdict file whole and checks its framing: entries, then
 * a NUL-terminated string table every name points into.  Returns the
 * buffer (free it) or NULL. */
static void *load(const char *dir, const char *name, size_t *count)
{
	struct mv_hdr h;
	size_t size;
	const struct cg_mverdict_ent *e;
	const char *str;
	unsigned char *buf = cg_cache_read(dir, name, sizeof(h), MV_MAX_SIZE, &size);

	if (!buf)
		return NULL;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != MV_MAGIC || h.version != MV_VERSION || h.strbytes == 0 ||
	    h.count > (size - sizeof(h)) / sizeof(*e) ||
	    sizeof(h) + (size_t)h.count * sizeof(*e) + h.strbytes != size)
		goto bad;
	/* malloc's alignment, plus the 16-byte header: 8-aligned entries. */
	e = (const void *)(buf + sizeof(h));
	str = (const char *)(e + h.count);
	if (str[h.strbytes - 1] != '\0')
		goto bad;
	for (size_t i = 0; i < h.count; i++)
		if (e[i].name >= h.strbytes)
			goto bad;
	*count = h.count;
	return buf;
bad:
	free(buf);
	return NULL;
}

/* A top is recorded by its canonical name: reopen it without following a
 * symlink anywhere on the way (a parent renamed and replaced by a symlink
 * could otherwise lead to the same, unchanged directory). */
static int open_top(const char *path)
{
	return cg_openat2(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW,
			  CG_RESOLVE_NO_SYMLINKS);
}

bool cg_mverdict_holds(const char *cache_dir, const char *manifest,
		       const struct cg_strlist *dirs, size_t *files, size_t *dirs_seen)
{
	char name[CG_MVERDICT_NAME];
	size_t count, i = 0, ndirs = dirs ? dirs->n : 0, nfiles = 0, nd = 0;
	unsigned char *buf;
	const struct cg_mverdict_ent *e;
	const char *str;
	struct stat st;
	bool ok = false;
	int top = -1;

	file_name(manifest, dirs, name);
	buf = load(cache_dir, name, &count);
	if (!buf)
		return false;
	e = (const void *)(buf + sizeof(struct mv_hdr));
	str = (const char *)(e + count);
	/* The manifest: same path, still trusted, not changed. */
	if (count == 0 || e[0].kind != CG_MV_MANIFEST || strcmp(str + e[0].name, manifest) != 0 ||
	    fstatat(AT_FDCWD, manifest, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
	    cg_stat_untrusted(&st) || !cg_stat_key_same(&e[0].key, &st))
		goto out;
	/* The same directories asked for, in the same order. */
	for (i = 1; i < count && e[i].kind == CG_MV_DIRARG; i++)
		if (i > ndirs || strcmp(str + e[i].name, dirs->v[i - 1]) != 0)
			goto out;
	if (i - 1 != ndirs || i == count)
		goto out;
	for (; i < count; i++) {
		const char *n = str + e[i].name;

		if (e[i].kind == CG_MV_TOP) {
			if (top >= 0)
				close(top);
			top = open_top(n);
			if (top < 0 || fstat(top, &st) < 0 || !cg_stat_key_same(&e[i].key, &st))
				goto out;
			nd++;
		} else if (e[i].kind == CG_MV_BELOW && top >= 0) {
			if (fstatat(top, n, &st, AT_SYMLINK_NOFOLLOW) < 0 || !cg_stat_key_same(&e[i].key, &st))
				goto out;
			if (S_ISREG(st.st_mode))
				nfiles++;
			else
				nd++;
		} else {
			goto out;
		}
	}
	*files = nfiles;
	*dirs_seen = nd;
	ok = true;
out:
	if (top >= 0)
		close(top);
	free(buf);
	return ok;
}

/* Appends an entry named name (kind, and st when not NULL). */
static void add(struct cg_mverdict *m, enum cg_mv_kind kind, const char *name, const struct stat *st)
{
	size_t len = strlen(name) + 1;
	struct cg_mverdict_ent *e;

	if (m->spoiled)
		return;
	/* A change in the clock tick we started in could leave ctime as it
	 * is: such an entry proves nothing later. */
	if (st && !cg_cache_settled(st, &m->t0))
		goto spoil;
	/* A verdict the loader would refuse is not worth writing. */
	if (sizeof(struct mv_hdr) + (m->n + 1) * sizeof(*m->v) + m->slen + len > MV_MAX_SIZE)
		goto spoil;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		void *v = realloc(m->v, cap * sizeof(*m->v));

		if (!v)
			goto spoil;
		m->v = v;
		m->cap = cap;
	}
	if (m->slen + len > m->scap) {
		size_t cap = m->scap ? 2 * m->scap : 8192;
		char *s;

		while (cap < m->slen + len)
			cap *= 2;
		s = realloc(m->str, cap);
		if (!s)
			goto spoil;
		m->str = s;
		m->scap = cap;
	}
	if (m->slen + len > UINT32_MAX)
		goto spoil;
	e = &m->v[m->n++];
	memset(e, 0, sizeof(*e));
	if (st)
		cg_stat_key_fill(&e->key, st);
	e->kind = kind;
	e->name = (uint32_t)m->slen;
	memcpy(m->str + m->slen, name, len);
	m->slen += len;
	return;
spoil:
	m->spoiled = true;
}

void cg_mverdict_begin(struct cg_mverdict *m, const char *manifest,
		       const struct cg_strlist *dirs, const struct stat *manifest_st,
		       const struct timespec *t0)
{
	memset(m, 0, sizeof(*m));
	m->t0 = *t0;
	file_name(manifest, dirs, m->name);
	add(m, CG_MV_MANIFEST, manifest, manifest_st);
	for (size_t i = 0; dirs && i < dirs->n; i++)
		add(m, CG_MV_DIRARG, dirs->v[i], NULL);
}

void cg_mverdict_top(struct cg_mverdict *m, const char *top, const struct stat *st)
{
	size_t len = strlen(top);

	if (!m)
		return;
	m->rel = len == 1 ? 1 : len + 1;        /* "/" already ends in one */
	add(m, CG_MV_TOP, top, st);
}

void cg_mverdict_entry(struct cg_mverdict *m, const char *path, const struct stat *st)
{
	if (!m)
		return;
	if (m->rel == 0 || strlen(path) <= m->rel ||
	    !(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))) {
		m->spoiled = true;
		return;
	}
	add(m, CG_MV_BELOW, path + m->rel, st);
}

void cg_mverdict_dir_fs(struct cg_mverdict *m, int fd)
{
	struct statfs sf;

	if (!m || m->spoiled)
		return;
	if (fstatfs(fd, &sf) < 0 || cg_cache_remote_fs((long)sf.f_type))
		m->spoiled = true;
}

void cg_mverdict_spoil(struct cg_mverdict *m)
{
	if (m)
		m->spoiled = true;
}

int cg_mverdict_save(struct cg_mverdict *m, const char *cache_dir, const char **what)
{
	struct mv_hdr h = { MV_MAGIC, MV_VERSION, 0, 0 };
	struct iovec iov[3];
	bool has_top = false;

	*what = "";
	if (m->spoiled) {
		if (cg_cache_remove(cache_dir, m->name) < 0) {
			*what = "remove stale verdict";
			return -1;
		}
		return 0;
	}
	if (m->n == 0)
		return 0;
	for (size_t i = 0; i < m->n; i++)
		has_top |= m->v[i].kind == CG_MV_TOP;
	if (!has_top)
		return 0;
	h.count = (uint32_t)m->n;
	h.strbytes = (uint32_t)m->slen;
	iov[0] = (struct iovec){ &h, sizeof(h) };
	iov[1] = (struct iovec){ m->v, m->n * sizeof(*m->v) };
	iov[2] = (struct iovec){ m->str, m->slen };
	if (cg_cache_replace(cache_dir, m->name, iov, 3, what) < 0)
		return -1;
	return 1;
}

void cg_mverdict_free(struct cg_mverdict *m)
{
	free(m->v);
	free(m->str);
	memset(m, 0, sizeof(*m));
}
