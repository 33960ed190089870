/* fuzz_policy.c - libFuzzer target: the policy parser and the resolver.
 *
 * The input is one policy file.  It is parsed, and every policy is resolved
 * for two fixed identities (an ordinary user in a few groups, and root with
 * home "/"), so the merge and %u / ~ expansion paths run on whatever the
 * parser accepted.  Beyond crashes, leaks and UB, the target traps when an
 * invariant the module relies on breaks:
 *   - every diagnostic names the input file and a line that exists;
 *   - the parser's return value counts the errors it recorded;
 *   - a resolved plan holds only absolute normalized paths, and names
 *     without control characters. */
#include "plan.h"
#include "policy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
	abort(); } } while (0)

static const char *alice_groups[] = { "alice", "backup", "cron-users", "adm" };
static const char *root_groups[] = { "root" };

static void check_paths(const struct cg_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		CHECK(cg_path_check(l->v[i], true) == NULL);
}

static void check_name(const char *s)
{
	if (!s)
		return;
	CHECK(*s != '\0');
	for (const char *c = s; *c; c++)
		CHECK((unsigned char)*c >= 0x20 && *c != 0x7f && *c != ' ');
}

static void resolve_one(const struct cg_policy *pol, const struct cg_identity *id)
{
	struct cg_plan plan;
	struct cg_diags d = { 0 };
	int rc = cg_resolve(pol, id, &plan, &d);

	CHECK((rc < 0) == (d.errors > 0));
	if (rc == 0) {
		check_paths(&plan.exec);
		check_paths(&plan.read);
		check_paths(&plan.write);
		check_paths(&plan.interpreters);
		check_paths(&plan.path);
		if (plan.manifest)
			CHECK(cg_path_check(plan.manifest, true) == NULL);
		check_name(plan.apparmor);
		check_name(plan.selinux);
		for (size_t i = 0; i < plan.network.connect.n; i++)
			CHECK(plan.network.connect.v[i].lo >= 1 &&
			      plan.network.connect.v[i].lo <= plan.network.connect.v[i].hi);
		for (int r = 0; r < RLIMIT_NLIMITS; r++)
			CHECK(!plan.limits[r].set || plan.limits[r].soft <= plan.limits[r].hard);
		CHECK(plan.umask >= -1 && plan.umask <= 0777);
		CHECK(!plan.nice_set || (plan.nice >= -20 && plan.nice <= 19));
		/* What the module asks of every plan at job start. */
		(void)cg_plan_env_denied(&plan, "LD_PRELOAD");
		(void)cg_strlist_find_prefix(&plan.exec, "/usr/bin/true");
	}
	cg_plan_free(&plan);
	cg_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_policy pol = { 0 };
	struct cg_diags d = { 0 };
	size_t lines = 1, errors;
	char buf[1024];

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	errors = cg_policy_parse(&pol, "fuzz.conf", (const char *)data, size, &d);
	CHECK(errors == d.errors);
	CHECK(d.n == d.errors || d.oom);
	for (size_t i = 0; i < d.n; i++) {
		CHECK(strcmp(d.v[i].file, "fuzz.conf") == 0);
		CHECK(d.v[i].line <= lines);
		cg_diag_format(&d.v[i], buf, sizeof(buf));
	}

	const struct cg_identity alice = {
		.user = "alice", .uid = 1000, .gid = 1000, .home = "/home/alice",
		.shell = "/bin/bash", .groups = alice_groups, .ngroups = 4,
	};
	const struct cg_identity root = {
		.user = "root", .uid = 0, .gid = 0, .home = "/", .shell = "/bin/sh",
		.groups = root_groups, .ngroups = 1,
	};

	resolve_one(&pol, &alice);
	resolve_one(&pol, &root);
	cg_policy_free(&pol);
	cg_diags_free(&d);
	return 0;
}
