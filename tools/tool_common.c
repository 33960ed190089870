/* tool_common.c - see tool_common.h. */
#include "tool_common.h"

#include <errno.h>
#include <string.h>

void tool_print_diags(const struct cg_diags *d, FILE *out)
{
	char line[1024];

	for (size_t i = 0; i < d->n; i++) {
		cg_diag_format(&d->v[i], line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
	if (d->oom)
		fprintf(out, "cronguard: out of memory while recording errors\n");
}

int tool_load_policy(const char *file, struct cg_policy *pol)
{
	struct cg_diags d = { 0 };
	struct cg_load_opts opts = { .require_root_owned = file == NULL, .dropins = true };
	int rc;

	memset(pol, 0, sizeof(*pol));
	rc = cg_policy_load(pol, file ? file : CG_DEFAULT_CONFFILE, &opts, &d);
	tool_print_diags(&d, stderr);
	cg_diags_free(&d);
	if (rc < 0)
		cg_policy_free(pol);
	return rc;
}

int tool_resolve_user(const struct cg_policy *pol, const char *user, struct cg_plan *plan)
{
	struct cg_arena a = { 0 };
	struct cg_identity id;
	struct cg_diags d = { 0 };
	int rc;

	if (cg_identity_lookup(&a, user, &id) < 0) {
		fprintf(stderr, "cronguard: user '%s': %s\n", user,
			errno == ENOENT ? "no such user" : strerror(errno));
		cg_arena_free(&a);
		return -1;
	}
	rc = cg_resolve(pol, &id, plan, &d);
	tool_print_diags(&d, stderr);
	cg_diags_free(&d);
	cg_arena_free(&a);
	if (rc < 0)
		cg_plan_free(plan);
	return rc;
}

void tool_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

bool tool_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}
