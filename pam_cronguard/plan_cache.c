/* plan_cache.c - see plan_cache.h. */
#include "plan_cache.h"
#include "cache_dir.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

/* "CGPL"; host byte order (the file never leaves the host).  The version
 * changes with the layout below; the build tag (module version, struct
 * sizes) keeps a file written by another build from being read. */
enum { PC_MAGIC = 0x4c504743, PC_VERSION = 2 };
enum { PC_MAX_SIZE = 1 << 20, PC_NAME = 32 };
#define PC_NULL UINT32_MAX              /* a NULL string */

/* Every field of struct cg_plan is written below: a new field changes the
 * size, and this stops the build until it is written too. */
#if UINTPTR_MAX == 0xffffffffffffffffULL && defined(__x86_64__)
_Static_assert(sizeof(struct cg_plan) == 1304,
	       "struct cg_plan changed: update put_plan() and get_plan()");
#endif

/* --- bytes out ------------------------------------------------------------ */

struct out {
	unsigned char *b;
	size_t n, cap;
	bool oom;
};

static void put(struct out *o, const void *p, size_t len)
{
	if (o->oom)
		return;
	if (o->n + len > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 4096;
		unsigned char *nb;

		while (cap < o->n + len)
			cap *= 2;
		if (cap > PC_MAX_SIZE || !(nb = realloc(o->b, cap))) {
			o->oom = true;
			return;
		}
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->n, p, len);
	o->n += len;
}

static void put_u32(struct out *o, uint32_t v)
{
	put(o, &v, sizeof(v));
}

static void put_u64(struct out *o, uint64_t v)
{
	put(o, &v, sizeof(v));
}

static void put_str(struct out *o, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len >= PC_NULL) {
		o->oom = true;
		return;
	}
	put_u32(o, s ? (uint32_t)len : PC_NULL);
	if (s)
		put(o, s, len);
}

static void put_list(struct out *o, const struct cg_strlist *l)
{
	put_u32(o, (uint32_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		put_str(o, l->v[i]);
}

static void put_ports(struct out *o, const struct cg_port_list *l)
{
	put_u32(o, (uint32_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		put_u32(o, (uint32_t)l->v[i].lo << 16 | l->v[i].hi);
}

static void put_origin(struct out *o, const struct cg_origin *g)
{
	put_str(o, g->file);
	put_u32(o, g->line);
}

/* The build tag: a file from another build of the module is not read. */
static void put_tag(struct out *o)
{
	put_str(o, CG_VERSION);
	put_u32(o, (uint32_t)sizeof(struct cg_plan));
	put_u32(o, CG_KEY_COUNT);
	put_u32(o, RLIMIT_NLIMITS);
}

/* Everything but the arena and the identity (looked up afresh). */
static void put_plan(struct out *o, const struct cg_plan *p)
{
	put_u32(o, (uint32_t)p->mode);
	put_u32(o, p->allow);
	put_u32(o, p->strict);
	put_u32(o, p->exec_set);
	put_u32(o, p->read_set);
	put_u32(o, p->write_set);
	put_list(o, &p->exec);
	put_list(o, &p->interpreters);
	put_list(o, &p->read);
	put_list(o, &p->write);
	put_u32(o, p->network.any);
	put_ports(o, &p->network.connect);
	put_ports(o, &p->network.bind);
	put_u32(o, p->network.udp);
	put_u64(o, p->capabilities);
	put_u32(o, p->no_new_privs);
	put_u32(o, p->private_tmp);
	put_u32(o, p->protect_system);
	put_u32(o, p->scope_signals);
	put_u32(o, p->scope_abstract_unix);
	put_list(o, &p->env_deny);
	put_list(o, &p->env_set);
	put_list(o, &p->path);
	put_u32(o, (uint32_t)p->umask);
	put_u32(o, p->nice_set);
	put_u32(o, (uint32_t)p->nice);
	for (int i = 0; i < RLIMIT_NLIMITS; i++) {
		put_u32(o, p->limits[i].set);
		put_u64(o, (uint64_t)p->limits[i].soft);
		put_u64(o, (uint64_t)p->limits[i].hard);
	}
	put_str(o, p->apparmor);
	put_str(o, p->selinux);
	put_str(o, p->manifest);
	put_u32(o, p->mail);
	for (int i = 0; i < CG_KEY_COUNT; i++)
		put_origin(o, &p->origin[i]);
	for (int i = 0; i < RLIMIT_NLIMITS; i++)
		put_origin(o, &p->limit_origin[i]);
}

/* The bytes written, or NULL (freed) when writing ran out of memory. */
static void *bytes_of(struct out *o, size_t *len)
{
	if (o->oom) {
		free(o->b);
		return NULL;
	}
	*len = o->n;
	return o->b;
}

void *cg_plan_serialize(const struct cg_plan *p, size_t *len)
{
	struct out o = { 0 };

	put_plan(&o, p);
	return bytes_of(&o, len);
}

/* Landlock rules prepared for the plan (apply.h), after it; their deps are
 * stored with the other inputs. */
static void put_prepared(struct out *o, const struct cg_ll_prepared *ll)
{
	bool have = ll && ll->abi > 0;

	put_u32(o, have);
	if (!have)
		return;
	put_u32(o, (uint32_t)ll->abi);
	put_u32(o, ll->mail_safe);
	put_u64(o, ll->handled);
	put_u32(o, (uint32_t)ll->nrules);
	for (size_t k = 0; k < ll->nrules; k++) {
		put_str(o, ll->rules[k].path);
		put_u64(o, ll->rules[k].access);
		put_u32(o, ll->rules[k].dir);
	}
}

void *cg_ll_prepared_serialize(const struct cg_ll_prepared *ll, size_t *len)
{
	struct out o = { 0 };

	put_prepared(&o, ll);
	return bytes_of(&o, len);
}

/* --- bytes in ------------------------------------------------------------- */

struct in {
	const unsigned char *p, *end;
	struct cg_arena *arena;         /* where strings go (NULL: not kept) */
	bool bad;
};

static void get(struct in *i, void *dst, size_t len)
{
	if (i->bad || (size_t)(i->end - i->p) < len) {
		i->bad = true;
		memset(dst, 0, len);
		return;
	}
	memcpy(dst, i->p, len);
	i->p += len;
}

static uint32_t get_u32(struct in *i)
{
	uint32_t v;

	get(i, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct in *i)
{
	uint64_t v;

	get(i, &v, sizeof(v));
	return v;
}

static bool get_bool(struct in *i)
{
	uint32_t v = get_u32(i);

	if (v > 1)
		i->bad = true;
	return v == 1;
}

/* A string as stored, NUL-terminated in the arena; NULL for a NULL (and on
 * a malformed buffer, with i->bad). */
static const char *get_str(struct in *i)
{
	uint32_t len = get_u32(i);
	char *s;

	if (i->bad || len == PC_NULL)
		return NULL;
	if ((size_t)(i->end - i->p) < len || memchr(i->p, '\0', len)) {
		i->bad = true;
		return NULL;
	}
	s = cg_arena_alloc(i->arena, (size_t)len + 1);
	if (!s) {
		i->bad = true;
		return NULL;
	}
	memcpy(s, i->p, len);
	s[len] = '\0';
	i->p += len;
	return s;
}

/* Does the next stored string equal s (both NULL, or the same bytes)? */
static bool same_str(struct in *i, const char *s)
{
	uint32_t len = get_u32(i);
	bool same;

	if (i->bad)
		return false;
	if (len == PC_NULL)
		return s == NULL;
	if ((size_t)(i->end - i->p) < len) {
		i->bad = true;
		return false;
	}
	same = s && strlen(s) == len && memcmp(i->p, s, len) == 0;
	i->p += len;
	return same;
}

/* A count of items at least min_item bytes each that the rest can hold. */
static size_t get_count(struct in *i, size_t min_item)
{
	uint32_t n = get_u32(i);

	if (!i->bad && (size_t)n > (size_t)(i->end - i->p) / min_item)
		i->bad = true;
	return i->bad ? 0 : n;
}

static void get_list(struct in *i, struct cg_strlist *l)
{
	size_t n = get_count(i, sizeof(uint32_t));
	const char **v = n ? cg_arena_alloc(i->arena, n * sizeof(*v)) : NULL;

	l->v = v;
	l->n = 0;
	if (n && !v) {
		i->bad = true;
		return;
	}
	for (size_t k = 0; k < n && !i->bad; k++) {
		v[k] = get_str(i);
		if (!v[k])
			i->bad = true;
		else
			l->n++;
	}
}

static void get_ports(struct in *i, struct cg_port_list *l)
{
	size_t n = get_count(i, sizeof(uint32_t));

	l->n = 0;
	l->v = n ? cg_arena_alloc(i->arena, n * sizeof(*l->v)) : NULL;
	if (n && !l->v) {
		i->bad = true;
		return;
	}
	for (size_t k = 0; k < n && !i->bad; k++) {
		uint32_t r = get_u32(i);

		l->v[k].lo = (uint16_t)(r >> 16);
		l->v[k].hi = (uint16_t)r;
		if (l->v[k].lo > l->v[k].hi)
			i->bad = true;
		else
			l->n++;
	}
}

static void get_origin(struct in *i, struct cg_origin *g)
{
	g->file = get_str(i);
	g->line = get_u32(i);
}

static bool same_tag(struct in *i)
{
	return same_str(i, CG_VERSION) && get_u32(i) == (uint32_t)sizeof(struct cg_plan) &&
	       get_u32(i) == CG_KEY_COUNT && get_u32(i) == RLIMIT_NLIMITS && !i->bad;
}

static bool absolute(const struct cg_strlist *l)
{
	for (size_t k = 0; k < l->n; k++)
		if (l->v[k][0] != '/')
			return false;
	return true;
}

static bool assignments(const struct cg_strlist *l)
{
	for (size_t k = 0; k < l->n; k++)
		if (l->v[k][0] == '=' || !strchr(l->v[k], '='))
			return false;
	return true;
}

static void get_plan(struct in *i, struct cg_plan *p)
{
	uint32_t mode = get_u32(i);

	if (mode > CG_MODE_OFF)
		i->bad = true;
	p->mode = (enum cg_mode)mode;
	p->allow = get_bool(i);
	p->strict = get_bool(i);
	p->exec_set = get_bool(i);
	p->read_set = get_bool(i);
	p->write_set = get_bool(i);
	get_list(i, &p->exec);
	get_list(i, &p->interpreters);
	get_list(i, &p->read);
	get_list(i, &p->write);
	p->network.any = get_bool(i);
	get_ports(i, &p->network.connect);
	get_ports(i, &p->network.bind);
	p->network.udp = get_bool(i);
	p->capabilities = get_u64(i);
	p->no_new_privs = get_bool(i);
	p->private_tmp = get_bool(i);
	p->protect_system = get_bool(i);
	p->scope_signals = get_bool(i);
	p->scope_abstract_unix = get_bool(i);
	get_list(i, &p->env_deny);
	get_list(i, &p->env_set);
	get_list(i, &p->path);
	p->umask = (int)get_u32(i);
	p->nice_set = get_bool(i);
	p->nice = (int)get_u32(i);
	for (int k = 0; k < RLIMIT_NLIMITS; k++) {
		p->limits[k].set = get_bool(i);
		p->limits[k].soft = (rlim_t)get_u64(i);
		p->limits[k].hard = (rlim_t)get_u64(i);
	}
	p->apparmor = get_str(i);
	p->selinux = get_str(i);
	p->manifest = get_str(i);
	p->mail = get_bool(i);
	for (int k = 0; k < CG_KEY_COUNT; k++)
		get_origin(i, &p->origin[k]);
	for (int k = 0; k < RLIMIT_NLIMITS; k++)
		get_origin(i, &p->limit_origin[k]);
	/* What the resolver guarantees, checked again: the reader must not
	 * hand the rest of the module a plan it could never have made. */
	if (p->umask < -1 || p->umask > 0777 || p->nice < -20 || p->nice > 19 ||
	    !absolute(&p->exec) || !absolute(&p->interpreters) || !absolute(&p->read) ||
	    !absolute(&p->write) || !absolute(&p->path) || !assignments(&p->env_set))
		i->bad = true;
	for (int k = 0; k < RLIMIT_NLIMITS; k++)
		if (p->limits[k].set && p->limits[k].soft > p->limits[k].hard)
			i->bad = true;
}

int cg_plan_deserialize(const void *buf, size_t len, struct cg_plan *p)
{
	struct in i = { buf, (const unsigned char *)buf + len, &p->arena, false };

	get_plan(&i, p);
	return i.bad || i.p != i.end ? -1 : 0;
}

/* Landlock's filesystem rights this build knows (ABI 7: bits 0..15). */
#define LL_FS_KNOWN ((1ULL << 16) - 1)

/* Checked as the plan is: rules the preparation could have made, or none
 * (abi 0).  The kernel checks the rights against the ruleset again. */
static void get_prepared(struct in *i, struct cg_ll_prepared *ll)
{
	size_t n;

	memset(ll, 0, sizeof(*ll));
	if (!get_bool(i))
		return;
	ll->abi = (int)get_u32(i);
	ll->mail_safe = get_bool(i);
	ll->handled = get_u64(i);
	n = get_count(i, sizeof(uint32_t) + sizeof(uint64_t) + sizeof(uint32_t));
	if (i->bad || ll->abi < 1 || ll->abi > 64 || !ll->handled ||
	    (ll->handled & ~LL_FS_KNOWN)) {
		i->bad = true;
		return;
	}
	ll->rules = n ? cg_arena_zalloc(i->arena, n * sizeof(*ll->rules)) : NULL;
	if (n && !ll->rules) {
		i->bad = true;
		return;
	}
	for (size_t k = 0; k < n && !i->bad; k++) {
		struct cg_ll_rule *r = &ll->rules[k];

		r->path = get_str(i);
		r->access = get_u64(i);
		r->dir = get_bool(i);
		if (!r->path || r->path[0] != '/' || !r->access || (r->access & ~ll->handled))
			i->bad = true;
		ll->nrules = k + 1;
	}
	if (i->bad)
		memset(ll, 0, sizeof(*ll));
}

int cg_ll_prepared_deserialize(const void *buf, size_t len, struct cg_arena *arena,
			       struct cg_ll_prepared *ll)
{
	struct in i = { buf, (const unsigned char *)buf + len, arena, false };

	get_prepared(&i, ll);
	return i.bad || i.p != i.end ? -1 : 0;
}

/* --- the cache file ------------------------------------------------------- */

/* plan-HASH: FNV-1a of the key's strings. */
static void file_name(const struct cg_pcache_key *k, char out[PC_NAME])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = cg_fnv1a(h, k->conffile);
	h = cg_fnv1a(h, k->files->spool_dir);
	h = cg_fnv1a(h, k->files->system_crontab);
	h = cg_fnv1a(h, k->files->system_dir);
	h = cg_fnv1a(h, k->files->cronie_names ? "1" : "0");
	h = cg_fnv1a(h, k->user);
	snprintf(out, PC_NAME, "plan-%016" PRIx64, h);
}

static void put_key(struct out *o, const struct cg_pcache_key *k)
{
	put_str(o, k->conffile);
	put_str(o, k->files->spool_dir);
	put_str(o, k->files->system_crontab);
	put_str(o, k->files->system_dir);
	put_u32(o, k->files->cronie_names);
	put_str(o, k->user);
}

static bool same_key(struct in *i, const struct cg_pcache_key *k)
{
	return same_str(i, k->conffile) && same_str(i, k->files->spool_dir) &&
	       same_str(i, k->files->system_crontab) && same_str(i, k->files->system_dir) &&
	       get_u32(i) == (uint32_t)k->files->cronie_names && same_str(i, k->user) &&
	       !i->bad;
}

static void put_identity(struct out *o, bool with_groups, const struct cg_identity *id)
{
	put_u32(o, with_groups);
	put_u32(o, (uint32_t)id->uid);
	put_u32(o, (uint32_t)id->gid);
	put_str(o, id->user);           /* as NSS spells it: %u, [user NAME] */
	put_str(o, id->home);
	put_str(o, id->shell);
	put_u32(o, (uint32_t)id->ngroups);
	for (size_t g = 0; g < id->ngroups; g++)
		put_str(o, id->groups[g]);
}

/* Looks the user up again, as the stored identity was looked up, and
 * compares; the fresh identity goes to *id (strings in arena). */
static bool same_identity(struct in *i, const char *user, struct cg_arena *arena,
			  struct cg_identity *id)
{
	bool with_groups = get_bool(i);
	uint32_t uid = get_u32(i), gid = get_u32(i);
	size_t n;

	if (i->bad || cg_identity_lookup_opt(arena, user, with_groups, id) < 0)
		return false;
	if (id->uid != (uid_t)uid || id->gid != (gid_t)gid || !same_str(i, id->user) ||
	    !same_str(i, id->home) || !same_str(i, id->shell))
		return false;
	n = get_count(i, sizeof(uint32_t));
	if (i->bad || n != id->ngroups)
		return false;
	for (size_t g = 0; g < n; g++)
		if (!same_str(i, id->groups[g]))
			return false;
	return true;
}

/* One file a decision read: its stat key, or absent. */
static void put_input(struct out *o, const char *path, const struct stat *st)
{
	struct cg_stat_key k;

	put_str(o, path);
	put_u32(o, st != NULL);
	if (st) {
		cg_stat_key_fill(&k, st);
		put(o, &k, sizeof(k));
	}
}

/* The next stored string, which must be an absolute path, into buf. */
static const char *get_path(struct in *i, char *buf, size_t size)
{
	uint32_t len = get_u32(i);

	if (i->bad || len == PC_NULL || len == 0 || len >= size ||
	    (size_t)(i->end - i->p) < len || memchr(i->p, '\0', len) || i->p[0] != '/') {
		i->bad = true;
		return NULL;
	}
	memcpy(buf, i->p, len);
	buf[len] = '\0';
	i->p += len;
	return buf;
}

static bool input_holds(struct in *i)
{
	char buf[4096];
	const char *path = get_path(i, buf, sizeof(buf));
	bool present = get_bool(i);
	struct cg_stat_key k;
	struct stat st;

	if (i->bad)
		return false;
	if (!present)
		return fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;
	get(i, &k, sizeof(k));
	return !i->bad && fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       cg_stat_key_same(&k, &st);
}

static bool dir_holds(struct in *i, struct cg_trust_memo *memo)
{
	char buf[4096];
	const char *dir = get_path(i, buf, sizeof(buf));

	return !i->bad && cg_gate_dir_untrusted(dir, memo) == NULL;
}

int cg_pcache_clock(struct timespec *t0)
{
	return clock_gettime(CLOCK_REALTIME_COARSE, t0);
}

bool cg_pcache_lookup(const char *dir, const struct cg_pcache_key *key, struct cg_plan *plan,
		      struct cg_ll_prepared *ll)
{
	char name[PC_NAME];
	size_t size, n;
	unsigned char *buf;
	struct in i;
	struct cg_identity id;
	struct cg_plan p;
	struct cg_trust_memo memo = { 0 };
	struct cg_ll_prepared prepared;
	bool ok = false;

	file_name(key, name);
	buf = cg_cache_read(dir, name, 2 * sizeof(uint32_t), PC_MAX_SIZE, &size);
	if (!buf)
		return false;
	memset(&p, 0, sizeof(p));
	i = (struct in){ buf, buf + size, &p.arena, false };
	if (get_u32(&i) != PC_MAGIC || get_u32(&i) != PC_VERSION || !same_tag(&i) ||
	    !same_key(&i, key) || !same_identity(&i, key->user, &p.arena, &id))
		goto out;
	n = get_count(&i, 2 * sizeof(uint32_t));
	for (size_t k = 0; k < n; k++)
		if (!input_holds(&i))
			goto out;
	n = get_count(&i, sizeof(uint32_t));
	for (size_t k = 0; k < n; k++)
		if (!dir_holds(&i, &memo))
			goto out;
	i.arena = &p.arena;
	get_plan(&i, &p);
	get_prepared(&i, &prepared);
	/* Only an allow is ever written: anything else is not ours. */
	if (i.bad || i.p != i.end || !p.allow || p.mode == CG_MODE_OFF)
		goto out;
	p.id = id;
	*plan = p;
	*ll = prepared;
	ok = true;
out:
	if (!ok)
		cg_plan_free(&p);
	free(buf);
	return ok;
}

/* Can the file, as it was read (in->st), vouch for what was read when a
 * later job finds it stat'ing the same?  Its ctime must be two seconds
 * older than t0 (any timestamp granularity up to FAT's), and it must not
 * live on a filesystem with another clock or an attribute cache.  An absent
 * file is judged by its directory's filesystem. */
static bool provable(const struct cg_input *in, const struct timespec *t0)
{
	char dir[4096];
	const char *where = in->path;
	struct statfs sf;

	if (!in->path || in->path[0] != '/')
		return false;
	if (in->present) {
		if (S_ISLNK(in->st.st_mode) || !cg_cache_settled_long(&in->st, t0))
			return false;
	} else if (cg_path_parent(in->path, dir, sizeof(dir))) {
		where = dir;
	} else {
		return false;
	}
	return statfs(where, &sf) == 0 && !cg_cache_remote_fs((long)sf.f_type);
}

/* The k-th file the decision read: the policy's, the gate's, then what
 * the Landlock rules' resolution depended on. */
static const struct cg_input *input_at(const struct cg_pcache_pending *pend,
				       const struct cg_gate_trace *t,
				       const struct cg_ll_prepared *ll, size_t k)
{
	if (k < pend->npolicy)
		return &pend->policy[k];
	k -= pend->npolicy;
	return k < t->nfiles ? &t->files[k] : &ll->deps[k - t->nfiles];
}

int cg_pcache_save(const char *dir, const struct cg_pcache_key *key,
		   const struct cg_pcache_pending *pend, const struct cg_plan *plan,
		   const struct cg_gate_trace *t, const struct cg_ll_prepared *ll,
		   const char **what)
{
	static const struct cg_ll_prepared none;
	size_t ninputs;
	struct out o = { 0 };
	struct iovec iov;
	char name[PC_NAME];
	bool ok = pend->armed && !t->unprovable;
	int rc;

	*what = "";
	if (!ll || ll->abi < 1)
		ll = &none;
	/* Rules whose resolution cannot be vouched for are left out; the
	 * decision is remembered all the same (each job then resolves the
	 * Landlock rules itself, as without them). */
	for (size_t k = 0; k < ll->ndeps; k++)
		if (!provable(&ll->deps[k], &pend->t0)) {
			ll = &none;
			break;
		}
	ninputs = pend->npolicy + t->nfiles + ll->ndeps;
	file_name(key, name);
	put_u32(&o, PC_MAGIC);
	put_u32(&o, PC_VERSION);
	put_tag(&o);
	put_key(&o, key);
	put_identity(&o, pend->with_groups, &plan->id);
	put_u32(&o, (uint32_t)ninputs);
	for (size_t k = 0; ok && k < ninputs; k++) {
		const struct cg_input *in = input_at(pend, t, ll, k);

		if (!provable(in, &pend->t0))
			ok = false;
		else
			put_input(&o, in->path, in->present ? &in->st : NULL);
	}
	put_u32(&o, (uint32_t)t->ndirs);
	for (size_t k = 0; k < t->ndirs; k++)
		put_str(&o, t->dirs[k]);
	put_plan(&o, plan);
	put_prepared(&o, ll);
	if (!ok || o.oom) {
		free(o.b);
		if (cg_cache_remove(dir, name) < 0) {
			*what = "remove stale plan";
			return -1;
		}
		return 0;
	}
	iov = (struct iovec){ o.b, o.n };
	rc = cg_cache_replace(dir, name, &iov, 1, what);
	free(o.b);
	return rc < 0 ? -1 : 1;
}
