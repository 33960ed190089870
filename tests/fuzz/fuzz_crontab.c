/* fuzz_crontab.c - libFuzzer target for the crontab reader, which the
 * module runs as root on files users write (their spool crontabs). */
#include "crontab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cg_crontab_kind kinds[] = { CG_CRONTAB_USER, CG_CRONTAB_SYSTEM };

	for (size_t k = 0; k < 2; k++) {
		struct cg_crontab ct;
		struct cg_diags d = { 0 };
		int rc = cg_crontab_parse(&ct, "fuzz", kinds[k], (const char *)data, size,
					  NULL, NULL, &d);

		/* The verdict and the diagnostics must agree. */
		if ((rc == 0) != ct.loads || (rc != 0 && d.errors == 0))
			abort();
		for (size_t i = 0; i < ct.n; i++) {
			const struct cg_cron_entry *e = &ct.entries[i];

			if (e->kind == CG_CRON_ENV && (!e->name || !e->value))
				abort();
			if (e->kind == CG_CRON_JOB && (!e->command ||
			    (kinds[k] == CG_CRONTAB_SYSTEM && !e->user)))
				abort();
		}
		cg_crontab_free(&ct);
		cg_diags_free(&d);
	}
	return 0;
}
