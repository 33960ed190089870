/* plan.h - the resolved plan: every right and limit of one user's cron jobs.
 *
 * policy (policy.h) --cg_resolve()--> plan --> apply (module, `cronguard run`)
 *                                          \-> render (explain, AppArmor, SELinux, audit)
 *
 * A plan is plain data: building it performs no system call beyond the user
 * and group lookup done for its identity, so tests and generators can use it
 * without root.  All memory lives in plan->arena: cg_plan_free() frees it.
 *
 * Filesystem lists follow one rule: a list that no policy line set (`*_set`
 * false) leaves that kind of access unconfined; a list that was set, even to
 * `none`, confines that access to exactly its entries. */
#ifndef CG_PLAN_H
#define CG_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "arena.h"
#include "policy_keys.h"

enum cg_mode { CG_MODE_ENFORCE, CG_MODE_COMPLAIN, CG_MODE_OFF };

struct cg_strlist {
	const char *const *v;
	size_t n;
};

struct cg_port_range {
	uint16_t lo, hi;
};

struct cg_port_list {
	struct cg_port_range *v;
	size_t n;
};

/* network = none | any | a list of tcp-connect:PORTS tcp-bind:PORTS udp */
struct cg_network {
	bool any;                     /* no network confinement at all */
	struct cg_port_list connect;  /* TCP connect() allowed to these ports */
	struct cg_port_list bind;     /* TCP bind() allowed to these ports */
	bool udp;                     /* UDP sockets allowed (unfiltered) */
};

struct cg_limit {
	bool set;
	rlim_t soft, hard;            /* RLIM_INFINITY for `unlimited` */
};

/* Where a plan value came from, for `explain` and log lines. */
struct cg_origin {
	const char *file;             /* NULL: built-in default */
	unsigned line;
};

struct cg_identity {
	const char *user;
	uid_t uid;
	gid_t gid;
	const char *home;
	const char *shell;
	const char **groups;          /* names of primary and supplementary groups */
	size_t ngroups;
};

struct cg_plan {
	struct cg_arena arena;
	struct cg_identity id;

	enum cg_mode mode;
	bool allow;
	bool strict;                  /* kernel features the plan needs are required */

	bool exec_set, read_set, write_set;
	struct cg_strlist exec;       /* executable (and readable) directories or files */
	struct cg_strlist interpreters; /* allowed SHELL values and executables */
	struct cg_strlist read;       /* read-only */
	struct cg_strlist write;      /* writable, never executable */

	struct cg_network network;
	uint64_t capabilities;        /* bit n = capability n; what a root job keeps */
	bool no_new_privs;
	bool private_tmp;
	bool protect_system;          /* /usr /etc /boot read-only */
	bool scope_signals;           /* may signal only processes of the job */
	bool scope_abstract_unix;     /* may connect only to the job's abstract sockets */

	struct cg_strlist env_deny;   /* glob patterns: LD_* BASH_ENV ... */
	struct cg_strlist env_set;    /* NAME=VALUE */
	struct cg_strlist path;       /* directories a crontab PATH= may contain */

	int umask;                    /* -1: leave as it is */
	bool nice_set;
	int nice;
	struct cg_limit limits[RLIMIT_NLIMITS];

	const char *apparmor;         /* profile to change to at exec, or NULL */
	const char *selinux;          /* SELinux job domain type, or NULL */
	const char *manifest;         /* script checksum manifest, or NULL */
	bool mail;                    /* job output mail must keep working */

	struct cg_origin origin[CG_KEY_COUNT];
	struct cg_origin limit_origin[RLIMIT_NLIMITS];
};

struct cg_policy;
struct cg_diags;

/* Looks up a user and their groups through NSS into an identity allocated
 * in *arena.  Returns 0, or -1 with errno (ENOENT: no such user). */
int cg_identity_lookup(struct cg_arena *arena, const char *user,
		       struct cg_identity *id);
/* The same, looking up group names only when with_groups. */
int cg_identity_lookup_opt(struct cg_arena *arena, const char *user, bool with_groups,
			   struct cg_identity *id);

/* Resolves the policy for an identity.  Precedence: [user] over [group] over
 * [default] over built-in defaults; sections of one kind apply in the order
 * they appear in the files (later wins); `+=` appends to the inherited list.
 * Returns 0, or -1 with a diagnostic in *d (a %u or ~ expansion gave a bad
 * path, out of memory). */
int cg_resolve(const struct cg_policy *pol, const struct cg_identity *id,
	       struct cg_plan *plan, struct cg_diags *d);
void cg_plan_free(struct cg_plan *plan);

/* Same exec, read, write, network, capability rules and MAC names?  Users
 * whose plans are equal share one generated profile or domain. */
bool cg_plan_mac_equal(const struct cg_plan *a, const struct cg_plan *b);

/* Helpers shared by every renderer. */
const char *cg_mode_name(enum cg_mode m);
bool cg_plan_network_confined(const struct cg_plan *p);
bool cg_ports_contains(const struct cg_port_list *l, uint16_t port);
/* Does pattern (with * and ? globs) match the variable name? */
bool cg_env_pattern_match(const char *pattern, const char *name);
/* Is name denied by the plan's env.deny patterns?  Returns the pattern or NULL. */
const char *cg_plan_env_denied(const struct cg_plan *p, const char *name);
/* Is path equal to or below one of the list's entries? */
bool cg_path_under(const char *path, const char *dir);
/* The directory holding an absolute path's last part ("/" for "/x"), in
 * out; false when path is not absolute or it does not fit. */
bool cg_path_parent(const char *path, char *out, size_t size);
const char *cg_strlist_find_prefix(const struct cg_strlist *l, const char *path);

#endif
