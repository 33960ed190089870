/* confine_job.c - cg_confine_job(): the plan's confinement, in order.
 *
 * Order, and why:
 *  0. plan check   a path both writable and executable is a plan error:
 *                  refused before the process is touched.
 *  1. namespaces   mount() needs CAP_SYS_ADMIN, and a Landlock-restricted
 *                  process may not change its mounts any more; Landlock
 *                  rules bind to inodes, so /tmp must already be the job's
 *                  tmpfs when its rule is opened.
 *  2. AppArmor     dlopen(libapparmor) reads a library and aa_is_enabled()
 *                  reads /sys, and aa_change_onexec() writes
 *                  /proc/self/attr: Landlock read/write rules would deny
 *                  those, so this comes before it.  It only takes effect at
 *                  execve(), so its place costs the job nothing.
 *  3. Landlock     opening the rule paths may need root's DAC override
 *                  (CAP_DAC_READ_SEARCH), and restricting without
 *                  no_new_privs needs CAP_SYS_ADMIN: both still effective.
 *  4. capabilities dropping from the bounding set needs CAP_SETPCAP, which
 *                  stays effective (cron still calls setuid after us); from
 *                  here on no new step needs privileges.
 *  5. no_new_privs after everything that might rely on a privileged exec
 *                  helper; the job's execve() is what it guards.
 *  6. seccomp      last, so the filter never has to allow the syscalls of
 *                  the steps above (prctl, capset, landlock_*, mount), and
 *                  loading it without no_new_privs (mail_safe) relies on the
 *                  CAP_SYS_ADMIN that is still effective.
 * Any step that fails returns -1 at once; the caller must not run the job.
 *
 * mail_safe (cronie's crond, fcron, systemd PAMName=: no job-process hook,
 * so the module confines cron's middle process in open_session, and cron's
 * mailer and pam_close_session inherit everything):
 *   - no_new_privs is not set, even when the plan asks for it: the mailer is
 *     setuid-root exim4 (Debian) and under no_new_privs cannot deliver.
 *   - the bounding set is left full (same reason, measured in FIELD-NOTES
 *     1); inheritable and ambient are still cleared.  Root jobs therefore
 *     keep root's capabilities in this mode.
 *   - seccomp keeps the architecture check and the io_uring denial but does
 *     not filter socket(): a local MTA resolves names over UDP.  Network
 *     none and port rules rest on Landlock's TCP rules alone, and UDP, SCTP,
 *     MPTCP and TCP Fast Open (sendto with MSG_FASTOPEN, which Landlock
 *     does not check; exim tries it by default) stay open.
 *   - Landlock additionally allows executing /usr/sbin/sendmail, exim4 and
 *     postdrop, reading /etc, /usr and /var/lib/exim4, writing the MTA
 *     spools, its log and the mailboxes (/var/spool/exim4, /var/log/exim4,
 *     /var/mail, /var/spool/mail, postfix and sendmail queues), and TCP
 *     connect to ports 25, 465 and 587.  The job gets these too.
 *   - the AppArmor onexec profile also applies to the mailer if cron execs
 *     it from the confined process: the profile must allow the MTA.
 *   - namespaces are the same: the MTA needs neither /tmp nor to write
 *     /usr, /etc or /boot.
 *   - the PAM modules after pam_cronguard in the session stack, and every
 *     module's close_session, run under the same Landlock domain: list
 *     pam_cronguard last in the session stack (pam_loginuid writes
 *     /proc/self/loginuid, which a write-confined plan does not allow).
 * A plan with `mail = no` says the job's output mail need not work: then
 * mail_safe is ignored and the full confinement applies. */
#include "apply.h"
#include "confine.h"

int cg_confine_job(const struct cg_plan *p, const struct cg_confine_opts *o,
		   const struct cg_logger *log)
{
	bool mail_safe = o && o->mail_safe && p->mail;
	char why[512];

	if (cg_plan_exec_write_overlap(p, why, sizeof(why))) {
		cg_logf(log, LOG_ERR, "plan error for user %s: %s", p->id.user, why);
		return -1;
	}
	if (cg_confine_ns(p, log) < 0 ||
	    cg_confine_apparmor(p, log) < 0 ||
	    cg_confine_landlock(p, mail_safe, o ? o->landlock : NULL, log) < 0 ||
	    cg_confine_caps(p, mail_safe, log) < 0)
		return -1;
	if (p->no_new_privs) {
		if (mail_safe)
			cg_logf(log, LOG_DEBUG, "no_new_privs not set: mail-safe mode "
				"(the setuid mailer inherits it)");
		else if (cg_confine_nnp(log) < 0)
			return -1;
	}
	if (cg_confine_seccomp(p, mail_safe, log) < 0)
		return -1;
	cg_logf(log, LOG_DEBUG, "user %s: job confined%s", p->id.user,
		mail_safe ? " (mail-safe)" : "");
	return 0;
}
