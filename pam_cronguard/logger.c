/* logger.c - see logger.h. */
#include "logger.h"

#include <stdarg.h>
#include <stdio.h>

void cg_logf(const struct cg_logger *l, int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!l || !l->fn || (prio == LOG_DEBUG && !l->debug))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	l->fn(l->ctx, prio, line);
}

static void to_stderr(void *ctx, int prio, const char *msg)
{
	static const char *const names[] = {
		"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"
	};

	(void)ctx;
	fprintf(stderr, "cronguard: %s: %s\n", names[prio & 7], msg);
}

const struct cg_logger cg_stderr_logger = { to_stderr, NULL, 0 };
