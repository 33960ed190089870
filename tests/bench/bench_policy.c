/* bench_policy.c - what every cron job pays before it starts: load the policy
 * and resolve the job's user.  Not a test; prints median and p90 times.
 *
 *   bench_policy [POLICY_FILE] [ITERATIONS]
 *
 * (a) the shipped default policy, from its file, for root, the way the module
 *     does it: cg_identity_lookup() + cg_policy_load() (drop-in directory
 *     included) + cg_resolve().  Target: median <= 50 us.
 * (b) a generated policy of 1,000 sections, parsed from memory and resolved
 *     for a user that 1 [user] and 3 [group] sections apply to.
 * Baselines measured in the same process put the figures in proportion:
 * reading the policy file alone, and the NSS lookup alone. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "policy.h"
#include "safe_file.h"

static const char *conffile = CG_SOURCE_DIR "/pam_cronguard/cronguard.conf";
static char *gen_text;
static size_t gen_len;

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0) {
		perror("clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct result {
	const char *name;
	double median, p90, min;
};

/* Runs fn iters times (after a tenth as many unmeasured warm-up runs). */
static struct result measure(const char *name, void (*fn)(void), int iters)
{
	double *t = malloc((size_t)iters * sizeof(*t));
	struct result r = { name, 0, 0, 0 };

	if (!t) {
		perror("malloc");
		exit(1);
	}
	for (int i = 0; i < iters / 10 + 1; i++)
		fn();
	for (int i = 0; i < iters; i++) {
		double t0 = now_ns();

		fn();
		t[i] = now_ns() - t0;
	}
	qsort(t, (size_t)iters, sizeof(*t), cmp_double);
	r.min = t[0];
	r.median = t[iters / 2];
	r.p90 = t[(size_t)iters * 9 / 10];
	free(t);
	return r;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_policy: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void die_diags(const char *what, const struct cg_diags *d)
{
	char buf[1024];

	fprintf(stderr, "bench_policy: %s failed\n", what);
	for (size_t i = 0; i < d->n; i++) {
		cg_diag_format(&d->v[i], buf, sizeof(buf));
		fprintf(stderr, "  %s\n", buf);
	}
	exit(1);
}

/* --- baselines ---------------------------------------------------------- */
static void read_file_only(void)
{
	struct cg_arena a = { 0 };
	struct stat st;
	char *text;
	size_t len;

	if (cg_read_file_at(&a, AT_FDCWD, conffile, false, &text, &len, &st) < 0)
		die(conffile);
	cg_arena_free(&a);
}

static void getpwnam_only(void)
{
	char buf[4096];
	struct passwd pw, *pwp;

	if (getpwnam_r("root", &pw, buf, sizeof(buf), &pwp) != 0 || !pwp)
		die("getpwnam_r(root)");
}

static void identity_only(void)
{
	struct cg_arena a = { 0 };
	struct cg_identity id;

	if (cg_identity_lookup(&a, "root", &id) < 0)
		die("cg_identity_lookup(root)");
	cg_arena_free(&a);
}

/* --- (a) the default policy, as the module loads it --------------------- */
static void default_full(void)
{
	struct cg_arena a = { 0 };
	struct cg_identity id;
	struct cg_policy pol = { 0 };
	struct cg_diags d = { 0 };
	struct cg_plan plan;
	struct cg_load_opts opts = { .require_root_owned = false, .dropins = true };

	if (cg_identity_lookup(&a, "root", &id) < 0)
		die("cg_identity_lookup(root)");
	if (cg_policy_load(&pol, conffile, &opts, &d) < 0)
		die_diags("cg_policy_load", &d);
	if (cg_resolve(&pol, &id, &plan, &d) < 0)
		die_diags("cg_resolve", &d);
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	cg_diags_free(&d);
	cg_arena_free(&a);
}

static void default_load_only(void)
{
	struct cg_policy pol = { 0 };
	struct cg_diags d = { 0 };
	struct cg_load_opts opts = { .require_root_owned = false, .dropins = true };

	if (cg_policy_load(&pol, conffile, &opts, &d) < 0)
		die_diags("cg_policy_load", &d);
	cg_policy_free(&pol);
	cg_diags_free(&d);
}

static const char *root_groups[] = { "root" };
static const struct cg_identity root_id = {
	.user = "root", .uid = 0, .gid = 0, .home = "/root", .shell = "/bin/bash",
	.groups = root_groups, .ngroups = 1,
};
static struct cg_policy default_pol;

static void default_resolve_only(void)
{
	struct cg_diags d = { 0 };
	struct cg_plan plan;

	if (cg_resolve(&default_pol, &root_id, &plan, &d) < 0)
		die_diags("cg_resolve", &d);
	cg_plan_free(&plan);
	cg_diags_free(&d);
}

/* --- (b) 1,000 sections ------------------------------------------------- */
static void generate(void)
{
	size_t cap = 1 << 20;
	FILE *f;

	gen_text = NULL;
	f = open_memstream(&gen_text, &cap);
	if (!f)
		die("open_memstream");
	fprintf(f, "[default]\nmode = enforce\nexec = /usr /bin /sbin /lib /lib64\n"
		"write = ~ /tmp /var/tmp\nnetwork = tcp-connect:443\ncapabilities = none\n"
		"no_new_privs = yes\numask = 0077\nlimit.core = 0\nenv.set = LANG=C.UTF-8\n");
	/* 333 groups and 666 users: every section has a handful of lines of
	 * every value kind, so this measures the parser, not blank lines. */
	for (int i = 0; i < 999; i++) {
		if (i % 3 == 0)
			fprintf(f, "\n[group grp%d]\n", i);
		else
			fprintf(f, "\n[user user%d]\n", i);
		fprintf(f, "# section %d\nexec += /srv/jobs/%d \"/opt/job dir %d\"\n"
			"write += /var/lib/app%d ~/cron /var/tmp/cron-%%u\n"
			"network += tcp-connect:%d,8000-8100 udp\n"
			"capabilities += CAP_NET_BIND_SERVICE\n"
			"limit.nofile = %d:%d\nnice = %d\nenv.deny += APP%d_*\n"
			"apparmor = cronguard-%%u\n",
			i, i, i, i, 1 + i % 65000, 1024 + i, 4096 + i, i % 20, i);
	}
	if (fclose(f) != 0)
		die("fclose");
	gen_len = strlen(gen_text);
}

static const char *gen_groups[] = { "user500", "grp3", "grp300", "grp999x", "grp996" };
static const struct cg_identity gen_id = {
	.user = "user500", .uid = 1500, .gid = 1500, .home = "/home/user500",
	.shell = "/bin/sh", .groups = gen_groups, .ngroups = 5,
};

static void generated_full(void)
{
	struct cg_policy pol = { 0 };
	struct cg_diags d = { 0 };
	struct cg_plan plan;

	if (cg_policy_parse(&pol, "generated.conf", gen_text, gen_len, &d) != 0)
		die_diags("cg_policy_parse(generated)", &d);
	if (cg_resolve(&pol, &gen_id, &plan, &d) < 0)
		die_diags("cg_resolve(generated)", &d);
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	cg_diags_free(&d);
}

static struct cg_policy gen_pol;

static void generated_resolve_only(void)
{
	struct cg_diags d = { 0 };
	struct cg_plan plan;

	if (cg_resolve(&gen_pol, &gen_id, &plan, &d) < 0)
		die_diags("cg_resolve(generated)", &d);
	cg_plan_free(&plan);
	cg_diags_free(&d);
}

static void print(const struct result *r, const struct result *base)
{
	printf("  %-44s median %9.2f us   p90 %9.2f us   min %9.2f us", r->name,
	       r->median / 1e3, r->p90 / 1e3, r->min / 1e3);
	if (base)
		printf("   %6.2fx %s", r->median / base->median, base->name);
	printf("\n");
}

int main(int argc, char **argv)
{
	int iters = 20000;
	struct cg_diags d = { 0 };

	if (argc > 1)
		conffile = argv[1];
	if (argc > 2 && (iters = atoi(argv[2])) < 10) {
		fprintf(stderr, "usage: bench_policy [POLICY_FILE] [ITERATIONS>=10]\n");
		return 2;
	}

	struct cg_load_opts opts = { .require_root_owned = false, .dropins = true };

	if (cg_policy_load(&default_pol, conffile, &opts, &d) < 0)
		die_diags("cg_policy_load", &d);
	generate();
	if (cg_policy_parse(&gen_pol, "generated.conf", gen_text, gen_len, &d) != 0)
		die_diags("cg_policy_parse(generated)", &d);
	{
		/* Check (b) resolves to what it should before timing it. */
		struct cg_plan plan;

		if (cg_resolve(&gen_pol, &gen_id, &plan, &d) < 0)
			die_diags("cg_resolve(generated)", &d);
		printf("generated policy: %zu sections, %zu bytes; user500 gets %zu exec, "
		       "%zu write, %zu connect ranges, nice %d\n",
		       gen_pol.n, gen_len, plan.exec.n, plan.write.n, plan.network.connect.n,
		       plan.nice);
		cg_plan_free(&plan);
	}

	printf("policy: %s, %d iterations each\n\nbaselines\n", conffile, iters);
	struct result rf = measure("read policy file (open+fstat+read)", read_file_only, iters);
	struct result rp = measure("getpwnam_r(root) alone", getpwnam_only, iters);
	struct result ri = measure("cg_identity_lookup(root) (pw+groups)", identity_only, iters);

	print(&rf, NULL);
	print(&rp, NULL);
	print(&ri, &rp);

	printf("\n(a) shipped default policy, for root\n");
	struct result ra = measure("lookup + load + resolve (module path)", default_full, iters);
	struct result rl = measure("load (read + parse) only", default_load_only, iters);
	struct result rr = measure("resolve only", default_resolve_only, iters);

	print(&ra, &rp);
	print(&ra, &rf);
	print(&rl, &rf);
	print(&rr, NULL);
	printf("  target: median <= 50 us: %s (%.2f us)\n",
	       ra.median <= 50e3 ? "MET" : "MISSED", ra.median / 1e3);

	int giters = iters / 40 > 10 ? iters / 40 : 10;

	printf("\n(b) generated policy of %zu sections, %d iterations\n", gen_pol.n, giters);
	struct result rg = measure("parse + resolve", generated_full, giters);
	struct result rgr = measure("resolve only", generated_resolve_only, giters);

	print(&rg, &ra);
	print(&rgr, NULL);
	printf("  per section: %.2f us\n", rg.median / 1e3 / (double)gen_pol.n);

	cg_policy_free(&default_pol);
	cg_policy_free(&gen_pol);
	cg_diags_free(&d);
	free(gen_text);
	return 0;
}
