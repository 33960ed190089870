/* test_account.c - the gate (pam_acct_mgmt) through the real libpam. */
#include "pamtest.c"

#include <pwd.h>

static struct pamtest t;

static const char *base_policy =
	"[default]\n"
	"mode = enforce\n"
	"path = /usr/local/bin /usr/bin /bin\n";

static void fini(void)
{
	pamtest_cleanup(&t);
}

static int account(const char *policy, const char *user)
{
	pamtest_setup(&t, "cron", policy, NULL);
	cr_assert_eq(pamtest_start(&t, "cron", user), PAM_SUCCESS);
	return pam_acct_mgmt(t.pamh, 0);
}

static int account_again(const char *user)
{
	if (t.pamh)
		pam_end(t.pamh, PAM_SUCCESS);
	t.pamh = NULL;
	cr_assert_eq(pamtest_start(&t, "cron", user), PAM_SUCCESS);
	return pam_acct_mgmt(t.pamh, 0);
}

TestSuite(account, .fini = fini);

Test(account, plain_job_is_allowed)
{
	cr_assert_eq(account(base_policy, "root"), PAM_SUCCESS);
}

Test(account, allow_no_denies)
{
	cr_assert_eq(account("[default]\nallow = no\n", "nobody"), PAM_PERM_DENIED);
}

Test(account, allow_no_in_complain_mode_only_logs)
{
	cr_assert_eq(account("[default]\nallow = no\nmode = complain\n", "nobody"), PAM_SUCCESS);
}

Test(account, user_section_overrides_default_allow)
{
	const char *pol = "[default]\nallow = no\n[user root]\nallow = yes\n";

	cr_assert_eq(account(pol, "root"), PAM_SUCCESS);
	cr_assert_eq(account_again("nobody"), PAM_PERM_DENIED);
}

Test(account, mode_off_ignores)
{
	/* PAM_IGNORE: the rest of the stack (pam_permit) decides. */
	cr_assert_eq(account("[default]\nallow = no\nmode = off\n", "nobody"), PAM_SUCCESS);
}

Test(account, ld_preload_in_user_crontab_denies)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "spool/nobody", "LD_PRELOAD=/tmp/evil.so\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
}

Test(account, ld_preload_in_complain_mode_is_allowed)
{
	pamtest_setup(&t, "cron", "[default]\nmode = complain\n", NULL);
	pamtest_write(&t, "spool/nobody", "LD_PRELOAD=/tmp/evil.so\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
}

Test(account, bash_env_denies_only_the_named_user)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "cron.d/job", "BASH_ENV=/tmp/x\n* * * * * nobody true\n", 0644);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
	cr_assert_eq(account_again("root"), PAM_SUCCESS);
}

Test(account, variable_after_the_last_job_does_not_count)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "crontab", "* * * * * nobody true\nLD_PRELOAD=/x.so\n", 0644);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
}

Test(account, later_assignment_replaces_earlier_one)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "spool/nobody", "PATH=/tmp\nPATH=/usr/bin:/bin\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
}

Test(account, path_with_world_writable_directory_denies)
{
	char pol[512];

	/* /tmp is allowed by the policy's path, but anyone can write it. */
	snprintf(pol, sizeof(pol), "%s[user nobody]\npath += /tmp\n", base_policy);
	pamtest_setup(&t, "cron", pol, NULL);
	pamtest_write(&t, "spool/nobody", "PATH=/usr/bin:/tmp\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
}

Test(account, path_directory_not_there_yet_under_a_world_writable_parent_denies)
{
	char pol[512];

	/* Anyone can create /tmp/cg-missing-... and fill it later. */
	snprintf(pol, sizeof(pol), "%s[user nobody]\npath += /tmp\n", base_policy);
	pamtest_setup(&t, "cron", pol, NULL);
	pamtest_write(&t, "spool/nobody", "PATH=/usr/bin:/tmp/cg-missing-dir/bin\n* * * * * true\n",
		      0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
}

Test(account, path_symlink_to_a_directory_under_a_world_writable_parent_denies)
{
	/* /run/X/bin -> /tmp/Y: both directories are root's and 0755, but
	 * /tmp is anyone's: Y can be renamed away and replaced.  The parents
	 * that count are the target's. */
	char link_dir[] = "/run/cg-pathlink-XXXXXX", target[] = "/tmp/cg-pathtarget-XXXXXX";
	char link[64], ct[256], pol[512];
	int rc;

	if (geteuid() != 0)
		cr_skip_test("needs root (directories owned by root)");
	cr_assert_not_null(mkdtemp(link_dir));
	cr_assert_not_null(mkdtemp(target));
	cr_assert_eq(chmod(link_dir, 0755), 0);
	cr_assert_eq(chmod(target, 0755), 0);
	snprintf(link, sizeof(link), "%s/bin", link_dir);
	cr_assert_eq(symlink(target, link), 0);
	snprintf(pol, sizeof(pol), "%s[user nobody]\npath += /run\n", base_policy);
	pamtest_setup(&t, "cron", pol, NULL);
	snprintf(ct, sizeof(ct), "PATH=/usr/bin:%s\n* * * * * true\n", link);
	pamtest_write(&t, "spool/nobody", ct, 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	rc = pam_acct_mgmt(t.pamh, 0);
	unlink(link);
	rmdir(link_dir);
	rmdir(target);
	cr_assert_eq(rc, PAM_PERM_DENIED);
}

Test(account, path_outside_the_policy_denies)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "spool/nobody", "PATH=/usr/bin:/opt/tools\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
}

Test(account, relative_or_empty_path_entry_denies)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "spool/nobody", "PATH=/usr/bin::/bin\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
	pamtest_write(&t, "spool/nobody", "PATH=.:/usr/bin\n* * * * * true\n", 0600);
	cr_assert_eq(account_again("nobody"), PAM_PERM_DENIED);
}

Test(account, shell_outside_interpreters_denies)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "spool/nobody", "SHELL=/usr/bin/python3\n* * * * * true\n", 0600);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
	pamtest_write(&t, "spool/nobody", "SHELL=/bin/bash\n* * * * * true\n", 0600);
	cr_assert_eq(account_again("nobody"), PAM_SUCCESS);
}

Test(account, debian_stock_crontab_passes_for_root)
{
	pamtest_setup(&t, "cron", NULL, NULL);
	/* The shipped default policy against Debian's own /etc/crontab text. */
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "cp %s/pam_cronguard/cronguard.conf %s", CG_SOURCE_DIR, t.policy);
	cr_assert_eq(system(cmd), 0);
	pamtest_write(&t, "crontab",
		      "SHELL=/bin/sh\n"
		      "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
		      "17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n"
		      "25 6\t* * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }\n",
		      0644);
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
}

Test(account, cron_d_file_cron_ignores_by_name_is_not_read)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "cron.d/job.dpkg-old", "LD_PRELOAD=/x.so\n* * * * * nobody true\n", 0644);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
}

/* Fail closed. */

Test(account, invalid_policy_fails_closed)
{
	cr_assert_eq(account("[default]\nmode = enforce\nbogus = 1\n", "root"), PAM_SERVICE_ERR);
}

Test(account, invalid_policy_fails_closed_even_if_it_says_complain)
{
	cr_assert_eq(account("[default]\nmode = complain\nallow = maybe\n", "root"),
		     PAM_SERVICE_ERR);
}

Test(account, missing_policy_fails_closed)
{
	pamtest_setup(&t, "cron", NULL, NULL);
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SERVICE_ERR);
}

Test(account, group_writable_policy_fails_closed)
{
	pamtest_setup(&t, "cron", base_policy, NULL);
	cr_assert_eq(chmod(t.policy, 0664), 0);
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SERVICE_ERR);
}

Test(account, symlinked_policy_fails_closed)
{
	char target[160];

	pamtest_setup(&t, "cron", NULL, NULL);
	pamtest_write(&t, "real.conf", base_policy, 0644);
	snprintf(target, sizeof(target), "%s/real.conf", t.dir);
	cr_assert_eq(symlink(target, t.policy), 0);
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SERVICE_ERR);
}

Test(account, unknown_module_argument_fails_closed)
{
	pamtest_setup(&t, "cron", base_policy, "enforce_harder");
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SERVICE_ERR);
}

Test(account, relative_conffile_fails_closed)
{
	pamtest_setup(&t, "cron", base_policy, "conffile=policy.conf");
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SERVICE_ERR);
}

Test(account, unknown_user_fails_closed)
{
	cr_assert_eq(account(base_policy, "cg-no-such-user-4711"), PAM_USER_UNKNOWN);
}

Test(account, group_section_matches_through_nss)
{
	/* Groups are looked up only when the policy has [group] sections. */
	cr_assert_eq(account("[default]\n[group root]\nallow = no\n", "root"), PAM_PERM_DENIED);
	cr_assert_eq(account_again("nobody"), PAM_SUCCESS);
}

Test(account, cronie_reads_cron_d_names_with_a_dot)
{
	/* cronie (service crond) runs /etc/cron.d/job.conf, which Debian's
	 * cron skips: the gate must read it for cronie. */
	pamtest_setup(&t, "crond", base_policy, NULL);
	pamtest_write(&t, "cron.d/job.conf", "LD_PRELOAD=/x.so\n* * * * * nobody true\n", 0644);
	cr_assert_eq(pamtest_start(&t, "crond", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
}

Test(account, symlinked_cron_d_file_is_read_like_cron_reads_it)
{
	char target[160], link[160];

	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "real-job", "BASH_ENV=/tmp/x\n* * * * * nobody true\n", 0644);
	snprintf(target, sizeof(target), "%s/real-job", t.dir);
	snprintf(link, sizeof(link), "%s/job", t.crondir);
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_PERM_DENIED);
}

Test(account, symlinked_spool_crontab_is_not_read)
{
	char target[160], link[160];

	/* cron refuses it, so its variables reach no job. */
	pamtest_setup(&t, "cron", base_policy, NULL);
	pamtest_write(&t, "real-tab", "LD_PRELOAD=/x.so\n* * * * * true\n", 0600);
	snprintf(target, sizeof(target), "%s/real-tab", t.dir);
	snprintf(link, sizeof(link), "%s/nobody", t.spool);
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(pamtest_start(&t, "cron", "nobody"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
}

Test(account, debian_package_cron_files_pass_the_shipped_policy)
{
	/* The cron.d files real Debian packages install (tests/fixtures/
	 * cron-corpus, one per package) set SHELL and PATH lines of their own,
	 * e.g. sysstat's PATH=/usr/lib/sysstat:...: none may deny its jobs. */
	static const char *const users[] = { "root", "www-data" };
	char cmd[1024];

	pamtest_setup(&t, "cron", NULL, NULL);
	snprintf(cmd, sizeof(cmd),
		 "cp %s/pam_cronguard/cronguard.conf %s && "
		 "for f in %s/tests/fixtures/cron-corpus/*__*; do cp \"$f\" %s/; done",
		 CG_SOURCE_DIR, t.policy, CG_SOURCE_DIR, t.crondir);
	cr_assert_eq(system(cmd), 0);
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		if (!getpwnam(users[i]))
			continue;
		cr_assert_eq(account_again(users[i]), PAM_SUCCESS, "jobs of %s denied", users[i]);
	}
}
