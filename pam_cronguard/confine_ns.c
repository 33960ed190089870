/* confine_ns.c - a private mount namespace: noexec /tmp and /var/tmp of the
 * job's own, and a read-only /usr, /etc and /boot.
 *
 * Runs first in cg_confine_job(): mounting needs CAP_SYS_ADMIN (dropped
 * from the bounding set later, still effective now) and a process that
 * Landlock restricts may no longer change its mounts.  Landlock rules also
 * bind to inodes, so they must be opened after the tmpfs is mounted on /tmp
 * to apply to the job's /tmp rather than the host's directory below it. */
#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* struct mount_attr (linux/mount.h, 5.12), which Debian 12's glibc headers
 * do not all declare. */
struct cg_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

bool cg_ns_wanted(const struct cg_plan *p)
{
	return p->private_tmp || p->protect_system;
}

/* A real directory, not a symlink: mounting over a symlink would mount on
 * its target, wherever that points. */
static int is_plain_dir(const char *path, const struct cg_logger *log)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT) {
			cg_logf(log, LOG_DEBUG, "%s does not exist: not mounted", path);
			return 0;
		}
		cg_logf(log, LOG_ERR, "lstat(%s): %m", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		cg_logf(log, LOG_DEBUG, "%s is not a directory (symlink?): not mounted", path);
		return 0;
	}
	return 1;
}

static int private_tmp(const char *path, const struct cg_logger *log)
{
	int r = is_plain_dir(path, log);

	if (r <= 0)
		return r;
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=1777") < 0) {
		cg_logf(log, LOG_ERR, "private_tmp: mount tmpfs on %s: %m", path);
		return -1;
	}
	cg_logf(log, LOG_DEBUG, "private_tmp: tmpfs noexec,nosuid,nodev on %s", path);
	return 0;
}

/* Bind the tree onto itself, then make the bind (and every mount below it)
 * read-only.  mount_setattr() does the whole tree in one call (5.12); the
 * fallback remounts the top only, keeping its nosuid/nodev/noexec flags,
 * which a bind remount would otherwise clear. */

/* The flags a bind remount must repeat (old kernels without mount_setattr):
 * a remount that drops nosuid, nodev, noexec or the atime mode fails with
 * EPERM where they are locked, and would loosen them where not. */
static unsigned long kept_flags(const struct statvfs *sv)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv->f_flag & map[i].st)
			flags |= map[i].ms;
	return flags;
}

static int read_only(const char *path, const struct cg_logger *log)
{
	struct cg_mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	struct statvfs sv;
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
	int r = is_plain_dir(path, log);

	if (r <= 0)
		return r;
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		cg_logf(log, LOG_ERR, "protect_system: bind %s: %m", path);
		return -1;
	}
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, (unsigned)AT_RECURSIVE,
		    &attr, sizeof(attr)) == 0) {
		cg_logf(log, LOG_DEBUG, "protect_system: %s read-only", path);
		return 0;
	}
	if (errno != ENOSYS) {
		cg_logf(log, LOG_ERR, "protect_system: mount_setattr(%s, rdonly): %m", path);
		return -1;
	}
	if (statvfs(path, &sv) < 0) {
		cg_logf(log, LOG_ERR, "protect_system: statvfs(%s): %m", path);
		return -1;
	}
	if (mount(NULL, path, NULL, flags | kept_flags(&sv), NULL) < 0) {
		cg_logf(log, LOG_ERR, "protect_system: remount %s read-only: %m", path);
		return -1;
	}
	cg_logf(log, LOG_DEBUG, "protect_system: %s read-only (top mount only)", path);
	return 0;
}

/* A write path inside a read-only system tree (root's write = /etc/ssl/private,
 * say) stays writable: bind it onto itself and clear the read-only flag
 * on that bind only, as systemd's ReadWritePaths= does.  Landlock still
 * decides who may write there. */
static int writable_hole(const char *path, const struct cg_logger *log)
{
	struct cg_mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY };
	struct statvfs sv;
	unsigned long flags = MS_BIND | MS_REMOUNT;
	struct stat st;

	if (lstat(path, &st) < 0) {
		cg_logf(log, LOG_DEBUG, "protect_system: write path %s: %m: stays read-only", path);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		cg_logf(log, LOG_DEBUG, "protect_system: write path %s is a symlink: stays read-only",
			path);
		return 0;
	}
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		cg_logf(log, LOG_ERR, "protect_system: bind write path %s: %m", path);
		return -1;
	}
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, (unsigned)AT_RECURSIVE,
		    &attr, sizeof(attr)) == 0) {
		cg_logf(log, LOG_DEBUG, "protect_system: write path %s stays writable", path);
		return 0;
	}
	if (errno != ENOSYS || statvfs(path, &sv) < 0) {
		cg_logf(log, LOG_ERR, "protect_system: make write path %s writable: %m", path);
		return -1;
	}
	if (mount(NULL, path, NULL, flags | kept_flags(&sv), NULL) < 0) {
		cg_logf(log, LOG_ERR, "protect_system: remount write path %s writable: %m", path);
		return -1;
	}
	return 0;
}

int cg_confine_ns(const struct cg_plan *p, const struct cg_logger *log)
{
	static const char *const tmp_dirs[] = { "/tmp", "/var/tmp" };
	static const char *const system_dirs[] = { "/usr", "/etc", "/boot" };

	if (!cg_ns_wanted(p))
		return 0;
	if (unshare(CLONE_NEWNS) < 0) {
		cg_logf(log, LOG_ERR, "unshare(CLONE_NEWNS) for %s%s%s: %m",
			p->private_tmp ? "private_tmp" : "",
			p->private_tmp && p->protect_system ? " and " : "",
			p->protect_system ? "protect_system" : "");
		return -1;
	}
	/* Before any mount: the new namespace starts with the host's
	 * propagation (shared on systemd hosts), so a mount made now would
	 * appear on the host.  Slave, not private: the job still sees mounts
	 * the host makes later (an NFS automount), but nothing flows back. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
		cg_logf(log, LOG_ERR, "make / rslave in the job's mount namespace: %m");
		return -1;
	}
	if (p->private_tmp)
		for (size_t i = 0; i < sizeof(tmp_dirs) / sizeof(tmp_dirs[0]); i++)
			if (private_tmp(tmp_dirs[i], log) < 0)
				return -1;
	if (!p->protect_system)
		return 0;
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
		if (read_only(system_dirs[i], log) < 0)
			return -1;
	for (size_t w = 0; p->write_set && w < p->write.n; w++)
		for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
			if (cg_path_under(p->write.v[w], system_dirs[i]) &&
			    writable_hole(p->write.v[w], log) < 0)
				return -1;
	return 0;
}
