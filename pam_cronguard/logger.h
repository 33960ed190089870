/* logger.h - where the core's messages go.
 *
 * The same apply code runs inside the PAM module (messages go to
 * pam_syslog) and inside `cronguard run` (messages go to stderr), so the
 * core never writes a log line itself: it hands the line to a logger. */
#ifndef CG_LOGGER_H
#define CG_LOGGER_H

#include <syslog.h>

typedef void (*cg_log_fn)(void *ctx, int prio, const char *msg);

struct cg_logger {
	cg_log_fn fn;
	void *ctx;
	int debug;      /* also pass LOG_DEBUG lines */
};

/* Formats one line; %m is expanded by the caller's libc (glibc printf). */
void cg_logf(const struct cg_logger *l, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A logger writing "cronguard: LEVEL: msg" lines to stderr. */
extern const struct cg_logger cg_stderr_logger;

#endif
