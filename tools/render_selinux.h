/* render_selinux.h - one SELinux job domain per distinct cronguard plan.
 *
 * A generated module declares the job domain and its script type and joins
 * them to the attributes of the base module `cronguard` (selinux-policy/);
 * the rules every job domain shares live in the base, on those attributes.
 * The refpolicy form calls the base's interfaces, the CIL form spells out
 * the same rules.  See cronguard-gen-selinux(8). */
#ifndef CG_RENDER_SELINUX_H
#define CG_RENDER_SELINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plan_groups.h"

/* Path aliases of file_contexts.subs and file_contexts.subs_dist: a .fc line
 * must name the canonical path (/usr/local/lib/x is labelled as /usr/lib/x). */
struct sel_subs {
	char **from, **to;
	size_t n;
};

/* Appends the "ALIAS CANONICAL" lines of file to *s; a missing file adds
 * nothing.  Returns 0, or -1 after printing why. */
int sel_subs_load(struct sel_subs *s, const char *file);
void sel_subs_free(struct sel_subs *s);
/* The canonical form of path, as libselinux computes it: the first matching
 * alias of local, then of dist applied to the result.  Returns a malloc()ed
 * string or NULL (out of memory). */
char *sel_subs_apply(const struct sel_subs *local, const struct sel_subs *dist,
		     const char *path);

/* One whitelisted exec entry and the path its .fc lines name. */
struct sel_dir {
	char *path;                   /* as in the plan: what restorecon relabels */
	char *canon;                  /* after the path aliases */
};

struct sel_domain {
	const struct plan_group *group;
	char *module;                 /* cronguard_alice */
	char *domain;                 /* cronguard_alice_t */
	char *script;                 /* cronguard_alice_script_t */
	struct sel_dir *dirs;         /* exec entries that get the script type */
	size_t ndirs;
	const char **system;          /* exec entries left as they are (system dirs) */
	size_t nsystem;
	bool permissive;
};

/* Names the domain (the plan's `selinux` key, or cronguard_<first user>_t)
 * and sorts the plan's exec entries into script directories and system
 * directories.  Returns 0, or -1 after printing why (bad name). */
int sel_domain_prepare(struct sel_domain *d, const struct plan_group *g,
		       const struct sel_subs *local, const struct sel_subs *dist,
		       bool permissive);
void sel_domain_free(struct sel_domain *d);

/* Should this group get a domain at all?  Not when cron is denied to it or
 * cronguard is off for it. */
bool sel_group_wanted(const struct plan_group *g);

/* Writers: 0, or -1 on a write error (errno set).  policy_file is named in
 * the header comment only. */
int sel_render_te(FILE *out, const struct sel_domain *d, const char *policy_file);
int sel_render_fc(FILE *out, const struct sel_domain *d);
int sel_render_cil(FILE *out, const struct sel_domain *d, const char *policy_file);
/* The build, install and relabel script for all domains. */
int sel_render_build(FILE *out, const struct sel_domain *v, size_t n, bool cil,
		     const char *base_dir);

#endif
