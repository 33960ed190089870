/* safe_file.c - see safe_file.h. */
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

int cg_openat2(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct {
		uint64_t flags, mode, resolve;
	} how = { (uint64_t)(flags | O_CLOEXEC), 0, resolve };

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

const char *cg_stat_untrusted(const struct stat *st)
{
	if (st->st_uid != 0)
		return "not owned by root";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

int cg_read_file_at(struct cg_arena *a, int dirfd, const char *path, bool trusted_only,
		    char **text, size_t *len, struct stat *st)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int saved;
	size_t got = 0;
	char *buf;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0)
		goto fail;
	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (trusted_only && cg_stat_untrusted(st)) {
		errno = EPERM;
		goto fail;
	}
	if (st->st_size > CG_MAX_FILE_SIZE) {
		errno = EFBIG;
		goto fail;
	}
	buf = cg_arena_alloc(a, (size_t)st->st_size + 1);
	if (!buf)
		goto fail;
	/* Read to EOF but never past the size fstat reported plus nothing:
	 * a file that grows while read is cut at its fstat size. */
	while (got < (size_t)st->st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st->st_size - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	close(fd);
	*text = buf;
	*len = got;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int cg_write_all(int fd, const void *buf, size_t len)
{
	const char *s = buf;

	while (len) {
		ssize_t w = write(fd, s, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		len -= (size_t)w;
	}
	return 0;
}
