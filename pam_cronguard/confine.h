/* confine.h - the confinement mechanisms behind cg_confine_job(), one file
 * each.  Internal to the core: only confine_job.c calls these, in the order
 * it documents; `cronguard run` and the module reach them through apply.h.
 *
 * Every function returns 0 when the plan's part was applied (or the plan
 * does not ask for it, or a best-effort downgrade was logged), and -1 after
 * logging, with %m, what could not be applied. */
#ifndef CG_CONFINE_H
#define CG_CONFINE_H

#include <stdbool.h>

#include "apply.h"
#include "logger.h"
#include "plan.h"

/* confine_ns.c: private /tmp and /var/tmp, read-only /usr /etc /boot, in a
 * new mount namespace whose mounts never propagate to the host. */
bool cg_ns_wanted(const struct cg_plan *p);
int cg_confine_ns(const struct cg_plan *p, const struct cg_logger *log);

/* confine_apparmor.c: aa_change_onexec(plan->apparmor) through a
 * libapparmor that is dlopen()ed only when the plan names a profile. */
int cg_confine_apparmor(const struct cg_plan *p, const struct cg_logger *log);

/* confine_landlock.c: filesystem, TCP port and scope rules.  mail_safe adds
 * what cron's mailer needs (see confine_job.c).  prepared, when not NULL,
 * holds the path rules cg_landlock_prepare() resolved for this plan; they
 * are used when they fit (same ABI, rights and mode) and every rule's path
 * still opens without a symlink, else the plan is resolved in full. */
int cg_confine_landlock(const struct cg_plan *p, bool mail_safe,
			const struct cg_ll_prepared *prepared, const struct cg_logger *log);
/* Resolves the plan's Landlock path rules as cg_confine_landlock() would,
 * without restricting anything, into *out (allocated in *arena): each
 * rule's symlink-free path and rights, and what the resolution depended on.
 * Returns 1 prepared; 0 when this plan's rules cannot be prepared (a
 * resolution that depends on a directory someone other than root can
 * change, an unreadable or unresolvable path, too many rules or deps, out
 * of memory); -1 when the full resolution would refuse the plan too (an
 * exec and write overlap, a strict plan the kernel cannot enforce). */
int cg_landlock_prepare(const struct cg_plan *p, bool mail_safe, struct cg_arena *arena,
			struct cg_ll_prepared *out, const struct cg_logger *log);
/* The kernel's Landlock ABI version, 0 when Landlock is unavailable. */
int cg_landlock_abi(void);
/* Tests only: when > 0, pretend the kernel's ABI is at most this, to
 * exercise the best-effort downgrade on a kernel that has everything. */
extern int cg_landlock_abi_limit;

/* confine_caps.c: bounding set (unless mail_safe), inheritable, ambient;
 * and no_new_privs. */
int cg_confine_caps(const struct cg_plan *p, bool mail_safe, const struct cg_logger *log);
int cg_confine_nnp(const struct cg_logger *log);

/* confine_seccomp.c: architecture check, io_uring denial, socket() family
 * and protocol filter (the latter not when mail_safe). */
int cg_confine_seccomp(const struct cg_plan *p, bool mail_safe, const struct cg_logger *log);

#endif
