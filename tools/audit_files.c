/* audit_files.c - owner and mode of cron's files and directories, and the
 * scripts run-parts runs from /etc/cron.{hourly,daily,weekly,monthly,yearly}.
 *
 * Debian's cron itself ignores a system crontab that root does not own or
 * that group/others may write, but nothing checks the directories (a
 * writable /etc/cron.d lets anyone add a root job) and run-parts checks
 * neither owner nor mode of the scripts it runs as root. */
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const runparts_dirs[] = {
	"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly",
	"/etc/cron.yearly", NULL,
};

static void check_owner_mode(struct audit *a, const char *p, const struct stat *st, bool config)
{
	bool dir = S_ISDIR(st->st_mode);
	unsigned mode = st->st_mode & 07777;

	if (st->st_uid != 0)
		audit_add(a, AUD_OWNER, p, 0, dir ? audit_printf(a, "chown root:root %s", p)
			  : audit_printf(a, "chown root:root %s (Debian's cron ignores a system crontab "
					 "root does not own)", p),
			  "%s %s is owned by %s", dir ? "directory" : "file", p,
			  audit_user_name(a, st->st_uid));
	if (mode & (S_IWGRP | S_IWOTH))
		audit_add(a, AUD_WRITABLE, p, 0, audit_printf(a, "chmod go-w %s", p),
			  "%s %s is writable by %s (mode %04o, group %s)%s", dir ? "directory" : "file",
			  p, (mode & S_IWOTH) ? "everyone" : "its group", mode,
			  audit_group_name(a, st->st_gid),
			  dir ? ": anyone who can write it can add jobs that run as root" : "");
	if (config && (mode & 077 & ~022))
		audit_add(a, AUD_READABLE, p, 0,
			  audit_printf(a, "chmod %s %s", dir ? "0700" : "0600", p),
			  "%s is readable by %s (mode %04o): job commands, paths and variables are visible",
			  p, (mode & 07) ? "everyone" : "its group", mode);
}

/* Debian's spool directory is root:crontab 1730: crontab(1) (setgid
 * crontab) creates files in it, the sticky bit stops users removing each
 * other's.  Anything looser lets users plant or replace crontabs. */
static void check_cronie_spool(struct audit *a)
{
	const char *p = "/var/spool/cron";
	const struct stat *st = audit_lstat(a, p);

	if (!st || !S_ISDIR(st->st_mode))
		return;
	check_owner_mode(a, p, st, true);
}

static void check_spool_dir(struct audit *a)
{
	const char *p = "/var/spool/cron/crontabs";
	const struct stat *st = audit_lstat(a, p);
	const struct stat *parent = audit_lstat(a, "/var/spool/cron");

	if (parent && S_ISDIR(parent->st_mode)) {
		if (parent->st_uid != 0)
			audit_add(a, AUD_OWNER, "/var/spool/cron", 0, "chown root:root /var/spool/cron",
				  "directory /var/spool/cron is owned by %s", audit_user_name(a, parent->st_uid));
		if (parent->st_mode & (S_IWGRP | S_IWOTH))
			audit_add(a, AUD_WRITABLE, "/var/spool/cron", 0, "chmod go-w /var/spool/cron",
				  "directory /var/spool/cron is writable by group or others (mode %04o)",
				  parent->st_mode & 07777);
	}
	if (!st || !S_ISDIR(st->st_mode))
		return;
	unsigned mode = st->st_mode & 07777;
	const char *g = audit_group_name(a, st->st_gid);

	if (st->st_uid != 0)
		audit_add(a, AUD_OWNER, p, 0, "chown root:crontab /var/spool/cron/crontabs",
			  "directory %s is owned by %s", p, audit_user_name(a, st->st_uid));
	if ((mode & S_IWOTH) || ((mode & S_IWGRP) && (!(mode & S_ISVTX) || strcmp(g, "crontab"))))
		audit_add(a, AUD_WRITABLE, p, 0,
			  "chown root:crontab /var/spool/cron/crontabs && chmod 1730 /var/spool/cron/crontabs",
			  "directory %s has mode %04o, group %s: users can plant or replace crontabs "
			  "(Debian: root:crontab 1730)", p, mode, g);
	if (mode & (S_IROTH | S_IXOTH))
		audit_add(a, AUD_READABLE, p, 0, "chmod 1730 /var/spool/cron/crontabs",
			  "directory %s is readable or searchable by others (mode %04o)", p, mode);
}

/* Checks a cron directory itself, then calls check() for each entry (not
 * ".", "..", ".placeholder") with its path and lstat. */
static void each_entry(struct audit *a, const char *dirp,
		       void (*check)(struct audit *a, const char *name, const char *p,
				     const struct stat *fst))
{
	const struct stat *st = audit_lstat(a, dirp);
	DIR *d;
	struct dirent *de;

	if (!st)
		return;
	check_owner_mode(a, dirp, st, true);
	if (!S_ISDIR(st->st_mode))
		return;
	d = opendir(audit_path(a, dirp));
	if (!d) {
		fprintf(stderr, "cronguard audit: %s: %s\n", audit_path(a, dirp), strerror(errno));
		a->errors++;
		return;
	}
	while ((de = readdir(d))) {
		const char *n = de->d_name;

		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".placeholder"))
			continue;
		const char *p = audit_printf(a, "%s/%s", dirp, n);
		const struct stat *fst = audit_lstat(a, p);

		if (fst)
			check(a, n, p, fst);
	}
	closedir(d);
}

static void check_runparts_entry(struct audit *a, const char *n, const char *p,
				 const struct stat *fst)
{
	/* Debian's /etc/crontab runs run-parts without --lsbsysinit:
	 * names outside [A-Za-z0-9_-] are skipped without a word. */
	if (!cg_cron_d_name_ok(n)) {
		audit_add(a, AUD_NAME_IGNORED, p, 0,
			  audit_printf(a, "rename it without the dot (e.g. %.*s) if it should run, "
				       "or remove it", (int)strcspn(n, "."), n),
			  "run-parts skips %s: its name is not [A-Za-z0-9_-]+ (the script never runs)", p);
		return;
	}
	if (S_ISDIR(fst->st_mode))
		return;
	const char *why = audit_writable_by_others(a, p, 0);

	if (fst->st_uid != 0 && !S_ISLNK(fst->st_mode))
		audit_add(a, AUD_RUNPARTS, p, 0, audit_printf(a, "chown root:root %s", p),
			  "%s runs as root from run-parts but is owned by %s", p,
			  audit_user_name(a, fst->st_uid));
	else if (why)
		audit_add(a, AUD_RUNPARTS, p, 0,
			  audit_printf(a, "chown root:root %s && chmod go-w %s (and its directories)", p, p),
			  "%s runs as root from run-parts, which checks neither owner nor mode: %s", p, why);
}

static void check_runparts_dir(struct audit *a, const char *dirp)
{
	each_entry(a, dirp, check_runparts_entry);
}

static void check_cron_d_entry(struct audit *a, const char *n, const char *p,
			       const struct stat *fst)
{
	if (a->cronie ? !cg_cronie_name_ok(n) : !cg_cron_d_name_ok(n)) {
		audit_add(a, AUD_NAME_IGNORED, p, 0,
			  audit_printf(a, "remove %s, or rename it to a name of [A-Za-z0-9_-] only", p),
			  a->cronie ? "cronie ignores %s (a backup name)%s" :
			  "cron ignores %s: cron.d names must match ^[A-Za-z0-9_-]+$%s", p,
			  strstr(n, ".dpkg-") || strstr(n, ".ucf-") ? " (a package manager leftover: "
			  "the jobs in it do not run)" : "");
		return;
	}
	if (S_ISLNK(fst->st_mode)) {
		/* Debian's cron follows root-owned links here. */
		const char *why = audit_writable_by_others(a, p, 0);

		if (fst->st_uid != 0)
			audit_add(a, AUD_OWNER, p, 0, audit_printf(a, "chown -h root:root %s", p),
				  "symbolic link %s is owned by %s (cron ignores it)", p,
				  audit_user_name(a, fst->st_uid));
		else if (why)
			audit_add(a, AUD_WRITABLE, p, 0, "make the link's target root-owned and "
				  "not writable by group or others, or replace the link by a file",
				  "%s is a link cron follows: %s", p, why);
		return;
	}
	check_owner_mode(a, p, fst, true);
	if (fst->st_nlink > 1 && S_ISREG(fst->st_mode))
		audit_add(a, AUD_SPOOL_BROKEN, p, 0, audit_printf(a, "replace %s by a copy "
			  "with one link", p), "%s has %lu hard links: cron ignores it",
			  p, (unsigned long)fst->st_nlink);
}

static void check_cron_d(struct audit *a)
{
	each_entry(a, "/etc/cron.d", check_cron_d_entry);
}

void audit_files(struct audit *a)
{
	const struct stat *st = audit_lstat(a, "/etc/crontab");

	if (st) {
		if (S_ISLNK(st->st_mode)) {
			const char *why = audit_writable_by_others(a, "/etc/crontab", 0);

			if (why)
				audit_add(a, AUD_WRITABLE, "/etc/crontab", 0,
					  "replace the link by a root-owned file of mode 0600",
					  "/etc/crontab is a link: %s", why);
		} else {
			check_owner_mode(a, "/etc/crontab", st, true);
		}
	}
	/* /etc itself: a writable /etc is the end of the game anyway, but it
	 * is the parent of every file above. */
	const char *why = audit_writable_by_others(a, "/etc", 0);

	if (why)
		audit_add(a, AUD_WRITABLE, "/etc", 0, "chown root:root /etc && chmod 0755 /etc",
			  "the directory holding cron's files: %s", why);
	check_cron_d(a);
	for (size_t i = 0; runparts_dirs[i]; i++)
		check_runparts_dir(a, runparts_dirs[i]);
	if (a->cronie)
		check_cronie_spool(a);      /* cronie: root 0700, files USER 0600 */
	else
		check_spool_dir(a);
}
