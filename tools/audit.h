/* audit.h - `cronguard audit`: findings, the host model the checks read,
 * and one entry point per family of checks (tools/audit_*.c). */
#ifndef CG_AUDIT_H
#define CG_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "arena.h"
#include "crontab.h"
#include "policy.h"

/* database.c valid_name() in Debian's default (non-LSB) mode: the names cron
 * reads in /etc/cron.d, and run-parts' default rule for cron.daily etc. */
bool cg_cron_d_name_ok(const char *name);

#endif
