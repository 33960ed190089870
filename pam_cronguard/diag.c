/* diag.c - see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cg_diag_add(struct cg_diags *d, bool warning, const char *file,
		 unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!warning)
		d->errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct cg_diag *v = realloc(d->v, cap * sizeof(*v));

		if (!v) {
			d->oom = true;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	struct cg_diag *e = &d->v[d->n];

	e->file = cg_arena_strdup(&d->arena, file ? file : "(policy)");
	e->msg = cg_arena_strdup(&d->arena, msg);
	if (!e->file || !e->msg) {
		d->oom = true;
		return;
	}
	e->line = line;
	e->warning = warning;
	d->n++;
}

const struct cg_diag *cg_diag_first_error(const struct cg_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->v[i].warning)
			return &d->v[i];
	return NULL;
}

void cg_diag_format(const struct cg_diag *e, char *buf, size_t size)
{
	if (e->line)
		snprintf(buf, size, "%s:%u: %s%s", e->file, e->line,
			 e->warning ? "warning: " : "", e->msg);
	else
		snprintf(buf, size, "%s: %s%s", e->file,
			 e->warning ? "warning: " : "", e->msg);
}

void cg_diags_free(struct cg_diags *d)
{
	free(d->v);
	cg_arena_free(&d->arena);
	memset(d, 0, sizeof(*d));
}
