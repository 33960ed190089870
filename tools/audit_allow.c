/* audit_allow.c - /etc/cron.allow and /etc/cron.deny as crontab(1) reads
 * them (Debian misc.c allowed()/in_file()).
 *
 * crontab(1) compares whole lines after cutting the last character (meant
 * to be the newline) with fgets: "alice " or "alice\r" never match alice,
 * and a last line without a newline loses its last letter.  If cron.allow
 * exists only its users (and root) may use crontab(1); else everyone not in
 * cron.deny; else, on Debian, everyone.  cron itself never reads these
 * files: a spool crontab already installed keeps running. */
#include "audit.h"

#include <errno.h>
#include <string.h>

/* in_file(): fgets with a 1000-byte buffer, then the last byte cut. */
static bool in_file(const char *text, const char *user)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) + 1 : strlen(p);

		/* fgets splits lines longer than 998 bytes; such chunks
		 * never equal a user name, so treat the line whole. */
		if (l > 0 && l - 1 == strlen(user) && !strncmp(p, user, l - 1))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

bool audit_allowed(const struct audit *a, const char *user)
{
	if (!strcmp(user, "root"))
		return true;
	if (a->allow_exists)
		return a->allow_text && in_file(a->allow_text, user);
	if (a->deny_exists)
		return !(a->deny_text && in_file(a->deny_text, user));
	return true;
}

static void check_lines(struct audit *a, const char *p, const char *text, size_t len)
{
	unsigned line = 1;
	const char *s = text;

	while (s < text + len) {
		const char *nl = memchr(s, '\n', (size_t)(text + len - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(text + len - s);

		if (!nl && l)
			audit_add(a, AUD_ALLOW_LINES, p, line,
				  audit_printf(a, "add a newline at the end of %s", p),
				  "last line \"%.*s\" has no newline: crontab(1) cuts its last character "
				  "and matches \"%.*s\"", (int)l, s, (int)(l - 1), s);
		else if (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			audit_add(a, AUD_ALLOW_LINES, p, line,
				  audit_printf(a, "remove the trailing blanks on line %u", line),
				  "\"%.*s\" ends in a blank: it never matches a user name", (int)l, s);
		else if (l && s[l - 1] == '\r')
			audit_add(a, AUD_ALLOW_LINES, p, line,
				  audit_printf(a, "convert %s to Unix line ends (sed -i 's/\\r$//')", p),
				  "line ends in a carriage return: \"%.*s\" never matches a user name",
				  (int)(l - 1), s);
		else if (l && (s[0] == ' ' || s[0] == '\t'))
			audit_add(a, AUD_ALLOW_LINES, p, line,
				  audit_printf(a, "remove the leading blanks on line %u", line),
				  "\"%.*s\" starts with a blank: it never matches a user name", (int)l, s);
		line++;
		s = nl ? nl + 1 : text + len;
	}
}

static void check_file(struct audit *a, const char *p, bool *exists, char **textp)
{
	const struct stat *st = audit_lstat(a, p);
	size_t len = 0;

	*exists = st != NULL;
	*textp = NULL;
	if (!st)
		return;
	unsigned mode = st->st_mode & 07777;
	const char *g = audit_group_name(a, st->st_gid);

	if (S_ISLNK(st->st_mode) || !S_ISREG(st->st_mode)) {
		audit_add(a, AUD_ALLOW_PERM, p, 0, audit_printf(a, "replace %s by a regular file "
			  "root:crontab 0640", p), "%s is not a regular file", p);
		return;
	}
	if (st->st_uid != 0 || (mode & 0137) || (strcmp(g, "crontab") && strcmp(g, "root")))
		audit_add(a, AUD_ALLOW_PERM, p, 0, audit_printf(a, "chown root:crontab %s && chmod 0640 %s", p, p),
			  "%s is owned by %s:%s with mode %04o (expected root:crontab, 0640 or "
			  "stricter)", p, audit_user_name(a, st->st_uid), g, mode);
	else if (!((mode & 0040) && !strcmp(g, "crontab")) && !(mode & 0004))
		/* Only root can read it: crontab(1) runs setgid crontab, fails
		 * to open it and refuses everyone. */
		audit_add(a, AUD_ALLOW_PERM, p, 0, audit_printf(a, "chown root:crontab %s && chmod 0640 %s", p, p),
			  "%s is readable only by root: crontab(1) (setgid crontab) cannot read it, so "
			  "every user is refused", p);
	*textp = audit_read(a, p, &len);
	if (*textp)
		check_lines(a, p, *textp, len);
}

void audit_allow(struct audit *a)
{
	check_file(a, "/etc/cron.allow", &a->allow_exists, &a->allow_text);
	check_file(a, "/etc/cron.deny", &a->deny_exists, &a->deny_text);
	if (!a->allow_exists)
		audit_add(a, AUD_NO_ALLOW, "/etc/cron.allow", 0,
			  "create /etc/cron.allow (root:crontab 0640) listing the users who may use "
			  "crontab(1), one per line",
			  "/etc/cron.allow does not exist: %s", a->deny_exists ?
			  "every user not named in /etc/cron.deny may install a crontab" :
			  "every user may install a crontab (Debian's default)");
}
