/* confine_caps.c - what a root job keeps of root's capabilities, and
 * no_new_privs.
 *
 * Raw prctl()/capget()/capset(), not libcap or libcap-ng: every library the
 * module links is loaded into every cron job, and on the dev VM the raw
 * calls cost 0.14 ms against 0.94 ms through libcap-ng (FIELD-NOTES 2).
 *
 * What changes: the bounding set loses every capability the plan does not
 * keep, the inheritable and ambient sets are emptied.  What stays: effective
 * and permitted, because cron still calls setuid() (and the module's caller
 * initgroups) after us.  The bounding set is what matters at the job's
 * execve(): a root job's new permitted set is inheritable|bounding, so it
 * starts with the plan's capabilities only; a user job's setuid-root helper
 * gains at most the bounding set (and nothing under no_new_privs, which is
 * why a user job under no_new_privs keeps its bounding set untouched). */
#include "confine.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy_keys.h"

static int drop_bounding(uint64_t keep, const struct cg_logger *log)
{
	int dropped = 0;

	/* The kernel may know more capabilities than this build: drop until
	 * the kernel says EINVAL (past cap_last_cap), so an unknown new
	 * capability is dropped too, never kept by accident.  No
	 * PR_CAPBSET_READ first: dropping a dropped capability succeeds, and
	 * one prctl per capability is half the cost. */
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (UINT64_C(1) << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL) < 0) {
			const char *name = cg_cap_name(cap);

			if (errno == EINVAL)
				break;
			if (name)
				cg_logf(log, LOG_ERR, "drop %s from the bounding set: %m", name);
			else
				cg_logf(log, LOG_ERR, "drop capability %d from the bounding set: %m", cap);
			return -1;
		}
		dropped++;
	}
	cg_logf(log, LOG_DEBUG, "capabilities: %d dropped from the bounding set", dropped);
	return 0;
}

static int clear_inheritable_ambient(const struct cg_logger *log)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) < 0) {
		cg_logf(log, LOG_ERR, "capget: %m");
		return -1;
	}
	if (data[0].inheritable || data[1].inheritable) {
		data[0].inheritable = data[1].inheritable = 0;
		if (syscall(SYS_capset, &hdr, data) < 0) {
			cg_logf(log, LOG_ERR, "capset (clear inheritable): %m");
			return -1;
		}
	}
	/* EINVAL: a kernel without ambient capabilities (< 4.3) has none. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL) < 0 && errno != EINVAL) {
		cg_logf(log, LOG_ERR, "prctl(PR_CAP_AMBIENT_CLEAR_ALL): %m");
		return -1;
	}
	return 0;
}

int cg_confine_caps(const struct cg_plan *p, bool mail_safe, const struct cg_logger *log)
{
	/* mail_safe: cron's mailer is a setuid-root exim4 forked from the
	 * process we confine, and an emptied bounding set leaves it without
	 * the capabilities it needs (measured, FIELD-NOTES 1).  Clearing
	 * inheritable and ambient is harmless to it. */
	if (mail_safe)
		return clear_inheritable_ambient(log);
	/* A job that will run as another user than root, under no_new_privs,
	 * can gain no capability at all: cron's setuid() empties its sets, and
	 * no_new_privs makes execve() ignore setuid bits and file capabilities,
	 * the only ways the bounding set is consulted.  Dropping it one prctl
	 * per capability would cost every such job ~35 us for nothing. */
	if (p->id.uid != 0 && p->no_new_privs) {
		cg_logf(log, LOG_DEBUG, "capabilities: user job under no_new_privs, "
			"bounding set not consulted");
	} else if (drop_bounding(p->capabilities, log) < 0) {
		return -1;
	}
	return clear_inheritable_ambient(log);
}

int cg_confine_nnp(const struct cg_logger *log)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) < 0) {
		cg_logf(log, LOG_ERR, "prctl(PR_SET_NO_NEW_PRIVS): %m");
		return -1;
	}
	cg_logf(log, LOG_DEBUG, "no_new_privs set");
	return 0;
}
