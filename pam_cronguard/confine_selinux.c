/* confine_selinux.c - put cronie's job into the plan's SELinux domain.
 *
 * cronie (security.c, cron_set_job_security_context) calls setexeccon() with
 * the user's context right before pam_open_session(), in the process that
 * then forks the job and, later, the mailer; it does not set it again.  So
 * in open_session the module may replace that exec context: the job's shell
 * and cronie's mailer (cron_popen: fork, setreuid, execvpe sendmail) both
 * start in it.  Debian's cron calls setexeccon() itself right before exec,
 * overriding anything PAM set: there the domain comes only from the
 * generated module's type transition on whitelisted scripts, and this file
 * is not used (hook=job).
 *
 * Only the type is replaced: SELinux user, role and MLS range stay the ones
 * cronie chose (and authorised) for this user, so the generated module must
 * give the role the type.  What the generated module needs for a domain D
 * used this way is written in pam_cronguard(8), CRONIE.
 *
 * libselinux is dlopen()ed here, only for a plan that names a type, as
 * confine_apparmor.c does with libapparmor: a linked library would load
 * into every cron job.  This runs before Landlock (cg_confine_job), whose
 * read and write rules would deny the library and /proc/self/attr/exec. */
#include "config.h"
#include "confine_selinux.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef int (*se_enabled_fn)(void);
typedef int (*se_getcon_fn)(char **con);
typedef int (*se_setexeccon_fn)(const char *con);
typedef void (*se_freecon_fn)(char *con);

static bool type_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

int cg_selinux_context_with_type(const char *cur, const char *type, char *buf, size_t size)
{
	const char *c1, *c2, *end;
	int n;

	if (!cur || !type || !type_name(type))
		return -1;
	c1 = strchr(cur, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == cur || c2 == c1 + 1)
		return -1;
	end = strchr(c2 + 1, ':');         /* the MLS range may hold more colons */
	if (!end)
		end = c2 + 1 + strlen(c2 + 1);
	if (end == c2 + 1)
		return -1;
	n = snprintf(buf, size, "%.*s%s%s", (int)(c2 + 1 - cur), cur, type, end);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int missing(const struct cg_plan *p, const struct cg_logger *log, const char *why)
{
	cg_logf(log, p->strict ? LOG_ERR : LOG_NOTICE,
		"selinux type %s: %s; %s", p->selinux, why,
		p->strict ? "strict plan: job refused" : "job runs in cron's context");
	return p->strict ? -1 : 0;
}

/* POSIX guarantees function pointers round-trip through void *. */
static bool sym(void *h, const char *name, void *fnp, size_t fnsize)
{
	void *s = dlsym(h, name);

	if (!s)
		return false;
	memcpy(fnp, &s, fnsize);
	return true;
}

int cg_confine_selinux(const struct cg_plan *p, const struct cg_logger *log)
{
	se_enabled_fn is_enabled;
	se_getcon_fn getexeccon, getcon;
	se_setexeccon_fn setexeccon;
	se_freecon_fn freecon;
	char why[256], ctx[1024];
	char *cur = NULL;
	void *h;
	int rc = -1;

	if (!p->selinux)
		return 0;
#ifndef CG_HAVE_SELINUX
	return missing(p, log, "this pam_cronguard was built without SELinux support");
#endif
	/* RTLD_NODELETE: cronie's own libselinux is this same object, and a
	 * later dlopen in the process is then free. */
	h = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!h) {
		const char *e = dlerror();

		snprintf(why, sizeof(why), "cannot load libselinux.so.1 (%s)", e ? e : "?");
		return missing(p, log, why);
	}
	if (!sym(h, "is_selinux_enabled", &is_enabled, sizeof(is_enabled)) ||
	    !sym(h, "getexeccon", &getexeccon, sizeof(getexeccon)) ||
	    !sym(h, "getcon", &getcon, sizeof(getcon)) ||
	    !sym(h, "setexeccon", &setexeccon, sizeof(setexeccon)) ||
	    !sym(h, "freecon", &freecon, sizeof(freecon))) {
		dlclose(h);
		return missing(p, log, "libselinux.so.1 lacks a needed function");
	}
	if (is_enabled() != 1) {
		dlclose(h);
		return missing(p, log, "SELinux is not enabled");
	}
	/* cronie's exec context for this user, else our own context. */
	if (getexeccon(&cur) < 0) {
		cg_logf(log, LOG_ERR, "selinux: getexeccon: %m");
		goto out;
	}
	if (!cur && getcon(&cur) < 0) {
		cg_logf(log, LOG_ERR, "selinux: getcon: %m");
		goto out;
	}
	if (!cur || cg_selinux_context_with_type(cur, p->selinux, ctx, sizeof(ctx)) < 0) {
		cg_logf(log, LOG_ERR, "selinux: cannot make a context of type %s from '%s'",
			p->selinux, cur ? cur : "(none)");
		goto out;
	}
	if (setexeccon(ctx) < 0) {
		/* EINVAL: the loaded policy does not know the type, or the
		 * role or range may not have it. */
		cg_logf(log, LOG_ERR, "selinux: setexeccon(%s): %m%s", ctx,
			errno == EINVAL ? " (type not in the loaded policy, or not allowed "
			"for this role and range: load the generated module)" : "");
		goto out;
	}
	cg_logf(log, LOG_DEBUG, "selinux: job and cron's mailer will run in %s (was %s)", ctx,
		cur);
	rc = 0;
out:
	if (cur)
		freecon(cur);
	dlclose(h);
	return rc;
}
