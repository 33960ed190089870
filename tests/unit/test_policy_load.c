/* test_policy_load.c - cg_policy_load(): the main file, then cronguard.d/NAME.conf
 * in lexical order, refusing symlinks and (for the module) files root does
 * not own or others may write.  Each test works in its own mkdtemp()
 * directory, removed afterwards. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "policy.h"

static char dir[64], conf[128], dropdir[128];
static struct cg_policy pol;
static struct cg_diags d;

/* out = a/b; every path here is short, but a truncation must not go unseen. */
static void join(char *out, size_t size, const char *a, const char *b)
{
	int n = snprintf(out, size, "%s/%s", a, b);

	cr_assert(n > 0 && (size_t)n < size, "path too long: %s/%s", a, b);
}

static void setup(void)
{
	strcpy(dir, "/tmp/cg-load-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	join(conf, sizeof(conf), dir, "cronguard.conf");
	join(dropdir, sizeof(dropdir), dir, "cronguard.d");
	memset(&pol, 0, sizeof(pol));
	memset(&d, 0, sizeof(d));
}

static void teardown(void)
{
	char cmd[128];
	int n;

	cg_policy_free(&pol);
	cg_diags_free(&d);
	/* dir comes from mkdtemp: no quoting issue. */
	n = snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (n < 0 || (size_t)n >= sizeof(cmd) || system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fputs(text, f) >= 0, true);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, mode), 0, "chmod %s: %s", path, strerror(errno));
}

static void write_dropin(const char *name, const char *text, mode_t mode)
{
	char path[PATH_MAX];

	join(path, sizeof(path), dropdir, name);
	write_file(path, text, mode);
}

static void make_dropdir(mode_t mode)
{
	cr_assert_eq(mkdir(dropdir, mode), 0, "mkdir: %s", strerror(errno));
	cr_assert_eq(chmod(dropdir, mode), 0);
}

static int load(bool root_owned, bool dropins)
{
	struct cg_load_opts o = { .require_root_owned = root_owned, .dropins = dropins };
	int rc = cg_policy_load(&pol, conf, &o, &d);

	for (size_t i = 0; i < d.n; i++)
		cr_log_info("%s:%u: %s", d.v[i].file, d.v[i].line, d.v[i].msg);
	return rc;
}

static void assert_diag(size_t i, const char *file, unsigned line, const char *msg)
{
	cr_assert_lt(i, d.n, "only %zu diagnostics", d.n);
	cr_assert_str_eq(d.v[i].file, file);
	cr_assert_eq(d.v[i].line, line);
	cr_assert_str_eq(d.v[i].msg, msg);
}

static const char *path_in(const char *base, const char *name)
{
	static char buf[4][PATH_MAX];
	static int k;
	char *p = buf[k++ % 4];

	join(p, PATH_MAX, base, name);
	return p;
}

/* Resolves the loaded policy for a user "alice" in group "staff". */
static void resolve_alice(struct cg_plan *plan)
{
	const char *groups[] = { "alice", "staff" };
	struct cg_identity id = { .user = "alice", .uid = 1000, .gid = 1000,
				  .home = "/home/alice", .shell = "/bin/sh",
				  .groups = groups, .ngroups = 2 };
	struct cg_diags rd = { 0 };

	cr_assert_eq(cg_resolve(&pol, &id, plan, &rd), 0);
	cg_diags_free(&rd);
}

TestSuite(load, .init = setup, .fini = teardown);

Test(load, main_file_only)
{
	write_file(conf, "[default]\nmode = complain\n", 0644);
	cr_assert_eq(load(true, true), 0);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(pol.nfiles, 1);
	cr_assert_str_eq(pol.files[0], conf);
	cr_assert_eq(pol.n, 1);
	cr_assert_str_eq(pol.sections[0].file, conf);
}

Test(load, dropins_in_lexical_order_later_overrides)
{
	struct cg_plan plan;

	write_file(conf, "[default]\nmode = enforce\nnice = 1\numask = 0077\n", 0644);
	make_dropdir(0755);
	/* Written out of order: readdir order must not matter. */
	write_dropin("20-b.conf", "[default]\nmode = off\nexec = /opt/b\n", 0644);
	write_dropin("10-a.conf", "[default]\nmode = complain\nnice = 2\nexec = /opt/a\n", 0644);
	write_dropin("30-c.conf", "[default]\nexec += /opt/c\n\n[group staff]\nnice = 3\n", 0644);
	write_dropin("3-z.conf", "[default]\numask = 0027\n", 0644);
	cr_assert_eq(load(true, true), 0);
	cr_assert_eq(pol.nfiles, 5);
	cr_assert_str_eq(pol.files[0], conf);
	cr_assert_str_eq(pol.files[1], path_in(dropdir, "10-a.conf"));
	cr_assert_str_eq(pol.files[2], path_in(dropdir, "20-b.conf"));
	cr_assert_str_eq(pol.files[3], path_in(dropdir, "3-z.conf"));   /* strcmp, not numeric */
	cr_assert_str_eq(pol.files[4], path_in(dropdir, "30-c.conf"));

	resolve_alice(&plan);
	cr_assert_eq(plan.mode, CG_MODE_OFF, "20-b.conf comes after 10-a.conf");
	cr_assert_eq(plan.nice, 3, "[group] beats every [default]");
	cr_assert_eq(plan.umask, 0027);
	cr_assert_eq(plan.exec.n, 2);
	cr_assert_str_eq(plan.exec.v[0], "/opt/b");
	cr_assert_str_eq(plan.exec.v[1], "/opt/c");
	cr_assert_str_eq(plan.origin[CG_KEY_MODE].file, path_in(dropdir, "20-b.conf"));
	cr_assert_eq(plan.origin[CG_KEY_MODE].line, 2);
	cr_assert_str_eq(plan.origin[CG_KEY_UMASK].file, path_in(dropdir, "3-z.conf"));
	cg_plan_free(&plan);
}

Test(load, other_names_ignored)
{
	char sub[PATH_MAX];

	write_file(conf, "[default]\n", 0644);
	make_dropdir(0755);
	write_dropin("10-ok.conf", "[user ok]\n", 0644);
	write_dropin(".hidden.conf", "bad line\n", 0644);
	write_dropin(".conf", "bad line\n", 0644);
	write_dropin("20-x.conf.dpkg-old", "bad line\n", 0644);
	write_dropin("20-x.conf~", "bad line\n", 0644);
	write_dropin("20-x.CONF", "bad line\n", 0644);
	write_dropin("README", "bad line\n", 0644);
	write_dropin("conf", "bad line\n", 0644);
	join(sub, sizeof(sub), dropdir, "sub");
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(load(true, true), 0);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(pol.nfiles, 2);
	cr_assert_eq(pol.n, 2);
	cr_assert_str_eq(pol.sections[1].name, "ok");
}

Test(load, dropins_off)
{
	write_file(conf, "[default]\n", 0644);
	make_dropdir(0755);
	write_dropin("10-a.conf", "[user a]\n", 0644);
	cr_assert_eq(load(true, false), 0);
	cr_assert_eq(pol.nfiles, 1);
	cr_assert_eq(pol.n, 1);
}

Test(load, missing_dropin_dir_is_fine)
{
	write_file(conf, "[default]\n", 0644);
	cr_assert_eq(load(true, true), 0);
	cr_assert_eq(d.n, 0);
}

Test(load, conffile_without_conf_suffix)
{
	char c2[PATH_MAX], d2[PATH_MAX];

	join(c2, sizeof(c2), dir, "policy");
	join(d2, sizeof(d2), dir, "policy.d");
	write_file(c2, "[default]\n", 0644);
	cr_assert_eq(mkdir(d2, 0755), 0);
	write_file(path_in(d2, "a.conf"), "[user a]\n", 0644);
	struct cg_load_opts o = { .require_root_owned = true, .dropins = true };

	cr_assert_eq(cg_policy_load(&pol, c2, &o, &d), 0);
	cr_assert_eq(pol.nfiles, 2);
}

Test(load, missing_main_file)
{
	cr_assert_eq(load(true, true), -1);
	cr_assert_eq(d.n, 1);
	assert_diag(0, conf, 0, "cannot read policy file: No such file or directory");
	cr_assert_eq(pol.n, 0);
}

Test(load, missing_main_file_skips_dropins)
{
	make_dropdir(0755);
	write_dropin("10-a.conf", "[user a]\n", 0644);
	cr_assert_eq(load(false, true), -1);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(pol.n, 0, "drop-ins alone must not make a policy");
}

Test(load, main_file_is_directory)
{
	cr_assert_eq(mkdir(conf, 0755), 0);
	cr_assert_eq(load(false, true), -1);
	assert_diag(0, conf, 0, "refusing policy file: not a regular file");
}

Test(load, symlinked_main_file_refused)
{
	const char *real = path_in(dir, "real.conf");

	write_file(real, "[default]\n", 0644);
	cr_assert_eq(symlink(real, conf), 0);
	cr_assert_eq(load(false, true), -1);
	cr_assert_eq(d.n, 1);
	assert_diag(0, conf, 0, "refusing policy file: it is a symbolic link");
}

Test(load, symlinked_dropin_refused_others_read)
{
	const char *real = path_in(dir, "real.conf");

	write_file(conf, "[default]\n", 0644);
	make_dropdir(0755);
	write_file(real, "[user evil]\n", 0644);
	write_dropin("10-a.conf", "[user a]\n", 0644);
	cr_assert_eq(symlink(real, path_in(dropdir, "20-link.conf")), 0);
	write_dropin("30-c.conf", "[user c]\n", 0644);
	cr_assert_eq(load(false, true), -1);
	cr_assert_eq(d.n, 1);
	assert_diag(0, path_in(dropdir, "20-link.conf"), 0,
		    "refusing policy file: it is a symbolic link");
	cr_assert_eq(pol.n, 3);
	for (size_t i = 0; i < pol.n; i++)
		cr_assert(pol.sections[i].name == NULL || strcmp(pol.sections[i].name, "evil") != 0);
}

Test(load, symlinked_dropin_dir_refused)
{
	const char *real = path_in(dir, "real.d");

	write_file(conf, "[default]\n", 0644);
	cr_assert_eq(mkdir(real, 0755), 0);
	write_file(path_in(real, "a.conf"), "[user a]\n", 0644);
	cr_assert_eq(symlink(real, dropdir), 0);
	cr_assert_eq(load(false, true), -1);
	assert_diag(0, dropdir, 0, "cannot open drop-in directory: it is a symbolic link");
	cr_assert_eq(pol.n, 1);
}

Test(load, directory_named_conf_refused)
{
	write_file(conf, "[default]\n", 0644);
	make_dropdir(0755);
	cr_assert_eq(mkdir(path_in(dropdir, "10-dir.conf"), 0755), 0);
	cr_assert_eq(load(false, true), -1);
	assert_diag(0, path_in(dropdir, "10-dir.conf"), 0, "refusing policy file: not a regular file");
}

Test(load, group_writable_main_file)
{
	write_file(conf, "[default]\n", 0664);
	cr_assert_eq(load(true, true), -1);
	assert_diag(0, conf, 0, "refusing policy file: writable by group or others");
	cr_assert_eq(pol.n, 0);
	/* `cronguard check -f` reads it anyway. */
	cg_policy_free(&pol);
	cg_diags_free(&d);
	cr_assert_eq(load(false, true), 0);
	cr_assert_eq(pol.n, 1);
}

Test(load, other_writable_dropin)
{
	write_file(conf, "[default]\n", 0644);
	make_dropdir(0755);
	write_dropin("10-a.conf", "[user a]\n", 0646);
	write_dropin("20-b.conf", "[user b]\n", 0600);
	cr_assert_eq(load(true, true), -1);
	cr_assert_eq(d.n, 1);
	assert_diag(0, path_in(dropdir, "10-a.conf"), 0,
		    "refusing policy file: writable by group or others");
	cr_assert_eq(pol.n, 2);
	cr_assert_str_eq(pol.sections[1].name, "b");
}

Test(load, group_writable_dropin_dir)
{
	write_file(conf, "[default]\n", 0644);
	make_dropdir(0775);
	write_dropin("10-a.conf", "[user a]\n", 0644);
	cr_assert_eq(load(true, true), -1);
	assert_diag(0, dropdir, 0, "refusing drop-in directory: writable by group or others");
	cr_assert_eq(pol.n, 1);
	cg_policy_free(&pol);
	cg_diags_free(&d);
	cr_assert_eq(load(false, true), 0);
	cr_assert_eq(pol.n, 2);
}

Test(load, not_owned_by_root)
{
	if (geteuid() != 0)
		cr_skip_test("needs root to chown");
	write_file(conf, "[default]\n", 0644);
	make_dropdir(0755);
	write_dropin("10-a.conf", "[user a]\n", 0644);
	cr_assert_eq(chown(path_in(dropdir, "10-a.conf"), 65534, 65534), 0);
	cr_assert_eq(load(true, true), -1);
	assert_diag(0, path_in(dropdir, "10-a.conf"), 0, "refusing policy file: not owned by root");
	cg_policy_free(&pol);
	cg_diags_free(&d);
	cr_assert_eq(chown(conf, 65534, 65534), 0);
	cr_assert_eq(load(true, false), -1);
	assert_diag(0, conf, 0, "refusing policy file: not owned by root");
}

Test(load, errors_in_dropins_name_their_file)
{
	write_file(conf, "[default]\nmode = enforce\n", 0644);
	make_dropdir(0755);
	write_dropin("10-a.conf", "[default]\n\nmode = sometimes\n", 0644);
	write_dropin("20-b.conf", "[user b]\nnice = 100\n", 0644);
	cr_assert_eq(load(true, true), -1);
	cr_assert_eq(d.n, 2);
	assert_diag(0, path_in(dropdir, "10-a.conf"), 3,
		    "mode: expected enforce, complain or off, not 'sometimes'");
	assert_diag(1, path_in(dropdir, "20-b.conf"), 2,
		    "nice: expected a nice value from -20 to 19, not '100'");
}

Test(load, same_key_in_main_and_dropin_is_no_duplicate)
{
	write_file(conf, "[default]\nmode = enforce\n", 0644);
	make_dropdir(0755);
	write_dropin("10-a.conf", "[default]\nmode = off\n", 0644);
	cr_assert_eq(load(true, true), 0);
	cr_assert_eq(pol.n, 2);
}

Test(load, file_too_large)
{
	int fd;

	write_file(conf, "[default]\n", 0644);
	fd = open(conf, O_WRONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (4 << 20) + 1), 0);
	close(fd);
	cr_assert_eq(load(false, false), -1);
	assert_diag(0, conf, 0, "policy file larger than 4194304 bytes");
}
