/* apply.h - make the process obey a plan.  The only part of the core that
 * changes the process; everything before it (policy, plan) is pure.
 *
 * Two moments, matching how cron drives PAM (FIELD-NOTES section 1):
 *   - session: in cron's middle process (open_session), what the job and
 *     cron's own mailer may both inherit: umask, rlimits, nice.
 *   - job: in the job process only (Debian cron: setcred REINITIALIZE, root,
 *     before setuid and exec), the confinement: namespaces, capabilities,
 *     Landlock, no_new_privs, seccomp, AppArmor.  `cronguard run` calls the
 *     same function.  Where no job-process hook exists (cronie, fcron,
 *     systemd PAMName=), the caller asks for the mail-safe subset. */
#ifndef CG_APPLY_H
#define CG_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache_dir.h"
#include "logger.h"
#include "plan.h"

/* umask, rlimits and nice.  Returns 0, or -1 after logging what failed. */
int cg_apply_session(const struct cg_plan *p, const struct cg_logger *log);

/* Landlock path rules resolved ahead of the job (cg_landlock_prepare(),
 * confine.h), so that the job process only opens each rule's path and adds
 * it: no symlink resolution, no ELF interpreter lookup, no proof that a
 * path lies beneath a granted one.  The plan cache keeps them with the
 * plan, for as long as every dep stats as it did: each directory whose
 * entries the resolution looked up (a symlink's, a covered path's), each
 * file it read (an interpreter's PT_INTERP) and each path it found absent. */
struct cg_ll_rule {
	const char *path;              /* symlink-free when prepared */
	uint64_t access;               /* the rights handed to the kernel */
	bool dir;
};

struct cg_ll_prepared {
	int abi;                       /* Landlock ABI they were resolved for */
	bool mail_safe;
	uint64_t handled;              /* the ruleset's filesystem rights */
	struct cg_ll_rule *rules;
	size_t nrules;
	struct cg_input *deps;
	size_t ndeps;
};

struct cg_confine_opts {
	/* Confining cron's middle process (no job-process hook): keep what
	 * cron's mailer (setuid-root exim4 on Debian) and pam_close_session
	 * need: no no_new_privs, no capability bounding, no seccomp of
	 * setuid paths. */
	bool mail_safe;
	/* Landlock rules prepared for this plan and mode, or NULL. */
	const struct cg_ll_prepared *landlock;
};

/* Applies the plan's confinement to the calling process.  Returns 0, or -1
 * after logging what could not be applied; the caller must then not let the
 * job run (the module _exit(1)s the job process).  In complain mode the
 * caller does not call this at all. */
int cg_confine_job(const struct cg_plan *p, const struct cg_confine_opts *o,
		   const struct cg_logger *log);

/* A plan error the apply step refuses: a write path equal to, below or
 * above an exec path or interpreter (a file both writable and executable),
 * in a plan that sets both `exec` and `write`.  Returns NULL when there is none, else a message in buf ("write path X
 * overlaps exec path Y"), so `cronguard check` reports what the module would
 * refuse.  Compares the paths as written; the apply step also compares them
 * after resolving symlinks. */
const char *cg_plan_exec_write_overlap(const struct cg_plan *p, char *buf, size_t size);

#endif
