/* exposure.c - score a plan: how much of a cron job's attack surface is left.
 *
 * The model (see also cronguard(8), EXPOSURE SCORE):
 *
 *   Each row is one protection.  It has a weight w (how much an attacker who
 *   controls the job gains when it is missing) and a coverage c in [0, 1]
 *   (1: the plan applies it fully, 0: not at all).  Then
 *
 *       exposure = 10 * sum(w * (1 - c)) / sum(w)
 *
 *   rounded to one decimal: 0.0 when every protection is fully applied,
 *   10.0 when none is.  Two cases override the sum:
 *     - mode complain or off: nothing is enforced, so the score is 10.0
 *       (rating UNCONFINED) whatever the plan says; the sum is still
 *       computed as `planned` to show what enforcing would give;
 *     - mode enforce and allow = no: the job never runs, score 0.0 (DENIED).
 *
 *   Weights differ for root (uid 0), whose jobs own the system: kept
 *   capabilities, write confinement and protect_system matter more there;
 *   for other users capabilities only bound what setuid programs could give.
 *
 *   Ratings follow systemd-analyze's bands: 0.0 PERFECT, <= 0.1 SAFE,
 *   <= 1.0 OK, <= 5.0 MEDIUM, <= 7.5 EXPOSED, <= 9.0 UNSAFE, else DANGEROUS.
 *
 * Everything here reads the plan only, so the same numbers come out in
 * `explain`, in `audit` and in tests, with no root and no system calls. */
#include "exposure.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Weights: { id, label, key, weight for other users, weight for root }. */
struct row_def {
	const char *id, *name;
	enum cg_key key;
	unsigned w_user, w_root;
};

enum row_id {
	R_ALLOW, R_EXEC, R_WRITE, R_READ, R_NETWORK, R_CAPS, R_NNP, R_PRIVATE_TMP,
	R_PROTECT_SYSTEM, R_SCOPE_SIGNALS, R_SCOPE_UNIX, R_ENV_DENY, R_PATH,
	R_UMASK, R_CORE, R_RLIMITS, R_MAC, R_MANIFEST, R_COUNT
};

static const struct row_def defs[R_COUNT] = {
	/* The gate: not weighed, it decides between the sum and 0.0. */
	[R_ALLOW] = { "allow", "Jobs allowed to run", CG_KEY_ALLOW, 0, 0 },
	/* Running code the attacker wrote is the whole game. */
	[R_EXEC] = { "exec", "Execution limited to whitelisted paths", CG_KEY_EXEC, 9, 9 },
	[R_WRITE] = { "write", "Writes limited to listed paths", CG_KEY_WRITE, 8, 10 },
	[R_READ] = { "read", "Reads limited to listed paths", CG_KEY_READ, 4, 4 },
	[R_NETWORK] = { "network", "Network access restricted", CG_KEY_NETWORK, 6, 6 },
	[R_CAPS] = { "capabilities", "Capabilities dropped", CG_KEY_CAPABILITIES, 2, 10 },
	[R_NNP] = { "no_new_privs", "setuid/file capabilities grant nothing (no_new_privs)",
		    CG_KEY_NO_NEW_PRIVS, 5, 3 },
	[R_PRIVATE_TMP] = { "private_tmp", "Private noexec /tmp and /var/tmp",
			    CG_KEY_PRIVATE_TMP, 3, 3 },
	[R_PROTECT_SYSTEM] = { "protect_system", "/usr, /etc, /boot read-only",
			       CG_KEY_PROTECT_SYSTEM, 2, 6 },
	[R_SCOPE_SIGNALS] = { "scope_signals", "Signals only to the job's own processes",
			      CG_KEY_SCOPE, 2, 3 },
	[R_SCOPE_UNIX] = { "scope_abstract_unix", "Abstract unix sockets only of the job",
			   CG_KEY_SCOPE, 2, 2 },
	[R_ENV_DENY] = { "env_deny", "Code-loading environment variables denied",
			 CG_KEY_ENV_DENY, 4, 5 },
	[R_PATH] = { "path", "Crontab PATH= restricted to safe directories", CG_KEY_PATH, 3, 4 },
	[R_UMASK] = { "umask", "Private umask", CG_KEY_UMASK, 1, 1 },
	[R_CORE] = { "core_dumps", "Core dumps off", CG_KEY_LIMIT, 1, 2 },
	[R_RLIMITS] = { "rlimits", "Resource limits (nproc nofile cpu fsize as)",
			CG_KEY_LIMIT, 2, 1 },
	[R_MAC] = { "mac", "AppArmor profile or SELinux domain", CG_KEY_APPARMOR, 3, 4 },
	[R_MANIFEST] = { "manifest", "Scripts verified against a checksum manifest",
			 CG_KEY_MANIFEST, 4, 5 },
};

/* Capabilities that alone make a process root-equivalent (write or read any
 * file, become any user, load code into the kernel, reach raw devices)
 * weigh 3; the others 1.  Coverage of the capabilities row is
 * 1 - (weight of the kept ones / weight of all). */
static const int heavy_caps[] = {
	0 /* CHOWN */, 1 /* DAC_OVERRIDE */, 2 /* DAC_READ_SEARCH */, 3 /* FOWNER */,
	6 /* SETGID */, 7 /* SETUID */, 8 /* SETPCAP */, 12 /* NET_ADMIN */,
	16 /* SYS_MODULE */, 17 /* SYS_RAWIO */, 19 /* SYS_PTRACE */, 21 /* SYS_ADMIN */,
	27 /* MKNOD */, 31 /* SETFCAP */, 32 /* MAC_OVERRIDE */, 33 /* MAC_ADMIN */,
	39 /* BPF */,
};

/* Variables that load code into the shell, the dynamic linker or a common
 * interpreter: the env_deny row's coverage is the share of them denied. */
static const char *const risky_env[] = {
	"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV",
	"SHELLOPTS", "PS4", "BASH_FUNC_x%%", "GCONV_PATH", "GLIBC_TUNABLES",
	"PERL5OPT", "PYTHONPATH", "NODE_OPTIONS",
};

/* Directories every user may write: running from them, or putting them on
 * PATH, hands the job to any local user. */
static const char *const world_writable[] = { "/tmp", "/var/tmp", "/dev/shm" };

/* Writing these (or a directory above them) is owning the system. */
static const char *const system_dirs[] = {
	"/etc", "/usr", "/boot", "/bin", "/sbin", "/lib", "/lib64", "/var/spool/cron",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void set(struct cg_exposure_row *r, double c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(struct cg_exposure_row *r, double c, const char *fmt, ...)
{
	va_list ap;

	r->coverage = c;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

static bool list_has(const struct cg_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* Paths any local user, or the job's own user, can write without the plan
 * saying so: the world-writable directories and the home directory.  NULL
 * or the one path is under. */
static const char *user_writable(const struct cg_plan *p, const char *path)
{
	for (size_t i = 0; i < N(world_writable); i++)
		if (cg_path_under(path, world_writable[i]))
			return world_writable[i];
	if (p->id.uid != 0 && p->id.home && strcmp(p->id.home, "/") != 0 &&
	    cg_path_under(path, p->id.home))
		return p->id.home;
	return NULL;
}

/* exec: unset = every file may run (0); "/" = same (0); an entry that the job
 * may also write, or that lies in a world- or user-writable directory,
 * lets the job run what it (or anyone) wrote there (0.5). */
static void score_exec(const struct cg_plan *p, struct cg_exposure_row *r)
{
	if (!p->exec_set)
		return set(r, 0, "exec not set: any file may be executed");
	if (list_has(&p->exec, "/"))
		return set(r, 0, "exec includes /: any file may be executed");
	for (size_t i = 0; i < p->exec.n; i++) {
		const char *e = p->exec.v[i], *w;

		if (p->write_set) {
			for (size_t j = 0; j < p->write.n; j++) {
				w = p->write.v[j];
				if (cg_path_under(w, e) || cg_path_under(e, w))
					return set(r, 0.5, "exec %s overlaps write %s: the job may run what it writes",
						   e, w);
			}
		}
		w = user_writable(p, e);
		if (w)
			return set(r, 0.5, "exec %s is under writable %s", e, w);
	}
	set(r, 1, "%zu path%s", p->exec.n, p->exec.n == 1 ? "" : "s");
}

/* write: unset or "/" = 0; an entry at or above a system directory = 0.5. */
static void score_write(const struct cg_plan *p, struct cg_exposure_row *r)
{
	if (!p->write_set)
		return set(r, 0, "write not set: file permissions only");
	if (list_has(&p->write, "/"))
		return set(r, 0, "write includes /");
	for (size_t i = 0; i < p->write.n; i++)
		for (size_t j = 0; j < N(system_dirs); j++)
			if (cg_path_under(system_dirs[j], p->write.v[i]))
				return set(r, 0.5, "write %s includes system directory %s",
					   p->write.v[i], system_dirs[j]);
	set(r, 1, "%zu path%s", p->write.n, p->write.n == 1 ? "" : "s");
}

static void score_read(const struct cg_plan *p, struct cg_exposure_row *r)
{
	if (!p->read_set)
		return set(r, 0, "read not set: file permissions only");
	if (list_has(&p->read, "/"))
		return set(r, 0, "read includes /");
	set(r, 1, "%zu path%s (plus exec paths)", p->read.n, p->read.n == 1 ? "" : "s");
}

/* network: any = 0, none = 1; each kind of hole (TCP connect ports, TCP
 * bind ports, UDP) takes 0.3 off. */
static void score_network(const struct cg_plan *p, struct cg_exposure_row *r)
{
	const struct cg_network *n = &p->network;
	double c = 1;

	if (n->any)
		return set(r, 0, "network = any");
	c -= n->connect.n ? 0.3 : 0;
	c -= n->bind.n ? 0.3 : 0;
	c -= n->udp ? 0.3 : 0;
	if (c >= 1)
		return set(r, 1, "no network");
	set(r, c, "%s%s%s", n->connect.n ? "TCP connect to some ports; " : "",
	    n->bind.n ? "TCP bind to some ports; " : "", n->udp ? "UDP unfiltered" : "");
	/* drop a trailing "; " */
	size_t len = strlen(r->detail);

	if (len >= 2 && r->detail[len - 2] == ';')
		r->detail[len - 2] = '\0';
}

static void score_caps(const struct cg_plan *p, struct cg_exposure_row *r)
{
	unsigned total = 0, kept = 0, nkept = 0, heavy_kept = 0;
	int last = cg_cap_last();

	for (int c = 0; c <= last; c++) {
		unsigned w = 1;

		for (size_t i = 0; i < N(heavy_caps); i++)
			if (heavy_caps[i] == c)
				w = 3;
		total += w;
		if (p->capabilities & (UINT64_C(1) << c)) {
			kept += w;
			nkept++;
			heavy_kept += w == 3;
		}
	}
	if (!nkept)
		return set(r, 1, "none kept");
	set(r, 1.0 - (double)kept / total, "%u of %d kept, %u of them root-equivalent%s",
	    nkept, last + 1, heavy_kept, p->id.uid == 0 ? "" : " (matters via setuid programs)");
}

static void score_bool(bool on, struct cg_exposure_row *r, const char *key)
{
	set(r, on ? 1 : 0, "%s = %s", key, on ? "yes" : "no");
}

static void score_env(const struct cg_plan *p, struct cg_exposure_row *r)
{
	size_t denied = 0;
	const char *first_missing = NULL;

	for (size_t i = 0; i < N(risky_env); i++) {
		if (cg_plan_env_denied(p, risky_env[i]))
			denied++;
		else if (!first_missing)
			first_missing = risky_env[i];
	}
	if (denied == N(risky_env))
		return set(r, 1, "%zu pattern%s, all %zu code-loading variables checked denied",
			   p->env_deny.n, p->env_deny.n == 1 ? "" : "s", N(risky_env));
	set(r, (double)denied / N(risky_env), "%zu of %zu code-loading variables denied (not %s)",
	    denied, N(risky_env), first_missing);
}

/* path: an entry that is /, writable by the job (write list) or by any
 * local user puts attacker-chosen programs before the real ones: 0. */
static void score_path(const struct cg_plan *p, struct cg_exposure_row *r)
{
	for (size_t i = 0; i < p->path.n; i++) {
		const char *d = p->path.v[i], *w;

		if (strcmp(d, "/") == 0)
			return set(r, 0, "path includes /");
		w = user_writable(p, d);
		if (!w && p->write_set)
			w = cg_strlist_find_prefix(&p->write, d);
		if (w)
			return set(r, 0, "path %s is under writable %s", d, w);
	}
	if (!p->path.n)
		return set(r, 1, "no directory allowed");
	set(r, 1, "%zu director%s, none writable by the job", p->path.n,
	    p->path.n == 1 ? "y" : "ies");
}

/* umask: 077 = 1, at least 022 (no group/other write) = 0.6, else 0. */
static void score_umask(const struct cg_plan *p, struct cg_exposure_row *r)
{
	if (p->umask < 0)
		return set(r, 0, "umask unchanged (cron's)");
	if ((p->umask & 077) == 077)
		return set(r, 1, "umask %04o", (unsigned)p->umask);
	if ((p->umask & 022) == 022)
		return set(r, 0.6, "umask %04o: files readable by others", (unsigned)p->umask);
	set(r, 0, "umask %04o: files writable by others", (unsigned)p->umask);
}

/* core: hard limit 0 = 1; soft 0 only = 0.5 (the job may raise it). */
static void score_core(const struct cg_plan *p, struct cg_exposure_row *r)
{
	const struct cg_limit *l = &p->limits[RLIMIT_CORE];

	if (l->set && l->hard == 0)
		return set(r, 1, "limit.core = 0");
	if (l->set && l->soft == 0)
		return set(r, 0.5, "soft limit 0, the job may raise it");
	set(r, 0, "%s", l->set ? "limit.core above 0" : "limit.core not set");
}

/* rlimits: share of the five limits that stop a runaway or hostile job
 * from starving the host that are set with a finite hard limit. */
static void score_rlimits(const struct cg_plan *p, struct cg_exposure_row *r)
{
	static const int res[] = { RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_CPU, RLIMIT_FSIZE,
				   RLIMIT_AS };
	unsigned n = 0;

	for (size_t i = 0; i < N(res); i++)
		if (p->limits[res[i]].set && p->limits[res[i]].hard != RLIM_INFINITY)
			n++;
	set(r, (double)n / N(res), "%u of %zu set", n, N(res));
}

const char *cg_exposure_rating(double score)
{
	/* Compare in tenths: the score was rounded to one decimal. */
	long t = (long)(score * 10 + 0.5);

	if (t <= 0)
		return "PERFECT";
	if (t <= 1)
		return "SAFE";
	if (t <= 10)
		return "OK";
	if (t <= 50)
		return "MEDIUM";
	if (t <= 75)
		return "EXPOSED";
	if (t <= 90)
		return "UNSAFE";
	return "DANGEROUS";
}

const char *cg_exposure_status(const struct cg_exposure_row *r)
{
	if (r->coverage >= 1)
		return "yes";
	if (r->coverage <= 0)
		return "no";
	return "partial";
}

void cg_exposure_compute(const struct cg_plan *p, struct cg_exposure *x)
{
	bool root = p->id.uid == 0;

	memset(x, 0, sizeof(*x));
	for (int i = 0; i < R_COUNT; i++) {
		struct cg_exposure_row *r = &x->rows[i];

		r->id = defs[i].id;
		r->name = defs[i].name;
		r->key = defs[i].key;
		r->weight = root ? defs[i].w_root : defs[i].w_user;
	}
	x->n = R_COUNT;

	set(&x->rows[R_ALLOW], p->allow ? 1 : 0, "%s", p->allow ? "allow = yes" :
	    "allow = no: jobs are denied");
	score_exec(p, &x->rows[R_EXEC]);
	score_write(p, &x->rows[R_WRITE]);
	score_read(p, &x->rows[R_READ]);
	score_network(p, &x->rows[R_NETWORK]);
	score_caps(p, &x->rows[R_CAPS]);
	score_bool(p->no_new_privs, &x->rows[R_NNP], "no_new_privs");
	score_bool(p->private_tmp, &x->rows[R_PRIVATE_TMP], "private_tmp");
	score_bool(p->protect_system, &x->rows[R_PROTECT_SYSTEM], "protect_system");
	set(&x->rows[R_SCOPE_SIGNALS], p->scope_signals, "scope %s signals",
	    p->scope_signals ? "includes" : "lacks");
	set(&x->rows[R_SCOPE_UNIX], p->scope_abstract_unix, "scope %s abstract-unix",
	    p->scope_abstract_unix ? "includes" : "lacks");
	score_env(p, &x->rows[R_ENV_DENY]);
	score_path(p, &x->rows[R_PATH]);
	score_umask(p, &x->rows[R_UMASK]);
	score_core(p, &x->rows[R_CORE]);
	score_rlimits(p, &x->rows[R_RLIMITS]);
	if (p->apparmor || p->selinux) {
		set(&x->rows[R_MAC], 1, "%s%s%s%s", p->apparmor ? "apparmor " : "",
		    p->apparmor ? p->apparmor : "", p->apparmor && p->selinux ? ", " : "",
		    p->selinux ? "selinux" : "");
		if (p->selinux) {
			size_t len = strlen(x->rows[R_MAC].detail);

			snprintf(x->rows[R_MAC].detail + len, sizeof(x->rows[R_MAC].detail) - len,
				 " %s", p->selinux);
		}
		/* the row's origin is whichever key set it */
		if (!p->apparmor)
			x->rows[R_MAC].key = CG_KEY_SELINUX;
	} else {
		set(&x->rows[R_MAC], 0, "no apparmor or selinux name");
	}
	if (p->manifest)
		set(&x->rows[R_MANIFEST], 1, "%s", p->manifest);
	else
		set(&x->rows[R_MANIFEST], 0, "no manifest");

	for (size_t i = 0; i < x->n; i++) {
		x->total_weight += x->rows[i].weight;
		x->lost_weight += x->rows[i].weight * (1.0 - x->rows[i].coverage);
	}
	/* Scores are >= 0, so adding 0.5 and truncating rounds (no libm). */
	x->planned = x->total_weight ?
		     (double)(long)(100.0 * x->lost_weight / x->total_weight + 0.5) / 10.0 : 10.0;
	x->enforced = p->mode == CG_MODE_ENFORCE;
	x->denied = x->enforced && !p->allow;
	if (!x->enforced) {
		x->score = 10.0;
		x->rating = "UNCONFINED";
	} else if (x->denied) {
		x->score = 0.0;
		x->rating = "DENIED";
	} else {
		x->score = x->planned;
		x->rating = cg_exposure_rating(x->score);
	}
}
