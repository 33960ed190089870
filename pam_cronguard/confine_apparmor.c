/* confine_apparmor.c - switch the job to the plan's AppArmor profile at its
 * execve(), when AppArmor is on.
 *
 * libapparmor is dlopen()ed here, only for a plan that names a profile: a
 * library the module linked would be loaded into every cron job, and most
 * plans (and every host without AppArmor) never use it.  aa_change_onexec()
 * is copied on fork, so it is called in the job process (FIELD-NOTES 3).
 *
 * With AppArmor off, or the profile not loaded, a plan that is not strict
 * runs without the profile and says so; a strict plan refuses the job. */
#include "config.h"
#include "confine.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef int (*aa_is_enabled_fn)(void);
typedef int (*aa_change_onexec_fn)(const char *profile);

static int missing(const struct cg_plan *p, const struct cg_logger *log, const char *why)
{
	cg_logf(log, p->strict ? LOG_ERR : LOG_WARNING,
		"apparmor profile %s: %s; %s", p->apparmor, why,
		p->strict ? "strict plan: job refused" : "job runs without it");
	return p->strict ? -1 : 0;
}

int cg_confine_apparmor(const struct cg_plan *p, const struct cg_logger *log)
{
	aa_is_enabled_fn is_enabled;
	aa_change_onexec_fn change_onexec;
	void *h, *sym_enabled, *sym_onexec;
	char why[256];
	int rc;

	if (!p->apparmor)
		return 0;
#ifndef CG_HAVE_APPARMOR
	return missing(p, log, "this pam_cronguard was built without AppArmor support");
#endif
	/* RTLD_NODELETE: nothing to gain from unloading in a process that
	 * is about to exec, and a later dlopen in the same process is free. */
	h = dlopen("libapparmor.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!h) {
		const char *e = dlerror();

		snprintf(why, sizeof(why), "cannot load libapparmor.so.1 (%s)", e ? e : "?");
		return missing(p, log, why);
	}
	/* POSIX guarantees function pointers round-trip through void *. */
	sym_enabled = dlsym(h, "aa_is_enabled");
	sym_onexec = dlsym(h, "aa_change_onexec");
	memcpy(&is_enabled, &sym_enabled, sizeof(is_enabled));
	memcpy(&change_onexec, &sym_onexec, sizeof(change_onexec));
	if (!sym_enabled || !sym_onexec) {
		dlclose(h);
		return missing(p, log, "libapparmor.so.1 lacks aa_is_enabled/aa_change_onexec");
	}
	errno = 0;
	if (is_enabled() != 1) {
		snprintf(why, sizeof(why), "AppArmor is not enabled (%s)",
			 errno ? strerror(errno) : "aa_is_enabled() = 0");
		dlclose(h);
		return missing(p, log, why);
	}
	rc = change_onexec(p->apparmor);
	if (rc < 0) {
		/* ENOENT: no such profile loaded. */
		snprintf(why, sizeof(why), "aa_change_onexec: %s%s", strerror(errno),
			 errno == ENOENT ? " (profile not loaded)" : "");
		dlclose(h);
		return missing(p, log, why);
	}
	cg_logf(log, LOG_DEBUG, "apparmor: job will run under profile %s", p->apparmor);
	dlclose(h);
	return 0;
}
