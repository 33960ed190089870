/* cache_dir.c - see cache_dir.h. */
#include "cache_dir.h"
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* The directory and file rules of cache_dir.h. */
static const char *untrusted_dir(const struct stat *st)
{
	if (!S_ISDIR(st->st_mode))
		return "ignored: cache directory is not a directory";
	if (st->st_uid != 0)
		return "ignored: cache directory not owned by root";
	if (st->st_mode & 077)
		return "ignored: cache directory accessible by group or others";
	return NULL;
}

static const char *untrusted_file(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "ignored: cache is not a regular file";
	if (st->st_uid != 0)
		return "ignored: cache not owned by root";
	if (st->st_mode & 077)
		return "ignored: cache accessible by group or others";
	if (st->st_nlink != 1)
		return "ignored: cache has other hard links";
	return NULL;
}

bool cg_cache_settled(const struct stat *st, const struct timespec *t0)
{
	const struct timespec *c = &st->st_ctim;

	if (c->tv_nsec == 0)
		return c->tv_sec <= t0->tv_sec - 2;
	return c->tv_sec < t0->tv_sec || (c->tv_sec == t0->tv_sec && c->tv_nsec < t0->tv_nsec);
}

bool cg_cache_settled_long(const struct stat *st, const struct timespec *t0)
{
	return st->st_ctim.tv_sec <= t0->tv_sec - 2;
}

void cg_stat_key_fill(struct cg_stat_key *k, const struct stat *st)
{
	memset(k, 0, sizeof(*k));
	k->dev = (uint64_t)st->st_dev;
	k->ino = (uint64_t)st->st_ino;
	k->size = (int64_t)st->st_size;
	k->mtime_s = (int64_t)st->st_mtim.tv_sec;
	k->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
	k->ctime_s = (int64_t)st->st_ctim.tv_sec;
	k->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
	k->uid = (uint32_t)st->st_uid;
	k->gid = (uint32_t)st->st_gid;
	k->mode = (uint32_t)st->st_mode;
}

bool cg_stat_key_same(const struct cg_stat_key *k, const struct stat *st)
{
	struct cg_stat_key now;

	cg_stat_key_fill(&now, st);
	return k->dev == now.dev && k->ino == now.ino && k->size == now.size &&
	       k->mtime_s == now.mtime_s && k->mtime_ns == now.mtime_ns &&
	       k->ctime_s == now.ctime_s && k->ctime_ns == now.ctime_ns && k->uid == now.uid &&
	       k->gid == now.gid && k->mode == now.mode;
}

bool cg_cache_remote_fs(long f_type)
{
	static const long remote[] = {
		0x6969,                 /* NFS */
		0xFE534D42, 0xFF534D42, 0x517B, /* SMB2, CIFS, SMB */
		0x01021997,             /* 9p */
		0x00C36400,             /* Ceph */
		0x5346414F,             /* AFS */
		0x65735546,             /* FUSE */
	};

	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
		if (f_type == remote[i])
			return true;
	return false;
}

uint64_t cg_fnv1a(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	do {
		h ^= *p;
		h *= 0x100000001b3ULL;
	} while (*p++);
	return h;
}

int cg_cache_open(const char *dir, const char *name, struct stat *st, const char **status)
{
	int dfd, fd;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		*status = errno == ENOENT ? "absent" : "ignored: cannot open cache directory";
		return -1;
	}
	if (fstat(dfd, st) < 0 || (*status = untrusted_dir(st)) != NULL) {
		if (!*status)
			*status = "ignored: cannot stat cache directory";
		close(dfd);
		return -1;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	close(dfd);
	if (fd < 0) {
		*status = errno == ENOENT ? "absent" : "ignored: cannot open cache (symlink?)";
		return -1;
	}
	if (fstat(fd, st) < 0 || (*status = untrusted_file(st)) != NULL) {
		if (!*status)
			*status = "ignored: cannot stat cache";
		close(fd);
		return -1;
	}
	return fd;
}

void *cg_cache_read(const char *dir, const char *name, size_t min, size_t max, size_t *size)
{
	struct stat st;
	const char *status;
	size_t got = 0;
	unsigned char *buf;
	int fd = cg_cache_open(dir, name, &st, &status);

	if (fd < 0)
		return NULL;
	if (st.st_size < (off_t)min || st.st_size > (off_t)max) {
		close(fd);
		return NULL;
	}
	*size = (size_t)st.st_size;
	buf = malloc(*size ? *size : 1);
	while (buf && got < *size) {
		ssize_t r = read(fd, buf + got, *size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (buf && got != *size) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

int cg_cache_replace(const char *dir, const char *name, const struct iovec *iov, int iovcnt,
		     const char **what)
{
	char tmp[NAME_MAX + 1];
	uint32_t rnd;
	struct stat st;
	int dfd, fd = -1, saved;

	if (geteuid() != 0) {
		*what = "not root";
		errno = EPERM;
		return -1;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		*what = "mkdir";
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		*what = "open directory";
		return -1;
	}
	if (fstat(dfd, &st) < 0 || untrusted_dir(&st)) {
		/* Not ours to repair: a wrong directory means someone else
		 * made it, and the administrator must look. */
		*what = "cache directory is not root-only (0700, owned by root)";
		close(dfd);
		errno = EPERM;
		return -1;
	}
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = (uint32_t)getpid() ^ (uint32_t)(uintptr_t)&rnd;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%08x", name, rnd) >= sizeof(tmp)) {
		*what = "name too long";
		errno = ENAMETOOLONG;
		goto fail;
	}
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		*what = "create temporary file";
		goto fail;
	}
	if (fchmod(fd, 0600) < 0) {
		*what = "chmod";
		goto fail_unlink;
	}
	for (int i = 0; i < iovcnt; i++)
		if (cg_write_all(fd, iov[i].iov_base, iov[i].iov_len) < 0) {
			*what = "write";
			goto fail_unlink;
		}
	if (close(fd) < 0) {
		fd = -1;
		*what = "close";
		goto fail_unlink;
	}
	fd = -1;
	if (renameat(dfd, tmp, dfd, name) < 0) {
		*what = "rename";
		goto fail_unlink;
	}
	close(dfd);
	return 0;
fail_unlink:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dfd, tmp, 0);
	errno = saved;
fail:
	saved = errno;
	close(dfd);
	errno = saved;
	return -1;
}

int cg_cache_remove(const char *dir, const char *name)
{
	struct stat st;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(dfd, &st) < 0 || untrusted_dir(&st))
		rc = -1;
	else if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		rc = -1;
	close(dfd);
	return rc;
}
