/* pamtest.c - see pamtest.h.  Compiled into the PAM tests (#include). */
#include "pamtest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int null_conv(int n, const struct pam_message **msg, struct pam_response **resp,
		     void *data)
{
	(void)n; (void)msg; (void)resp; (void)data;
	return PAM_CONV_ERR;        /* cron passes no conversation either */
}

static const struct pam_conv conv = { null_conv, NULL };

void pamtest_write(struct pamtest *t, const char *rel, const char *text, int mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, (mode_t)mode), 0);
}

void pamtest_setup(struct pamtest *t, const char *service, const char *policy,
		   const char *extra_args)
{
	const char *module = getenv("CG_MODULE") ? getenv("CG_MODULE") : CG_MODULE_PATH;
	char svc[2560], rel[64];

	memset(t, 0, sizeof(*t));
	strcpy(t->dir, "/tmp/cg-pamtest-XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	cr_assert_eq(chmod(t->dir, 0755), 0);
	snprintf(t->policy, sizeof(t->policy), "%s/policy.conf", t->dir);
	snprintf(t->spool, sizeof(t->spool), "%s/spool", t->dir);
	snprintf(t->crontab, sizeof(t->crontab), "%s/crontab", t->dir);
	snprintf(t->crondir, sizeof(t->crondir), "%s/cron.d", t->dir);
	snprintf(t->cache, sizeof(t->cache), "%s/cache", t->dir);
	cr_assert_eq(mkdir(t->spool, 0755), 0);
	cr_assert_eq(mkdir(t->crondir, 0755), 0);
	snprintf(rel, sizeof(rel), "pam.d");
	snprintf(svc, sizeof(svc), "%s/%s", t->dir, rel);
	cr_assert_eq(mkdir(svc, 0755), 0);
	if (policy)
		pamtest_write(t, "policy.conf", policy, 0644);
	snprintf(svc, sizeof(svc),
		 "account required %1$s conffile=%2$s crontabs=%3$s system_crontab=%4$s system_crondir=%5$s cachedir=%7$s %6$s\n"
		 "account required pam_permit.so\n"
		 "auth required %1$s conffile=%2$s crontabs=%3$s system_crontab=%4$s system_crondir=%5$s cachedir=%7$s %6$s\n"
		 "auth required pam_permit.so\n"
		 "session required %1$s conffile=%2$s crontabs=%3$s system_crontab=%4$s system_crondir=%5$s cachedir=%7$s %6$s\n"
		 "session required pam_permit.so\n",
		 module, t->policy, t->spool, t->crontab, t->crondir, extra_args ? extra_args : "",
		 t->cache);
	snprintf(rel, sizeof(rel), "pam.d/%s", service ? service : "cron");
	pamtest_write(t, rel, svc, 0644);
}

int pamtest_start(struct pamtest *t, const char *service, const char *user)
{
	char confdir[128];
	int rc;

	snprintf(confdir, sizeof(confdir), "%s/pam.d", t->dir);
	rc = pam_start_confdir(service ? service : "cron", user, &conv, confdir, &t->pamh);
	if (rc == PAM_SUCCESS)
		pam_set_item(t->pamh, PAM_TTY, "cron");
	return rc;
}

void pamtest_cleanup(struct pamtest *t)
{
	char cmd[128];

	if (t->pamh)
		pam_end(t->pamh, PAM_SUCCESS);
	t->pamh = NULL;
	if (t->dir[0] && strncmp(t->dir, "/tmp/cg-pamtest-", 16) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
		if (system(cmd) != 0)
			cr_log_warn("could not remove %s", t->dir);
	}
}
