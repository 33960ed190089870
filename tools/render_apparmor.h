/* render_apparmor.h - one plan group -> one AppArmor profile (text).
 *
 * The profile the module switches a job to (the plan's `apparmor` key):
 * executes only the plan's exec directories and interpreters, writes only
 * its write paths, never executes where it may write, and follows the plan
 * for reading, networking and capabilities.  cmd_gen_apparmor.c decides
 * which groups to render and where the text goes. */
#ifndef CG_RENDER_APPARMOR_H
#define CG_RENDER_APPARMOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plan_groups.h"

/* The include every profile uses: apparmor-profiles/abstractions/cronguard-job. */
#define AA_JOB_ABSTRACTION "abstractions/cronguard-job"

struct aa_render_opts {
	const char *const *policy_files;  /* for the header comment */
	size_t npolicy_files;
	/* Homes of the group's users (exec is denied there), any order. */
	const char *const *homes;
	size_t nhomes;
	/* Resolves symlinks in a path as this host sees them: AppArmor mediates
	 * the resolved path (/bin/sh is /usr/bin/dash on Debian).  Returns a
	 * malloc()ed path when it differs from path, else NULL.  A NULL hook
	 * renders the plan's paths only. */
	char *(*resolve)(const char *path);
	/* Where the profile file will be loaded from (header comment), or NULL. */
	const char *install_path;
	/* Also write the file preamble (abi, tunables).  Several profiles in one
	 * file need it once: the parser takes one abi line per file. */
	bool preamble;
	/* Where to print notes about the plan (overlaps), or NULL. */
	FILE *notes;
};

/* Why a plan group gets no profile (mode off, jobs denied, no name), or
 * NULL when it gets one. */
const char *aa_skip_reason(const struct plan_group *g);

/* Is name usable as a profile name and as a file name?  NULL or the reason. */
const char *aa_check_name(const char *name);

/* Writes the profile for the group.  Returns 0; or -1 with the reason in
 * err (a path AppArmor cannot express literally, out of memory). */
int aa_render_profile(FILE *out, const struct plan_group *g, const struct aa_render_opts *o,
		      char *err, size_t errlen);

#endif
