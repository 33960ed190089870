/* test_prepared.c - Landlock rules prepared ahead (cg_landlock_prepare) and
 * replayed by the job (apply.h): they confine as the full resolution does,
 * they name what they depend on (every directory a lookup went through,
 * symlinks followed), a rule path that changed sends the job back to the
 * full resolution, and stale rules only ever take access away. */
#include "confine_test.h"

#include <unistd.h>

static void prep_teardown(void)
{
	cgt_teardown();
}

TestSuite(prepared, .init = cgt_setup, .fini = prep_teardown);

/* The rules prepared for policy and user, in the test process. */
static int prepare(const char *policy, const char *user, struct cg_plan *plan,
		   struct cg_ll_prepared *ll)
{
	struct cg_logger log = cgt_logger();

	cr_assert_eq(cgt_resolve(policy, user, plan), 0);
	return cg_landlock_prepare(plan, false, &plan->arena, ll, &log);
}

static const struct cg_ll_rule *rule_for(const struct cg_ll_prepared *ll, const char *path)
{
	for (size_t i = 0; i < ll->nrules; i++)
		if (strcmp(ll->rules[i].path, path) == 0)
			return &ll->rules[i];
	return NULL;
}

static const struct cg_input *dep_for(const struct cg_ll_prepared *ll, const char *path)
{
	for (size_t i = 0; i < ll->ndeps; i++)
		if (strcmp(ll->deps[i].path, path) == 0)
			return &ll->deps[i];
	return NULL;
}

struct tree {
	char jobs[128], out[128], script[192], copy[192], target[192], outside[192];
};

static void make_tree(struct tree *t)
{
	snprintf(t->jobs, sizeof(t->jobs), "%s/jobs", cgt_dir);
	snprintf(t->out, sizeof(t->out), "%s/out", cgt_dir);
	snprintf(t->script, sizeof(t->script), "%s/report.sh", t->jobs);
	snprintf(t->copy, sizeof(t->copy), "%s/report.sh", t->out);
	snprintf(t->target, sizeof(t->target), "%s/report.txt", t->out);
	snprintf(t->outside, sizeof(t->outside), "%s/elsewhere.txt", cgt_dir);
	cr_assert_eq(mkdir(t->jobs, 0755), 0);
	cr_assert_eq(mkdir(t->out, 0755), 0);
	cr_assert_eq(chown(t->out, 65534, 65534), 0);
	cr_assert_eq(chmod(cgt_dir, 0777), 0);   /* DAC would allow "outside" */
	cgt_write_file(t->script, "#!/bin/sh\necho report-ok > \"$1\"\n", 0755);
	cgt_write_file(t->copy, "#!/bin/sh\nexit 0\n", 0755);
	cr_assert_eq(chown(t->copy, 65534, 65534), 0);
}

static const char *tree_policy(const struct tree *t)
{
	return cgt_policy("[default]\nexec = /usr /bin /sbin /lib /lib64 %s\n"
			  "interpreters = /bin/sh /usr/bin/sh\nwrite = %s /dev/null\n"
			  "private_tmp = yes\nprotect_system = yes\nno_new_privs = yes\n"
			  "capabilities = none\nnetwork = none\n", t->jobs, t->out);
}

/* The whitelisted script runs and writes its output; the copy in the
 * write path does not run; a write outside the write path fails. */
static int whole_job(void *arg)
{
	struct tree *t = arg;
	char *run[] = { t->script, t->target, NULL };
	char *copy[] = { t->copy, NULL };
	int err;

	if (cgt_exec_ok(run) != ATTACK_OK)
		return 2;
	if (cgt_exec_ok(copy) != ATTACK_BLOCKED)
		return 3;
	err = cgt_try_create(t->outside);
	if (!err)
		return 4;
	return err == EACCES ? 0 : 5;
}

Test(prepared, prepared_rules_confine_as_the_full_resolution_does)
{
	cgt_need_abi(1);
	struct tree t;
	struct cg_plan plan;
	struct cg_ll_prepared ll;
	const struct cg_ll_rule *r;

	make_tree(&t);
	const char *policy = tree_policy(&t);

	/* What was prepared: the directories themselves, symlinks and the
	 * interpreters beneath /usr resolved away, with their directories
	 * as deps. */
	cr_assert_eq(prepare(policy, "nobody", &plan, &ll), 1);
	cr_assert_not_null(rule_for(&ll, "/usr"));
	cr_assert_not_null(r = rule_for(&ll, t.jobs));
	cr_assert(r->dir && (r->access & 1), "exec rule for the jobs directory");
	cr_assert_not_null(r = rule_for(&ll, t.out));
	cr_assert(r->dir && !(r->access & 1) && (r->access & 2), "write-only rule for out");
	cr_assert_null(rule_for(&ll, "/bin"), "/bin leads into /usr: no rule of its own");
	if (access("/bin", F_OK) == 0 && readlink("/bin", (char[8]){ 0 }, 8) > 0) {
		cr_assert_not_null(dep_for(&ll, "/"), "the /bin symlink's directory is a dep");
		cr_assert_not_null(dep_for(&ll, "/usr"), "/usr/bin looked up in /usr: a dep");
	}
	cg_plan_free(&plan);

	/* Replayed in the job: the same outcome as resolving in full. */
	struct cgt_job j = { policy, "nobody", whole_job, &t, false, 0, false };

	cr_assert_eq(cgt_run(&j), 0, "full resolution (2 run, 3 copy ran, 4/5 outside)");
	cr_assert_eq(unlink(t.target), 0);
	cgt_next.prepare = true;
	cr_assert_eq(cgt_run(&j), 0, "prepared rules (2 run, 3 copy ran, 4/5 outside)");
	cr_assert_eq(access(t.target, F_OK), 0, "the script's output is missing");
	cr_assert_eq(access(t.outside, F_OK), -1, "a write outside the plan went through");
}

/* out, prepared as a directory, is a symlink by the time the job runs. */
static void out_becomes_a_symlink(void *arg)
{
	struct tree *t = arg;
	char real[160];

	snprintf(real, sizeof(real), "%s.real", t->out);
	if (rename(t->out, real) < 0 || symlink(real, t->out) < 0)
		_exit(SETUP_PREPARE);
}

static int write_through_out(void *arg)
{
	struct tree *t = arg;

	return cgt_try_create(t->target) ? ATTACK_BLOCKED : ATTACK_OK;
}

Test(prepared, a_rule_path_that_changed_is_resolved_again)
{
	cgt_need_abi(1);
	struct tree t;
	char real_target[224];

	make_tree(&t);
	/* Prepared rules grant the directory that was at out; the job finds
	 * a symlink there, so it must resolve the plan again (the full
	 * resolution follows the symlink and grants its target), not skip
	 * the rule and deny the write the plan allows. */
	struct cgt_job j = { tree_policy(&t), "nobody", write_through_out, &t, false, 0, false };

	cgt_next.prepare = true;
	cgt_next.between = out_becomes_a_symlink;
	cr_assert_eq(cgt_run(&j), ATTACK_OK, "the write path's new target was not granted");
	snprintf(real_target, sizeof(real_target), "%s.real/report.txt", t.out);
	cr_assert_eq(access(real_target, F_OK), 0);
}

Test(prepared, a_stale_covered_decision_only_takes_access_away)
{
	cgt_need_abi(1);
	char base[128], sub[160], other[128], alias[128], tool[192], otool[192];
	struct cg_plan plan;
	struct cg_ll_prepared ll;

	snprintf(base, sizeof(base), "%s/base", cgt_dir);
	snprintf(sub, sizeof(sub), "%s/base/sub", cgt_dir);
	snprintf(other, sizeof(other), "%s/other", cgt_dir);
	snprintf(alias, sizeof(alias), "%s/alias", cgt_dir);
	snprintf(tool, sizeof(tool), "%s/tool", sub);
	snprintf(otool, sizeof(otool), "%s/tool", other);
	cr_assert_eq(mkdir(base, 0755), 0);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(mkdir(other, 0755), 0);
	cgt_write_file(tool, "#!/bin/sh\nexit 0\n", 0755);
	cgt_write_file(otool, "#!/bin/sh\nexit 0\n", 0755);
	cr_assert_eq(symlink("base/sub", alias), 0);

	const char *policy = cgt_policy("[default]\nexec = /usr /bin /lib /lib64 %s %s\n"
					"interpreters = /bin/sh\n", base, alias);

	/* alias leads beneath base: covered, no rule; the directory holding
	 * the symlink and the one it was looked up in are deps. */
	cr_assert_eq(prepare(policy, "nobody", &plan, &ll), 1);
	cr_assert_not_null(rule_for(&ll, base));
	cr_assert_null(rule_for(&ll, alias));
	cr_assert_not_null(dep_for(&ll, cgt_dir), "the symlink's directory is a dep");
	cr_assert_not_null(dep_for(&ll, base), "base/sub looked up in base: a dep");
	cg_plan_free(&plan);

	/* Retargeted after preparing (which is what the deps catch in the plan
	 * cache): the stale rules grant less than a fresh resolution, never
	 * more.  Fresh: alias now leads to other, which gets a rule. */
	char atool[192];
	char *run[] = { atool, NULL };

	snprintf(atool, sizeof(atool), "%s/tool", alias);
	cr_assert_eq(unlink(alias), 0);
	cr_assert_eq(symlink("other", alias), 0);
	pid_t pid;
	int status;

	for (int mode = 0; mode < 2; mode++) {
		fflush(NULL);
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			struct cg_plan p;
			struct cg_ll_prepared prev;
			struct cg_confine_opts o = { .mail_safe = false };
			struct cg_logger log = cgt_logger();

			/* The stale rules: prepared while alias led into base. */
			if (cgt_resolve(policy, "nobody", &p) < 0)
				_exit(SETUP_POLICY);
			if (mode == 1) {
				if (unlink(alias) < 0 || symlink("base/sub", alias) < 0 ||
				    cg_landlock_prepare(&p, false, &p.arena, &prev, &log) != 1 ||
				    unlink(alias) < 0 || symlink("other", alias) < 0)
					_exit(SETUP_PREPARE);
				o.landlock = &prev;
			}
			if (setgid(65534) < 0 || cg_confine_job(&p, &o, &log) < 0)
				_exit(SETUP_CONFINE);
			if (setuid(65534) < 0)
				_exit(SETUP_IDENTITY);
			_exit(cgt_exec_ok(run));
		}
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFEXITED(status));
		cr_assert_eq(WEXITSTATUS(status), mode == 0 ? ATTACK_OK : ATTACK_BLOCKED,
			     "%s: status %d", mode == 0 ? "fresh resolution" : "stale rules",
			     WEXITSTATUS(status));
	}
}

Test(prepared, a_symlinked_path_is_prepared_as_its_target_with_the_walk_as_deps)
{
	char real[128], mid[128], link[128], dangling[128];
	struct cg_plan plan;
	struct cg_ll_prepared ll;

	cgt_need_abi(1);
	/* link -> mid -> real: a write path no other rule covers, resolved
	 * as realpath() does, one component at a time, every directory an
	 * entry was looked up in a dep (mid's included). */
	snprintf(real, sizeof(real), "%s/sub/real", cgt_dir);
	snprintf(mid, sizeof(mid), "%s/mid", cgt_dir);
	snprintf(link, sizeof(link), "%s/link", cgt_dir);
	snprintf(dangling, sizeof(dangling), "%s/dangling", cgt_dir);
	cr_assert_eq(mkdir(cgt_policy("%s/sub", cgt_dir), 0755), 0);
	cr_assert_eq(mkdir(real, 0755), 0);
	cr_assert_eq(symlink("sub/real", mid), 0);
	cr_assert_eq(symlink(mid, link), 0);
	cr_assert_eq(prepare(cgt_policy("[default]\nexec = /usr\nwrite = %s\n", link), "nobody",
			     &plan, &ll), 1);
	cr_assert_not_null(rule_for(&ll, real), "the rule is the symlinks' target");
	cr_assert_null(rule_for(&ll, link));
	cr_assert_not_null(dep_for(&ll, cgt_dir), "where link and mid were looked up");
	cr_assert_not_null(dep_for(&ll, cgt_policy("%s/sub", cgt_dir)), "where real was");
	cg_plan_free(&plan);

	/* A symlink to nothing cannot be vouched for: not prepared (the job
	 * resolves it in full, finds nothing, and grants nothing). */
	cr_assert_eq(symlink("nowhere", dangling), 0);
	cr_assert_eq(prepare(cgt_policy("[default]\nexec = /usr\nwrite = %s\n", dangling),
			     "nobody", &plan, &ll), 0);
	cg_plan_free(&plan);
}

Test(prepared, an_overlap_is_refused_when_preparing_too)
{
	char dir[128], link[128];
	struct cg_plan plan;
	struct cg_ll_prepared ll;

	cgt_need_abi(1);
	/* exec and write name the same directory, once the symlink in /usr's
	 * style is resolved: refused, as the job would refuse it. */
	snprintf(dir, sizeof(dir), "%s/d", cgt_dir);
	snprintf(link, sizeof(link), "%s/l", cgt_dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	cr_assert_eq(symlink("d", link), 0);
	cr_assert_eq(prepare(cgt_policy("[default]\nexec = %s\nwrite = %s\n", dir, link), "nobody",
			     &plan, &ll), -1);
	cg_plan_free(&plan);
}

/* Someone other than root can change /var/tmp (anyone may plant a symlink
 * there), and the job sees a private /var/tmp anyway: a resolution that
 * looked into it must not be remembered, or a job would be granted where
 * a planted symlink led when its rules were prepared. */
Test(prepared, nothing_found_through_a_world_writable_directory_is_prepared)
{
	char secret[128], plant[64];
	struct cg_plan plan;
	struct cg_ll_prepared ll;
	int rc;

	cgt_need_abi(1);
	snprintf(secret, sizeof(secret), "%s/secret", cgt_dir);
	snprintf(plant, sizeof(plant), "/var/tmp/cg-plant-%d", (int)getpid());
	cr_assert_eq(mkdir(secret, 0700), 0);
	cr_assert_eq(symlink(secret, plant), 0);
	rc = prepare(cgt_policy("[default]\nexec = /usr\nprivate_tmp = yes\nwrite = %s\n", plant),
		     "root", &plan, &ll);
	unlink(plant);
	cr_assert_eq(rc, 0, "a rule through /var/tmp was prepared");
	cr_assert_null(rule_for(&ll, secret));
	cg_plan_free(&plan);
}

/* A path found covered inside a directory its user owns (a home) depends
 * on that directory, which the user changes at will: not prepared, so that
 * a busy home never sends every job back to the full decision. */
Test(prepared, a_decision_inside_a_users_directory_is_not_prepared)
{
	char home[128], out[160];
	struct cg_plan plan;
	struct cg_ll_prepared ll;

	cgt_need_abi(1);
	snprintf(home, sizeof(home), "%s/home", cgt_dir);
	snprintf(out, sizeof(out), "%s/out", home);
	cr_assert_eq(mkdir(home, 0755), 0);
	cr_assert_eq(mkdir(out, 0755), 0);
	cr_assert_eq(chown(home, 65534, 65534), 0);
	cr_assert_eq(prepare(cgt_policy("[default]\nexec = /usr\nwrite = %s %s\n", home, out),
			     "nobody", &plan, &ll), 0);
	cg_plan_free(&plan);
	/* Root's, the same plan is prepared: out needs no rule of its own. */
	cr_assert_eq(chown(home, 0, 0), 0);
	cr_assert_eq(prepare(cgt_policy("[default]\nexec = /usr\nwrite = %s %s\n", home, out),
			     "nobody", &plan, &ll), 1);
	cr_assert_not_null(rule_for(&ll, home));
	cr_assert_null(rule_for(&ll, out));
	cr_assert_not_null(dep_for(&ll, home));
	cg_plan_free(&plan);
}

/* Rules prepared for the job process (Debian cron) do not fit cron's
 * middle process (mail-safe, cronie): there the mailer's spool and the
 * mailboxes must be writable too, which only the full resolution adds. */
Test(prepared, rules_prepared_for_the_job_are_not_replayed_in_mail_safe_mode)
{
	char box[64];
	pid_t pid;
	int status;

	cgt_need_abi(1);
	if (access("/var/mail", W_OK) != 0)
		cr_skip_test("no /var/mail");
	snprintf(box, sizeof(box), "/var/mail/cg-prep-%d", (int)getpid());
	const char *policy = cgt_policy("[default]\nexec = /usr\nwrite = %s\n", cgt_dir);

	for (int mode = 0; mode < 2; mode++) {
		fflush(NULL);
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			struct cg_plan p;
			struct cg_ll_prepared prep;
			struct cg_confine_opts o = { .mail_safe = mode == 1 };
			struct cg_logger log = cgt_logger();

			if (cgt_resolve(policy, "root", &p) < 0)
				_exit(SETUP_POLICY);
			if (cg_landlock_prepare(&p, false, &p.arena, &prep, &log) != 1)
				_exit(SETUP_PREPARE);
			o.landlock = &prep;
			if (cg_confine_job(&p, &o, &log) < 0)
				_exit(SETUP_CONFINE);
			_exit(cgt_try_create(box) ? ATTACK_BLOCKED : ATTACK_OK);
		}
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		unlink(box);
		cr_assert(WIFEXITED(status));
		/* The job's rules replayed: no mailbox; mail-safe: resolved in
		 * full, the mailboxes writable. */
		cr_assert_eq(WEXITSTATUS(status), mode == 0 ? ATTACK_BLOCKED : ATTACK_OK,
			     "%s: status %d", mode == 0 ? "job" : "mail-safe", WEXITSTATUS(status));
	}
}
