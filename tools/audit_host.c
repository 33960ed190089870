/* audit_host.c - the host an audit reads: users and groups, cached lstat,
 * "who can write this?", and the findings list.
 *
 * With --root DIR the users and groups come from DIR/etc/passwd and
 * DIR/etc/group, parsed here: NSS would describe the machine running the
 * audit, not the image being audited.  Without --root, NSS. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safe_file.h"

static void normalise(const char *in, char *buf, size_t size);

/* Where the symlink p (a path inside the audited root) points, made absolute
 * and normalized into buf.  false when it cannot be read. */
static bool link_target(struct audit *a, const char *p, char *buf, size_t size)
{
	char target[PATH_MAX], full[2 * PATH_MAX + 2];
	ssize_t n = readlink(audit_path(a, p), target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	if (target[0] == '/') {
		snprintf(full, sizeof(full), "%s", target);
	} else {
		const char *slash = strrchr(p, '/');

		snprintf(full, sizeof(full), "%.*s/%s", (int)(slash - p), p, target);
	}
	normalise(full, buf, size);
	return true;
}

/* ---- small string-keyed hash (stat and verdict cache) ---- */

struct sc_ent {
	const char *key;        /* arena */
	bool exists;
	struct stat st;
	bool verdict_done;
	const char *verdict;
};

struct stat_cache {
	struct sc_ent *v;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void oom(void)
{
	fprintf(stderr, "cronguard audit: out of memory\n");
	exit(2);
}

static struct sc_ent *sc_get(struct audit *a, const char *key, bool *fresh)
{
	struct stat_cache *c = a->sc;

	if ((c->n + 1) * 2 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 1024;
		struct sc_ent *nv = calloc(ncap, sizeof(*nv));

		if (!nv)
			oom();
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->v[i].key)
				continue;
			size_t j = hash_str(c->v[i].key) & (ncap - 1);

			while (nv[j].key)
				j = (j + 1) & (ncap - 1);
			nv[j] = c->v[i];
		}
		free(c->v);
		c->v = nv;
		c->cap = ncap;
	}
	size_t j = hash_str(key) & (c->cap - 1);

	while (c->v[j].key) {
		if (!strcmp(c->v[j].key, key)) {
			*fresh = false;
			return &c->v[j];
		}
		j = (j + 1) & (c->cap - 1);
	}
	c->v[j].key = cg_arena_strdup(&a->arena, key);
	if (!c->v[j].key)
		oom();
	c->n++;
	*fresh = true;
	return &c->v[j];
}

char *audit_printf(struct audit *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	char *r = cg_arena_strdup(&a->arena, s);

	free(s);
	if (!r)
		oom();
	return r;
}

const char *audit_path(struct audit *a, const char *host_path)
{
	if (!*a->root)
		return host_path;
	return audit_printf(a, "%s%s", a->root, host_path);
}

const struct stat *audit_lstat(struct audit *a, const char *host_path)
{
	bool fresh;
	struct sc_ent *e = sc_get(a, host_path, &fresh);

	if (fresh)
		e->exists = lstat(audit_path(a, host_path), &e->st) == 0;
	return e->exists ? &e->st : NULL;
}

char *audit_read(struct audit *a, const char *host_path, size_t *len)
{
	char *text;
	struct stat st;
	size_t l;

	if (cg_read_file_at(&a->arena, AT_FDCWD, audit_path(a, host_path), false, &text, &l, &st) < 0)
		return NULL;
	if (len)
		*len = l;
	return text;
}

const char *audit_follow(struct audit *a, const char *host_path)
{
	const char *p = host_path;

	for (int depth = 0; depth < 8; depth++) {
		const struct stat *st = audit_lstat(a, p);
		char norm[PATH_MAX];

		if (!st || !S_ISLNK(st->st_mode))
			return p;
		if (!link_target(a, p, norm, sizeof(norm)))
			return p;
		p = audit_printf(a, "%s", norm);
	}
	return p;
}

/* ---- users and groups ---- */

static bool add_user(struct audit *a, const char *name, uid_t uid, gid_t gid,
		     const char *home, const char *shell, size_t *cap)
{
	if (a->nusers == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		struct au_user *v = realloc(a->users, *cap * sizeof(*v));

		if (!v)
			return false;
		a->users = v;
	}
	struct au_user *u = &a->users[a->nusers];

	u->name = cg_arena_strdup(&a->arena, name);
	u->home = cg_arena_strdup(&a->arena, home ? home : "");
	u->shell = cg_arena_strdup(&a->arena, shell ? shell : "");
	if (!u->name || !u->home || !u->shell)
		return false;
	u->uid = uid;
	u->gid = gid;
	a->nusers++;
	return true;
}

static bool add_group(struct audit *a, const char *name, gid_t gid, const char *members,
		      size_t *cap)
{
	if (a->ngroups == *cap) {
		*cap = *cap ? *cap * 2 : 128;
		struct au_group *v = realloc(a->groups, *cap * sizeof(*v));

		if (!v)
			return false;
		a->groups = v;
	}
	struct au_group *g = &a->groups[a->ngroups];
	size_t n = 0;

	g->name = cg_arena_strdup(&a->arena, name);
	if (!g->name)
		return false;
	g->gid = gid;
	for (const char *p = members; p && *p; p++)
		if (*p == ',')
			n++;
	g->members = cg_arena_zalloc(&a->arena, (n + 2) * sizeof(*g->members));
	if (!g->members)
		return false;
	g->nmembers = 0;
	while (members && *members) {
		size_t l = strcspn(members, ",");

		if (l) {
			g->members[g->nmembers] = cg_arena_strndup(&a->arena, members, l);
			if (!g->members[g->nmembers])
				return false;
			g->nmembers++;
		}
		members += l;
		if (*members == ',')
			members++;
	}
	a->ngroups++;
	return true;
}

/* Splits a colon-separated line into at most max fields (in place). */
static size_t split_colon(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == ':') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static bool parse_id(const char *s, unsigned long *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && !errno && *v <= UINT32_MAX;
}

static int load_db_files(struct audit *a)
{
	size_t len, ucap = 0, gcap = 0;
	char *text = audit_read(a, "/etc/passwd", &len);

	if (!text) {
		fprintf(stderr, "cronguard audit: %s/etc/passwd: %s\n", a->root, strerror(errno));
		return -1;
	}
	for (char *line = text, *next; line && *line; line = next) {
		char *f[7];
		unsigned long uid, gid;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || !*line)
			continue;
		if (split_colon(line, f, 7) < 7 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid))
			continue;
		if (!add_user(a, f[0], (uid_t)uid, (gid_t)gid, f[5], f[6], &ucap))
			return -1;
	}
	text = audit_read(a, "/etc/group", &len);
	if (!text) {
		fprintf(stderr, "cronguard audit: %s/etc/group: %s\n", a->root, strerror(errno));
		return -1;
	}
	for (char *line = text, *next; line && *line; line = next) {
		char *f[4];
		unsigned long gid;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || !*line)
			continue;
		if (split_colon(line, f, 4) < 4 || !parse_id(f[2], &gid))
			continue;
		if (!add_group(a, f[0], (gid_t)gid, f[3], &gcap))
			return -1;
	}
	return 0;
}

static int load_db_nss(struct audit *a)
{
	size_t ucap = 0, gcap = 0;
	struct passwd *pw;
	struct group *gr;

	setpwent();
	while ((pw = getpwent()))
		if (!add_user(a, pw->pw_name, pw->pw_uid, pw->pw_gid, pw->pw_dir, pw->pw_shell, &ucap))
			return -1;
	endpwent();
	setgrent();
	while ((gr = getgrent())) {
		char *m = NULL;
		size_t ml = 0;
		FILE *ms = open_memstream(&m, &ml);

		if (!ms)
			return -1;
		for (char **p = gr->gr_mem; p && *p; p++)
			fprintf(ms, "%s%s", p == gr->gr_mem ? "" : ",", *p);
		fclose(ms);
		bool ok = add_group(a, gr->gr_name, gr->gr_gid, m, &gcap);

		free(m);
		if (!ok)
			return -1;
	}
	endgrent();
	return 0;
}

static int build_user_hash(struct audit *a)
{
	size_t cap = 64;

	while (cap < a->nusers * 2 + 2)
		cap *= 2;
	a->user_hash = calloc(cap, sizeof(*a->user_hash));
	if (!a->user_hash)
		return -1;
	a->user_hash_cap = cap;
	for (size_t i = 0; i < a->nusers; i++) {
		size_t j = hash_str(a->users[i].name) & (cap - 1);

		while (a->user_hash[j]) {
			/* passwd lookups return the first entry of a name. */
			if (!strcmp(a->users[a->user_hash[j] - 1].name, a->users[i].name))
				goto next;
			j = (j + 1) & (cap - 1);
		}
		a->user_hash[j] = i + 1;
next:;
	}
	return 0;
}

const struct au_user *audit_user(const struct audit *a, const char *name)
{
	size_t j = hash_str(name) & (a->user_hash_cap - 1);

	while (a->user_hash[j]) {
		const struct au_user *u = &a->users[a->user_hash[j] - 1];

		if (!strcmp(u->name, name))
			return u;
		j = (j + 1) & (a->user_hash_cap - 1);
	}
	return NULL;
}

const struct au_user *audit_user_by_uid(const struct audit *a, uid_t uid)
{
	for (size_t i = 0; i < a->nusers; i++)
		if (a->users[i].uid == uid)
			return &a->users[i];
	return NULL;
}

const struct au_group *audit_group_by_gid(const struct audit *a, gid_t gid)
{
	for (size_t i = 0; i < a->ngroups; i++)
		if (a->groups[i].gid == gid)
			return &a->groups[i];
	return NULL;
}

const char *audit_user_name(struct audit *a, uid_t uid)
{
	const struct au_user *u = audit_user_by_uid(a, uid);

	return u ? u->name : audit_printf(a, "uid %u", (unsigned)uid);
}

const char *audit_group_name(struct audit *a, gid_t gid)
{
	const struct au_group *g = audit_group_by_gid(a, gid);

	return g ? g->name : audit_printf(a, "gid %u", (unsigned)gid);
}

int audit_init(struct audit *a, const char *root)
{
	memset(a, 0, sizeof(*a));
	a->sc = calloc(1, sizeof(*a->sc));
	if (!a->sc)
		return -1;
	if (root && *root && strcmp(root, "/")) {
		size_t n = strlen(root);

		while (n > 1 && root[n - 1] == '/')
			n--;
		a->root = cg_arena_strndup(&a->arena, root, n);
		if (!a->root)
			return -1;
		if (load_db_files(a) < 0)
			return -1;
	} else {
		a->root = "";
		if (load_db_nss(a) < 0)
			return -1;
	}
	return build_user_hash(a);
}

void audit_fini(struct audit *a)
{
	free(a->users);
	free(a->groups);
	free(a->user_hash);
	if (a->sc)
		free(a->sc->v);
	free(a->sc);
	free(a->f);
	cg_arena_free(&a->arena);
}

/* ---- findings ---- */

void audit_add(struct audit *a, enum audit_id id, const char *file, unsigned line,
	       const char *fix, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->nf == a->capf) {
		size_t cap = a->capf ? a->capf * 2 : 64;
		struct finding *v = realloc(a->f, cap * sizeof(*v));

		if (!v)
			oom();
		a->f = v;
		a->capf = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	struct finding *f = &a->f[a->nf++];

	f->id = id;
	f->sev = audit_rule(id)->sev;
	f->file = cg_arena_strdup(&a->arena, file);
	f->line = line;
	f->evidence = cg_arena_strdup(&a->arena, s);
	f->fix = fix;
	free(s);
	if (!f->file || !f->evidence)
		oom();
}

/* ---- who can write a path ---- */

static bool group_trusted(const struct audit *a, gid_t gid, uid_t trusted)
{
	if (gid == 0)
		return true;
	if (trusted == (uid_t)-1 || trusted == 0)
		return false;
	/* The user's own primary group, if nobody else is in it. */
	const struct au_user *u = audit_user_by_uid(a, trusted);
	const struct au_group *g = audit_group_by_gid(a, gid);

	if (!u || u->gid != gid)
		return false;
	if (g)
		for (size_t i = 0; i < g->nmembers; i++)
			if (strcmp(g->members[i], u->name))
				return false;
	return true;
}

static bool owner_trusted(uid_t owner, uid_t trusted)
{
	return owner == 0 || (trusted != (uid_t)-1 && owner == trusted);
}

/* Normalises an absolute path ('.', '..', '//') into buf. */
static void normalise(const char *in, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	while (*in) {
		while (*in == '/')
			in++;
		size_t l = strcspn(in, "/");

		if (!l)
			break;
		if (l == 1 && in[0] == '.') {
			/* nothing */
		} else if (l == 2 && in[0] == '.' && in[1] == '.') {
			while (o > 0 && buf[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			buf[o] = '\0';
		} else if (o + 1 + l < size) {
			buf[o++] = '/';
			memcpy(buf + o, in, l);
			o += l;
			buf[o] = '\0';
		}
		in += l;
	}
	if (!o) {
		buf[0] = '/';
		buf[1] = '\0';
	}
}

static const char *who_writes(struct audit *a, const char *path, uid_t trusted, int depth);

static const char *check_one(struct audit *a, const char *p, const struct stat *st,
			     bool parent_sticky_ww, uid_t trusted, bool last, int depth)
{
	if (parent_sticky_ww && !owner_trusted(st->st_uid, trusted))
		return audit_printf(a, "%s is owned by %s in a world-writable sticky directory", p,
				    audit_user_name(a, st->st_uid));
	if (S_ISLNK(st->st_mode)) {
		char norm[PATH_MAX];

		if (depth > 8 || !link_target(a, p, norm, sizeof(norm)))
			return NULL;
		return who_writes(a, norm, trusted, depth + 1);
	}
	if (!owner_trusted(st->st_uid, trusted))
		return audit_printf(a, "%s is owned by %s", p, audit_user_name(a, st->st_uid));
	if ((st->st_mode & S_IWGRP) && !group_trusted(a, st->st_gid, trusted))
		return audit_printf(a, "%s is writable by group %s (mode %04o)", p,
				    audit_group_name(a, st->st_gid), st->st_mode & 07777);
	if ((st->st_mode & S_IWOTH) && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && !last))
		return audit_printf(a, "%s is writable by everyone (mode %04o)", p,
				    st->st_mode & 07777);
	return NULL;
}

static const char *who_writes(struct audit *a, const char *path, uid_t trusted, int depth)
{
	char key[PATH_MAX + 32];
	bool fresh;

	snprintf(key, sizeof(key), "\x01%d:%s", (int)trusted, path);
	struct sc_ent *e = sc_get(a, key, &fresh);

	if (!fresh && e->verdict_done)
		return e->verdict;
	/* Walk from / down: the first weak component decides. */
	char cur[PATH_MAX];
	size_t o = 0;
	const char *p = path, *res = NULL;
	bool sticky_ww = false;
	const struct stat *st = audit_lstat(a, "/");

	if (st && (res = check_one(a, "/", st, false, trusted, !strcmp(path, "/"), depth)))
		goto done;
	sticky_ww = st && (st->st_mode & S_IWOTH) && (st->st_mode & S_ISVTX);
	while (*p) {
		while (*p == '/')
			p++;
		size_t l = strcspn(p, "/");

		if (!l || o + 1 + l >= sizeof(cur))
			break;
		cur[o++] = '/';
		memcpy(cur + o, p, l);
		o += l;
		cur[o] = '\0';
		p += l;
		bool last = !p[strspn(p, "/")];

		st = audit_lstat(a, cur);
		if (!st) {
			/* Missing: whoever may create it here controls it.
			 * Writable parents were reported above; a sticky
			 * world-writable one lets anyone create the name. */
			if (sticky_ww)
				res = audit_printf(a, "%s does not exist and anyone can create it "
						   "(world-writable directory)", cur);
			break;
		}
		res = check_one(a, cur, st, sticky_ww, trusted, last, depth);
		if (res || S_ISLNK(st->st_mode))
			break;          /* a link's target was checked whole */
		sticky_ww = S_ISDIR(st->st_mode) && (st->st_mode & S_IWOTH) && (st->st_mode & S_ISVTX);
	}
done:
	e = sc_get(a, key, &fresh);     /* the table may have grown */
	e->verdict_done = true;
	e->verdict = res;
	return res;
}

const char *audit_writable_by_others(struct audit *a, const char *host_path, uid_t trusted)
{
	char norm[PATH_MAX];

	if (host_path[0] != '/')
		return NULL;
	normalise(host_path, norm, sizeof(norm));
	return who_writes(a, norm, trusted, 0);
}
