/* confine_landlock.c - the plan's filesystem, TCP port and scope rules,
 * enforced by Landlock.
 *
 * Debian 12's <linux/landlock.h> only knows ABI <= 2, and the kernels cron
 * runs on go up to ABI 7 (6.18 here), so this file carries its own copy of
 * the UAPI and calls the three syscalls directly.  It probes the ABI and, as
 * the kernel's samples/landlock/sandboxer.c does, hands the kernel only the
 * rights it knows, logging what was dropped; a strict plan fails instead.
 *
 * Which accesses are handled follows the plan's rule for lists (plan.h): an
 * unset list leaves that access unconfined, a set one confines it to exactly
 * its entries.
 *   exec set   EXECUTE handled; granted with READ_FILE (running a file needs
 *              both) on the exec paths, the interpreters, the exact ELF
 *              interpreter (PT_INTERP) of each interpreter outside the exec
 *              paths, and the native one, which the programs in the exec
 *              paths (interpreters there included) use.
 *   read set   READ_FILE, READ_DIR handled; granted on read paths, exec
 *              paths and write paths (what a job may write it may read).
 *   write set  every modifying right handled; granted on write paths only.
 * A path both writable and executable is refused as a plan error, compared
 * as written (cg_plan_exec_write_overlap) and after resolving symlinks.
 *
 * Resolving the rules (symlinks, ELF interpreters, paths already covered)
 * is most of the syscalls.  cg_landlock_prepare() does it once, in record
 * mode: no ruleset, each rule's symlink-free path written down with its
 * rights, and every directory a decision looked into as a dep; the plan
 * cache keeps both while the deps stat the same.  The job then replays
 * the rules (open without symlinks, add), and resolves in full only when
 * a rule's path no longer opens that way. */
#include "apply.h"
#include "confine.h"
#include "safe_file.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* --- Landlock UAPI up to ABI 7 (include/uapi/linux/landlock.h) ---------- */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

struct cg_ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;   /* ABI 4 */
	uint64_t scoped;               /* ABI 6 */
};

struct cg_ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct cg_ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define CG_LL_CREATE_RULESET_VERSION (1U << 0)
#define CG_LL_RULE_PATH_BENEATH 1
#define CG_LL_RULE_NET_PORT 2

#define FS_EXECUTE      (1ULL << 0)
#define FS_WRITE_FILE   (1ULL << 1)
#define FS_READ_FILE    (1ULL << 2)
#define FS_READ_DIR     (1ULL << 3)
#define FS_REMOVE_DIR   (1ULL << 4)
#define FS_REMOVE_FILE  (1ULL << 5)
#define FS_MAKE_CHAR    (1ULL << 6)
#define FS_MAKE_DIR     (1ULL << 7)
#define FS_MAKE_REG     (1ULL << 8)
#define FS_MAKE_SOCK    (1ULL << 9)
#define FS_MAKE_FIFO    (1ULL << 10)
#define FS_MAKE_BLOCK   (1ULL << 11)
#define FS_MAKE_SYM     (1ULL << 12)
#define FS_REFER        (1ULL << 13)   /* ABI 2 */
#define FS_TRUNCATE     (1ULL << 14)   /* ABI 3 */
#define FS_IOCTL_DEV    (1ULL << 15)   /* ABI 5 */

#define NET_BIND_TCP    (1ULL << 0)    /* ABI 4 */
#define NET_CONNECT_TCP (1ULL << 1)

#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)   /* ABI 6 */
#define SCOPE_SIGNAL               (1ULL << 1)

#define RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1)  /* ABI 7 */

#define CG_LL_ABI_KNOWN 7

#define FS_READ  (FS_READ_FILE | FS_READ_DIR)
#define FS_WRITE (FS_WRITE_FILE | FS_REMOVE_DIR | FS_REMOVE_FILE | FS_MAKE_CHAR | \
		  FS_MAKE_DIR | FS_MAKE_REG | FS_MAKE_SOCK | FS_MAKE_FIFO | \
		  FS_MAKE_BLOCK | FS_MAKE_SYM | FS_REFER | FS_TRUNCATE | FS_IOCTL_DEV)
/* Rights that make sense on a file (the kernel refuses the others there). */
#define FS_FILE_RIGHTS (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

static uint64_t fs_rights_of_abi(int abi)
{
	uint64_t r = (FS_MAKE_SYM << 1) - 1;     /* ABI 1: bits 0..12 */

	if (abi >= 2)
		r |= FS_REFER;
	if (abi >= 3)
		r |= FS_TRUNCATE;
	if (abi >= 5)
		r |= FS_IOCTL_DEV;
	return r;
}

int cg_landlock_abi_limit;

int cg_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, CG_LL_CREATE_RULESET_VERSION);

	if (abi < 0)
		return 0;
	if (cg_landlock_abi_limit > 0 && abi > cg_landlock_abi_limit)
		abi = cg_landlock_abi_limit;
	return (int)abi;
}

/* --- the overlap rule ---------------------------------------------------- */

static const char *overlap(const char *w, const char *e)
{
	return cg_path_under(w, e) || cg_path_under(e, w) ? e : NULL;
}

const char *cg_plan_exec_write_overlap(const struct cg_plan *p, char *buf, size_t size)
{
	const struct cg_strlist *lists[] = { &p->exec, &p->interpreters };

	/* Only a plan that confines both can promise "never both": with exec
	 * unset everything is executable, with write unset file permissions
	 * decide what is writable. */
	if (!p->exec_set || !p->write_set)
		return NULL;
	for (size_t w = 0; w < p->write.n; w++)
		for (size_t l = 0; l < 2; l++)
			for (size_t i = 0; i < lists[l]->n; i++) {
				if (!overlap(p->write.v[w], lists[l]->v[i]))
					continue;
				snprintf(buf, size, "write path %s overlaps %s %s: a file "
					 "there would be both writable and executable",
					 p->write.v[w], l ? "interpreter" : "exec path",
					 lists[l]->v[i]);
				return buf;
			}
	return NULL;
}

/* --- building the ruleset ------------------------------------------------ */

/* Resolved paths of one list, for the overlap rule.  The first few live
 * in the struct itself: see the string pool below. */
enum { CANON_INLINE = 16 };

struct canon {
	char **v;                      /* inl, until it overflows to the heap */
	size_t n, cap;
	char *inl[CANON_INLINE];
};

/* A rule in the ruleset that later paths may fall under: a path beneath
 * a directory granted at least the same rights needs no rule of its own
 * (the shipped policy's /bin, /sbin, /lib, /lib64, its six interpreters and
 * their ELF interpreter all resolve beneath /usr).  Skipping such a rule
 * never changes what the job may do; it saves the job process an open,
 * a landlock_add_rule and a close each. */
struct grant {
	char *path;                    /* canonical */
	uint64_t rights;
	bool dir;
	int fd;                        /* the directory, kept open to prove a path
					* lies beneath it (openat2 RESOLVE_BENEATH), or -1 */
};

/* A symlink met on the way (/bin -> /usr/bin): later paths through it are
 * looked up where it leads. */
struct alias {
	char *from, *to;
};

enum { MAX_GRANTS = 32, MAX_ALIASES = 8 };

struct ll {
	int fd;
	int abi;
	uint64_t handled;              /* fs rights handled by the ruleset */
	const struct cg_logger *log;
	bool check_overlap;            /* exec and write both confined */
	struct canon exec, write;      /* resolved paths, for the overlap rule */
	size_t rules;
	/* Where the last path opened lives, when known without /proc: the
	 * plan's own string, or its realpath() opened without symlinks. */
	const char *real;
	struct grant grants[MAX_GRANTS];
	size_t ngrants;
	struct alias aliases[MAX_ALIASES];
	size_t naliases;
	/* Record mode (cg_landlock_prepare): no ruleset; each rule, and each
	 * directory or file a decision depended on, is written down here. */
	struct cg_ll_prepared *rec;
	struct cg_arena *rec_arena;
	bool rec_bad;                  /* something the record cannot vouch for */
	size_t pool_used;
	/* Not zeroed (see ll_init), written only as far as used, the pool
	 * first, next to the fields above: the fewer stack pages the job
	 * process writes, the fewer copy-on-write faults (about 3 us each on
	 * the dev VM).  The pool holds the strings above (grant paths,
	 * aliases, resolved paths) while they fit, instead of the heap. */
	char pool[2048];
	char resolved[PATH_MAX];
};

/* Zeroes everything but the two buffers at the end: an initializer would
 * clear all 6 KB, touching two more stack pages in the job process. */
static void ll_init(struct ll *ll, const struct cg_logger *log)
{
	memset(ll, 0, offsetof(struct ll, pool));
	ll->fd = -1;
	ll->log = log;
}

/* A copy of s in the pool, or on the heap when the pool is full. */
static char *ll_strdup(struct ll *ll, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n <= sizeof(ll->pool) - ll->pool_used) {
		char *d = ll->pool + ll->pool_used;

		memcpy(d, s, n);
		ll->pool_used += n;
		return d;
	}
	return strdup(s);
}

static void ll_free(struct ll *ll, char *s)
{
	if (s && (s < ll->pool || s >= ll->pool + sizeof(ll->pool)))
		free(s);
}

static int open_no_symlinks(const char *path, int flags)
{
	return cg_openat2(AT_FDCWD, path, flags, CG_RESOLVE_NO_SYMLINKS);
}

/* Opens path for a rule, and learns where it lives for the overlap rule
 * without asking /proc: the first readlink of /proc/self/fd in a fresh job
 * process costs about 28 us (procfs builds the new pid's entries), every
 * later one 1.5 us, and the shipped policy's exec paths /bin, /sbin, /lib
 * and /lib64 are symlinks on a merged-/usr system.  So: the path as
 * written when it holds no symlink (openat2 RESOLVE_NO_SYMLINKS), else its
 * realpath() opened the same way, which proves the descriptor is the file
 * that name resolves to now; only if that fails too (a symlink changed in
 * between, or no openat2) a plain open, and ll->real NULL sends add_fd to
 * /proc. */
/* Every page of stack or heap the job process writes for the first time
 * is a page fault (a copy, after fork), and they were a third of the
 * Landlock setup's time: so the shortcuts below use short buffers and
 * memcpy, not PATH_MAX arrays and snprintf (whose frame alone spans a
 * page).  A path that does not fit simply takes the long way. */
enum { SHORT_PATH = 512 };

/* out = a followed by b; false when it does not fit in size. */
static bool join(char *out, size_t size, const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen + blen >= size)
		return false;
	memcpy(out, a, alen);
	memcpy(out + alen, b, blen + 1);
	return true;
}

/* --- record mode ----------------------------------------------------- */

enum { PREP_MAX_RULES = 64, PREP_MAX_DEPS = 64 };

/* A dep of the record: path as it stats now, or absent (judged by its
 * directory).  A symlink itself is no dep: it cannot change in place, and
 * its directory, which a replacement changes, is one already (rec_walk
 * records every directory above).  The record vouches only for what root
 * alone can change (cg_stat_untrusted): what others can change (a home,
 * /tmp, where anyone may plant a symlink) may differ at the next job, or
 * already in the job's private /tmp, and would make the cache churn. */
static void rec_dep(struct ll *ll, const char *path, bool absent)
{
	struct cg_ll_prepared *r = ll->rec;
	char parent[SHORT_PATH];
	struct cg_input *in;
	struct stat st;

	if (!r || ll->rec_bad)
		return;
	for (size_t i = 0; i < r->ndeps; i++)
		if (strcmp(r->deps[i].path, path) == 0)
			return;
	if (r->ndeps == PREP_MAX_DEPS) {
		ll->rec_bad = true;
		return;
	}
	in = &r->deps[r->ndeps];
	memset(in, 0, sizeof(*in));
	in->present = !absent;
	if (absent) {
		if (!cg_path_parent(path, parent, sizeof(parent)) ||
		    fstatat(AT_FDCWD, parent, &st, 0) < 0 || cg_stat_untrusted(&st)) {
			ll->rec_bad = true;
			return;
		}
	} else if (fstatat(AT_FDCWD, path, &in->st, AT_SYMLINK_NOFOLLOW) < 0) {
		ll->rec_bad = true;
		return;
	} else if (S_ISLNK(in->st.st_mode)) {
		return;
	} else if (cg_stat_untrusted(&in->st)) {
		ll->rec_bad = true;
		return;
	}
	if (!(in->path = cg_arena_strdup(ll->rec_arena, path))) {
		ll->rec_bad = true;
		return;
	}
	r->ndeps++;
}

/* Deps on the directories a lookup of path looked into: from top (a
 * granted directory, or "/") down to path's parent.  Any entry of theirs
 * replaced (a symlink retargeted, a directory swapped for a symlink)
 * changes that directory's ctime. */
static void rec_walk(struct ll *ll, const char *path, const char *top)
{
	char dir[SHORT_PATH];
	size_t n = strlen(path), t = strlen(top);

	if (!ll->rec || ll->rec_bad)
		return;
	if (n >= sizeof(dir) || path[0] != '/') {
		ll->rec_bad = true;
		return;
	}
	memcpy(dir, path, n + 1);
	if (t <= 1)
		rec_dep(ll, "/", false);
	for (size_t i = 1; i < n; i++) {
		if (dir[i] != '/' || i < t)
			continue;
		dir[i] = '\0';
		rec_dep(ll, dir, false);
		dir[i] = '/';
	}
}

/* realpath() for the record: the same walk, component by component, with
 * a dep on every directory an entry was looked up in, the symlinks' own
 * included, so that any later change along the way shows.  Only when
 * preparing (in cron's middle process, once per remembered plan); the job
 * process uses realpath().  False when it does not resolve. */
static bool rec_realpath(struct ll *ll, const char *path, char *out, size_t size)
{
	char cur[PATH_MAX], rest[PATH_MAX], target[PATH_MAX];
	size_t curlen = 0;              /* cur[0..curlen): "" is "/" */
	const char *p;
	int hops = 0;

	if (path[0] != '/' || strlen(path) >= sizeof(rest))
		return false;
	memcpy(rest, path, strlen(path) + 1);
	cur[0] = '\0';
	for (p = rest; *p;) {
		size_t n;
		struct stat st;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		n = strcspn(p, "/");
		rec_dep(ll, curlen ? cur : "/", false);
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (curlen && cur[--curlen] != '/')
				;
			cur[curlen] = '\0';
			p += n;
			continue;
		}
		if (curlen + 1 + n >= sizeof(cur))
			return false;
		cur[curlen] = '/';
		memcpy(cur + curlen + 1, p, n);
		cur[curlen + 1 + n] = '\0';
		if (lstat(cur, &st) < 0)
			return false;
		if (S_ISLNK(st.st_mode)) {
			ssize_t k = readlink(cur, target, sizeof(target) - 1);
			size_t left = strlen(p + n);

			if (++hops > 40 || k <= 0 || (size_t)k + left >= sizeof(target))
				return false;
			memcpy(target + k, p + n, left + 1);
			memcpy(rest, target, (size_t)k + left + 1);
			p = rest;
			if (rest[0] == '/')
				curlen = 0;
			cur[curlen] = '\0';    /* back to the link's directory */
			continue;
		}
		if (!S_ISDIR(st.st_mode) && p[n] != '\0' && p[n + strspn(p + n, "/")] != '\0')
			return false;   /* ENOTDIR */
		curlen += 1 + n;
		p += n;
	}
	if (curlen + 1 > size || (!curlen && size < 2))
		return false;
	if (!curlen)
		memcpy(out, "/", 2);
	else
		memcpy(out, cur, curlen + 1);
	return true;
}

static void rec_rule(struct ll *ll, const char *real, uint64_t access, bool dir)
{
	struct cg_ll_prepared *r = ll->rec;
	struct cg_ll_rule *rule;

	if (ll->rec_bad)
		return;
	if (!real || r->nrules == PREP_MAX_RULES) {
		ll->rec_bad = true;
		return;
	}
	rule = &r->rules[r->nrules];
	rule->access = access;
	rule->dir = dir;
	if (!(rule->path = cg_arena_strdup(ll->rec_arena, real))) {
		ll->rec_bad = true;
		return;
	}
	r->nrules++;
}

/* The rule that already grants rights on canon (a canonical path): the
 * same path, or a directory above it. */
static const struct grant *granted(const struct ll *ll, const char *canon, uint64_t rights)
{
	for (size_t i = 0; i < ll->ngrants; i++) {
		const struct grant *g = &ll->grants[i];

		if ((rights & ~g->rights) == 0 &&
		    (strcmp(canon, g->path) == 0 || (g->dir && cg_path_under(canon, g->path))))
			return g;
	}
	return NULL;
}

static void remember_alias(struct ll *ll, const char *from, const char *to)
{
	struct alias *a;

	if (ll->naliases == MAX_ALIASES || strcmp(from, to) == 0)
		return;
	a = &ll->aliases[ll->naliases];
	a->from = ll_strdup(ll, from);
	a->to = ll_strdup(ll, to);
	if (!a->from || !a->to) {
		ll_free(ll, a->from);
		ll_free(ll, a->to);
		return;         /* only a shortcut lost */
	}
	ll->naliases++;
}

/* path with a known symlink prefix replaced by where it led; false when
 * it does not fit. */
static bool unalias(const struct ll *ll, const char *path, char *out, size_t size)
{
	for (size_t i = 0; i < ll->naliases; i++) {
		const struct alias *a = &ll->aliases[i];
		size_t n = strlen(a->from);

		if (strncmp(path, a->from, n) == 0 && path[n] == '/')
			return join(out, size, a->to, strlen(a->to), path + n);
	}
	return join(out, size, "", 0, path);
}

/* Is a symlink's target free of ".." (so that it means the same joined
 * to the link's directory as the kernel makes it mean)? */
static bool no_dotdot(const char *t)
{
	for (const char *c = t; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == t || c[-1] == '/') && (c[2] == '\0' || c[2] == '/'))
			return false;
	return true;
}

/* Where does the opened fd really live?  Falls back to the plan's path when
 * /proc is not there (the rule still applies; only the symlink-aware
 * overlap check loses precision). */
static void fd_path(int fd, const char *path, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1 || buf[0] != '/') {
		snprintf(buf, size, "%s", path);
		return;
	}
	buf[n] = '\0';
}

/* Opens path if it provably lies beneath a directory already granted
 * rights: the kernel resolves it from that directory's descriptor and
 * fails (EXDEV) if any step, symlinks included, leaves it.  An absolute
 * symlink at the end (/usr/lib64/ld-linux-x86-64.so.2 points to /lib/...)
 * is followed by hand, a few hops at most.  -1 otherwise. */
static int open_granted(struct ll *ll, const char *path, uint64_t rights, int flags)
{
	char cand[SHORT_PATH], target[SHORT_PATH];

	if (!unalias(ll, path, cand, sizeof(cand)))
		return -1;
	for (int hop = 0; hop < 4; hop++) {
		const struct grant *g = granted(ll, cand, rights);
		const char *rel;
		ssize_t n;
		int fd;

		if (!g || g->fd < 0)
			return -1;
		rel = cand + strlen(g->path);
		while (*rel == '/')
			rel++;
		if (!*rel)
			rel = ".";
		rec_walk(ll, cand, g->path);
		fd = cg_openat2(g->fd, rel, flags, CG_RESOLVE_BENEATH | CG_RESOLVE_NO_MAGICLINKS);
		if (fd >= 0 && ll->rec) {
			/* A relative symlink the kernel followed beneath g may
			 * have led elsewhere in it: that place's directories
			 * are deps too. */
			char real[SHORT_PATH];

			fd_path(fd, cand, real, sizeof(real));
			rec_walk(ll, real, g->path);
		}
		if (fd >= 0 || errno != EXDEV)
			return fd;
		n = readlinkat(g->fd, rel, target, sizeof(target) - 1);
		if (n <= 0 || (size_t)n >= sizeof(target) - 1 || target[0] != '/')
			return -1;
		target[n] = '\0';
		if (!unalias(ll, target, cand, sizeof(cand)))
			return -1;
	}
	return -1;
}

/* Does path provably lie beneath a directory granted rights?  A direct
 * child that is no symlink (/usr/bin, once /bin led there) takes one
 * fstatat() and no descriptor; anything else open_granted(). */
static bool covered_by_grant(struct ll *ll, const char *path, uint64_t rights)
{
	char cand[SHORT_PATH];
	const struct grant *g;
	struct stat st;
	int fd;

	if (unalias(ll, path, cand, sizeof(cand)) && (g = granted(ll, cand, rights)) &&
	    g->fd >= 0) {
		const char *rel = cand + strlen(g->path);

		while (*rel == '/')
			rel++;
		if (*rel && !strchr(rel, '/') && strcmp(rel, ".") != 0 && strcmp(rel, "..") != 0 &&
		    fstatat(g->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISLNK(st.st_mode)) {
			rec_dep(ll, g->path, false);
			return true;
		}
	}
	fd = open_granted(ll, path, rights, O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Opens path for a rule, as described above.  When may_skip and the path
 * turns out to resolve where a rule already grants rights, returns -1
 * with *covered set and nothing open. */
static int open_for_rule(struct ll *ll, const char *path, int flags, uint64_t rights,
			 bool may_skip, bool *covered)
{
	int fd = open_no_symlinks(path, flags);
	const struct grant *g;

	*covered = false;
	ll->real = path;
	if (fd >= 0) {
		if (may_skip && (g = granted(ll, path, rights))) {
			rec_walk(ll, path, g->path);
			close(fd);
			*covered = true;
			return -1;
		}
		return fd;
	}
	if (errno == ELOOP) {
		/* One hop first: /bin is "usr/bin", beneath the /usr rule. */
		ssize_t n = may_skip ? readlink(path, ll->resolved, sizeof(ll->resolved) - 1) : -1;

		if (n > 0 && (size_t)n < sizeof(ll->resolved) - 1) {
			char joined[SHORT_PATH];
			const char *slash = strrchr(path, '/');
			size_t dirlen = ll->resolved[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;

			ll->resolved[n] = '\0';
			if (join(joined, sizeof(joined), path, dirlen, ll->resolved) &&
			    no_dotdot(ll->resolved) && covered_by_grant(ll, joined, rights)) {
				rec_walk(ll, path, "/");
				remember_alias(ll, path, joined);
				*covered = true;
				return -1;
			}
		}
		if (ll->rec ? rec_realpath(ll, path, ll->resolved, sizeof(ll->resolved))
			    : realpath(path, ll->resolved) != NULL) {
			remember_alias(ll, path, ll->resolved);
			if (may_skip && granted(ll, ll->resolved, rights)) {
				*covered = true;
				return -1;
			}
			fd = open_no_symlinks(ll->resolved, flags);
			if (fd >= 0) {
				ll->real = ll->resolved;
				return fd;
			}
		}
	} else if (errno != ENOSYS && errno != EINVAL && errno != EXDEV) {
		return -1;
	}
	ll->real = NULL;
	if (ll->rec)            /* unresolvable, or resolved differently */
		ll->rec_bad = true;
	return open(path, flags | O_CLOEXEC);
}

static void canon_free(struct ll *ll, struct canon *c)
{
	for (size_t i = 0; i < c->n; i++)
		ll_free(ll, c->v[i]);
	if (c->v != c->inl)
		free(c->v);
}

static int canon_add(struct ll *ll, struct canon *c, const char *path)
{
	char *s;

	if (!c->v) {
		c->v = c->inl;
		c->cap = CANON_INLINE;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap * 2;
		char **nv = malloc(ncap * sizeof(*nv));

		if (!nv)
			return -1;
		memcpy(nv, c->v, c->n * sizeof(*nv));
		if (c->v != c->inl)
			free(c->v);
		c->v = nv;
		c->cap = ncap;
	}
	if (!(s = ll_strdup(ll, path)))
		return -1;
	c->v[c->n++] = s;
	return 0;
}

enum rule_kind { R_EXEC, R_READ, R_WRITE, R_DEVICE, R_REFER_ONLY };

/* Remembers where an exec or write rule really is, for the overlap rule. */
static int note_canon(struct ll *ll, enum rule_kind kind, const char *real)
{
	if (canon_add(ll, kind == R_EXEC ? &ll->exec : &ll->write, real) < 0) {
		cg_logf(ll->log, LOG_ERR, "landlock: out of memory");
		return -1;
	}
	return 0;
}

/* Adds the rule for an opened fd and remembers it as a grant.  Returns
 * 1 when the grant took the fd (a directory kept open for open_granted),
 * 0 when the caller still owns it, -1 on error. */
static int add_fd(struct ll *ll, int fd, const char *path, bool is_dir,
		  uint64_t want, enum rule_kind kind)
{
	struct cg_ll_path_beneath_attr attr;
	const char *real = ll->real;
	long rc;

	/* Resolved paths only matter when both lists confine. */
	if ((kind == R_EXEC || kind == R_WRITE) && ll->check_overlap) {
		if (!real) {    /* ll->resolved is free: realpath() failed */
			fd_path(fd, path, ll->resolved, sizeof(ll->resolved));
			real = ll->resolved;
		}
		if (note_canon(ll, kind, real) < 0)
			return -1;
	}
	attr.allowed_access = want & ll->handled;
	if (!is_dir)
		attr.allowed_access &= FS_FILE_RIGHTS;
	attr.parent_fd = fd;
	if (!attr.allowed_access)
		return 0;
	if (ll->rec) {
		rec_rule(ll, ll->real, attr.allowed_access, is_dir);
		rc = 0;
	} else {
		rc = syscall(SYS_landlock_add_rule, ll->fd, CG_LL_RULE_PATH_BENEATH, &attr, 0);
	}
	if (rc < 0) {
		cg_logf(ll->log, LOG_ERR, "landlock_add_rule(%s, %#llx): %m", path,
			(unsigned long long)attr.allowed_access);
		return -1;
	}
	ll->rules++;
	/* Only a rule whose real place is known without /proc can cover
	 * later paths (and a full table just means more rules). */
	if (ll->real && ll->ngrants < MAX_GRANTS) {
		struct grant *g = &ll->grants[ll->ngrants];

		g->path = ll_strdup(ll, ll->real);
		if (g->path) {
			g->rights = attr.allowed_access;
			g->dir = is_dir;
			g->fd = is_dir ? fd : -1;
			ll->ngrants++;
			return is_dir;
		}
	}
	return 0;
}

/* A path that cannot be opened gets no rule, after a log line: skipping
 * an allow rule only ever takes access away. */
static void no_rule(struct ll *ll, const char *path)
{
	/* Absent stays a dep; anything else the record cannot vouch for. */
	if (ll->rec && errno == ENOENT)
		rec_dep(ll, path, true);
	else if (ll->rec)
		ll->rec_bad = true;
	if (errno == ENOENT || errno == ENOTDIR)
		cg_logf(ll->log, LOG_DEBUG, "landlock: %s does not exist: no rule", path);
	else
		cg_logf(ll->log, LOG_WARNING, "landlock: open %s: %m: no rule", path);
}

/* One rule for path, unless one already covers it.  maybe_dir: try it as
 * a directory first (the lists name directories, mostly); otherwise it is
 * a file (a device, an ELF interpreter). */
static int add_path(struct ll *ll, const char *path, uint64_t want, enum rule_kind kind,
		    bool maybe_dir)
{
	uint64_t rights = want & ll->handled;
	bool covered, dir = false;
	int fd, rc;

	if (!rights)            /* nothing this ruleset handles */
		return 0;

	/* The very path of a rule already added (/dev/null, a write path and
	 * a device): nothing to open. */
	for (size_t i = 0; i < ll->ngrants; i++) {
		const struct grant *g = &ll->grants[i];
		uint64_t r = g->dir ? rights : rights & FS_FILE_RIGHTS;

		if (strcmp(path, g->path) != 0 || (r & ~g->rights) != 0)
			continue;
		/* Still a write or exec path for the overlap rule. */
		if ((kind == R_EXEC || kind == R_WRITE) && ll->check_overlap &&
		    note_canon(ll, kind, g->path) < 0)
			return -1;
		return 0;
	}
	if (covered_by_grant(ll, path, rights))
		return 0;
	if (maybe_dir) {
		fd = open_for_rule(ll, path, O_PATH | O_DIRECTORY, rights, true, &covered);
		dir = fd >= 0;
		if (fd < 0 && !covered && errno == ENOTDIR)
			fd = open_for_rule(ll, path, O_PATH, rights, true, &covered);
	} else {
		fd = open_for_rule(ll, path, O_PATH, rights & FS_FILE_RIGHTS, true, &covered);
	}
	if (covered)
		return 0;
	if (fd < 0) {
		no_rule(ll, path);
		return 0;
	}
	rc = add_fd(ll, fd, path, dir, want, kind);
	if (rc <= 0)
		close(fd);
	return rc < 0 ? -1 : 0;
}

static int add_list(struct ll *ll, const struct cg_strlist *l, uint64_t want, enum rule_kind kind)
{
	for (size_t i = 0; i < l->n; i++)
		if (add_path(ll, l->v[i], want, kind, true) < 0)
			return -1;
	return 0;
}

/* PT_INTERP of an ELF executable: the dynamic loader execve() maps, which
 * needs EXECUTE itself.  One read covers the headers and the string of
 * every ordinary executable; anything further out costs one more.  Returns
 * 1 with the path in out, 0 when the file has none (static, script, not
 * ELF, unreadable). */
static int elf_interp(int fd, char *out, size_t size)
{
	unsigned char buf[1024];
	ssize_t n = pread(fd, buf, sizeof(buf), 0);
	Elf64_Ehdr eh;

	if (n < (ssize_t)sizeof(eh))
		return 0;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 128)
		return 0;
	/* Offsets come from the file: compare without ever adding them. */
	if (eh.e_phoff > (uint64_t)INT64_MAX / 2)
		return 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		uint64_t off = eh.e_phoff + (uint64_t)i * sizeof(Elf64_Phdr);
		Elf64_Phdr ph;

		if (off <= (uint64_t)n && sizeof(ph) <= (uint64_t)n - off)
			memcpy(&ph, buf + off, sizeof(ph));
		else if (pread(fd, &ph, sizeof(ph), (off_t)off) != (ssize_t)sizeof(ph))
			return 0;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz < 2 || ph.p_filesz > size || ph.p_offset > (uint64_t)INT64_MAX)
			return 0;
		if (ph.p_offset <= (uint64_t)n && ph.p_filesz <= (uint64_t)n - ph.p_offset)
			memcpy(out, buf + ph.p_offset, ph.p_filesz);
		else if (pread(fd, out, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
			return 0;
		return out[ph.p_filesz - 1] == '\0' && out[0] == '/';
	}
	return 0;
}

struct inode_id {
	dev_t dev;
	ino_t ino;
};

/* Interpreters get EXECUTE and READ_FILE, and so do the ELF interpreters
 * they name (read from each once: /bin/sh, /usr/bin/sh and /bin/dash are
 * often one file) and the native one, for the exec paths' programs. */
static int add_interpreters(struct ll *ll, const struct cg_plan *p)
{
	const char *native =
#if defined(__x86_64__)
		"/lib64/ld-linux-x86-64.so.2";
#elif defined(__aarch64__)
		"/lib/ld-linux-aarch64.so.1";
#else
		NULL;
#endif
	const uint64_t want = FS_EXECUTE | FS_READ_FILE, rights = want & ll->handled;
	const int rd = O_RDONLY | O_NOCTTY | O_NONBLOCK;
	struct inode_id seen[16];
	/* An ELF interpreter's name is short (/lib64/ld-linux-x86-64.so.2);
	 * one longer than these buffers gets no rule of its own. */
	char interps[4][128], cand[SHORT_PATH], prev[SHORT_PATH];
	size_t nseen = 0, ninterps = 0;

	for (size_t i = 0; i < p->interpreters.n; i++) {
		const char *path = p->interpreters.v[i];
		struct stat st;
		bool dup = false, covered = false, skip;
		const struct grant *g;
		int fd, rc = 0;

		/* /bin/sh after /usr/bin/sh, once /bin is known to lead to
		 * /usr/bin: the same file, with no syscall to say so. */
		if (unalias(ll, path, cand, sizeof(cand)))
			for (size_t j = 0; j < i && !dup; j++)
				dup = unalias(ll, p->interpreters.v[j], prev, sizeof(prev)) &&
				      strcmp(prev, cand) == 0;
		if (dup)
			continue;
		/* Beneath an exec path already (/bin/sh is /usr/bin/dash): a
		 * program there like any other, which gets the native ELF
		 * interpreter below and no rule of its own.  Proven with an
		 * O_PATH open, not read: no fstat, pread and dedup per job. */
		fd = open_granted(ll, path, rights, O_PATH);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		/* Outside them: opened readable, to find its ELF interpreter. */
		fd = open_for_rule(ll, path, rd, rights, false, &skip);
		if (fd >= 0 && ll->real && (g = granted(ll, ll->real, rights))) {
			rec_walk(ll, ll->real, g->path);
			close(fd);
			continue;
		}
		/* Its PT_INTERP, read below, is a dep: the file itself. */
		if (fd >= 0)
			rec_dep(ll, ll->real ? ll->real : path, false);
		if (fd >= 0 && fstat(fd, &st) < 0) {
			close(fd);
			fd = -1;
		}
		if (fd < 0) {   /* execute-only: a rule without its ELF interpreter */
			if (ll->rec)    /* unreadable to root: rare, not recorded */
				ll->rec_bad = true;
			fd = open_for_rule(ll, path, O_PATH, rights, false, &skip);
			if (fd < 0) {
				no_rule(ll, path);
				continue;
			}
			if (fstat(fd, &st) < 0) {
				cg_logf(ll->log, LOG_WARNING, "landlock: fstat %s: %m: no rule", path);
				close(fd);
				continue;
			}
			covered = ll->real && granted(ll, ll->real, rights);
		}
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = seen[j].dev == st.st_dev && seen[j].ino == st.st_ino;
		if (dup) {
			close(fd);
			continue;
		}
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = (struct inode_id){ st.st_dev, st.st_ino };
		if (!covered)
			rc = add_fd(ll, fd, path, S_ISDIR(st.st_mode), want, R_EXEC);
		if (rc == 0 && ninterps < sizeof(interps) / sizeof(interps[0]) &&
		    S_ISREG(st.st_mode) && elf_interp(fd, interps[ninterps], sizeof(interps[0])) == 1) {
			for (size_t j = 0; j < ninterps && !dup; j++)
				dup = strcmp(interps[j], interps[ninterps]) == 0;
			if (!dup) {
				cg_logf(ll->log, LOG_DEBUG, "landlock: ELF interpreter %s (of %s)",
					interps[ninterps], path);
				ninterps++;
			}
		}
		if (rc <= 0)
			close(fd);      /* 1: a directory the grant keeps */
		if (rc < 0)
			return -1;
	}
	for (size_t j = 0; j < ninterps; j++)
		if (add_path(ll, interps[j], want, R_EXEC, false) < 0)
			return -1;
	for (size_t j = 0; native && j < ninterps; j++)
		if (strcmp(interps[j], native) == 0)
			native = NULL;
	if (native && add_path(ll, native, want, R_EXEC, false) < 0)
		return -1;
	return 0;
}

/* Devices every job may use whatever its lists say, because shells and
 * libc open them on their own: /dev/null, /dev/zero and /dev/full (read,
 * write, truncate for `>/dev/null`, ioctl), /dev/tty (a job has none, but
 * a tool probing it must get ENXIO, not a denial that looks like an attack
 * in the audit log), and the random devices (read; getrandom() needs no file). */
static int add_devices(struct ll *ll)
{
	static const char *const rw[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/tty" };
	static const char *const ro[] = { "/dev/urandom", "/dev/random" };

	for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++)
		if (add_path(ll, rw[i], FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV,
			     R_DEVICE, false) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		if (add_path(ll, ro[i], FS_READ_FILE, R_DEVICE, false) < 0)
			return -1;
	return 0;
}

/* mail_safe (no job-process hook, we confine cron's middle process): the
 * mailer cron forks from it inherits this domain.  Keep what a local MTA
 * needs: executing sendmail/exim4, reading its configuration and queue,
 * writing its spool, logs and the mailboxes, and SMTP submission ports. */
static const char *const mail_exec[] = {
	"/usr/sbin/sendmail", "/usr/lib/sendmail", "/usr/sbin/exim4", "/usr/sbin/postdrop",
};
static const char *const mail_read[] = {
	"/etc", "/usr", "/var/lib/exim4",
};
static const char *const mail_write[] = {
	"/var/spool/exim4", "/var/log/exim4", "/var/mail", "/var/spool/mail",
	"/var/spool/postfix", "/var/spool/mqueue", "/var/spool/clientmqueue",
};
static const uint16_t mail_ports[] = { 25, 465, 587 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int add_mail(struct ll *ll)
{
	for (size_t i = 0; i < N(mail_exec); i++)
		if (add_path(ll, mail_exec[i], FS_EXECUTE | FS_READ_FILE, R_EXEC, false) < 0)
			return -1;
	for (size_t i = 0; i < N(mail_read); i++)
		if (add_path(ll, mail_read[i], FS_READ, R_READ, true) < 0)
			return -1;
	for (size_t i = 0; i < N(mail_write); i++)
		if (add_path(ll, mail_write[i], FS_WRITE | FS_READ, R_WRITE, true) < 0)
			return -1;
	return 0;
}

static int add_port(struct ll *ll, uint64_t access, unsigned port)
{
	struct cg_ll_net_port_attr attr = { .allowed_access = access, .port = port };

	if (syscall(SYS_landlock_add_rule, ll->fd, CG_LL_RULE_NET_PORT, &attr, 0) < 0) {
		cg_logf(ll->log, LOG_ERR, "landlock_add_rule(tcp %s port %u): %m",
			access == NET_BIND_TCP ? "bind" : "connect", port);
		return -1;
	}
	ll->rules++;
	return 0;
}

static int add_ports(struct ll *ll, const struct cg_port_list *l, uint64_t access)
{
	for (size_t i = 0; i < l->n; i++)
		for (unsigned port = l->v[i].lo; port <= l->v[i].hi; port++)
			if (add_port(ll, access, port) < 0)
				return -1;
	return 0;
}

static int check_overlap(struct ll *ll)
{
	for (size_t w = 0; w < ll->write.n; w++)
		for (size_t e = 0; e < ll->exec.n; e++)
			if (overlap(ll->write.v[w], ll->exec.v[e])) {
				cg_logf(ll->log, LOG_ERR, "plan error: write path %s and "
					"executable path %s overlap once symlinks are resolved: "
					"refusing a path both writable and executable",
					ll->write.v[w], ll->exec.v[e]);
				return -1;
			}
	return 0;
}

/* Appends "what" to the list of things this kernel cannot enforce. */
static void dropped(char *buf, size_t size, const char *what)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s%s", n ? ", " : "", what);
}

/* What the plan asks of Landlock, cut down to what the kernel's ABI knows
 * (best effort, as the kernel's samples/landlock/sandboxer.c does), in
 * *ra, with ll->abi and ll->handled set.  Returns 1, 0 when there is
 * nothing to enforce (or no Landlock and a plan that is not strict), -1
 * when a strict plan cannot be enforced. */
static int ruleset_attr(struct ll *ll, const struct cg_plan *p, bool mail_safe,
			struct cg_ll_ruleset_attr *ra, size_t *attr_size)
{
	uint64_t want_fs = 0, want_net = 0, want_scope = 0;
	char lost[256];

	lost[0] = '\0';
	memset(ra, 0, sizeof(*ra));
	if (p->exec_set)
		want_fs |= FS_EXECUTE;
	if (p->read_set)
		want_fs |= FS_READ;
	if (p->write_set)
		want_fs |= FS_WRITE;
	if (cg_plan_network_confined(p))
		want_net = NET_BIND_TCP | NET_CONNECT_TCP;
	if (p->scope_signals)
		want_scope |= SCOPE_SIGNAL;
	if (p->scope_abstract_unix)
		want_scope |= SCOPE_ABSTRACT_UNIX_SOCKET;
	if (!want_fs && !want_net && !want_scope)
		return 0;

	ll->abi = cg_landlock_abi();
	if (ll->abi > CG_LL_ABI_KNOWN)
		ll->abi = CG_LL_ABI_KNOWN;
	if (ll->abi < 1) {
		cg_logf(ll->log, p->strict ? LOG_ERR : LOG_WARNING,
			"Landlock is not available (%m): exec, read, write, network port "
			"and scope rules %s", p->strict ? "cannot be applied (strict plan)"
			: "dropped");
		return p->strict ? -1 : 0;
	}

	/* Best effort: hand the kernel only what its ABI knows. */
	ll->handled = want_fs & fs_rights_of_abi(ll->abi);
	if ((want_fs & FS_WRITE & ~ll->handled) & FS_TRUNCATE)
		dropped(lost, sizeof(lost), "truncate rule (ABI 3)");
	if ((want_fs & FS_WRITE & ~ll->handled) & FS_IOCTL_DEV)
		dropped(lost, sizeof(lost), "device ioctl rule (ABI 5)");
	/* From ABI 2 on, a ruleset always denies moving a file to another
	 * directory unless REFER is granted there (the "implicit REFER").
	 * Handle it always, and when writes are unconfined grant it on /:
	 * the kernel still refuses a move that would gain rights, such as a
	 * file moved from /tmp into an exec directory. */
	if (ll->abi >= 2)
		ll->handled |= FS_REFER;
	if (want_net && ll->abi < 4) {
		/* network none: seccomp still denies internet sockets, except
		 * in mail-safe mode, where Landlock was all there was. */
		if (p->network.connect.n || p->network.bind.n || mail_safe)
			dropped(lost, sizeof(lost), "TCP port rules (ABI 4)");
		want_net = 0;
	}
	if (want_scope && ll->abi < 6) {
		dropped(lost, sizeof(lost), "signal and abstract socket scoping (ABI 6)");
		want_scope = 0;
	}
	if (lost[0]) {
		cg_logf(ll->log, p->strict ? LOG_ERR : LOG_WARNING,
			"Landlock ABI %d cannot enforce: %s%s", ll->abi, lost,
			p->strict ? " (strict plan: job refused)" : " (dropped)");
		if (p->strict)
			return -1;
	}
	ra->handled_access_fs = ll->handled;
	ra->handled_access_net = want_net;
	ra->scoped = want_scope;
	*attr_size = ll->abi >= 6 ? sizeof(*ra) : ll->abi >= 4 ? 2 * sizeof(uint64_t)
		     : sizeof(uint64_t);
	return 1;
}

static int create_ruleset(struct ll *ll, const struct cg_ll_ruleset_attr *ra, size_t attr_size)
{
	ll->fd = (int)syscall(SYS_landlock_create_ruleset, ra, attr_size, 0U);
	if (ll->fd < 0) {
		cg_logf(ll->log, LOG_ERR,
			"landlock_create_ruleset(fs %#llx, net %#llx, scope %#llx): %m",
			(unsigned long long)ra->handled_access_fs,
			(unsigned long long)ra->handled_access_net,
			(unsigned long long)ra->scoped);
		return -1;
	}
	return 0;
}

/* The plan's path rules, resolved (or, in record mode, written down). */
static int add_fs_rules(struct ll *ll, const struct cg_plan *p, bool mail_safe)
{
	ll->check_overlap = p->exec_set && p->write_set;
	if (p->exec_set || p->read_set || p->write_set) {
		/* Devices before the lists: a /dev/null in the write list then
		 * finds its rule made (and is not tried as a directory first). */
		if (add_list(ll, &p->exec, FS_EXECUTE | FS_READ, R_EXEC) < 0 ||
		    add_interpreters(ll, p) < 0 ||
		    add_devices(ll) < 0 ||
		    add_list(ll, &p->read, FS_READ, R_READ) < 0 ||
		    add_list(ll, &p->write, FS_WRITE | FS_READ, R_WRITE) < 0 ||
		    (mail_safe && add_mail(ll) < 0))
			return -1;
	}
	if ((ll->handled & FS_REFER) && !p->write_set &&
	    add_path(ll, "/", FS_REFER, R_REFER_ONLY, true) < 0)
		return -1;
	if (ll->check_overlap && check_overlap(ll) < 0)
		return -1;
	return 0;
}

/* The prepared rules, when they were resolved for this very ruleset:
 * each path opened without symlinks, as when it was prepared, and added.
 * Returns 1 done, 0 when they do not fit or a path no longer opens that
 * way (the caller starts again with a fresh ruleset and resolves in
 * full), -1 on error. */
static int replay(struct ll *ll, const struct cg_ll_prepared *prep, bool mail_safe)
{
	if (!prep || prep->abi != ll->abi || prep->mail_safe != mail_safe ||
	    prep->handled != ll->handled)
		return 0;
	for (size_t i = 0; i < prep->nrules; i++) {
		const struct cg_ll_rule *r = &prep->rules[i];
		struct cg_ll_path_beneath_attr attr = { .allowed_access = r->access };
		int fd = open_no_symlinks(r->path, O_PATH | (r->dir ? O_DIRECTORY : 0));
		long rc;

		if (fd < 0) {
			cg_logf(ll->log, LOG_DEBUG, "landlock: prepared rule %s: %m: "
				"resolving the plan again", r->path);
			return 0;
		}
		attr.parent_fd = fd;
		rc = syscall(SYS_landlock_add_rule, ll->fd, CG_LL_RULE_PATH_BENEATH, &attr, 0);
		close(fd);
		if (rc < 0) {
			cg_logf(ll->log, LOG_ERR, "landlock_add_rule(%s, %#llx): %m", r->path,
				(unsigned long long)r->access);
			return -1;
		}
		ll->rules++;
	}
	return 1;
}

/* Closes and frees what building left: the ruleset, the grants' open
 * directories, the strings that did not fit the pool. */
static void ll_release(struct ll *ll)
{
	if (ll->fd >= 0)
		close(ll->fd);
	for (size_t i = 0; i < ll->ngrants; i++) {
		if (ll->grants[i].fd >= 0)
			close(ll->grants[i].fd);
		ll_free(ll, ll->grants[i].path);
	}
	for (size_t i = 0; i < ll->naliases; i++) {
		ll_free(ll, ll->aliases[i].from);
		ll_free(ll, ll->aliases[i].to);
	}
	canon_free(ll, &ll->exec);
	canon_free(ll, &ll->write);
}

int cg_confine_landlock(const struct cg_plan *p, bool mail_safe,
			const struct cg_ll_prepared *prepared, const struct cg_logger *log)
{
	struct cg_ll_ruleset_attr ra;
	struct ll ll;
	size_t attr_size = 0;
	unsigned flags = 0;
	int rc, used = 0;

	ll_init(&ll, log);
	rc = ruleset_attr(&ll, p, mail_safe, &ra, &attr_size);
	if (rc <= 0)
		return rc;
	rc = -1;
	if (create_ruleset(&ll, &ra, attr_size) < 0)
		return -1;
	if (prepared) {
		used = replay(&ll, prepared, mail_safe);
		if (used < 0)
			goto out;
		if (!used) {    /* rules may have been added: start afresh */
			close(ll.fd);
			ll.rules = 0;
			if (create_ruleset(&ll, &ra, attr_size) < 0)
				goto out;
		}
	}
	if (!used && add_fs_rules(&ll, p, mail_safe) < 0)
		goto out;
	if (ra.handled_access_net) {
		if (add_ports(&ll, &p->network.connect, NET_CONNECT_TCP) < 0 ||
		    add_ports(&ll, &p->network.bind, NET_BIND_TCP) < 0)
			goto out;
		for (size_t i = 0; mail_safe && i < N(mail_ports); i++)
			if (add_port(&ll, NET_CONNECT_TCP, mail_ports[i]) < 0)
				goto out;
	}

	/* ABI 7: denials by the programs the job executes reach the audit
	 * log, so an attack a job attempts leaves a record. */
	if (ll.abi >= 7)
		flags |= RESTRICT_SELF_LOG_NEW_EXEC_ON;
	if (syscall(SYS_landlock_restrict_self, ll.fd, flags) < 0) {
		/* Root (CAP_SYS_ADMIN) may restrict itself without
		 * no_new_privs; an unprivileged `cronguard run` may not.
		 * Setting it is what the plan would do anyway, except in
		 * mail_safe mode, where it would break the setuid mailer. */
		if (errno != EPERM || mail_safe || cg_confine_nnp(log) < 0 ||
		    syscall(SYS_landlock_restrict_self, ll.fd, flags) < 0) {
			cg_logf(log, LOG_ERR, "landlock_restrict_self: %m");
			goto out;
		}
		cg_logf(log, LOG_NOTICE, "landlock: no_new_privs set (caller lacks CAP_SYS_ADMIN)");
	}
	cg_logf(log, LOG_DEBUG, "landlock: ABI %d, %zu rules%s, fs %#llx net %#llx scope %#llx",
		ll.abi, ll.rules, used ? " (prepared)" : "",
		(unsigned long long)ra.handled_access_fs,
		(unsigned long long)ra.handled_access_net, (unsigned long long)ra.scoped);
	rc = 0;
out:
	ll_release(&ll);
	return rc;
}

int cg_landlock_prepare(const struct cg_plan *p, bool mail_safe, struct cg_arena *arena,
			struct cg_ll_prepared *out, const struct cg_logger *log)
{
	/* The job logs what it drops or refuses; preparing says nothing. */
	static const struct cg_logger quiet = { NULL, NULL, false };
	struct cg_ll_ruleset_attr ra;
	struct ll ll;
	size_t attr_size = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	ll_init(&ll, &quiet);
	rc = ruleset_attr(&ll, p, mail_safe, &ra, &attr_size);
	if (rc <= 0)
		return rc;      /* nothing to prepare, or a plan the job refuses */
	out->rules = cg_arena_zalloc(arena, PREP_MAX_RULES * sizeof(*out->rules));
	out->deps = cg_arena_zalloc(arena, PREP_MAX_DEPS * sizeof(*out->deps));
	if (!out->rules || !out->deps)
		return 0;
	ll.rec = out;
	ll.rec_arena = arena;
	rc = add_fs_rules(&ll, p, mail_safe);
	ll_release(&ll);
	if (rc < 0 || ll.rec_bad) {
		out->nrules = out->ndeps = 0;
		return rc < 0 ? -1 : 0;
	}
	out->abi = ll.abi;
	out->mail_safe = mail_safe;
	out->handled = ll.handled;
	cg_logf(log, LOG_DEBUG, "landlock: %zu path rules prepared, depending on %zu paths",
		out->nrules, out->ndeps);
	return 1;
}
