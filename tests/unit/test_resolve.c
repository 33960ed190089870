/* test_resolve.c - policy + identity -> plan: precedence user > group >
 * default > built-in, "+=" and "=", group membership, %u and ~, origins, and
 * the shipped default policy.  Identities are built by hand (no NSS), except
 * where a test says it checks cg_identity_lookup(). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "plan.h"
#include "policy.h"

#define F "r.conf"

static struct cg_policy pol;
static struct cg_diags d;
static struct cg_plan plan;

static const char *alice_groups[] = { "alice", "staff", "backup" };
static const struct cg_identity alice = {
	.user = "alice", .uid = 1000, .gid = 1000, .home = "/home/alice",
	.shell = "/bin/bash", .groups = alice_groups, .ngroups = 3,
};

static void setup(void)
{
	memset(&pol, 0, sizeof(pol));
	memset(&d, 0, sizeof(d));
	memset(&plan, 0, sizeof(plan));
}

static void teardown(void)
{
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	cg_diags_free(&d);
}

TestSuite(resolve, .init = setup, .fini = teardown);
TestSuite(shipped, .init = setup, .fini = teardown);

static void print_diags(void)
{
	for (size_t i = 0; i < d.n; i++)
		cr_log_info("%s:%u: %s", d.v[i].file, d.v[i].line, d.v[i].msg);
}

static void load_text(const char *text)
{
	size_t n = cg_policy_parse(&pol, F, text, strlen(text), &d);

	print_diags();
	cr_assert_eq(n, 0, "policy does not parse");
}

static void resolve_ok(const struct cg_identity *id)
{
	int rc = cg_resolve(&pol, id, &plan, &d);

	print_diags();
	cr_assert_eq(rc, 0);
	cr_assert_eq(d.n, 0);
}

static void assert_list(const struct cg_strlist *l, size_t n, const char *const *want)
{
	for (size_t i = 0; i < l->n; i++)
		cr_log_info("  [%zu] %s", i, l->v[i]);
	cr_assert_eq(l->n, n, "list has %zu entries, want %zu", l->n, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(l->v[i], want[i]);
}

#define LIST(l, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	assert_list(l, sizeof(want_) / sizeof(want_[0]), want_); \
} while (0)

static bool list_has(const struct cg_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

#define CAP(n) (UINT64_C(1) << (n))

/* --- built-in defaults and precedence ----------------------------------- */
Test(resolve, builtin_defaults)
{
	load_text("");
	resolve_ok(&alice);
	cr_assert_eq(plan.mode, CG_MODE_ENFORCE);
	cr_assert(plan.allow);
	cr_assert_not(plan.strict);
	cr_assert_not(plan.exec_set || plan.read_set || plan.write_set,
		      "no policy line: filesystem unconfined");
	cr_assert(plan.network.any);
	cr_assert_eq(plan.capabilities, CAP(cg_cap_last() + 1) - 1);
	cr_assert_not(plan.no_new_privs);
	cr_assert_eq(plan.umask, -1);
	cr_assert_not(plan.nice_set);
	cr_assert(plan.mail);
	cr_assert_null(plan.apparmor);
	cr_assert_null(plan.manifest);
	cr_assert_eq(plan.env_set.n, 0);
	cr_assert_str_eq(cg_plan_env_denied(&plan, "LD_PRELOAD"), "LD_*");
	cr_assert_str_eq(cg_plan_env_denied(&plan, "BASH_FUNC_x%%"), "BASH_FUNC_*");
	cr_assert_str_eq(cg_plan_env_denied(&plan, "PYTHONPATH"), "PYTHONPATH");
	cr_assert_null(cg_plan_env_denied(&plan, "TMPDIR"));
	cr_assert_null(cg_plan_env_denied(&plan, "HOME"));
	cr_assert(list_has(&plan.interpreters, "/bin/sh"));
	cr_assert(list_has(&plan.path, "/usr/bin"));
	for (int k = 0; k < CG_KEY_COUNT; k++)
		cr_assert_null(plan.origin[k].file, "key %d has an origin", k);
	for (int r = 0; r < RLIMIT_NLIMITS; r++)
		cr_assert_not(plan.limits[r].set);
	cr_assert_str_eq(plan.id.user, "alice");
	cr_assert_eq(plan.id.ngroups, 3);
}

Test(resolve, user_over_group_over_default_regardless_of_file_order)
{
	load_text("[user alice]\nmode = enforce\n"
		  "[group staff]\nmode = complain\nnice = 3\n"
		  "[default]\nmode = off\nnice = 1\numask = 0077\n");
	resolve_ok(&alice);
	cr_assert_eq(plan.mode, CG_MODE_ENFORCE);
	cr_assert_eq(plan.origin[CG_KEY_MODE].line, 2);
	cr_assert_eq(plan.nice, 3);
	cr_assert(plan.nice_set);
	cr_assert_eq(plan.origin[CG_KEY_NICE].line, 5);
	cr_assert_eq(plan.umask, 0077);
	cr_assert_eq(plan.origin[CG_KEY_UMASK].line, 9);
	cr_assert_str_eq(plan.origin[CG_KEY_UMASK].file, F);
}

Test(resolve, same_kind_later_section_wins)
{
	load_text("[group backup]\nnice = 7\n[group staff]\nnice = 4\n"
		  "[default]\nallow = no\n[default]\nallow = yes\n");
	resolve_ok(&alice);
	cr_assert_eq(plan.nice, 4);
	cr_assert_eq(plan.origin[CG_KEY_NICE].line, 4);
	cr_assert(plan.allow);
	cr_assert_eq(plan.origin[CG_KEY_ALLOW].line, 8);
}

Test(resolve, supplementary_groups_only)
{
	/* alice's primary group is "alice"; staff and backup are supplementary. */
	load_text("[default]\nallow = no\n[group backup]\nallow = yes\n"
		  "[group wheel]\nnice = -5\n[user bob]\nmode = off\n");
	resolve_ok(&alice);
	cr_assert(plan.allow);
	cr_assert_not(plan.nice_set, "alice is not in wheel");
	cr_assert_eq(plan.mode, CG_MODE_ENFORCE, "[user bob] is not alice");
}

Test(resolve, no_groups_at_all)
{
	const struct cg_identity lone = { .user = "lone", .home = "/nonexistent" };

	load_text("[default]\nallow = no\n[group lone]\nallow = yes\n");
	resolve_ok(&lone);
	cr_assert_not(plan.allow);
	cr_assert_str_eq(plan.id.shell, "");
}

Test(resolve, group_named_like_user_is_not_user)
{
	const char *groups[] = { "carol" };
	const struct cg_identity bob = { .user = "bob", .home = "/home/bob", .groups = groups,
					 .ngroups = 1 };

	load_text("[group bob]\nmode = off\n[user carol]\nmode = complain\n");
	resolve_ok(&bob);
	cr_assert_eq(plan.mode, CG_MODE_ENFORCE);
}

/* --- lists: += appends, = replaces -------------------------------------- */
Test(resolve, append_across_sections)
{
	load_text("[default]\nexec = /usr /bin\n"
		  "[group staff]\nexec += /opt/staff /usr\n"
		  "[group backup]\nexec += /opt/backup\n"
		  "[user alice]\nexec += ~/bin\n");
	resolve_ok(&alice);
	cr_assert(plan.exec_set);
	LIST(&plan.exec, "/usr", "/bin", "/opt/staff", "/opt/backup", "/home/alice/bin");
	cr_assert_eq(plan.origin[CG_KEY_EXEC].line, 8);
}

Test(resolve, assign_replaces_inherited)
{
	load_text("[default]\nexec = /usr /bin\nwrite = /tmp\n"
		  "[group staff]\nexec += /opt/staff\n"
		  "[user alice]\nexec = /srv/only\nwrite = none\n");
	resolve_ok(&alice);
	LIST(&plan.exec, "/srv/only");
	cr_assert(plan.write_set);
	cr_assert_eq(plan.write.n, 0, "'none' confines writing to nothing");
	cr_assert_not(plan.read_set);
}

Test(resolve, append_to_builtin_lists)
{
	load_text("[default]\nenv.deny += MY_SECRET_*\ninterpreters += /usr/bin/python3\n"
		  "path += /opt/bin\n[group staff]\nenv.set += LANG=C.UTF-8 TZ=UTC\n"
		  "[user alice]\nenv.set += LANG=C.UTF-8 LC_ALL=C\n");
	resolve_ok(&alice);
	cr_assert_str_eq(cg_plan_env_denied(&plan, "MY_SECRET_TOKEN"), "MY_SECRET_*");
	cr_assert_str_eq(cg_plan_env_denied(&plan, "LD_AUDIT"), "LD_*", "built-in list kept");
	cr_assert_eq(plan.interpreters.n, 7);
	cr_assert_str_eq(plan.interpreters.v[6], "/usr/bin/python3");
	cr_assert_str_eq(plan.path.v[plan.path.n - 1], "/opt/bin");
	LIST(&plan.env_set, "LANG=C.UTF-8", "TZ=UTC", "LC_ALL=C");
}

Test(resolve, assign_replaces_builtin_env_deny)
{
	load_text("[default]\nenv.deny = FOO\n");
	resolve_ok(&alice);
	LIST(&plan.env_deny, "FOO");
	cr_assert_null(cg_plan_env_denied(&plan, "LD_PRELOAD"));
}

Test(resolve, none_then_append)
{
	load_text("[default]\nread = none\n[user alice]\nread += /srv/data\n");
	resolve_ok(&alice);
	cr_assert(plan.read_set);
	LIST(&plan.read, "/srv/data");
}

/* --- expansion ---------------------------------------------------------- */
Test(resolve, percent_u_and_home)
{
	load_text("[default]\nwrite = ~ ~/cron /var/tmp/cron-%u /a%%b/%u%%\n"
		  "apparmor = cronguard-%u\nselinux = cron_%u_t\n"
		  "manifest = /etc/security/cronguard.d/%u.sha256\n");
	resolve_ok(&alice);
	LIST(&plan.write, "/home/alice", "/home/alice/cron", "/var/tmp/cron-alice", "/a%b/alice%");
	cr_assert_str_eq(plan.apparmor, "cronguard-alice");
	cr_assert_str_eq(plan.selinux, "cron_alice_t");
	cr_assert_str_eq(plan.manifest, "/etc/security/cronguard.d/alice.sha256");
}

Test(resolve, home_is_root_dir)
{
	const struct cg_identity daemon = { .user = "daemon", .home = "/" };

	load_text("[default]\nwrite = ~ ~/cron /srv/%u\n");
	resolve_ok(&daemon);
	LIST(&plan.write, "/", "/cron", "/srv/daemon");
}

Test(resolve, home_missing_means_root_dir)
{
	const struct cg_identity nohome = { .user = "nohome" };

	load_text("[default]\nwrite = ~/x\n");
	resolve_ok(&nohome);
	LIST(&plan.write, "/x");
}

Test(resolve, expansion_dedups)
{
	load_text("[default]\nwrite = /home/alice ~\n");
	resolve_ok(&alice);
	LIST(&plan.write, "/home/alice");
}

static void expect_resolve_error(const struct cg_identity *id, unsigned line, const char *msg)
{
	int rc = cg_resolve(&pol, id, &plan, &d);

	print_diags();
	cr_assert_eq(rc, -1);
	cr_assert_eq(d.errors, 1);
	cr_assert_str_eq(d.v[0].file, F);
	cr_assert_eq(d.v[0].line, line);
	cr_assert_str_eq(d.v[0].msg, msg);
}

Test(resolve, bad_expansion_relative_home)
{
	const struct cg_identity rel = { .user = "rel", .home = "home/rel" };

	load_text("[default]\n\nwrite = /tmp ~/cron\n");
	expect_resolve_error(&rel, 3,
			     "'~/cron' expands to a bad path for user rel: not an absolute path");
}

Test(resolve, bad_expansion_home_trailing_slash)
{
	const struct cg_identity tr = { .user = "tr", .home = "/home/tr/" };

	load_text("[default]\nexec = ~/bin\n");
	expect_resolve_error(&tr, 2,
			     "'~/bin' expands to a bad path for user tr: path not normalized (\"//\")");
}

Test(resolve, bad_expansion_empty_home)
{
	const struct cg_identity eh = { .user = "eh", .home = "" };

	load_text("[default]\nread = ~\n");
	expect_resolve_error(&eh, 2, "'~' expands to a bad path for user eh: not an absolute path");
}

Test(resolve, bad_expansion_dotdot_user)
{
	const struct cg_identity dd = { .user = "..", .home = "/" };

	load_text("[default]\nwrite = /var/tmp/%u\n");
	expect_resolve_error(&dd, 2,
			     "'/var/tmp/%u' expands to a bad path for user ..: path not normalized (\"/../\")");
}

Test(resolve, bad_expansion_user_with_slash)
{
	const struct cg_identity sl = { .user = "a/", .home = "/" };

	load_text("[default]\nwrite = /var/tmp/%u\n");
	expect_resolve_error(&sl, 2,
			     "'/var/tmp/%u' expands to a bad path for user a/: path not normalized (trailing \"/\")");
}

Test(resolve, bad_expansion_control_char_in_user)
{
	const struct cg_identity nl = { .user = "a\nb", .home = "/" };

	load_text("[default]\nwrite = /var/tmp/%u\n");
	expect_resolve_error(&nl, 2,
			     "'/var/tmp/%u' expands to a bad path for user a\nb: control character in path");
}

Test(resolve, bad_expansion_profile_name)
{
	const struct cg_identity sp = { .user = "ann smith", .home = "/home/ann" };

	load_text("[default]\napparmor = cronguard-%u\n");
	expect_resolve_error(&sp, 2,
			     "'cronguard-%u' expands to a bad value for user ann smith: character not allowed in a name");
}

Test(resolve, bad_expansion_manifest)
{
	const struct cg_identity dd = { .user = "..", .home = "/" };

	load_text("[default]\nmanifest = /etc/m/%u\n");
	expect_resolve_error(&dd, 2,
			     "'/etc/m/%u' expands to a bad value for user ..: path not normalized (\"/../\")");
}

Test(resolve, bad_expansion_only_for_matching_user)
{
	const struct cg_identity rel = { .user = "rel", .home = "home/rel" };

	load_text("[default]\nexec = /usr\n[user alice]\nexec += ~/bin\n");
	resolve_ok(&rel);
	LIST(&plan.exec, "/usr");
}

/* --- network, capabilities, scope --------------------------------------- */
Test(resolve, network_append_and_replace)
{
	load_text("[default]\nnetwork = tcp-connect:443\n"
		  "[group staff]\nnetwork += tcp-connect:22 udp\n"
		  "[group backup]\nnetwork += tcp-bind:8000-8010\n");
	resolve_ok(&alice);
	cr_assert_not(plan.network.any);
	cr_assert(cg_plan_network_confined(&plan));
	cr_assert(plan.network.udp);
	cr_assert_eq(plan.network.connect.n, 2);
	cr_assert(cg_ports_contains(&plan.network.connect, 443));
	cr_assert(cg_ports_contains(&plan.network.connect, 22));
	cr_assert_not(cg_ports_contains(&plan.network.connect, 80));
	cr_assert(cg_ports_contains(&plan.network.bind, 8005));
	cr_assert_eq(plan.origin[CG_KEY_NETWORK].line, 6);
}

Test(resolve, network_assign_resets)
{
	load_text("[default]\nnetwork = tcp-connect:443 udp\n[user alice]\nnetwork = tcp-bind:8080\n");
	resolve_ok(&alice);
	cr_assert_not(plan.network.any);
	cr_assert_not(plan.network.udp);
	cr_assert_eq(plan.network.connect.n, 0);
	cr_assert_eq(plan.network.bind.n, 1);
	cr_assert_eq(plan.network.bind.v[0].lo, 8080);
}

Test(resolve, network_none_and_any)
{
	load_text("[default]\nnetwork = none\n[group staff]\nnetwork = any\n[user alice]\nnetwork = none\n");
	resolve_ok(&alice);
	cr_assert_not(plan.network.any);
	cr_assert_not(plan.network.udp);
	cr_assert_eq(plan.network.connect.n + plan.network.bind.n, 0);
}

Test(resolve, network_append_to_any_stays_any)
{
	/* "any" already allows the appended rule: += cannot narrow it. */
	load_text("[default]\nnetwork = any\n[user alice]\nnetwork += tcp-connect:25\n");
	resolve_ok(&alice);
	cr_assert(plan.network.any);
	cr_assert_not(cg_plan_network_confined(&plan));
}

Test(resolve, capabilities_append_and_replace)
{
	load_text("[default]\ncapabilities = none\n[group staff]\ncapabilities += CAP_KILL\n"
		  "[user alice]\ncapabilities += chown\n");
	resolve_ok(&alice);
	cr_assert_eq(plan.capabilities, CAP(5) | CAP(0));
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	load_text("[default]\ncapabilities = CAP_KILL\n[user alice]\ncapabilities = CAP_SYS_TIME\n");
	resolve_ok(&alice);
	cr_assert_eq(plan.capabilities, CAP(25));
}

Test(resolve, scope_append_and_replace)
{
	load_text("[default]\nscope = signals\n[user alice]\nscope += abstract-unix\n");
	resolve_ok(&alice);
	cr_assert(plan.scope_signals);
	cr_assert(plan.scope_abstract_unix);
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	load_text("[default]\nscope = signals\n[group staff]\nscope = abstract-unix\n");
	resolve_ok(&alice);
	cr_assert_not(plan.scope_signals);
	cr_assert(plan.scope_abstract_unix);
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	load_text("[default]\nscope = signals abstract-unix\n[user alice]\nscope = none\n");
	resolve_ok(&alice);
	cr_assert_not(plan.scope_signals || plan.scope_abstract_unix);
}

/* --- scalars, limits, origins ------------------------------------------- */
Test(resolve, limits_and_their_origins)
{
	load_text("[default]\nlimit.nofile = 1024\nlimit.core = 0\n"
		  "[user alice]\nlimit.nofile = 2048:4096\n");
	resolve_ok(&alice);
	cr_assert(plan.limits[RLIMIT_NOFILE].set);
	cr_assert_eq(plan.limits[RLIMIT_NOFILE].soft, 2048);
	cr_assert_eq(plan.limits[RLIMIT_NOFILE].hard, 4096);
	cr_assert_eq(plan.limit_origin[RLIMIT_NOFILE].line, 5);
	cr_assert_eq(plan.limits[RLIMIT_CORE].hard, 0);
	cr_assert(plan.limits[RLIMIT_CORE].set);
	cr_assert_eq(plan.limit_origin[RLIMIT_CORE].line, 3);
	cr_assert_str_eq(plan.limit_origin[RLIMIT_CORE].file, F);
	cr_assert_not(plan.limits[RLIMIT_CPU].set);
	cr_assert_null(plan.limit_origin[RLIMIT_CPU].file);
	cr_assert_null(plan.origin[CG_KEY_LIMIT].file);
}

Test(resolve, origins_name_file_and_line)
{
	const char a[] = "[default]\nmode = off\nexec = /usr\n";
	const char b[] = "[default]\n\nexec += /opt\n[user alice]\nmode = complain\n";

	cr_assert_eq(cg_policy_parse(&pol, "/etc/security/cronguard.conf", a, strlen(a), &d), 0);
	cr_assert_eq(cg_policy_parse(&pol, "/etc/security/cronguard.d/10-x.conf", b, strlen(b), &d), 0);
	resolve_ok(&alice);
	cr_assert_str_eq(plan.origin[CG_KEY_MODE].file, "/etc/security/cronguard.d/10-x.conf");
	cr_assert_eq(plan.origin[CG_KEY_MODE].line, 5);
	cr_assert_str_eq(plan.origin[CG_KEY_EXEC].file, "/etc/security/cronguard.d/10-x.conf");
	cr_assert_eq(plan.origin[CG_KEY_EXEC].line, 3);
	LIST(&plan.exec, "/usr", "/opt");
	cr_assert_null(plan.origin[CG_KEY_NICE].file);
}

Test(resolve, every_scalar)
{
	load_text("[default]\nmode = complain\nallow = no\nstrict = yes\nno_new_privs = yes\n"
		  "private_tmp = yes\nprotect_system = yes\numask = 0027\nnice = -3\nmail = no\n"
		  "apparmor = cronguard-jobs\nselinux = cronjob_t\nmanifest = /etc/m.sha256\n"
		  "[user alice]\napparmor = none\n");
	resolve_ok(&alice);
	cr_assert_eq(plan.mode, CG_MODE_COMPLAIN);
	cr_assert_str_eq(cg_mode_name(plan.mode), "complain");
	cr_assert_not(plan.allow);
	cr_assert(plan.strict && plan.no_new_privs && plan.private_tmp && plan.protect_system);
	cr_assert_eq(plan.umask, 0027);
	cr_assert_eq(plan.nice, -3);
	cr_assert_not(plan.mail);
	cr_assert_null(plan.apparmor, "[user] none clears the [default] profile");
	cr_assert_eq(plan.origin[CG_KEY_APPARMOR].line, 15);
	cr_assert_str_eq(plan.selinux, "cronjob_t");
	cr_assert_str_eq(plan.manifest, "/etc/m.sha256");
}

Test(resolve, plan_outlives_policy_and_identity)
{
	char *user = strdup("alice"), *home = strdup("/home/alice"), *grp = strdup("staff");
	const char *groups[] = { grp };
	struct cg_identity id = { .user = user, .home = home, .groups = groups, .ngroups = 1 };

	cr_assert(user && home && grp);
	load_text("[default]\nexec = /usr /opt/jobs\nwrite = ~\napparmor = cronguard-jobs\n"
		  "manifest = /etc/m\nenv.set = A=1\n[group staff]\nnice = 2\n");
	resolve_ok(&id);
	/* Overwrite, then free, everything the plan was built from. */
	memset(user, 'X', 5);
	memset(home, 'X', 11);
	memset(grp, 'X', 5);
	free(user);
	free(home);
	free(grp);
	cg_policy_free(&pol);
	cr_assert_str_eq(plan.id.user, "alice");
	cr_assert_str_eq(plan.id.home, "/home/alice");
	cr_assert_str_eq(plan.id.groups[0], "staff");
	LIST(&plan.exec, "/usr", "/opt/jobs");
	LIST(&plan.write, "/home/alice");
	LIST(&plan.env_set, "A=1");
	cr_assert_str_eq(plan.apparmor, "cronguard-jobs");
	cr_assert_str_eq(plan.manifest, "/etc/m");
	cr_assert_str_eq(plan.origin[CG_KEY_NICE].file, F);
}

Test(resolve, mac_equal_for_equal_plans)
{
	const char *g2[] = { "bob" };
	const struct cg_identity bob = { .user = "bob", .home = "/home/bob", .groups = g2,
					 .ngroups = 1 };
	struct cg_plan other;

	load_text("[default]\nexec = /usr\napparmor = cronguard-jobs\n[user alice]\nnice = 3\n"
		  "[user carol]\nexec += /opt\n");
	resolve_ok(&alice);
	cr_assert_eq(cg_resolve(&pol, &bob, &other, &d), 0);
	cr_assert(cg_plan_mac_equal(&plan, &other), "nice is not a MAC rule");
	cg_plan_free(&other);
}

/* --- the shipped default policy ----------------------------------------- */
static void load_shipped(void)
{
	struct cg_load_opts o = { .require_root_owned = false, .dropins = false };
	int rc = cg_policy_load(&pol, CG_SOURCE_DIR "/pam_cronguard/cronguard.conf", &o, &d);

	print_diags();
	cr_assert_eq(rc, 0);
	cr_assert_eq(d.n, 0, "the shipped policy has no warnings either");
}

static void assert_shipped_common(void)
{
	cr_assert_eq(plan.mode, CG_MODE_ENFORCE);
	cr_assert(plan.allow);
	cr_assert(plan.no_new_privs);
	cr_assert(plan.protect_system);
	cr_assert(plan.network.any, "network = any");
	cr_assert(plan.mail);
	cr_assert_not(plan.read_set, "no read line: unconfined");
	LIST(&plan.interpreters, "/bin/sh", "/usr/bin/sh", "/bin/dash", "/usr/bin/dash",
	     "/bin/bash", "/usr/bin/bash");
	LIST(&plan.path, "/usr", "/bin", "/sbin");
	cr_assert(plan.limits[RLIMIT_CORE].set);
	cr_assert_eq(plan.limits[RLIMIT_CORE].soft, 0);
	cr_assert_eq(plan.limits[RLIMIT_CORE].hard, 0);
	cr_assert_str_eq(cg_plan_env_denied(&plan, "LD_PRELOAD"), "LD_*", "built-in env.deny");
	cr_assert_null(plan.apparmor);
	cr_assert_null(plan.manifest);
}

Test(shipped, root)
{
	const char *groups[] = { "root" };
	const struct cg_identity root = { .user = "root", .home = "/root", .shell = "/bin/bash",
					  .groups = groups, .ngroups = 1 };

	load_shipped();
	resolve_ok(&root);
	assert_shipped_common();
	LIST(&plan.exec, "/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc/cron.hourly",
	     "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly", "/etc/cron.yearly");
	LIST(&plan.write, "/var/backups", "/var/cache", "/var/lib", "/var/local", "/var/log",
	     "/var/mail", "/var/opt", "/var/spool/anacron", "/var/spool/exim4",
	     "/var/spool/postfix", "/var/spool/rsyslog", "/var/tmp", "/run", "/tmp", "/dev/null");
	cr_assert_eq(plan.capabilities,
		     CAP(0) | CAP(1) | CAP(2) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) |
		     CAP(23) | CAP(24) | CAP(29));
	cr_assert_not(plan.private_tmp);
	cr_assert_not(plan.scope_signals || plan.scope_abstract_unix);
	cr_assert_eq(plan.umask, 0022);
	cr_assert(plan.nice_set);
	cr_assert_eq(plan.nice, 0);
	cr_assert_str_eq(plan.origin[CG_KEY_UMASK].file,
			 CG_SOURCE_DIR "/pam_cronguard/cronguard.conf");
}

Test(shipped, ordinary_user)
{
	const char *groups[] = { "alice", "users", "cron-users" };
	const struct cg_identity u = { .user = "alice", .home = "/home/alice", .shell = "/bin/sh",
				       .groups = groups, .ngroups = 3 };

	load_shipped();
	resolve_ok(&u);
	assert_shipped_common();
	LIST(&plan.exec, "/usr", "/bin", "/sbin", "/lib", "/lib64");
	cr_assert_null(cg_strlist_find_prefix(&plan.exec, "/home/alice/bin/job"));
	cr_assert_null(cg_strlist_find_prefix(&plan.exec, "/tmp/x"));
	cr_assert_str_eq(cg_strlist_find_prefix(&plan.exec, "/usr/bin/rsync"), "/usr");
	LIST(&plan.write, "/home/alice", "/tmp", "/var/tmp", "/dev/null");
	cr_assert_eq(plan.capabilities, 0);
	cr_assert(plan.private_tmp);
	cr_assert(plan.scope_signals && plan.scope_abstract_unix);
	cr_assert_eq(plan.umask, 0077);
	cr_assert_eq(plan.nice, 5);
}

Test(shipped, root_through_nss)
{
	struct cg_arena a = { 0 };
	struct cg_identity id;

	cr_assert_eq(cg_identity_lookup(&a, "root", &id), 0);
	cr_assert_str_eq(id.user, "root");
	cr_assert_eq(id.uid, 0);
	cr_assert_geq(id.ngroups, 1);
	cr_assert_str_eq(id.groups[0], "root");
	load_shipped();
	resolve_ok(&id);
	cr_assert_eq(plan.umask, 0022);
	cr_assert_eq(plan.write.n, 15);
	cr_assert_str_eq(plan.write.v[0], "/var/backups");
	cg_arena_free(&a);
}

Test(shipped, unknown_user_through_nss)
{
	struct cg_arena a = { 0 };
	struct cg_identity id;

	cr_assert_eq(cg_identity_lookup(&a, "cg-no-such-user-7f3a", &id), -1);
	cr_assert_eq(errno, ENOENT);
	cg_arena_free(&a);
}

/* --- helpers every renderer uses ---------------------------------------- */
Test(query, env_pattern_match)
{
	static const struct { const char *pat, *name; bool match; } cases[] = {
		{ "LD_*", "LD_PRELOAD", true },
		{ "LD_*", "LD_", true },
		{ "LD_*", "LD", false },
		{ "LD_*", "XLD_PRELOAD", false },
		{ "ld_*", "LD_PRELOAD", false },          /* case matters */
		{ "*", "", true },
		{ "*", "ANY", true },
		{ "", "", true },
		{ "", "A", false },
		{ "A", "", false },
		{ "?", "", false },
		{ "?", "A", true },
		{ "?", "AB", false },
		{ "A?C", "ABC", true },
		{ "A?C", "AC", false },
		{ "*_OPTIONS", "JAVA_TOOL_OPTIONS", true },
		{ "*_OPTIONS", "_OPTIONS", true },
		{ "*_OPTIONS", "JAVA_OPTIONSX", false },
		{ "a*b*c", "aXbYbZc", true },
		{ "a*b*c", "aXbYbZ", false },
		{ "**", "x", true },
		{ "*?", "", false },
		{ "*?", "x", true },
		{ "*A", "*BA", true },                    /* a literal '*' in the name */
		{ "*A", "*", false },
		{ "BASH_FUNC_*", "BASH_FUNC_f%%", true },
		{ "PYTHONPATH", "PYTHONPATH2", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(cg_env_pattern_match(cases[i].pat, cases[i].name), cases[i].match,
			     "pattern '%s' name '%s': want %d", cases[i].pat, cases[i].name,
			     cases[i].match);
}

Test(query, env_pattern_match_is_not_exponential)
{
	char name[20001];
	struct timespec t0, t1;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_not(cg_env_pattern_match("*a*a*a*a*a*a*a*a*b", name));
	cr_assert(cg_env_pattern_match("*a*a*a*a*a*a*a*a*a", name));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;

	cr_assert_lt(ms, 1000.0, "took %.1f ms", ms);
}

Test(query, path_under)
{
	static const struct { const char *path, *dir; bool under; } cases[] = {
		{ "/usr/bin/env", "/usr", true },
		{ "/usr", "/usr", true },
		{ "/usr/", "/usr", true },
		{ "/usrx/bin", "/usr", false },
		{ "/us", "/usr", false },
		{ "", "/usr", false },
		{ "/usr/bin", "/usr/bin/env", false },
		{ "/", "/", true },
		{ "/anything/at/all", "/", true },
		{ "relative", "/", false },
		{ "/home/alice2/x", "/home/alice", false },
		{ "/home/alice/x", "/home/alice", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(cg_path_under(cases[i].path, cases[i].dir), cases[i].under,
			     "path '%s' dir '%s': want %d", cases[i].path, cases[i].dir,
			     cases[i].under);
}

Test(query, strlist_find_prefix)
{
	static const char *const v[] = { "/opt/a", "/opt", "/srv" };
	const struct cg_strlist l = { v, 3 };
	const struct cg_strlist empty = { NULL, 0 };

	cr_assert_str_eq(cg_strlist_find_prefix(&l, "/opt/a/x"), "/opt/a", "first match wins");
	cr_assert_str_eq(cg_strlist_find_prefix(&l, "/opt/b"), "/opt");
	cr_assert_null(cg_strlist_find_prefix(&l, "/srvx"));
	cr_assert_null(cg_strlist_find_prefix(&empty, "/srv"));
}

Test(query, mode_names)
{
	cr_assert_str_eq(cg_mode_name(CG_MODE_ENFORCE), "enforce");
	cr_assert_str_eq(cg_mode_name(CG_MODE_OFF), "off");
	cr_assert_str_eq(cg_mode_name((enum cg_mode)42), "?");
}
