/* module_log.c - the module's syslog lines and Linux audit records.
 *
 * One line per decision, always the same shape so administrators can grep:
 *   cronguard: decision=deny user=alice service=cron mode=enforce rule=env.deny
 *              where=/var/spool/cron/crontabs/alice:4 reason="..."
 * (pam_syslog prefixes "pam_cronguard(cron:account): "). */
#include "config.h"
#include "module.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_ext.h>

#ifdef CG_HAVE_AUDIT
#include <libaudit.h>
#endif

static void to_pam_syslog(void *ctx, int prio, const char *msg)
{
	pam_syslog(ctx, prio, "%s", msg);
}

struct cg_logger cg_module_logger(pam_handle_t *pamh, bool debug)
{
	struct cg_logger l = { to_pam_syslog, pamh, debug };

	return l;
}

static const char *pam_user(pam_handle_t *pamh)
{
	const void *item = NULL;

	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || !item)
		return "?";
	return item;
}

void cg_module_log_decision(pam_handle_t *pamh, const struct cg_module_state *st, int prio,
			    const char *decision, const char *rule, const char *where,
			    const char *reason)
{
	const char *mode = st && st->plan.id.user ? cg_mode_name(st->plan.mode) : "?";

	pam_syslog(pamh, prio,
		   "cronguard: decision=%s user=%s service=%s mode=%s rule=%s where=%s reason=\"%s\"",
		   decision, pam_user(pamh), st && st->service ? st->service : "?", mode,
		   rule ? rule : "-", where && *where ? where : "-", reason ? reason : "");
}

void cg_module_audit(pam_handle_t *pamh, const struct cg_module_state *st, int type,
		     const char *op, int result)
{
#ifdef CG_HAVE_AUDIT
	int fd, saved = errno;

	if (st && !st->args.audit)
		return;
	fd = audit_open();
	if (fd < 0) {
		/* No audit support in this kernel: syslog has the decision. */
		if (errno != EINVAL && errno != EPROTONOSUPPORT && errno != EAFNOSUPPORT)
			pam_syslog(pamh, LOG_WARNING, "cannot open the audit socket: %m");
		errno = saved;
		return;
	}
	/* The op field must be one word: audit parsers split on blanks. */
	if (audit_log_acct_message(fd, type, NULL, op, pam_user(pamh), -1, NULL, NULL,
				   "cron", result) <= 0 && errno != ECONNREFUSED)
		pam_syslog(pamh, LOG_WARNING, "cannot write an audit record: %m");
	audit_close(fd);
	errno = saved;
#else
	(void)pamh;
	(void)st;
	(void)type;
	(void)op;
	(void)result;
#endif
}
