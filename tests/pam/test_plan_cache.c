/* test_plan_cache.c - a remembered decision (plan_cache.h): the plan's
 * round trip through bytes, reuse through the real libpam, and each change
 * that must not hide behind it: the user's crontab, /etc/crontab, a new
 * /etc/cron.d file, the policy, a PATH directory's mode, a drop-in, a
 * forged cache file, a symlink the prepared Landlock rules resolved. */
#include "pamtest.c"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include "confine.h"
#include "plan_cache.h"
#include "policy.h"

static struct pamtest t;

static void fini(void)
{
	pamtest_cleanup(&t);
}

TestSuite(plan_cache, .fini = fini);

/* Every field the resolver can set, so a field the cache forgets shows. */
static const char *rich_policy =
	"[default]\n"
	"mode = complain\n"
	"strict = yes\n"
	"exec = /usr /opt/tools\n"
	"interpreters = /bin/sh /usr/bin/bash\n"
	"read = /etc /srv/data\n"
	"write = ~ /tmp /var/tmp/x\n"
	"network = tcp-connect:443 tcp-connect:8000-8010 tcp-bind:9000 udp\n"
	"capabilities = CAP_CHOWN CAP_KILL\n"
	"no_new_privs = yes\n"
	"private_tmp = yes\n"
	"protect_system = yes\n"
	"scope = signals abstract-unix\n"
	"env.deny += FOO_*\n"
	"env.set = LANG=C TZ=UTC\n"
	"path = /usr /bin\n"
	"umask = 0027\n"
	"nice = 7\n"
	"limit.nofile = 64:128\n"
	"limit.core = 0\n"
	"mail = no\n"
	"manifest = /etc/cronguard/manifest\n";

Test(plan_cache, plan_survives_the_round_trip)
{
	static const char *groups[] = { "alice", "staff" };
	const struct cg_identity alice = {
		.user = "alice", .uid = 1000, .gid = 1000, .home = "/home/alice",
		.shell = "/bin/bash", .groups = groups, .ngroups = 2,
	};
	struct cg_policy pol = { 0 };
	struct cg_diags d = { 0 };
	struct cg_plan a = { 0 }, b = { 0 };
	size_t len, len2;
	void *buf, *buf2;

	cg_policy_parse(&pol, "rich.conf", rich_policy, strlen(rich_policy), &d);
	cr_assert_eq(d.errors, 0, "the test policy must parse");
	cr_assert_eq(cg_resolve(&pol, &alice, &a, &d), 0);
	buf = cg_plan_serialize(&a, &len);
	cr_assert_not_null(buf);
	cr_assert_eq(cg_plan_deserialize(buf, len, &b), 0);
	buf2 = cg_plan_serialize(&b, &len2);
	cr_assert_not_null(buf2);
	cr_assert_eq(len, len2);
	cr_assert_eq(memcmp(buf, buf2, len), 0, "plan -> bytes -> plan -> bytes differs");

	/* And the bytes mean what the plan said. */
	cr_assert_eq(b.mode, CG_MODE_COMPLAIN);
	cr_assert(b.strict && b.exec_set && b.write_set && b.read_set);
	cr_assert_eq(b.exec.n, a.exec.n);
	cr_assert_str_eq(b.write.v[0], "/home/alice");
	cr_assert_eq(b.network.connect.n, 2);
	cr_assert_eq(b.network.connect.v[1].lo, 8000);
	cr_assert_eq(b.network.connect.v[1].hi, 8010);
	cr_assert_eq(b.network.bind.v[0].lo, 9000);
	cr_assert(b.network.udp && !b.network.any);
	cr_assert_eq(b.capabilities, a.capabilities);
	cr_assert(b.no_new_privs && b.private_tmp && b.protect_system);
	cr_assert(b.scope_signals && b.scope_abstract_unix);
	cr_assert_eq(b.umask, 027);
	cr_assert(b.nice_set);
	cr_assert_eq(b.nice, 7);
	cr_assert(b.limits[RLIMIT_NOFILE].set);
	cr_assert_eq(b.limits[RLIMIT_NOFILE].soft, 64);
	cr_assert_eq(b.limits[RLIMIT_NOFILE].hard, 128);
	cr_assert_str_eq(b.manifest, "/etc/cronguard/manifest");
	cr_assert(!b.mail);
	cr_assert_str_eq(b.origin[CG_KEY_NICE].file, "rich.conf");
	cr_assert_eq(b.origin[CG_KEY_NICE].line, a.origin[CG_KEY_NICE].line);

	/* A buffer cut short anywhere is refused, never half-read. */
	for (size_t cut = 0; cut < len; cut += 7) {
		struct cg_plan c = { 0 };

		cr_assert_eq(cg_plan_deserialize(buf, cut, &c), -1, "cut at %zu accepted", cut);
		cg_plan_free(&c);
	}
	free(buf);
	free(buf2);
	cg_plan_free(&a);
	cg_plan_free(&b);
	cg_policy_free(&pol);
	cg_diags_free(&d);
}

/* What cg_plan_deserialize says of q's bytes. */
static int read_back(const struct cg_plan *q)
{
	struct cg_plan back = { 0 };
	size_t len;
	void *buf = cg_plan_serialize(q, &len);
	int rc;

	cr_assert_not_null(buf);
	rc = cg_plan_deserialize(buf, len, &back);
	cg_plan_free(&back);
	free(buf);
	return rc;
}

Test(plan_cache, a_plan_the_resolver_could_not_make_is_refused)
{
	static const char *relative[] = { "usr/bin" };
	static const char *bare[] = { "LANG" };
	static const char *ok_env[] = { "LANG=C" };
	static const char *const cases[] = {
		"nothing wrong (the control)", "a relative exec path", "env.set without =",
		"nice 40", "soft limit above hard",
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct cg_plan q;

		memset(&q, 0, sizeof(q));
		q.allow = true;
		q.umask = -1;
		q.env_set = (struct cg_strlist){ ok_env, 1 };
		switch (c) {
		case 1: q.exec = (struct cg_strlist){ relative, 1 }; break;
		case 2: q.env_set = (struct cg_strlist){ bare, 1 }; break;
		case 3: q.nice_set = true; q.nice = 40; break;
		case 4: q.limits[RLIMIT_NOFILE] = (struct cg_limit){ true, 100, 10 }; break;
		}
		cr_assert_eq(read_back(&q), c == 0 ? 0 : -1, "%s", cases[c]);
	}
}

/* The files a decision reads must be settled (changed two seconds before
 * the decision began) before it is remembered: wait that out. */
static void settle(void)
{
	struct timespec ts = { 2, 300 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static int job(const char *user)
{
	int rc;

	if (t.pamh)
		pam_end(t.pamh, PAM_SUCCESS);
	t.pamh = NULL;
	cr_assert_eq(pamtest_start(&t, "cron", user), PAM_SUCCESS);
	rc = pam_acct_mgmt(t.pamh, 0);
	pam_end(t.pamh, PAM_SUCCESS);
	t.pamh = NULL;
	return rc;
}

/* The one plan-* file in the test's cache directory: its inode, 0 if none. */
static ino_t cache_inode(void)
{
	DIR *d = opendir(t.cache);
	struct dirent *de;
	ino_t ino = 0;
	struct stat st;
	char p[512];

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "plan-", 5) == 0) {
			snprintf(p, sizeof(p), "%s/%s", t.cache, de->d_name);
			cr_assert_eq(stat(p, &st), 0);
			cr_assert_eq(ino, 0, "one plan file per user expected");
			ino = st.st_ino;
		}
	closedir(d);
	return ino;
}

static const char *policy = "[default]\nmode = enforce\npath = /usr/bin /bin\n";

/* Sets up a tree where root's jobs are allowed and remembered. */
static ino_t remembered_allow(void)
{
	ino_t ino;

	if (geteuid() != 0)
		cr_skip_test("needs root (the cache is root's)");
	pamtest_setup(&t, "cron", policy, NULL);
	pamtest_write(&t, "spool/root", "PATH=/usr/bin:/bin\n* * * * * true\n", 0600);
	pamtest_write(&t, "crontab", "SHELL=/bin/sh\n* * * * * root true\n", 0644);
	pamtest_write(&t, "cron.d/pkg", "17 * * * * root true\n", 0644);
	settle();
	cr_assert_eq(job("root"), PAM_SUCCESS);
	ino = cache_inode();
	cr_assert_neq(ino, 0, "an allowed, settled decision is remembered");
	return ino;
}

Test(plan_cache, allow_is_remembered_and_reused)
{
	ino_t ino = remembered_allow();

	/* Reused: the next job finds it and writes nothing. */
	cr_assert_eq(job("root"), PAM_SUCCESS);
	cr_assert_eq(cache_inode(), ino, "a holding decision is not written again");
}

/* A root job remembered as allowed, then one file of the decision
 * changed so that the job must be denied: the cache must not hide it. */
static void change_is_seen(const char *rel, const char *text, int mode)
{
	remembered_allow();
	pamtest_write(&t, rel, text, mode);
	cr_assert_eq(job("root"), PAM_PERM_DENIED, "a change to %s went unseen", rel);
}

Test(plan_cache, a_changed_user_crontab_is_seen)
{
	change_is_seen("spool/root", "LD_PRELOAD=/tmp/x.so\n* * * * * true\n", 0600);
}

Test(plan_cache, a_same_size_change_within_the_second_is_seen)
{
	/* Same length, same mode: only the content (and ctime) differ. */
	change_is_seen("spool/root", "PATH=/tmp/x:/bin\n* * * * * true\n", 0600);
}

Test(plan_cache, a_new_cron_d_file_is_seen)
{
	change_is_seen("cron.d/zz-new", "SHELL=/tmp/sh\n* * * * * root true\n", 0644);
}

Test(plan_cache, a_changed_system_crontab_is_seen)
{
	change_is_seen("crontab", "BASH_ENV=/tmp/e\n* * * * * root true\n", 0644);
}

Test(plan_cache, a_changed_policy_is_seen)
{
	change_is_seen("policy.conf", "[default]\nmode = enforce\nallow = no\n", 0644);
}

Test(plan_cache, a_crontab_where_there_was_none_is_seen)
{
	if (geteuid() != 0)
		cr_skip_test("needs root");
	pamtest_setup(&t, "cron", policy, NULL);
	settle();
	cr_assert_eq(job("nobody"), PAM_SUCCESS);
	cr_assert_neq(cache_inode(), 0, "remembered with nobody's crontab absent");
	pamtest_write(&t, "spool/nobody", "LD_PRELOAD=/tmp/x.so\n* * * * * true\n", 0600);
	cr_assert_eq(job("nobody"), PAM_PERM_DENIED);
}

Test(plan_cache, a_new_drop_in_is_seen)
{
	char d[256];

	remembered_allow();
	snprintf(d, sizeof(d), "%s/policy.d", t.dir);
	cr_assert_eq(mkdir(d, 0755), 0);
	pamtest_write(&t, "policy.d/10-deny.conf", "[user root]\nallow = no\n", 0644);
	cr_assert_eq(job("root"), PAM_PERM_DENIED);
}

Test(plan_cache, a_path_directory_turned_writable_is_seen)
{
	/* Not under /tmp: a PATH directory's parents must be root-only too. */
	char d[] = "/run/cg-pathtest-XXXXXX", ct[512];
	int rc1, rc2;

	if (geteuid() != 0)
		cr_skip_test("needs root");
	cr_assert_not_null(mkdtemp(d));
	cr_assert_eq(chmod(d, 0755), 0);
	pamtest_setup(&t, "cron", "[default]\nmode = enforce\npath = /run\n", NULL);
	snprintf(ct, sizeof(ct), "PATH=%s\n* * * * * true\n", d);
	pamtest_write(&t, "spool/root", ct, 0600);
	settle();
	rc1 = job("root");
	/* Nothing the decision read changes: only the PATH directory's mode. */
	chmod(d, 0777);
	rc2 = job("root");
	rmdir(d);
	cr_assert_eq(rc1, PAM_SUCCESS);
	cr_assert_eq(rc2, PAM_PERM_DENIED);
}

Test(plan_cache, an_untrusted_cache_file_is_ignored)
{
	ino_t ino = remembered_allow();
	char p[512];
	DIR *dir;
	struct dirent *de;
	struct stat st;

	/* Made group-readable (as if someone else had written it): ignored,
	 * so the next job decides in full and writes a trusted one anew. */
	dir = opendir(t.cache);
	cr_assert_not_null(dir);
	while ((de = readdir(dir)) != NULL)
		if (strncmp(de->d_name, "plan-", 5) == 0)
			snprintf(p, sizeof(p), "%s/%s", t.cache, de->d_name);
	closedir(dir);
	cr_assert_eq(chmod(p, 0640), 0);
	cr_assert_eq(job("root"), PAM_SUCCESS);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_neq(st.st_ino, ino, "an untrusted cache file must not be used");
	cr_assert_eq(st.st_mode & 0777, 0600);
}

Test(plan_cache, nocache_writes_nothing)
{
	if (geteuid() != 0)
		cr_skip_test("needs root");
	pamtest_setup(&t, "cron", policy, "nocache");
	settle();
	cr_assert_eq(job("root"), PAM_SUCCESS);
	cr_assert_eq(cache_inode(), 0);
}

Test(plan_cache, unsettled_files_are_not_remembered)
{
	if (geteuid() != 0)
		cr_skip_test("needs root");
	pamtest_setup(&t, "cron", policy, NULL);
	/* Written just now, less than two seconds before the decision. */
	pamtest_write(&t, "spool/root", "* * * * * true\n", 0600);
	cr_assert_eq(job("root"), PAM_SUCCESS);
	cr_assert_eq(cache_inode(), 0, "a crontab changed just now proves nothing later");
}

/* The whole remembered file, for looking into. */
static size_t cache_bytes(unsigned char *buf, size_t size)
{
	DIR *d = opendir(t.cache);
	struct dirent *de;
	char p[512] = "";
	size_t n = 0;
	FILE *f;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "plan-", 5) == 0)
			snprintf(p, sizeof(p), "%s/%s", t.cache, de->d_name);
	closedir(d);
	f = fopen(p, "re");
	cr_assert_not_null(f, "no plan file");
	n = fread(buf, 1, size, f);
	fclose(f);
	return n;
}

/* Does the file hold s as a stored string (its length, then its bytes)? */
static bool holds_string(const unsigned char *buf, size_t n, const char *s)
{
	unsigned char pat[300];
	uint32_t len = (uint32_t)strlen(s);

	memcpy(pat, &len, sizeof(len));
	memcpy(pat + sizeof(len), s, len);
	return memmem(buf, n, pat, sizeof(len) + len) != NULL;
}

/* A scratch tree for prepared Landlock rules, in /srv, not in /tmp or
 * /var/lib, whose entries other tests change: d/base/sub, d/other and the
 * symlink d/alias -> base/sub, with a policy naming base and alias as exec
 * paths.  tree_start skips without root, Landlock or /srv; tree_make makes
 * the directories and the symlink. */
struct tree {
	char d[32], base[64], sub[80], other[64], alias[64], pol[512];
};

static void tree_start(struct tree *s)
{
	if (geteuid() != 0)
		cr_skip_test("needs root");
	if (cg_landlock_abi() < 1)
		cr_skip_test("no Landlock: nothing is prepared");
	strcpy(s->d, "/srv/cg-llprep-XXXXXX");
	if (!mkdtemp(s->d))
		cr_skip_test("no /srv to make a scratch directory in");
	cr_assert_eq(chmod(s->d, 0755), 0);
	snprintf(s->base, sizeof(s->base), "%s/base", s->d);
	snprintf(s->sub, sizeof(s->sub), "%s/base/sub", s->d);
	snprintf(s->other, sizeof(s->other), "%s/other", s->d);
	snprintf(s->alias, sizeof(s->alias), "%s/alias", s->d);
	snprintf(s->pol, sizeof(s->pol), "[default]\nmode = enforce\nexec = /usr %s %s\n"
		 "interpreters = /bin/sh\npath = /usr/bin /bin\n", s->base, s->alias);
}

static void tree_make(const struct tree *s)
{
	cr_assert_eq(mkdir(s->base, 0755), 0);
	cr_assert_eq(mkdir(s->sub, 0755), 0);
	cr_assert_eq(mkdir(s->other, 0755), 0);
	cr_assert_eq(symlink("base/sub", s->alias), 0);
}

static void tree_remove(const struct tree *s)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", s->d);
	cr_assert_eq(system(cmd), 0);
}

/* The Landlock rules prepared with a remembered plan depend on the
 * directories their resolution looked into: an exec path that is a symlink
 * retargeted afterwards must not be hidden by the cache (the job would be
 * confined by rules resolved for the old target). */
Test(plan_cache, a_retargeted_symlink_among_the_exec_paths_is_seen)
{
	static unsigned char buf[1 << 16];
	struct tree s;
	ino_t ino, after;
	size_t n;

	tree_start(&s);
	tree_make(&s);
	pamtest_setup(&t, "cron", s.pol, NULL);
	settle();
	cr_assert_eq(job("nobody"), PAM_SUCCESS);
	ino = cache_inode();
	cr_assert_neq(ino, 0, "remembered");
	/* Remembered with the rules and their deps: the directory holding the
	 * symlink, and base, where base/sub was looked up. */
	n = cache_bytes(buf, sizeof(buf));
	cr_assert(holds_string(buf, n, s.d), "the symlink's directory is not a dep");
	cr_assert(holds_string(buf, n, s.base));
	cr_assert_eq(job("nobody"), PAM_SUCCESS);
	cr_assert_eq(cache_inode(), ino, "reused while nothing changed");

	cr_assert_eq(unlink(s.alias), 0);
	cr_assert_eq(symlink("other", s.alias), 0);
	cr_assert_eq(job("nobody"), PAM_SUCCESS);
	after = cache_inode();
	tree_remove(&s);
	cr_assert_neq(after, ino, "a retargeted exec path symlink went unseen");
}

Test(plan_cache, prepared_rules_survive_the_round_trip)
{
	struct cg_ll_rule rules[] = {
		{ "/usr", 0x1, true }, { "/dev/null", 0xc002, false }, { "/tmp", 0xfff2, true },
	};
	struct cg_ll_prepared a = { 7, false, 0xfff3, rules, 3, NULL, 0 }, b;
	struct cg_arena arena = { 0 };
	size_t len, len2;
	void *buf = cg_ll_prepared_serialize(&a, &len), *buf2;

	cr_assert_not_null(buf);
	cr_assert_eq(cg_ll_prepared_deserialize(buf, len, &arena, &b), 0);
	cr_assert_eq(b.abi, 7);
	cr_assert_eq(b.handled, 0xfff3);
	cr_assert_eq(b.nrules, 3);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_str_eq(b.rules[i].path, rules[i].path);
		cr_assert_eq(b.rules[i].access, rules[i].access);
		cr_assert_eq(b.rules[i].dir, rules[i].dir);
	}
	buf2 = cg_ll_prepared_serialize(&b, &len2);
	cr_assert_eq(len2, len);
	cr_assert_eq(memcmp(buf, buf2, len), 0);
	free(buf2);
	/* Every truncation is refused, and so is a rule granting a right its
	 * ruleset does not handle, or a relative path. */
	for (size_t cut = 0; cut < len; cut++) {
		struct cg_ll_prepared c;

		cr_assert_eq(cg_ll_prepared_deserialize(buf, cut, &arena, &c), -1, "cut at %zu", cut);
	}
	free(buf);
	rules[1].access = 0x10000;
	buf = cg_ll_prepared_serialize(&a, &len);
	cr_assert_eq(cg_ll_prepared_deserialize(buf, len, &arena, &b), -1);
	free(buf);
	rules[1].access = 0xc002;
	rules[2].path = "tmp";
	buf = cg_ll_prepared_serialize(&a, &len);
	cr_assert_eq(cg_ll_prepared_deserialize(buf, len, &arena, &b), -1);
	free(buf);
	cg_arena_free(&arena);
}

/* Landlock deps changed just now cannot vouch for prepared rules: the
 * decision is remembered all the same, without the rules. */
Test(plan_cache, rules_with_unsettled_deps_are_left_out_not_the_decision)
{
	static unsigned char buf[1 << 16];
	struct tree s;
	size_t n;

	tree_start(&s);
	pamtest_setup(&t, "cron", s.pol, NULL);
	settle();
	/* Made after the settling: the policy and crontabs are settled, the
	 * directories the rules' resolution looks into are not. */
	tree_make(&s);
	cr_assert_eq(job("nobody"), PAM_SUCCESS);
	cr_assert_neq(cache_inode(), 0, "the decision itself is settled: remembered");
	n = cache_bytes(buf, sizeof(buf));
	tree_remove(&s);
	cr_assert(!holds_string(buf, n, s.d), "rules with unsettled deps were remembered");
}
