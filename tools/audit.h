/* audit.h - `cronguard audit`: findings, the host model the checks read,
 * and one entry point per family of checks (tools/audit_*.c).
 *
 * The host is a directory tree (--root DIR, default /).  Every path in a
 * finding is the path on that host ("/etc/crontab"), never DIR-prefixed, so
 * reports of an image and of the live system compare. */
#ifndef CG_AUDIT_H
#define CG_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "arena.h"
#include "crontab.h"
#include "plan.h"
#include "policy.h"

enum audit_sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

/* The stable IDs.  Never renumber: reports and suppressions refer to them. */
enum audit_id {
	AUD_OWNER = 1,          /* CG-AUD-001 cron file/dir not owned by root */
	AUD_WRITABLE,           /* 002 cron file/dir writable by group/other */
	AUD_READABLE,           /* 003 cron config readable by others */
	AUD_RUNPARTS,           /* 004 run-parts script writable / not root's */
	AUD_PROG_WRITABLE,      /* 005 program run by a job writable by others */
	AUD_PATH,               /* 006 relative command or bad PATH entry */
	AUD_WILDCARD,           /* 007 wildcard args to tar/chown/... in root job */
	AUD_WW_CWD,             /* 008 root job works in a world-writable dir */
	AUD_SOURCED,            /* 009 file sourced/read as config, others can write */
	AUD_ENV,                /* 010 dangerous crontab variable */
	AUD_INJECTION,          /* 011 injection-prone command text in root job */
	AUD_NO_ALLOW,           /* 012 crontab(1) access not restricted */
	AUD_ALLOW_PERM,         /* 013 cron.allow/deny owner, group or mode */
	AUD_ALLOW_LINES,        /* 014 cron.allow/deny broken lines */
	AUD_SPOOL_REFUSED,      /* 015 spool crontab of a user allow/deny refuses */
	AUD_SPOOL_BROKEN,       /* 016 spool file cron silently ignores */
	AUD_SYNTAX,             /* 017 file disabled by a syntax error */
	AUD_NAME_IGNORED,       /* 018 file cron/run-parts ignores by name */
	AUD_CONTROL,            /* 019 hidden control characters */
	AUD_REBOOT,             /* 020 @reboot job (persistence inventory) */
	AUD_HOME_PROG,          /* 021 job runs a program from a home directory */
	AUD_PAM_ACCOUNT,        /* 022 cron PAM stack without account checks */
	AUD_PAM_LOGINUID,       /* 023 cron PAM stack without pam_loginuid */
	AUD_PAM_CRONGUARD,      /* 024 cron PAM stack without pam_cronguard */
	AUD_NO_WATCH,           /* 025 no audit watches on cron files */
	AUD_CRONIE_ROOT,        /* 026 (--cronie) uid-0 system job skips PAM */
	AUD_EXEC_DIRS,          /* 027 (--policy) script outside exec dirs */
	AUD_ID_MAX,
};

struct audit_rule {
	const char *name;       /* short kebab-case name */
	const char *title;
	enum audit_sev sev;     /* default severity */
	const char *ref;        /* CIS/STIG item, or NULL */
};
const struct audit_rule *audit_rule(enum audit_id id);
const char *audit_sev_name(enum audit_sev s);

struct finding {
	enum audit_id id;
	enum audit_sev sev;
	const char *file;       /* host path */
	unsigned line;          /* 0: the whole file */
	const char *evidence;
	const char *fix;
};

struct au_user {
	const char *name, *home, *shell;
	uid_t uid;
	gid_t gid;
};

struct au_group {
	const char *name;
	gid_t gid;
	const char **members;
	size_t nmembers;
};

struct stat_cache;

struct audit {
	struct cg_arena arena;
	const char *root;       /* "" for the live system, else DIR without trailing / */
	bool cronie;
	const char *spool;      /* /var/spool/cron/crontabs, cronie: /var/spool/cron */
	const struct cg_policy *policy;
	struct au_user *users;
	size_t nusers;
	struct au_group *groups;
	size_t ngroups;
	size_t *user_hash;      /* open addressing, index+1 into users */
	size_t user_hash_cap;
	struct stat_cache *sc;
	struct finding *f;
	size_t nf, capf;
	unsigned errors;        /* files that could not be read */
	/* allow/deny as crontab(1) sees them (audit_allow.c) */
	bool allow_exists, deny_exists;
	char *allow_text, *deny_text;
};

/* audit_host.c */
int audit_init(struct audit *a, const char *root);
void audit_fini(struct audit *a);
/* DIR + host path, in the arena (never NULL: aborts the audit on OOM). */
const char *audit_path(struct audit *a, const char *host_path);
const struct au_user *audit_user(const struct audit *a, const char *name);
const struct au_user *audit_user_by_uid(const struct audit *a, uid_t uid);
const struct au_group *audit_group_by_gid(const struct audit *a, gid_t gid);
const char *audit_user_name(struct audit *a, uid_t uid);
const char *audit_group_name(struct audit *a, gid_t gid);
/* lstat of a host path, cached.  Returns NULL when it does not exist. */
const struct stat *audit_lstat(struct audit *a, const char *host_path);
/* Who besides root and `trusted` (a uid, or (uid_t)-1 for root only) can
 * write this host path, or replace it through a parent directory?  Follows
 * symlinks (each link's target is checked too).  Returns NULL when nobody
 * can, else a sentence naming the weak link (in the arena). */
const char *audit_writable_by_others(struct audit *a, const char *host_path, uid_t trusted);
/* The host path a symbolic link finally points to (itself if not a link). */
const char *audit_follow(struct audit *a, const char *host_path);
void audit_add(struct audit *a, enum audit_id id, const char *file, unsigned line,
	       const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
char *audit_printf(struct audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads a whole host file (O_NOFOLLOW) into the arena; NULL if missing or
 * unreadable (errno). */
char *audit_read(struct audit *a, const char *host_path, size_t *len);

/* The checks, one family per file. */
void audit_files(struct audit *a);      /* audit_files.c: 001-004, 018 */
void audit_allow(struct audit *a);      /* audit_allow.c: 012-014 */
bool audit_allowed(const struct audit *a, const char *user);    /* crontab(1)'s rule */
void audit_jobs(struct audit *a);       /* audit_jobs.c: 005-011, 015-017, 019-021, 026-027 */
void audit_pam(struct audit *a);        /* audit_pam.c: 022-025 */

/* audit_report.c */
enum audit_format { FMT_TEXT, FMT_JSON, FMT_SARIF };
void audit_report(const struct audit *a, enum audit_format fmt, FILE *out);

#endif
