/* test_fs.c - filesystem attacks against a confined job: executing a
 * dropped script, writing /etc as root, reading another user's file left in
 * a shared /tmp; and the benign job that must keep working. */
#include "confine_test.h"

#include <elf.h>
#include <stdint.h>
#include <sys/mount.h>

/* A file a test left in the host's /tmp, removed even when it fails. */
static char tmp_file[64];

static void fs_teardown(void)
{
	if (tmp_file[0])
		unlink(tmp_file);
	cgt_teardown();
}

TestSuite(fs, .init = cgt_setup, .fini = fs_teardown);

#define SYSTEM_EXEC "exec = /usr /bin /sbin /lib /lib64\n"

static char tmp_dir[] = "/tmp";

/* Drops a script into dir (from inside the job) and runs it. */
static int drop_and_run(void *arg)
{
	const char *dir = arg;
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/cg-dropped-%d.sh", dir, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		return SETUP_IDENTITY;
	if (write(fd, "#!/bin/sh\nexit 0\n", 17) != 17)
		return SETUP_IDENTITY;
	close(fd);
	char *argv[] = { path, NULL };
	int rc = cgt_exec_ok(argv);

	unlink(path);
	return rc;
}

Test(fs, exec_script_from_tmp_landlock)
{
	cgt_need_abi(1);
	/* exec whitelist only: /tmp stays the host's, but nothing there runs. */
	cgt_expect_blocked("run a script dropped in /tmp",
			   "[default]\n" SYSTEM_EXEC, "root", drop_and_run, tmp_dir);
}

Test(fs, exec_script_from_tmp_private_noexec)
{
	/* private_tmp alone: the job's /tmp is a noexec tmpfs. */
	cgt_expect_blocked("run a script dropped in the private /tmp",
			   "[default]\nprivate_tmp = yes\n", "nobody", drop_and_run, tmp_dir);
}

static int run_script(void *arg)
{
	char *argv[] = { arg, NULL };

	return cgt_exec_ok(argv);
}

Test(fs, exec_script_from_home)
{
	cgt_need_abi(1);
	char home[128], script[160];

	snprintf(home, sizeof(home), "%s/home", cgt_dir);
	snprintf(script, sizeof(script), "%s/job.sh", home);
	cr_assert_eq(mkdir(home, 0755), 0);
	cr_assert_eq(chown(home, 65534, 65534), 0);
	cgt_write_file(script, "#!/bin/sh\nexit 0\n", 0755);
	cr_assert_eq(chown(script, 65534, 65534), 0);
	cgt_expect_blocked("run a script from a home directory",
			   "[default]\n" SYSTEM_EXEC, "nobody", run_script, script);
}

static int write_etc(void *arg)
{
	(void)arg;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/etc/cg-confine-test-%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EACCES || errno == EROFS || errno == EPERM
		       ? ATTACK_BLOCKED : SETUP_IDENTITY;
	close(fd);
	unlink(path);
	return ATTACK_OK;
}

Test(fs, root_writes_etc_landlock)
{
	cgt_need_abi(1);
	cgt_expect_blocked("root job creates a file in /etc",
			   "[default]\nwrite = /var /run /tmp /dev/null\n", "root", write_etc, NULL);
}

Test(fs, root_writes_etc_protect_system)
{
	cgt_expect_blocked("root job creates a file in /etc",
			   "[default]\nprotect_system = yes\n", "root", write_etc, NULL);
}

static int read_file(void *arg)
{
	char buf[64];
	int fd = open(arg, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT || errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return SETUP_IDENTITY;
	buf[n] = '\0';
	return strstr(buf, "secret") ? ATTACK_OK : SETUP_IDENTITY;
}

Test(fs, read_other_users_file_in_shared_tmp)
{
	char *path = tmp_file;

	/* Another user (root here) left a world-readable file in /tmp. */
	snprintf(tmp_file, sizeof(tmp_file), "/tmp/cg-left-behind-%d", (int)getpid());
	cgt_write_file(path, "secret\n", 0644);
	cgt_expect_blocked("read another user's file in /tmp",
			   "[default]\nprivate_tmp = yes\n", "nobody", read_file, path);
}

Test(fs, read_outside_read_paths)
{
	cgt_need_abi(1);
	char path[160];

	snprintf(path, sizeof(path), "%s/readable", cgt_dir);
	cgt_write_file(path, "secret\n", 0644);
	cgt_expect_blocked("read a file outside the read paths",
			   "[default]\nread = /usr /etc /proc\n", "nobody", read_file, path);
}

/* The benign job: a whitelisted script runs and writes to its write path,
 * while a write next to it is refused, in the same confined job. */
struct benign {
	char script[160], out[160], outside[160];
};

static int benign_job(void *arg)
{
	struct benign *b = arg;
	char *argv[] = { b->script, b->out, NULL };
	int err;

	if (cgt_exec_ok(argv) != ATTACK_OK)
		return 2;
	err = cgt_try_create(b->outside);
	if (!err)
		return 3;
	return err == EACCES ? 0 : 4;
}

Test(fs, whitelisted_script_writes_its_write_path)
{
	cgt_need_abi(6);
	struct benign b;
	char jobs[128], outdir[128], buf[64];
	struct cgt_job j = { 0 };
	FILE *f;

	snprintf(jobs, sizeof(jobs), "%s/cron-jobs", cgt_dir);
	snprintf(outdir, sizeof(outdir), "%s/out", cgt_dir);
	snprintf(b.script, sizeof(b.script), "%s/report.sh", jobs);
	snprintf(b.out, sizeof(b.out), "%s/report.txt", outdir);
	snprintf(b.outside, sizeof(b.outside), "%s/elsewhere.txt", cgt_dir);
	cr_assert_eq(mkdir(jobs, 0755), 0);
	cr_assert_eq(mkdir(outdir, 0755), 0);
	cr_assert_eq(chown(outdir, 65534, 65534), 0);
	cr_assert_eq(chmod(cgt_dir, 0777), 0);   /* DAC would allow "outside" */
	cgt_write_file(b.script, "#!/bin/sh\necho report-ok > \"$1\"\n", 0755);

	j.policy = cgt_policy("[default]\nexec = /usr /bin /sbin /lib /lib64 %s\nwrite = %s /dev/null\n"
			      "read = /usr /etc /lib /lib64 %s\nprivate_tmp = yes\n"
			      "protect_system = yes\nno_new_privs = yes\ncapabilities = none\n"
			      "network = none\nscope = signals abstract-unix\n",
			      jobs, outdir, cgt_dir);
	j.user = "nobody";
	j.attack = benign_job;
	j.arg = &b;
	cr_assert_eq(cgt_run(&j), 0, "benign job failed (2: script, 3/4: outside write)");
	f = fopen(b.out, "re");
	cr_assert_not_null(f, "the script's output is missing");
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_assert_str_eq(buf, "report-ok\n");
	cr_assert_eq(access(b.outside, F_OK), -1, "a write outside the plan went through");
}

Test(fs, write_path_under_exec_path_is_a_plan_error)
{
	struct cg_plan plan;
	char why[256];
	struct cgt_job j = { .user = "root", .expect_confine_rc = -1 };

	j.policy = "[default]\nexec = /usr /bin\nwrite = /usr/local/lib/jobs\n";
	cr_assert_eq(cgt_resolve(j.policy, "root", &plan), 0);
	cr_assert_not_null(cg_plan_exec_write_overlap(&plan, why, sizeof(why)));
	cr_assert(strstr(why, "/usr/local/lib/jobs") && strstr(why, "exec path /usr"), "%s", why);
	cg_plan_free(&plan);
	cr_assert_eq(cgt_run(&j), ATTACK_BLOCKED, "confinement must refuse the plan");

	/* exec under write, and an interpreter inside a write path */
	cr_assert_eq(cgt_resolve("[default]\nexec = /srv/x/bin\nwrite = /srv\n", "root", &plan), 0);
	cr_assert_not_null(cg_plan_exec_write_overlap(&plan, why, sizeof(why)));
	cg_plan_free(&plan);
	cr_assert_eq(cgt_resolve("[default]\nexec = /usr\ninterpreters = /opt/sh\nwrite = /opt\n",
				 "root", &plan), 0);
	cr_assert(cg_plan_exec_write_overlap(&plan, why, sizeof(why)) && strstr(why, "interpreter"));
	cg_plan_free(&plan);
	/* disjoint lists are fine */
	cr_assert_eq(cgt_resolve("[default]\nexec = /usr\nwrite = /var /usrx\n", "root", &plan), 0);
	cr_assert_null(cg_plan_exec_write_overlap(&plan, why, sizeof(why)));
	cg_plan_free(&plan);
}

Test(fs, overlap_through_a_symlink_is_refused)
{
	cgt_need_abi(1);
	char link[128], target[128];
	struct cgt_job j = { .user = "root", .expect_confine_rc = -1 };

	/* write = DIR/w, a symlink to DIR/bin, which is an exec path: the
	 * strings differ, the inodes do not. */
	snprintf(target, sizeof(target), "%s/bin", cgt_dir);
	snprintf(link, sizeof(link), "%s/w", cgt_dir);
	cr_assert_eq(mkdir(target, 0755), 0);
	cr_assert_eq(symlink(target, link), 0);
	j.policy = cgt_policy("[default]\nexec = /usr %s\nwrite = %s\n", target, link);
	cr_assert_eq(cgt_run(&j), ATTACK_BLOCKED, "a writable exec dir behind a symlink ran");
}

static int nothing(void *arg)
{
	(void)arg;
	return ATTACK_OK;
}

/* An interpreter whose ELF headers point anywhere must not make the apply
 * step read out of bounds (ASan build) or crash: its PT_INTERP is ignored. */
Test(fs, malformed_elf_interpreter)
{
	unsigned char img[64 + 56] = { 0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1, 1 };
	Elf64_Ehdr eh;
	Elf64_Phdr ph = { .p_type = PT_INTERP, .p_offset = UINT64_MAX - 4, .p_filesz = 8 };
	char path[128];
	int fd;
	struct cgt_job j = { NULL, "root", nothing, NULL, false, 0, false };

	memcpy(&eh, img, sizeof(eh));
	eh.e_phoff = 64;
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 1;
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + 64, &ph, sizeof(ph));
	snprintf(path, sizeof(path), "%s/bad-elf", cgt_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
	j.policy = cgt_policy("[default]\nexec = /usr\ninterpreters = /bin/sh %s\n", path);
	cr_assert_eq(cgt_run(&j), ATTACK_OK);

	/* e_phoff far outside the file */
	eh.e_phoff = UINT64_MAX - 16;
	memcpy(img, &eh, sizeof(eh));
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
	cr_assert_eq(cgt_run(&j), ATTACK_OK);
}

/* A rule beneath a directory already granted is skipped (confine_landlock.c
 * grants): a path that only looks beneath it, through a symlink leading
 * out (absolute or with ".."), must still get its own rule.  Control: the
 * same program without that exec entry is blocked. */
static int run_tool(void *arg)
{
	char *argv[] = { arg, NULL };

	return cgt_exec_ok(argv);
}

Test(fs, exec_entry_through_a_symlink_out_of_an_exec_dir)
{
	cgt_need_abi(1);
	char bin[128], out[128], tool[160], abs_link[160], rel_link[160];

	snprintf(bin, sizeof(bin), "%s/bin", cgt_dir);
	snprintf(out, sizeof(out), "%s/outside", cgt_dir);
	snprintf(tool, sizeof(tool), "%s/tool", out);
	snprintf(abs_link, sizeof(abs_link), "%s/abs-tool", bin);
	snprintf(rel_link, sizeof(rel_link), "%s/rel-tool", bin);
	cr_assert_eq(mkdir(bin, 0755), 0);
	cr_assert_eq(mkdir(out, 0755), 0);
	cgt_write_file(tool, "#!/bin/sh\nexit 0\n", 0755);
	cr_assert_eq(symlink(tool, abs_link), 0);
	cr_assert_eq(symlink("../outside/tool", rel_link), 0);

	for (int i = 0; i < 2; i++) {
		char *link = i ? rel_link : abs_link;
		struct cgt_job with = { 0 }, without = { 0 };

		with.policy = cgt_policy("[default]\n" "exec = /usr /bin /sbin /lib /lib64 %s %s\n",
					 bin, link);
		with.user = "nobody";
		with.attack = run_tool;
		with.arg = link;
		cr_expect_eq(cgt_run(&with), ATTACK_OK, "%s: its own exec entry must let it run", link);
		without.policy = cgt_policy("[default]\n" "exec = /usr /bin /sbin /lib /lib64 %s\n", bin);
		without.user = "nobody";
		without.attack = run_tool;
		without.arg = link;
		cr_expect_eq(cgt_run(&without), ATTACK_BLOCKED,
			     "%s: outside every exec path, it must not run", link);
	}
}

/* An interpreter outside every exec path: the plan's interpreters entry
 * grants it, and the exact ELF interpreter it names (PT_INTERP, which
 * execve() maps with EXECUTE too) is granted with it.  The script's
 * directory is the only exec path.  Control: with another interpreter in
 * the list instead (bash: same ELF interpreter), the same script is
 * blocked at the kernel's exec of /bin/sh. */
Test(fs, interpreter_outside_the_exec_paths_runs_with_its_elf_interpreter)
{
	cgt_need_abi(1);
	char dir[128], script[160];
	struct cgt_job with = { 0 }, without = { 0 };

	snprintf(dir, sizeof(dir), "%s/scripts", cgt_dir);
	snprintf(script, sizeof(script), "%s/job", dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	cgt_write_file(script, "#!/bin/sh\nexit 0\n", 0755);

	with.policy = cgt_policy("[default]\nexec = %s\ninterpreters = /bin/sh\n", dir);
	with.user = "nobody";
	with.attack = run_tool;
	with.arg = script;
	cr_expect_eq(cgt_run(&with), ATTACK_OK,
		     "/bin/sh and its ELF interpreter must be executable for the script");
	without.policy = cgt_policy("[default]\nexec = %s\ninterpreters = /bin/bash\n", dir);
	without.user = "nobody";
	without.attack = run_tool;
	without.arg = script;
	cr_expect_eq(cgt_run(&without), ATTACK_BLOCKED, "/bin/sh is not among the interpreters");
}
