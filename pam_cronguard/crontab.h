/* crontab.h - read crontab files exactly as Debian's cron (3.0pl1-162) does.
 *
 * One reader serves the module's gate (which variables and commands reach a
 * user's jobs), `cronguard lint` (would cron load this file?) and
 * `cronguard audit` (what do these jobs run?).  Pure: parsing a buffer makes
 * no system call; cg_crontab_read() opens the file safely (safe_file.h).
 *
 * Environment lines apply to the jobs that follow them (cron copies the
 * environment as it stands at each job line), so entries keep file order. */
#ifndef CG_CRONTAB_H
#define CG_CRONTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "arena.h"
#include "diag.h"

enum cg_crontab_kind {
	CG_CRONTAB_USER,        /* /var/spool/cron/crontabs/USER: no user field */
	CG_CRONTAB_SYSTEM,      /* /etc/crontab, /etc/cron.d/NAME: sixth field is the user */
};

enum cg_cron_entry_kind { CG_CRON_ENV, CG_CRON_JOB };

struct cg_cron_schedule {
	uint64_t minute;        /* bit n: minute n (0-59) */
	uint32_t hour;          /* 0-23 */
	uint32_t dom;           /* bit n: day n (1-31) */
	uint16_t month;         /* bit n: month n (1-12) */
	uint8_t dow;            /* bit n: day n (0-6, Sunday 0; 7 folds into 0) */
	bool dom_star, dow_star; /* field began with '*' (cron's DOM_STAR/DOW_STAR) */
	bool reboot;            /* @reboot */
	const char *special;    /* "@daily" etc. as written, or NULL */
};

struct cg_cron_entry {
	enum cg_cron_entry_kind kind;
	unsigned line;
	/* CG_CRON_ENV */
	const char *name;
	const char *value;      /* after cron's quote removal */
	/* CG_CRON_JOB */
	struct cg_cron_schedule when;
	const char *user;       /* system crontabs: the sixth field; user crontabs: NULL */
	const char *command;    /* the text cron hands to the shell, before '%' */
	const char *input;      /* text after the first unescaped '%' ('%' -> '\n'), or NULL */
	/* Added for lint/audit: the command text exactly as in the file (for
	 * system crontabs, what follows the blank after the user field). */
	const char *raw;
};

struct cg_crontab {
	struct cg_arena arena;
	const char *file;
	enum cg_crontab_kind kind;
	struct cg_cron_entry *entries;
	size_t n, cap;
	/* Would Debian's cron load this file?  false after a syntax error, a
	 * missing final newline, an unknown user (when users are checked), ...;
	 * the reason is an error in the diagnostics.  The reader keeps going
	 * after the first error (lint reports them all), so entries may list
	 * lines from a file cron ignores: when !loads, cron runs none of them. */
	bool loads;
	/* fstat of the file as read (cg_crontab_read only; st_nlink 0 when
	 * not read from a file). */
	struct stat st;
};

/* Optional: tells the parser whether a user exists (system crontabs' user
 * field).  NULL means "do not check users". */
typedef bool (*cg_user_exists_fn)(void *ctx, const char *user);

/* Parses text as cron does.  Errors and warnings go to *d with FILE:LINE.
 * Returns 0 when cron would load the file, -1 otherwise (out->loads). */
int cg_crontab_parse(struct cg_crontab *out, const char *file, enum cg_crontab_kind kind,
		     const char *text, size_t len, cg_user_exists_fn user_exists,
		     void *ctx, struct cg_diags *d);

/* Opens path (O_NOFOLLOW, fstat on the fd) and parses it.  Returns 0, -1 when
 * cron would not load it, -2 when it could not be read (errno set).
 * Note: Debian's cron follows root-owned symbolic links in /etc/cron.d and
 * for /etc/crontab; this call does not (ELOOP): resolve such a link and
 * check its owner first if the caller must read what cron reads. */
int cg_crontab_read(struct cg_crontab *out, const char *path, enum cg_crontab_kind kind,
		    cg_user_exists_fn user_exists, void *ctx, struct cg_diags *d);

void cg_crontab_free(struct cg_crontab *ct);

/* Does Debian's cron read /etc/cron.d/NAME?  database.c valid_name() in
 * the default (non-LSB) mode: [A-Za-z0-9_-]+, also run-parts' default rule
 * for /etc/cron.daily and the others. */
bool cg_cron_d_name_ok(const char *name);
/* Does cronie 1.7 read it?  It skips far fewer: hidden files, ~ backups,
 * .rpmsave, .rpmorig, .rpmnew (database.c not_a_crontab()). */
bool cg_cronie_name_ok(const char *name);

#endif
