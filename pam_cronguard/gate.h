/* gate.h - may this user's cron job run?  (account phase)
 *
 * cron writes crontab variables on top of PAM's environment, so a PAM
 * module cannot remove LD_PRELOAD= or BASH_ENV= lines: it can only refuse to
 * start jobs whose crontab sets them (FIELD-NOTES section 1).  The gate reads
 * every crontab that holds this user's jobs, as cron does, and checks the
 * environment each of the user's jobs would get against the plan. */
#ifndef CG_GATE_H
#define CG_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "cache_dir.h"
#include "logger.h"
#include "plan.h"

/* Where cron keeps its crontabs (they differ between cron and cronie). */
struct cg_cron_files {
	const char *spool_dir;          /* per-user crontabs, named after the user */
	const char *system_crontab;     /* /etc/crontab */
	const char *system_dir;         /* /etc/cron.d */
	bool cronie_names;              /* which /etc/cron.d names are read */
};

extern const struct cg_cron_files cg_debian_cron_files;
extern const struct cg_cron_files cg_cronie_files;

struct cg_verdict {
	bool deny;
	const char *rule;               /* allow, env.deny, interpreters, path */
	char where[4096 + 16];          /* FILE:LINE of the offending line, or "" */
	char reason[512];
};

/* What one decision looked at, for plan_cache.c to remember it by: every
 * crontab and the system crontab directory, read or found absent, and
 * every PATH directory whose trust was checked (its owner and mode and its
 * parents'; checked again, not stat'ed, when the decision is reused). */
struct cg_gate_trace {
	struct cg_input *files;
	size_t nfiles;
	char **dirs;
	size_t ndirs;
	bool unprovable;                /* a symlinked crontab, out of memory */
};

/* Decides for the plan's user.  Returns 0 with *v filled (v->deny), or -1
 * when a file could not be read (the caller fails closed), after logging.
 * t, when not NULL, is filled with what was looked at. */
int cg_gate_decide(const struct cg_plan *p, const struct cg_cron_files *files,
		   struct cg_verdict *v, const struct cg_logger *log, struct cg_gate_trace *t);
void cg_gate_trace_free(struct cg_gate_trace *t);

/* Directories already found root's alone, so that the directories of one
 * PATH value share the lstat of /, /usr and the like.  Zero it to start. */
struct cg_trust_memo {
	size_t n;
	char v[12][96];
};

/* Why a PATH directory cannot be trusted (it or a parent is not root's, or
 * writable by group or others), or NULL.  memo may be NULL. */
const char *cg_gate_dir_untrusted(const char *dir, struct cg_trust_memo *memo);

#endif
