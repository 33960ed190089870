/* test_ns.c - the job's mount namespace: nothing mounted or written in the
 * job's private /tmp reaches the host. */
#include "confine_test.h"

#include <sys/mount.h>

/* A directory a test made in /etc, removed even when the test fails. */
static char etc_dir[64];

static void ns_teardown(void)
{
	if (etc_dir[0])
		rmdir(etc_dir);
	cgt_teardown();
}

TestSuite(ns, .init = cgt_setup, .fini = ns_teardown);

/* How many mounts the host (this test process) has on dir. */
static int host_mounts(const char *dir)
{
	char line[1024], needle[256];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	cr_assert_not_null(f);
	snprintf(needle, sizeof(needle), " %s ", dir);
	while (fgets(line, sizeof(line), f))
		found += strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static bool host_has_mount(const char *dir)
{
	return host_mounts(dir) > 0;
}

/* Mounts a tmpfs on arg and leaves a marker in it. */
static int mount_in_job(void *arg)
{
	char marker[256];
	int fd;

	if (mount("tmpfs", arg, "tmpfs", 0, "size=64k") < 0)
		return SETUP_IDENTITY;
	snprintf(marker, sizeof(marker), "%s/marker", (char *)arg);
	fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return SETUP_IDENTITY;
	close(fd);
	return ATTACK_OK;
}

Test(ns, mount_in_the_job_stays_in_the_job)
{
	char dir[128], marker[160];
	struct cgt_job leak = { UNCONFINED, "root", mount_in_job, dir, false, 0, false };
	struct cgt_job job = { "[default]\nprivate_tmp = yes\n", "root", mount_in_job, dir,
			       false, 0, false };

	snprintf(dir, sizeof(dir), "%s/mnt", cgt_dir);
	snprintf(marker, sizeof(marker), "%s/marker", dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	/* Without a namespace the job's mount is the host's: the test can see
	 * a leak when there is one. */
	cr_assert_eq(cgt_run(&leak), ATTACK_OK);
	cr_assert(host_has_mount(dir), "baseline: the mount should be on the host");
	cr_assert_eq(umount2(dir, MNT_DETACH), 0);
	cr_assert_eq(cgt_run(&job), ATTACK_OK, "mount inside the job's namespace");
	cr_assert_not(host_has_mount(dir), "the job's mount leaked to the host");
	cr_assert_eq(access(marker, F_OK), -1, "the job's file landed on the host");
}

static int write_tmp(void *arg)
{
	int fd = open(arg, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		return SETUP_IDENTITY;
	close(fd);
	return ATTACK_OK;
}

Test(ns, private_tmp_is_private)
{
	char path[64];
	struct cgt_job job = { "[default]\nprivate_tmp = yes\nprotect_system = yes\n", "nobody",
			       write_tmp, path, false, 0, false };

	int tmp_mounts = host_mounts("/tmp"), usr_mounts = host_mounts("/usr");

	snprintf(path, sizeof(path), "/var/tmp/cg-private-%d", (int)getpid());
	cr_assert_eq(cgt_run(&job), ATTACK_OK);
	cr_assert_eq(access(path, F_OK), -1, "the job's /var/tmp file is on the host");
	cr_assert_eq(host_mounts("/tmp"), tmp_mounts, "the private /tmp leaked to the host");
	cr_assert_eq(host_mounts("/usr"), usr_mounts, "the read-only /usr leaked to the host");
}

static int write_usr(void *arg)
{
	(void)arg;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/usr/cg-confine-test-%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EROFS ? ATTACK_BLOCKED : SETUP_IDENTITY;
	close(fd);
	unlink(path);
	return ATTACK_OK;
}

Test(ns, protect_system_makes_usr_read_only)
{
	cgt_expect_blocked("root job writes /usr", "[default]\nprotect_system = yes\n", "root",
			   write_usr, NULL);
}

static int write_in(void *arg)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/cg-written-%d", (const char *)arg, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EROFS || errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
	close(fd);
	unlink(path);
	return ATTACK_OK;
}

/* A write path inside /etc stays writable under protect_system; the rest
 * of /etc does not. */
Test(ns, write_path_inside_protected_etc)
{
	char *dir = etc_dir;
	char etc[] = "/etc";
	struct cgt_job inside = { NULL, "root", write_in, dir, false, 0, false };
	struct cgt_job outside = { NULL, "root", write_in, etc, false, 0, false };

	snprintf(etc_dir, sizeof(etc_dir), "/etc/cg-confine-test-%d", (int)getpid());
	cr_assert_eq(mkdir(dir, 0700), 0);
	inside.policy = outside.policy =
		cgt_policy("[default]\nprotect_system = yes\nwrite = %s /var\n", dir);
	cr_assert_eq(cgt_run(&inside), ATTACK_OK, "the write path must stay writable");
	cr_assert_eq(cgt_run(&outside), ATTACK_BLOCKED, "the rest of /etc must be read-only");
	cr_assert_eq(rmdir(dir), 0);
	etc_dir[0] = '\0';
}
