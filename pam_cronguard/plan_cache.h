/* plan_cache.h - a resolved plan and its gate's "allow", remembered across
 * jobs, so that the account hook of the next job need not read and parse
 * the policy, resolve it and read every crontab again.
 *
 * Why: each cron job is a fresh process that loads the module anew, and on
 * the dev VM that work was about 80 of the 130 us the account hook cost,
 * growing with every file in /etc/cron.d.  A remembered decision costs one
 * read of the cache file and one fstatat() per file the decision read.
 *
 * What a remembered decision is checked against before it is used, every
 * time; any difference, or any doubt, means the full decision:
 *   - the module arguments that pick the files (conffile, crontab paths)
 *     and the user name: stored, compared;
 *   - the identity, looked up again (NSS): uid, gid, home, shell and, when
 *     the policy has [group] sections, the group names;
 *   - every file the decision read or found absent: the policy and its
 *     drop-ins, the drop-in directory, the user's crontab, /etc/crontab,
 *     /etc/cron.d and each crontab in it, by stat key (cache_dir.h): same
 *     device, inode, size, times, owner, group and mode, or still absent;
 *   - every PATH directory the gate checked: checked again (owner and mode
 *     of it and its parents), since what it depends on is not one file;
 *   - when the Landlock rules were prepared with the plan (apply.h), every
 *     directory, file and absent path their resolution depended on: by
 *     stat key, like the files above (they are stored among them), but
 *     stat'ed by path right after the lookups; rules whose deps are not
 *     settled are left out and the decision is remembered without them.
 * Only an "allow" is remembered, and only by the stat of the descriptor
 * each file was read through (a path swapped for another file after the
 * reading does not match later), and only when every file's ctime is at
 * least two seconds older than the clock read before the policy was read:
 * a change made during or after the reading cannot leave ctime as it was,
 * whatever the filesystem's timestamp granularity (FAT's two seconds,
 * exFAT's ten milliseconds).  Never remembered: a symlinked crontab (cron
 * reads the target, which is not stat'ed), and a file on a network or FUSE
 * filesystem (another clock, and an attribute cache).  The manifest check
 * runs on every job regardless (it has its own verdicts).
 *
 * The limit of stat keys: a file written in place through a shared memory
 * mapping whose page is already dirty keeps its ctime.  Every input is a
 * root-owned file that root's tools rewrite with write() or a rename; a
 * root that edits one through mmap should remove the cache files.
 *
 * One file per (conffile, crontab paths, user) in the root-only cache
 * directory, plan-HASH, under cache_dir.h's trust rules; the strings are
 * stored in it and compared, so the hash only picks the name. */
#ifndef CG_PLAN_CACHE_H
#define CG_PLAN_CACHE_H

#include <stdbool.h>
#include <time.h>

#include "apply.h"
#include "gate.h"
#include "plan.h"

/* What picks the decision besides the files it read. */
struct cg_pcache_key {
	const char *conffile;
	const struct cg_cron_files *files;
	const char *user;
};

/* What the full decision noted while reading the policy, kept until the
 * gate has spoken: the clock read before the first file, whether group
 * names mattered, and the policy's files (conffile, drop-ins, the drop-in
 * directory) with the fstat of each as it was read. */
struct cg_pcache_pending {
	bool armed;                     /* the fields below are filled */
	struct timespec t0;
	bool with_groups;
	const struct cg_input *policy;
	size_t npolicy;
};

/* Reads the coarse clock a decision's reads are settled against; 0 or -1. */
int cg_pcache_clock(struct timespec *t0);

/* A remembered decision for key that still holds: fills *plan (its arena
 * zeroed by the caller; identity from the fresh lookup) and *ll (the
 * Landlock rules prepared for it, in the plan's arena; abi 0 when none)
 * and returns true.  False, with both untouched, otherwise. */
bool cg_pcache_lookup(const char *dir, const struct cg_pcache_key *key, struct cg_plan *plan,
		      struct cg_ll_prepared *ll);

/* Remembers an "allow" for key: plan, the policy files in pend, what the
 * gate looked at (t) and, when ll is not NULL, the Landlock rules prepared
 * for the plan with what they depend on.  When anything it read cannot be
 * proven by stat (unsettled, symlinked), writes nothing and removes the
 * stale file instead.  Returns 1 written, 0 not, -1 with errno and *what
 * naming the failed step. */
int cg_pcache_save(const char *dir, const struct cg_pcache_key *key,
		   const struct cg_pcache_pending *pend, const struct cg_plan *plan,
		   const struct cg_gate_trace *t, const struct cg_ll_prepared *ll,
		   const char **what);

/* The plan as bytes and back (what save stores and lookup reads), exposed
 * for the round-trip test.  serialize returns a malloc'd buffer of *len
 * bytes or NULL; deserialize returns 0, or -1 on a malformed buffer. */
void *cg_plan_serialize(const struct cg_plan *p, size_t *len);
int cg_plan_deserialize(const void *buf, size_t len, struct cg_plan *p);
/* The same for prepared Landlock rules (strings in *arena). */
void *cg_ll_prepared_serialize(const struct cg_ll_prepared *ll, size_t *len);
int cg_ll_prepared_deserialize(const void *buf, size_t len, struct cg_arena *arena,
			       struct cg_ll_prepared *ll);

#endif
