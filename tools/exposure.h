/* exposure.h - how exposed a user's cron jobs are under their plan.
 *
 * In the spirit of `systemd-analyze security`: one row per protection the
 * plan can give a job, each with a weight and a coverage from 0 (not
 * applied) to 1 (fully applied), and one score from 0.0 (locked down) to
 * 10.0 (nothing applied).  Reads only the plan (plan.h), so `explain`,
 * `audit` and tests all score the same way.  The weights, the coverage rules
 * and the formula are documented in exposure.c and in cronguard(8). */
#ifndef CG_EXPOSURE_H
#define CG_EXPOSURE_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

enum { CG_EXPOSURE_MAX_ROWS = 24, CG_EXPOSURE_DETAIL = 160 };

struct cg_exposure_row {
	const char *id;         /* stable identifier for JSON: "exec", "network" */
	const char *name;       /* label for people */
	enum cg_key key;        /* the policy key deciding it (origin); CG_KEY_LIMIT for rlimits */
	unsigned weight;        /* 0 for the allow gate, which is not weighed */
	double coverage;        /* 0.0 not applied .. 1.0 fully applied, as planned */
	char detail[CG_EXPOSURE_DETAIL]; /* why this coverage */
};

struct cg_exposure {
	struct cg_exposure_row rows[CG_EXPOSURE_MAX_ROWS];
	size_t n;
	bool enforced;          /* mode = enforce: the rows are what jobs get */
	bool denied;            /* enforce and allow = no: jobs do not run */
	unsigned total_weight;
	double lost_weight;     /* sum of weight * (1 - coverage) */
	double planned;         /* score if the plan were enforced and allowed */
	double score;           /* what applies: 0.0 .. 10.0, one decimal */
	const char *rating;     /* one word: PERFECT SAFE OK MEDIUM EXPOSED UNSAFE
				 * DANGEROUS, or DENIED / UNCONFINED */
};

/* Scores a plan.  Never fails; performs no system call. */
void cg_exposure_compute(const struct cg_plan *p, struct cg_exposure *x);

/* The rating word for a score of an enforced, allowed plan. */
const char *cg_exposure_rating(double score);

/* Is a row's protection applied: "yes" (coverage 1), "partial", "no". */
const char *cg_exposure_status(const struct cg_exposure_row *r);

#endif
