/* audit_common.c - helpers shared by lint and the audit checks. */
#include "audit.h"

#include <string.h>

bool cg_cron_d_name_ok(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

/* cronie 1.7 database.c not_a_crontab(): what cronie skips in cron.d. */
bool cg_cronie_name_ok(const char *name)
{
	size_t l = strlen(name);

	if (!l || name[0] == '.' || name[0] == '#' || name[l - 1] == '~')
		return false;
	if ((l > 8 && (!strcmp(name + l - 8, ".rpmsave") || !strcmp(name + l - 8, ".rpmorig"))) ||
	    (l > 7 && !strcmp(name + l - 7, ".rpmnew")))
		return false;
	return true;
}
