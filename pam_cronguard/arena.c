/* arena.c - see arena.h. */
#include "arena.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cg_arena_chunk {
	struct cg_arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

enum { CG_ARENA_CHUNK = 16384 };

void *cg_arena_alloc(struct cg_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size_t need;
	struct cg_arena_chunk *c = a->head;

	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	need = (size + align - 1) / align * align;
	if (need == 0)
		need = align;
	if (!c || c->size - c->used < need) {
		size_t cap = need > CG_ARENA_CHUNK ? need : CG_ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = cap;
		/* A large block gets a chunk of its own behind the current one,
		 * so the free space of the current chunk is not wasted. */
		if (a->head && need > CG_ARENA_CHUNK) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

void *cg_arena_zalloc(struct cg_arena *a, size_t size)
{
	void *p = cg_arena_alloc(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *cg_arena_strndup(struct cg_arena *a, const char *s, size_t n)
{
	char *p = cg_arena_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *cg_arena_strdup(struct cg_arena *a, const char *s)
{
	return cg_arena_strndup(a, s, strlen(s));
}

char *cg_arena_printf(struct cg_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = cg_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void cg_arena_free(struct cg_arena *a)
{
	struct cg_arena_chunk *c = a->head;

	while (c) {
		struct cg_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
}
