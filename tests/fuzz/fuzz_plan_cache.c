/* fuzz_plan_cache.c - libFuzzer target for what is read back from the plan
 * cache (plan_cache.c): the plan, and the Landlock rules prepared for it.
 * The file is root's, but a reader must never trust a length: whatever it
 * accepts must serialize back to the same bytes, and whatever it refuses
 * must leave nothing behind.  Each input is tried as both. */
#include "plan_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_plan p = { 0 };
	struct cg_arena arena = { 0 };
	struct cg_ll_prepared ll;
	size_t len = 0;
	void *again;

	if (cg_plan_deserialize(data, size, &p) == 0) {
		again = cg_plan_serialize(&p, &len);
		/* Accepted bytes are exactly a plan's bytes. */
		if (!again || len != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
	}
	cg_plan_free(&p);
	if (cg_ll_prepared_deserialize(data, size, &arena, &ll) == 0) {
		again = cg_ll_prepared_serialize(&ll, &len);
		if (!again || len != size || memcmp(again, data, size) != 0)
			abort();
		for (size_t i = 0; i < ll.nrules; i++)
			if (ll.rules[i].path[0] != '/' || (ll.rules[i].access & ~ll.handled))
				abort();
		free(again);
	}
	cg_arena_free(&arena);
	return 0;
}
