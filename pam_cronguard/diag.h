/* diag.h - "FILE:LINE: message" diagnostics collected while reading files.
 *
 * The parser keeps going after an error so `cronguard check` can print all of
 * them at once; the module only needs the first one for its log line. */
#ifndef CG_DIAG_H
#define CG_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct cg_diag {
	const char *file;   /* never NULL */
	unsigned line;      /* 0 when the message is about the whole file */
	const char *msg;
	bool warning;       /* warnings never make a policy invalid */
};

struct cg_diags {
	struct cg_arena arena;
	struct cg_diag *v;
	size_t n, cap;
	size_t errors;
	bool oom;           /* a diagnostic could not be recorded */
};

void cg_diag_add(struct cg_diags *d, bool warning, const char *file,
		 unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#define cg_diag_error(d, file, line, ...) cg_diag_add(d, false, file, line, __VA_ARGS__)
#define cg_diag_warn(d, file, line, ...) cg_diag_add(d, true, file, line, __VA_ARGS__)
/* The first error (not warning), or NULL. */
const struct cg_diag *cg_diag_first_error(const struct cg_diags *d);
/* Writes "FILE:LINE: message" (or "FILE: message" for line 0) into buf. */
void cg_diag_format(const struct cg_diag *e, char *buf, size_t size);
void cg_diags_free(struct cg_diags *d);

#endif
