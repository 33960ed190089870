/* arena.h - one allocation pool per policy or plan.
 *
 * A policy and a plan are built from many small strings and arrays that all
 * die together.  Allocating them from one pool makes freeing a single call,
 * so no error path in the module can leak, and keeps job start cheap. */
#ifndef CG_ARENA_H
#define CG_ARENA_H

#include <stddef.h>

struct cg_arena_chunk;

struct cg_arena {
	struct cg_arena_chunk *head;
};

/* Each returns NULL on allocation failure (errno ENOMEM), never aborts. */
void *cg_arena_alloc(struct cg_arena *a, size_t size);
void *cg_arena_zalloc(struct cg_arena *a, size_t size);
char *cg_arena_strndup(struct cg_arena *a, const char *s, size_t n);
char *cg_arena_strdup(struct cg_arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *cg_arena_printf(struct cg_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cg_arena_free(struct cg_arena *a);

#endif
