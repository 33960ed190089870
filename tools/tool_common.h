/* tool_common.h - what every cronguard subcommand needs: load the policy,
 * resolve a user, print diagnostics, write JSON strings. */
#ifndef CG_TOOL_COMMON_H
#define CG_TOOL_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "plan.h"
#include "policy.h"

/* Loads FILE (or the default conffile when NULL) with its drop-ins, like the
 * module does but without the root-ownership check when the file was named
 * on the command line.  Prints every diagnostic to stderr as FILE:LINE: msg.
 * Returns 0 when valid, -1 when not (the policy is freed then). */
int tool_load_policy(const char *file, struct cg_policy *pol);
/* Looks up USER and resolves the plan; prints the reason and returns -1 on
 * failure. */
int tool_resolve_user(const struct cg_policy *pol, const char *user, struct cg_plan *plan);
void tool_print_diags(const struct cg_diags *d, FILE *out);
/* Writes s as a JSON string literal (with quotes). */
void tool_json_string(FILE *out, const char *s);
/* Is arg "--help" or "-h"? */
bool tool_is_help(const char *arg);

#endif
