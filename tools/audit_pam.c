/* audit_pam.c - the PAM stack cron uses, and whether auditd watches cron's
 * files.
 *
 * Debian's cron uses the service "cron" (/etc/pam.d/cron); cronie uses
 * "crond" on Fedora/RHEL and "cronie" on Debian.  A missing service file
 * means PAM falls back to /etc/pam.d/other. */
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct stack {
	bool account_real;      /* an account module other than pam_permit */
	bool loginuid;          /* session pam_loginuid */
	bool cronguard;         /* account pam_cronguard */
	unsigned account_line, first_line;
};

static void read_stack(struct audit *a, const char *file, struct stack *s, int depth)
{
	char *text = audit_read(a, file, NULL);
	unsigned line = 0;

	if (!text || depth > 5)
		return;
	for (char *l = text, *next; l && *l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		char *tok[4] = { 0 };
		size_t nt = 0;

		for (char *p = strtok(l, " \t"); p && nt < 4; p = strtok(NULL, " \t"))
			tok[nt++] = p;
		if (!nt || tok[0][0] == '#')
			continue;
		if (!s->first_line && depth == 0)
			s->first_line = line;
		if (!strcmp(tok[0], "@include") && nt >= 2) {
			read_stack(a, tok[1][0] == '/' ? tok[1] : audit_printf(a, "/etc/pam.d/%s", tok[1]),
				   s, depth + 1);
			continue;
		}
		const char *type = tok[0][0] == '-' ? tok[0] + 1 : tok[0];

		if (nt < 3)
			continue;
		/* "include" / "substack" name another service file. */
		if (!strcmp(tok[1], "include") || !strcmp(tok[1], "substack")) {
			read_stack(a, tok[2][0] == '/' ? tok[2] : audit_printf(a, "/etc/pam.d/%s", tok[2]),
				   s, depth + 1);
			continue;
		}
		const char *mod = strrchr(tok[2], '/') ? strrchr(tok[2], '/') + 1 : tok[2];

		if (!strcmp(type, "account")) {
			if (strcmp(mod, "pam_permit.so"))
				s->account_real = true;
			if (!strcmp(mod, "pam_cronguard.so"))
				s->cronguard = true;
		}
		if (!strcmp(type, "session") && !strcmp(mod, "pam_loginuid.so"))
			s->loginuid = true;
	}
}

static void check_pam(struct audit *a)
{
	const char *svc = "/etc/pam.d/cron";

	if (a->cronie)
		svc = audit_lstat(a, "/etc/pam.d/crond") ? "/etc/pam.d/crond" : "/etc/pam.d/cronie";
	struct stack s = { 0 };
	bool exists = audit_lstat(a, svc) != NULL;

	read_stack(a, exists ? svc : "/etc/pam.d/other", &s, 0);
	if (!s.account_real)
		audit_add(a, AUD_PAM_ACCOUNT, svc, 0,
			  audit_printf(a, "add \"@include common-account\" (or an account line with "
				       "pam_unix.so) to %s", svc),
			  "%s: no account module other than pam_permit: expired or locked accounts "
			  "keep running their jobs", exists ? svc : "missing (PAM uses /etc/pam.d/other)");
	if (!s.loginuid)
		audit_add(a, AUD_PAM_LOGINUID, svc, 0,
			  audit_printf(a, "add \"session required pam_loginuid.so\" to %s", svc),
			  "%s does not set the login uid: audit records of jobs cannot be tied to the "
			  "user (auid unset)", exists ? svc : "the fallback stack");
	if (!s.cronguard)
		audit_add(a, AUD_PAM_CRONGUARD, svc, 0,
			  "add the pam_cronguard lines (see pam_cronguard(8)): account, auth and session",
			  "%s has no pam_cronguard.so account line: crontab variables (LD_PRELOAD=, "
			  "BASH_ENV=, PATH=) and cron.allow are not enforced at job time",
			  exists ? svc : "the fallback stack");
}

/* Does any loaded or persistent audit rule mention these paths? */
static void check_watches(struct audit *a)
{
	static const char *const want[] = { "/etc/crontab", "/etc/cron.d", "/var/spool/cron", NULL };
	bool seen[3] = { false, false, false };
	const char *files[64];
	size_t nfiles = 0;
	DIR *d = opendir(audit_path(a, "/etc/audit/rules.d"));

	files[nfiles++] = "/etc/audit/audit.rules";
	if (d) {
		struct dirent *de;

		while ((de = readdir(d)) && nfiles < 64) {
			size_t l = strlen(de->d_name);

			if (l > 6 && !strcmp(de->d_name + l - 6, ".rules"))
				files[nfiles++] = audit_printf(a, "/etc/audit/rules.d/%s", de->d_name);
		}
		closedir(d);
	}
	for (size_t i = 0; i < nfiles; i++) {
		char *t = audit_read(a, files[i], NULL);

		for (char *l = t, *next; l && *l; l = next) {
			next = strchr(l, '\n');
			if (next)
				*next++ = '\0';
			l += strspn(l, " \t");
			if (*l == '#')
				continue;
			for (size_t k = 0; want[k]; k++) {
				const char *p = strstr(l, want[k]);

				/* "-w PATH" or "-F path=PATH"/"dir=PATH". */
				if (p && p > l && (p[-1] == ' ' || p[-1] == '=') &&
				    (p[strlen(want[k])] == '\0' || p[strlen(want[k])] == ' ' ||
				     p[strlen(want[k])] == '/'))
					seen[k] = true;
			}
		}
	}
	char missing[128] = "";

	for (size_t k = 0; want[k]; k++)
		if (!seen[k]) {
			size_t l = strlen(missing);

			snprintf(missing + l, sizeof(missing) - l, "%s%s", l ? ", " : "", want[k]);
		}
	if (*missing)
		audit_add(a, AUD_NO_WATCH, "/etc/audit/rules.d", 0,
			  "cronguard gen audit-rules > /etc/audit/rules.d/50-cronguard.rules && augenrules --load",
			  "no audit rule watches %s: changes to cron's files leave no audit record", missing);
}

void audit_pam(struct audit *a)
{
	check_pam(a);
	check_watches(a);
}
