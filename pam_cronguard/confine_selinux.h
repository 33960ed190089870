/* confine_selinux.h - the plan's SELinux job domain where cron lets PAM set
 * it: cronie (hook=session).  See confine_selinux.c. */
#ifndef CG_CONFINE_SELINUX_H
#define CG_CONFINE_SELINUX_H

#include <stddef.h>

#include "logger.h"
#include "plan.h"

/* Sets the exec context of the calling process (cronie's middle process,
 * in open_session) to the one cronie set, or the current one, with its type
 * replaced by plan->selinux.  Nothing when the plan names no type.  With
 * SELinux off or libselinux missing: 0 and a log line, or -1 for a strict
 * plan.  -1 after logging when the context cannot be set. */
int cg_confine_selinux(const struct cg_plan *p, const struct cg_logger *log);

/* Pure: context `cur` (user:role:type[:level]) with its type replaced by
 * `type`, into buf.  Returns 0, or -1 when cur is not a context, type is
 * not a type name, or buf is too small. */
int cg_selinux_context_with_type(const char *cur, const char *type, char *buf, size_t size);

#endif
