/* test_explain.c - `cronguard explain`: the built binary (env CRONGUARD) on
 * policies written to temporary files, for root and nobody (both exist on
 * Debian); plus the scoring of tools/exposure.c on hand-made plans. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The scoring is unit-tested directly too: tools/ is on the include path. */
#include "exposure.c"

extern char **environ;

struct run {
	char *out, *err;
	int status;             /* exit status, or -1 if killed */
};

static void drain(int fd, char **buf, size_t *len, size_t *cap, bool *open_)
{
	char tmp[4096];
	ssize_t r = read(fd, tmp, sizeof(tmp));

	if (r < 0 && errno == EINTR)
		return;
	cr_assert(r >= 0, "read: %s", strerror(errno));
	if (r == 0) {
		*open_ = false;
		return;
	}
	if (*len + (size_t)r + 1 > *cap) {
		*cap = (*len + (size_t)r + 1) * 2;
		*buf = realloc(*buf, *cap);
		cr_assert_not_null(*buf);
	}
	memcpy(*buf + *len, tmp, (size_t)r);
	*len += (size_t)r;
	(*buf)[*len] = '\0';
}

/* Runs argv (argv[0] a path) with stdin from in_file (or /dev/null),
 * capturing stdout and stderr. */
static struct run run_argv(char *const argv[], const char *in_file)
{
	int po[2], pe[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	struct run r = { calloc(1, 1), calloc(1, 1), -1 };
	size_t olen = 0, ocap = 1, elen = 0, ecap = 1;
	bool oopen = true, eopen = true;
	int st;

	cr_assert_not_null(r.out);
	cr_assert_not_null(r.err);
	cr_assert(pipe2(po, O_CLOEXEC) == 0 && pipe2(pe, O_CLOEXEC) == 0);
	cr_assert(posix_spawn_file_actions_init(&fa) == 0);
	posix_spawn_file_actions_addopen(&fa, 0, in_file ? in_file : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);

	cr_assert(rc == 0, "posix_spawn %s: %s", argv[0], strerror(rc));
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	while (oopen || eopen) {
		struct pollfd p[2] = { { oopen ? po[0] : -1, POLLIN, 0 },
				       { eopen ? pe[0] : -1, POLLIN, 0 } };

		if (poll(p, 2, 30000) <= 0)
			cr_assert_fail("no output from %s within 30 s", argv[0]);
		if (p[0].revents)
			drain(po[0], &r.out, &olen, &ocap, &oopen);
		if (p[1].revents)
			drain(pe[0], &r.err, &elen, &ecap, &eopen);
	}
	close(po[0]);
	close(pe[0]);
	cr_assert(waitpid(pid, &st, 0) == pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r;
}

static char *cronguard(void)
{
	char *c = getenv("CRONGUARD");

	cr_assert_not_null(c, "CRONGUARD is not set (run through ctest)");
	return c;
}

/* cronguard explain USER -f FILE [--format FMT] */
static struct run explain(const char *user, const char *file, const char *fmt)
{
	char *argv[8];
	int n = 0;

	argv[n++] = cronguard();
	argv[n++] = (char *)(uintptr_t)"explain";
	if (user)
		argv[n++] = (char *)(uintptr_t)user;
	if (file) {
		argv[n++] = (char *)(uintptr_t)"-f";
		argv[n++] = (char *)(uintptr_t)file;
	}
	if (fmt) {
		argv[n++] = (char *)(uintptr_t)"--format";
		argv[n++] = (char *)(uintptr_t)fmt;
	}
	argv[n] = NULL;
	return run_argv(argv, NULL);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Writes text to a new file /tmp/cg-explain-XXXXXX.conf; returns its path
 * (malloc'd).  The ".conf" suffix makes the loader look for a
 * /tmp/cg-explain-XXXXXX.d drop-in directory, which does not exist. */
static char *policy(const char *text)
{
	char *path = strdup("/tmp/cg-explain-XXXXXX.conf");
	int fd;

	cr_assert_not_null(path);
	fd = mkstemps(path, 5);
	cr_assert(fd >= 0, "mkstemps: %s", strerror(errno));
	cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	cr_assert(close(fd) == 0);
	return path;
}

static void unpolicy(char *path)
{
	unlink(path);
	free(path);
}

/* The score and rating from "-> Overall exposure level for USER: S RATING". */
static double score_of(const char *out, char *rating, size_t rlen)
{
	const char *l = strstr(out, "-> Overall exposure level for ");
	double s;
	char word[32];

	cr_assert_not_null(l, "no score line in:\n%s", out);
	l = strchr(l, ':');
	cr_assert_not_null(l);
	cr_assert(sscanf(l + 1, "%lf %31s", &s, word) == 2, "bad score line: %.80s", l);
	if (rating)
		snprintf(rating, rlen, "%s", word);
	return s;
}

static double score(const char *user, const char *text, char *rating, size_t rlen)
{
	char *f = policy(text);
	struct run r = explain(user, f, NULL);
	double s;

	cr_assert_eq(r.status, 0, "explain %s exited %d: %s", user, r.status, r.err);
	s = score_of(r.out, rating, rlen);
	run_free(&r);
	unpolicy(f);
	return s;
}

static void expect_line(const char *out, const char *key, const char *value,
			const char *file, int line)
{
	char exp[1024];

	if (file)
		snprintf(exp, sizeof(exp), "\n  %-15s = %-30s    # %s:%d\n", key, value, file, line);
	else
		snprintf(exp, sizeof(exp), "\n  %-15s = %-30s    # built-in\n", key, value);
	cr_expect_not_null(strstr(out, exp), "missing line [%s] in:\n%s", exp + 1, out);
}

static const char *const locked_down =
	"[default]\n"
	"exec = /usr/bin /usr/lib\n"
	"read = /usr /etc/ssl\n"
	"write = /var/tmp/cron-%u\n"
	"network = none\n"
	"capabilities = none\n"
	"no_new_privs = yes\n"
	"private_tmp = yes\n"
	"protect_system = yes\n"
	"scope = signals abstract-unix\n"
	"umask = 0077\n"
	"limit.core = 0\n"
	"limit.nproc = 64\n"
	"limit.nofile = 256\n"
	"limit.cpu = 600\n"
	"limit.fsize = 100M\n"
	"limit.as = 1G\n"
	"apparmor = cronguard-%u\n"
	"manifest = /etc/security/cronguard.d/scripts.sha256\n";

static char *shipped_policy(void)
{
	const char *src = getenv("CG_SOURCE_DIR");
	char *p;

	cr_assert_not_null(src, "CG_SOURCE_DIR is not set (run through ctest)");
	cr_assert(asprintf(&p, "%s/pam_cronguard/cronguard.conf", src) > 0);
	return p;
}

/* ---- through the binary ----------------------------------------------- */

Test(explain, help_exits_0)
{
	char *argv[] = { cronguard(), (char *)(uintptr_t)"explain",
			 (char *)(uintptr_t)"--help", NULL };
	struct run r = run_argv(argv, NULL);

	cr_expect_eq(r.status, 0);
	cr_expect_not_null(strstr(r.out, "Usage: cronguard explain USER"), "%s", r.out);
	cr_expect_not_null(strstr(r.out, "--format"));
	run_free(&r);
}

Test(explain, values_and_origins)
{
	char *f = policy("[default]\n"                              /* 1 */
			 "mode = enforce\n"                         /* 2 */
			 "exec = /usr /opt/jobs\n"                  /* 3 */
			 "write = ~ /var/tmp/cron-%u   # inline\n"  /* 4 */
			 "network = tcp-connect:25,443 udp\n"       /* 5 */
			 "limit.nofile = 512:1024\n"                /* 6 */
			 "limit.fsize = 100M:1G\n"                  /* 7 */
			 "[group nogroup]\n"                        /* 8 */
			 "nice = 7\n"                               /* 9 */
			 "capabilities = CAP_KILL\n"                /* 10 */
			 "[user nobody]\n"                          /* 11 */
			 "umask = 0027\n"                           /* 12 */
			 "exec += /srv/nobody-jobs\n"               /* 13 */
			 "env.deny = LD_* MY_SECRET_?\n");          /* 14 */
	struct run r = explain("nobody", f, NULL);

	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.out, "User:    nobody (uid 65534"), "%s", r.out);
	expect_line(r.out, "mode", "enforce", f, 2);
	/* += keeps the inherited entries; the origin is the last line that set it */
	expect_line(r.out, "exec", "/usr /opt/jobs /srv/nobody-jobs", f, 13);
	/* ~ and %u expanded for nobody (home /nonexistent) */
	expect_line(r.out, "write", "/nonexistent /var/tmp/cron-nobody", f, 4);
	expect_line(r.out, "read", "(not set: reading unconfined)", NULL, 0);
	expect_line(r.out, "network", "tcp-connect:25,443 udp", f, 5);
	expect_line(r.out, "limit.nofile", "512:1024", f, 6);
	expect_line(r.out, "limit.fsize", "100M:1G", f, 7);
	expect_line(r.out, "nice", "7", f, 9);
	expect_line(r.out, "capabilities", "CAP_KILL", f, 10);
	expect_line(r.out, "umask", "0027", f, 12);
	expect_line(r.out, "env.deny", "LD_* MY_SECRET_?", f, 14);
	expect_line(r.out, "strict", "no", NULL, 0);
	expect_line(r.out, "mail", "yes", NULL, 0);
	expect_line(r.out, "interpreters",
		    "/bin/sh /usr/bin/sh /bin/dash /usr/bin/dash /bin/bash /usr/bin/bash", NULL, 0);
	expect_line(r.out, "apparmor", "none", NULL, 0);
	/* every key of the language is shown */
	for (int k = 0; k < CG_KEY_COUNT; k++) {
		char key[64];

		if (k == CG_KEY_LIMIT)
			continue;
		snprintf(key, sizeof(key), "\n  %-15s = ", cg_key_info(k)->name);
		cr_expect_not_null(strstr(r.out, key), "key %s not shown", cg_key_info(k)->name);
	}
	cr_expect_not_null(strstr(r.out, "limit.core"), "unset limits are listed too");
	/* env.deny lacks BASH_ENV etc. now: the row is partial */
	cr_expect_not_null(strstr(r.out, "Code-loading environment variables denied"));
	cr_expect(strstr(r.out, "partial") != NULL);
	run_free(&r);
	unpolicy(f);
}

Test(explain, root_gets_user_section_and_heavier_capabilities)
{
	char *f = policy("[default]\ncapabilities = all\n[user root]\nexec = /etc/cron.daily\n");
	struct run r = explain("root", f, NULL);

	cr_assert_eq(r.status, 0, "%s", r.err);
	expect_line(r.out, "exec", "/etc/cron.daily", f, 4);
	expect_line(r.out, "capabilities", "all", f, 2);
	cr_expect_not_null(strstr(r.out, "(uid 0, gid 0)"));
	run_free(&r);
	/* Same policy: keeping every capability costs root more than nobody. */
	double sr = score("root", "[default]\ncapabilities = all\nexec = /usr\n", NULL, 0);
	double sn = score("nobody", "[default]\ncapabilities = all\nexec = /usr\n", NULL, 0);

	cr_expect_gt(sr, sn, "root %.1f should be more exposed than nobody %.1f", sr, sn);
	unpolicy(f);
}

Test(explain, score_ordering)
{
	char *shipped = shipped_policy();
	const char *users[] = { "nobody", "root" };

	for (size_t i = 0; i < 2; i++) {
		char rating[32];
		struct run r = explain(users[i], shipped, NULL);
		double locked, dflt, empty, nothing;

		cr_assert_eq(r.status, 0, "%s", r.err);
		dflt = score_of(r.out, NULL, 0);
		run_free(&r);
		locked = score(users[i], locked_down, rating, sizeof(rating));
		cr_expect_eq(locked, 0.0, "%s: locked-down policy scores %.1f", users[i], locked);
		cr_expect_str_eq(rating, "PERFECT");
		empty = score(users[i], "[default]\n", NULL, 0);
		/* not even the built-in env.deny and PATH rules */
		nothing = score(users[i], "[default]\nenv.deny = none\npath = /\n", rating,
				sizeof(rating));
		cr_expect(locked < dflt && dflt < empty && empty < nothing,
			  "%s: locked %.1f < default %.1f < empty %.1f < nothing %.1f", users[i],
			  locked, dflt, empty, nothing);
		cr_expect_eq(nothing, 10.0, "%s: nothing applied scores %.1f", users[i], nothing);
		cr_expect_str_eq(rating, "DANGEROUS");
	}
	free(shipped);
}

Test(explain, each_protection_lowers_the_score)
{
	/* Removing one protection from the locked-down policy raises the score. */
	static const char *const drop[] = { "exec", "read", "write", "network", "scope",
					    "apparmor", "manifest", "umask", "limit.nproc" };

	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++) {
		char *text = strdup(locked_down), *l, *end;
		char needle[64];

		cr_assert_not_null(text);
		snprintf(needle, sizeof(needle), "\n%s = ", drop[i]);
		l = strstr(text, needle);
		cr_assert_not_null(l, "%s", drop[i]);
		end = strchr(l + 1, '\n');
		memmove(l, end, strlen(end) + 1);
		cr_expect_gt(score("nobody", text, NULL, 0), 0.0, "dropping %s changed nothing",
			     drop[i]);
		free(text);
	}
}

Test(explain, allow_no_is_zero)
{
	char rating[32];
	double s = score("nobody", "[default]\nallow = no\n", rating, sizeof(rating));

	cr_expect_eq(s, 0.0);
	cr_expect_str_eq(rating, "DENIED");
	/* a user section can open it again: the score is the plan's then */
	s = score("nobody", "[default]\nallow = no\n[user nobody]\nallow = yes\n", rating,
		  sizeof(rating));
	cr_expect_gt(s, 0.0);
}

Test(explain, complain_and_off_are_unconfined)
{
	const char *modes[] = { "complain", "off" };
	double enforced = score("nobody", locked_down, NULL, 0);

	cr_assert_eq(enforced, 0.0);
	for (size_t i = 0; i < 2; i++) {
		char *text, rating[32];
		char *f;

		cr_assert(asprintf(&text, "%smode = %s\n", locked_down, modes[i]) > 0);
		f = policy(text);
		struct run r = explain("nobody", f, NULL);

		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_expect_eq(score_of(r.out, rating, sizeof(rating)), 10.0,
			     "mode %s must score as unconfined", modes[i]);
		cr_expect_str_eq(rating, "UNCONFINED");
		cr_expect_not_null(strstr(r.out, "NOTHING IS ENFORCED"), "%s", r.out);
		cr_expect_not_null(strstr(r.out, "would score 0.0 PERFECT"), "%s", r.out);
		/* no row claims to be applied */
		cr_expect_null(strstr(r.out, " yes* "), "%s", r.out);
		run_free(&r);

		r = explain("nobody", f, "json");
		cr_assert_eq(r.status, 0);
		cr_expect_not_null(strstr(r.out, "\"enforced\": false"));
		cr_expect_not_null(strstr(r.out, "\"score\": 10.0"));
		cr_expect_not_null(strstr(r.out, "\"planned_score\": 0.0"));
		run_free(&r);
		unpolicy(f);
		free(text);
	}
}

/* Runs python3 on the JSON in out_file with a check script; exit 0 = pass. */
static int python_check(const char *json_file, const char *script, const char *arg)
{
	char *argv[] = { (char *)(uintptr_t)"/usr/bin/python3", (char *)(uintptr_t)"-c",
			 (char *)(uintptr_t)script, (char *)(uintptr_t)arg, NULL };
	struct run r = run_argv(argv, json_file);
	int st = r.status;

	if (st != 0)
		cr_log_error("python3: %s%s", r.out, r.err);
	run_free(&r);
	return st;
}

Test(explain, json_parses_and_has_the_fields)
{
	char *f = policy("[default]\n"
			 "exec = /usr \"/opt/we\\\"ird\\\\dir\"\n"
			 "env.set = \"MSG=a \\\"b\\\" c\\\\d\"\n"
			 "network = tcp-connect:22,8000-8080\n"
			 "limit.core = 0\n"
			 "limit.nofile = 1K:unlimited\n"
			 "[user nobody]\n"
			 "allow = yes\n");
	struct run r = explain("nobody", f, "json");
	char jf[] = "/tmp/cg-explain-json-XXXXXX";
	int fd = mkstemp(jf);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(fd >= 0);
	cr_assert(write(fd, r.out, strlen(r.out)) == (ssize_t)strlen(r.out));
	close(fd);
	cr_expect_eq(python_check(jf, "import json,sys; json.load(sys.stdin)", ""), 0,
		     "not JSON:\n%s", r.out);
	cr_expect_eq(python_check(jf,
		"import json,sys\n"
		"d = json.load(sys.stdin); f = sys.argv[1]; p = d['plan']\n"
		"assert d['user'] == 'nobody' and d['uid'] == 65534, d['user']\n"
		"assert d['policy_files'] == [f], d['policy_files']\n"
		"assert p['exec']['value'] == ['/usr', '/opt/we\"ird\\\\dir'], p['exec']\n"
		"assert p['exec']['origin'] == f + ':2' and p['exec']['origin_line'] == 2\n"
		"assert p['exec']['confined'] is True\n"
		"assert p['read']['value'] is None and p['read']['confined'] is False\n"
		"assert p['read']['origin'] == 'built-in' and p['read']['origin_file'] is None\n"
		"assert p['env.set']['value'] == ['MSG=a \"b\" c\\\\d'], p['env.set']\n"
		"assert p['network']['value'] == {'any': False, 'tcp_connect': [{'from': 22, 'to': 22},"
		" {'from': 8000, 'to': 8080}], 'tcp_bind': [], 'udp': False}, p['network']\n"
		"assert p['limit']['core'] == {'soft': 0, 'hard': 0, 'origin': f + ':5',"
		" 'origin_file': f, 'origin_line': 5}, p['limit']['core']\n"
		"assert p['limit']['nofile']['soft'] == 1024 and p['limit']['nofile']['hard'] == 'unlimited'\n"
		"assert p['limit']['nproc'] is None\n"
		"assert p['allow']['value'] is True and p['allow']['origin'] == f + ':8'\n"
		"assert p['mode']['value'] == 'enforce' and p['umask']['value'] is None\n"
		"assert len(p['capabilities']['value']) > 30\n"
		"x = d['exposure']; rows = {r['id']: r for r in x['rows']}\n"
		"assert x['enforced'] is True and 0 < x['score'] < 10, x['score']\n"
		"assert x['score'] == x['planned_score']\n"
		"lost = sum(r['lost'] for r in x['rows'])\n"
		"assert abs(10 * lost / x['total_weight'] - x['score']) <= 0.05, (lost, x['score'])\n"
		"assert rows['exec']['status'] == 'yes' and rows['exec']['have'] is True\n"
		"assert rows['network']['status'] == 'partial'\n"
		"assert rows['read']['status'] == 'no' and rows['read']['have'] is False\n"
		"assert rows['core_dumps']['origin'] == f + ':5'\n"
		"assert rows['capabilities']['weight'] == 2\n"
		"assert x['rating'] in ('OK', 'MEDIUM', 'EXPOSED', 'UNSAFE', 'DANGEROUS')\n",
		f), 0, "JSON fields wrong:\n%s", r.out);
	unlink(jf);
	run_free(&r);
	unpolicy(f);
}

Test(explain, json_root_weights)
{
	char *f = policy("[default]\nexec = /usr\n");
	struct run r = explain("root", f, "json");
	char jf[] = "/tmp/cg-explain-json-XXXXXX";
	int fd = mkstemp(jf);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(fd >= 0);
	cr_assert(write(fd, r.out, strlen(r.out)) == (ssize_t)strlen(r.out));
	close(fd);
	cr_expect_eq(python_check(jf,
		"import json,sys\n"
		"d = json.load(sys.stdin); rows = {r['id']: r for r in d['exposure']['rows']}\n"
		"assert d['uid'] == 0\n"
		"assert rows['capabilities']['weight'] == 10 and rows['capabilities']['status'] == 'no'\n",
		""), 0, "%s", r.out);
	unlink(jf);
	run_free(&r);
	unpolicy(f);
}

Test(explain, errors_exit_2)
{
	char *good = policy("[default]\n");
	char *bad = policy("[default]\nexec = relative/path\n");
	struct run r;

	r = explain("cg-no-such-user-4711", good, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "no such user"), "%s", r.err);
	cr_expect_str_empty(r.out);
	run_free(&r);

	r = explain("nobody", bad, NULL);
	cr_expect_eq(r.status, 2);
	char exp[256];

	snprintf(exp, sizeof(exp), "%s:2: exec: not an absolute path", bad);
	cr_expect_not_null(strstr(r.err, exp), "%s", r.err);
	run_free(&r);

	r = explain(NULL, good, NULL);          /* no user */
	cr_expect_eq(r.status, 2);
	run_free(&r);
	r = explain("nobody", good, "xml");
	cr_expect_eq(r.status, 2);
	run_free(&r);
	r = explain("nobody", "/nonexistent/cronguard.conf", NULL);
	cr_expect_eq(r.status, 2);
	run_free(&r);

	char *argv[] = { cronguard(), (char *)(uintptr_t)"explain",
			 (char *)(uintptr_t)"nobody", (char *)(uintptr_t)"root", NULL };
	r = run_argv(argv, NULL);
	cr_expect_eq(r.status, 2);
	run_free(&r);
	unpolicy(good);
	unpolicy(bad);
}

/* ---- the scoring, on hand-made plans ---------------------------------- */

/* A plan with nothing applied: no lists, every capability, PATH= free. */
static void plan_base(struct cg_plan *p, uid_t uid)
{
	static const char *const slash[] = { "/" };

	memset(p, 0, sizeof(*p));
	p->path = (struct cg_strlist){ slash, 1 };
	p->id.user = uid ? "someone" : "root";
	p->id.uid = uid;
	p->id.home = "/home/someone";
	p->mode = CG_MODE_ENFORCE;
	p->allow = true;
	p->network.any = true;
	p->capabilities = UINT64_MAX;
	p->umask = -1;
}

static const struct cg_exposure_row *row(const struct cg_exposure *x, const char *id)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->rows[i].id, id) == 0)
			return &x->rows[i];
	cr_assert_fail("no row %s", id);
	return NULL;
}

Test(exposure, bare_plan_is_ten)
{
	struct cg_plan p;
	struct cg_exposure x;

	plan_base(&p, 1000);
	cg_exposure_compute(&p, &x);
	cr_expect_eq(x.score, 10.0);
	cr_expect_str_eq(x.rating, "DANGEROUS");
	cr_expect_eq(x.lost_weight, (double)x.total_weight);
}

Test(exposure, exec_overlapping_write_is_partial)
{
	static const char *const ex[] = { "/usr", "/srv/jobs" };
	static const char *const wr[] = { "/srv/jobs/out" };
	struct cg_plan p;
	struct cg_exposure x;

	plan_base(&p, 1000);
	p.exec_set = p.write_set = true;
	p.exec = (struct cg_strlist){ ex, 2 };
	p.write = (struct cg_strlist){ wr, 1 };
	cg_exposure_compute(&p, &x);
	cr_expect_eq(row(&x, "exec")->coverage, 0.5);
	cr_expect_not_null(strstr(row(&x, "exec")->detail, "/srv/jobs/out"));
	cr_expect_eq(row(&x, "write")->coverage, 1.0);

	/* executing from the user's home or /tmp is as bad */
	static const char *const ex2[] = { "/home/someone/bin" };

	p.write_set = false;
	p.exec = (struct cg_strlist){ ex2, 1 };
	cg_exposure_compute(&p, &x);
	cr_expect_eq(row(&x, "exec")->coverage, 0.5);
}

Test(exposure, path_in_writable_dir_is_lost)
{
	static const char *const path[] = { "/usr/bin", "/tmp/bin" };
	struct cg_plan p;
	struct cg_exposure x;

	plan_base(&p, 1000);
	p.path = (struct cg_strlist){ path, 2 };
	cg_exposure_compute(&p, &x);
	cr_expect_eq(row(&x, "path")->coverage, 0.0);
	cr_expect_not_null(strstr(row(&x, "path")->detail, "/tmp/bin"));
}

Test(exposure, network_and_caps_partial)
{
	struct cg_port_range ports[] = { { 443, 443 } };
	struct cg_plan p;
	struct cg_exposure x;

	plan_base(&p, 0);
	p.network.any = false;
	p.network.connect = (struct cg_port_list){ ports, 1 };
	p.capabilities = UINT64_C(1) << 5;      /* CAP_KILL only */
	cg_exposure_compute(&p, &x);
	cr_expect_float_eq(row(&x, "network")->coverage, 0.7, 1e-9);
	cr_expect_gt(row(&x, "capabilities")->coverage, 0.9);
	cr_expect_lt(row(&x, "capabilities")->coverage, 1.0);
	cr_expect_eq(row(&x, "capabilities")->weight, 10);
	p.capabilities = UINT64_C(1) << 21;     /* CAP_SYS_ADMIN weighs more */
	double kill_cov = 1.0 - 1.0 / 75;

	cg_exposure_compute(&p, &x);
	cr_expect_lt(row(&x, "capabilities")->coverage, kill_cov);
}

Test(exposure, ratings)
{
	cr_expect_str_eq(cg_exposure_rating(0.0), "PERFECT");
	cr_expect_str_eq(cg_exposure_rating(0.1), "SAFE");
	cr_expect_str_eq(cg_exposure_rating(1.0), "OK");
	cr_expect_str_eq(cg_exposure_rating(5.0), "MEDIUM");
	cr_expect_str_eq(cg_exposure_rating(7.5), "EXPOSED");
	cr_expect_str_eq(cg_exposure_rating(9.0), "UNSAFE");
	cr_expect_str_eq(cg_exposure_rating(9.1), "DANGEROUS");
}
