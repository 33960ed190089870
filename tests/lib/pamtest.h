/* pamtest.h - drive the built module through the real libpam
 * (pam_start_confdir), in a scratch directory holding the PAM service file,
 * the policy and the crontabs the gate reads. */
#ifndef CG_PAMTEST_H
#define CG_PAMTEST_H

#include <security/pam_appl.h>
#include <stdbool.h>

struct pamtest {
	char dir[64];            /* scratch directory, removed by pamtest_cleanup */
	char policy[128];        /* DIR/policy.conf */
	char spool[128];         /* DIR/spool (per-user crontabs) */
	char crontab[128];       /* DIR/crontab (system crontab) */
	char crondir[128];       /* DIR/cron.d */
	char cache[128];         /* DIR/cache (the module's cachedir=) */
	pam_handle_t *pamh;
};

/* Creates the scratch tree, writes the policy (mode 0644, root-owned when
 * run as root) and a service file "cron" (or `service`) listing the module
 * with extra_args in the account, auth and session stacks, each followed by
 * pam_permit so the module's PAM_IGNORE does not decide the stack.  The
 * module's cache directory is DIR/cache (created by the module). */
void pamtest_setup(struct pamtest *t, const char *service, const char *policy,
		   const char *extra_args);
/* Writes DIR/REL with mode. */
void pamtest_write(struct pamtest *t, const char *rel, const char *text, int mode);
/* pam_start_confdir for user; returns pam_start's code. */
int pamtest_start(struct pamtest *t, const char *service, const char *user);
void pamtest_cleanup(struct pamtest *t);

#endif
