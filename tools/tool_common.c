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

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* Policy paths, passwd fields and file evidence need not be UTF-8: an
 * invalid byte becomes U+FFFD so the output always parses. */
void tool_json_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (s && *s) {
		size_t n = utf8_len(s);

		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else if (*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\u%04x", *s);
		else if (!n)
			fputs("\\ufffd", out);
		else
			fwrite(s, 1, n, out);
		s += n ? n : 1;
	}
	fputc('"', out);
}

bool tool_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}
