/* fuzz_plan_cache.c - libFuzzer target for the plan read back from the
 * plan cache (plan_cache.c).  The file is root's, but a reader must never
 * trust a length: whatever it accepts must serialize back to the same
 * bytes, and whatever it refuses must leave nothing behind. */
#include "plan_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_plan p = { 0 };

	if (cg_plan_deserialize(data, size, &p) == 0) {
		size_t len = 0;
		void *again = cg_plan_serialize(&p, &len);

		/* Accepted bytes are exactly a plan's bytes. */
		if (!again || len != size || memcmp(again, data, size) != 0)
			abort();
		free(again);
	}
	cg_plan_free(&p);
	return 0;
}
