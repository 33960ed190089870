/* policy.h - the parsed policy: sections of validated key = value lines.
 *
 * cg_policy_load() reads /etc/security/cronguard.conf and then
 * /etc/security/cronguard.d/NAME.conf in lexical order; every value is
 * validated while parsing, so resolving (plan.h) only copies and merges. */
#ifndef CG_POLICY_H
#define CG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "arena.h"
#include "diag.h"
#include "plan.h"
#include "policy_keys.h"

#define CG_DEFAULT_CONFFILE "/etc/security/cronguard.conf"

enum cg_section_kind { CG_SEC_DEFAULT, CG_SEC_GROUP, CG_SEC_USER };

struct cg_value {
	enum cg_mode mode;
	bool b;
	int i;                        /* umask, nice, scope flags */
	struct cg_strlist list;       /* paths, patterns, assignments (raw, unexpanded) */
	struct cg_network net;
	uint64_t caps;
	struct cg_limit limit;
	const char *str;              /* name or single path; NULL for none */
};

#define CG_SCOPE_SIGNALS 1
#define CG_SCOPE_ABSTRACT_UNIX 2

struct cg_entry {
	enum cg_key key;
	int resource;                 /* for CG_KEY_LIMIT */
	bool append;                  /* += */
	struct cg_value value;
	const char *file;
	unsigned line;
};

struct cg_section {
	enum cg_section_kind kind;
	const char *name;             /* group or user name; NULL for default */
	const char *file;
	unsigned line;
	struct cg_entry *entries;
	size_t n, cap;
};

struct cg_policy {
	struct cg_arena arena;
	struct cg_section *sections;
	size_t n, cap;
	const char **files;           /* every file read, in order */
	struct stat *file_st;         /* and the fstat of each as read */
	size_t nfiles;
	/* The drop-in directory as opened (dropin_present), or found absent. */
	bool dropin_present;
	struct stat dropin_st;
};

struct cg_load_opts {
	/* Refuse files and directories not owned by root or writable by group
	 * or others (the module sets this; `cronguard check -f` does not). */
	bool require_root_owned;
	/* Read the drop-in directory (CONFFILE minus ".conf" plus ".d"). */
	bool dropins;
};

/* Parses one buffer as the file `file`.  Errors go to *d; parsing continues
 * after an error.  Returns the number of errors found in this buffer. */
size_t cg_policy_parse(struct cg_policy *pol, const char *file,
		       const char *text, size_t len, struct cg_diags *d);
/* Loads conffile and its drop-ins.  Returns 0 when the policy is valid,
 * -1 when any error was recorded in *d. */
int cg_policy_load(struct cg_policy *pol, const char *conffile,
		   const struct cg_load_opts *opts, struct cg_diags *d);
void cg_policy_free(struct cg_policy *pol);

/* cg_identity_lookup() (plan.h), looking up the user's groups only when the
 * policy has [group] sections to match them against. */
int cg_identity_lookup_for(struct cg_arena *arena, const char *user,
			   const struct cg_policy *pol, struct cg_identity *id);
/* Does the policy have [group NAME] sections (so a plan needs group names)? */
bool cg_policy_has_groups(const struct cg_policy *pol);
/* The drop-in directory of conffile (NAME.conf -> NAME.d), in the arena. */
char *cg_policy_dropin_dir(struct cg_arena *a, const char *conffile);

/* Parses and validates one value (the text after `=`).  Returns 0, or -1
 * with the reason written to err. */
int cg_value_parse(struct cg_arena *a, enum cg_value_kind kind,
		   const char *text, struct cg_value *out,
		   char *err, size_t errlen);
/* Checks one path as the policy writes it (before %u and ~ expansion) or as
 * resolved (expanded = true).  Returns NULL or the reason. */
const char *cg_path_check(const char *path, bool expanded);

#endif
