/* cmd_explain.c - `cronguard explain USER [-f POLICY] [--format text|json]`:
 * what may USER's cron jobs do, where each setting came from, and how
 * exposed that leaves them (exposure.c).
 *
 * The text form prints the plan in the policy's own syntax, one key a line
 * followed by "# FILE:LINE" or "# built-in", so an administrator can paste a
 * line into a drop-in to change it; then the exposure table. */
#include "commands.h"
#include "exposure.h"
#include "tool_common.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard explain USER [-f FILE] [--format text|json]\n\n"
		"Resolves USER's plan from the policy (FILE, default\n"
		"/etc/security/cronguard.conf, and its drop-in directory) and prints every\n"
		"setting with the FILE:LINE it came from (or \"built-in\"), then an exposure\n"
		"table: each protection, whether USER's jobs get it, its weight, and a score\n"
		"from 0.0 (locked down) to 10.0 (nothing applied).\n\n"
		"  -f, --file FILE       policy file to read\n"
		"      --format FORMAT   text (default) or json\n"
		"  -h, --help            this text\n\n"
		"Exit status: 0 explained, 2 usage error, invalid policy or unknown user.\n");
}

/* ---- values as the policy language writes them ------------------------ */

static void origin_text(const struct cg_origin *o, char *buf, size_t size)
{
	if (o->file)
		snprintf(buf, size, "%s:%u", o->file, o->line);
	else
		snprintf(buf, size, "built-in");
}

/* A word as split_words() would read it back: quoted when it holds a blank,
 * a quote, a backslash or a '#'. */
static void put_word(FILE *out, const char *w)
{
	if (*w && !strpbrk(w, " \t\"\\#")) {
		fputs(w, out);
		return;
	}
	fputc('"', out);
	for (; *w; w++) {
		if (*w == '"' || *w == '\\')
			fputc('\\', out);
		fputc(*w, out);
	}
	fputc('"', out);
}

static void put_words(FILE *out, const struct cg_strlist *l)
{
	if (!l->n)
		fputs("none", out);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			fputc(' ', out);
		put_word(out, l->v[i]);
	}
}

static void put_ports(FILE *out, const char *kind, const struct cg_port_list *l)
{
	fprintf(out, "%s:", kind);
	for (size_t i = 0; i < l->n; i++) {
		fprintf(out, "%s%u", i ? "," : "", l->v[i].lo);
		if (l->v[i].hi != l->v[i].lo)
			fprintf(out, "-%u", l->v[i].hi);
	}
}

static void put_network(FILE *out, const struct cg_network *n)
{
	bool sp = false;

	if (n->any) {
		fputs("any", out);
		return;
	}
	if (n->connect.n) {
		put_ports(out, "tcp-connect", &n->connect);
		sp = true;
	}
	if (n->bind.n) {
		fputs(sp ? " " : "", out);
		put_ports(out, "tcp-bind", &n->bind);
		sp = true;
	}
	if (n->udp) {
		fputs(sp ? " udp" : "udp", out);
		sp = true;
	}
	if (!sp)
		fputs("none", out);
}

static uint64_t all_caps(void)
{
	return cg_cap_last() >= 63 ? UINT64_MAX : (UINT64_C(1) << (cg_cap_last() + 1)) - 1;
}

static void put_caps(FILE *out, uint64_t caps)
{
	bool sp = false;

	if (caps == 0) {
		fputs("none", out);
		return;
	}
	if ((caps & all_caps()) == all_caps()) {
		fputs("all", out);
		return;
	}
	for (int c = 0; c <= cg_cap_last(); c++) {
		if (!(caps & (UINT64_C(1) << c)))
			continue;
		fprintf(out, "%s%s", sp ? " " : "", cg_cap_name(c));
		sp = true;
	}
}

static void put_scope(FILE *out, const struct cg_plan *p)
{
	if (!p->scope_signals && !p->scope_abstract_unix)
		fputs("none", out);
	else
		fprintf(out, "%s%s%s", p->scope_signals ? "signals" : "",
			p->scope_signals && p->scope_abstract_unix ? " " : "",
			p->scope_abstract_unix ? "abstract-unix" : "");
}

/* Limits counted in bytes read better with a suffix; counts and seconds
 * (nofile, nproc, cpu, ...) do not. */
static bool bytes_limit(int resource)
{
	switch (resource) {
	case RLIMIT_FSIZE: case RLIMIT_DATA: case RLIMIT_STACK: case RLIMIT_CORE:
	case RLIMIT_RSS: case RLIMIT_MEMLOCK: case RLIMIT_AS: case RLIMIT_MSGQUEUE:
		return true;
	default:
		return false;
	}
}

/* A limit value; byte sizes with the largest exact K/M/G/T suffix the
 * parser accepts. */
static void put_rlim(FILE *out, rlim_t v, bool bytes)
{
	static const char sfx[] = "KMGT";
	int s = -1;

	if (v == RLIM_INFINITY) {
		fputs("unlimited", out);
		return;
	}
	while (bytes && v && s < 3 && v % 1024 == 0) {
		v /= 1024;
		s++;
	}
	fprintf(out, "%" PRIu64, (uint64_t)v);
	if (s >= 0)
		fputc(sfx[s], out);
}

static void put_limit(FILE *out, const struct cg_limit *l, int resource)
{
	put_rlim(out, l->soft, bytes_limit(resource));
	if (l->hard != l->soft) {
		fputc(':', out);
		put_rlim(out, l->hard, bytes_limit(resource));
	}
}

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

/* ---- text -------------------------------------------------------------- */

/* One plan line: "  key = value    # origin", the origins in one column
 * where the values are short enough.  The value is rendered into a memory
 * stream first so its width is known. */
struct text_line {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *text_begin(struct text_line *l)
{
	l->buf = NULL;
	l->len = 0;
	l->f = open_memstream(&l->buf, &l->len);
	return l->f;
}

static int text_end(FILE *out, struct text_line *l, const char *key, const struct cg_origin *o)
{
	char where[512];

	if (fclose(l->f) != 0) {
		free(l->buf);
		return -1;
	}
	origin_text(o, where, sizeof(where));
	fprintf(out, "  %-15s = %-30s    # %s\n", key, l->buf, where);
	free(l->buf);
	return 0;
}

static void text_value(FILE *out, const struct cg_plan *p, enum cg_key k)
{
	switch (k) {
	case CG_KEY_MODE: fputs(cg_mode_name(p->mode), out); break;
	case CG_KEY_ALLOW: fputs(yesno(p->allow), out); break;
	case CG_KEY_STRICT: fputs(yesno(p->strict), out); break;
	case CG_KEY_EXEC:
		if (p->exec_set)
			put_words(out, &p->exec);
		else
			fputs("(not set: execution unconfined)", out);
		break;
	case CG_KEY_INTERPRETERS: put_words(out, &p->interpreters); break;
	case CG_KEY_READ:
		if (p->read_set)
			put_words(out, &p->read);
		else
			fputs("(not set: reading unconfined)", out);
		break;
	case CG_KEY_WRITE:
		if (p->write_set)
			put_words(out, &p->write);
		else
			fputs("(not set: writing unconfined)", out);
		break;
	case CG_KEY_NETWORK: put_network(out, &p->network); break;
	case CG_KEY_CAPABILITIES: put_caps(out, p->capabilities); break;
	case CG_KEY_NO_NEW_PRIVS: fputs(yesno(p->no_new_privs), out); break;
	case CG_KEY_PRIVATE_TMP: fputs(yesno(p->private_tmp), out); break;
	case CG_KEY_PROTECT_SYSTEM: fputs(yesno(p->protect_system), out); break;
	case CG_KEY_SCOPE: put_scope(out, p); break;
	case CG_KEY_ENV_DENY: put_words(out, &p->env_deny); break;
	case CG_KEY_ENV_SET: put_words(out, &p->env_set); break;
	case CG_KEY_PATH: put_words(out, &p->path); break;
	case CG_KEY_UMASK:
		if (p->umask < 0)
			fputs("(not set: cron's umask)", out);
		else
			fprintf(out, "%04o", (unsigned)p->umask);
		break;
	case CG_KEY_NICE:
		if (p->nice_set)
			fprintf(out, "%d", p->nice);
		else
			fputs("(not set: cron's priority)", out);
		break;
	case CG_KEY_APPARMOR: fputs(p->apparmor ? p->apparmor : "none", out); break;
	case CG_KEY_SELINUX: fputs(p->selinux ? p->selinux : "none", out); break;
	case CG_KEY_MANIFEST: fputs(p->manifest ? p->manifest : "none", out); break;
	case CG_KEY_MAIL: fputs(yesno(p->mail), out); break;
	case CG_KEY_LIMIT:
	case CG_KEY_COUNT:
		break;
	}
}

static int text_limits(FILE *out, const struct cg_plan *p)
{
	char name[64];
	bool any_unset = false;
	struct text_line l;

	for (int r = 0; r < RLIMIT_NLIMITS; r++) {
		if (!cg_limit_name(r) || !p->limits[r].set)
			continue;
		snprintf(name, sizeof(name), "limit.%s", cg_limit_name(r));
		if (!text_begin(&l))
			return -1;
		put_limit(l.f, &p->limits[r], r);
		if (text_end(out, &l, name, &p->limit_origin[r]) < 0)
			return -1;
	}
	for (int r = 0; r < RLIMIT_NLIMITS; r++) {
		if (!cg_limit_name(r) || p->limits[r].set)
			continue;
		if (!any_unset)
			fputs("  # not set (cron's limits apply):", out);
		fprintf(out, " limit.%s", cg_limit_name(r));
		any_unset = true;
	}
	if (any_unset)
		fputc('\n', out);
	return 0;
}

static int text_plan(FILE *out, const struct cg_policy *pol, const struct cg_plan *p)
{
	const struct cg_identity *id = &p->id;
	struct text_line l;

	fprintf(out, "User:    %s (uid %u, gid %u), home %s, shell %s\n", id->user,
		(unsigned)id->uid, (unsigned)id->gid, id->home, id->shell);
	fputs("Groups: ", out);
	for (size_t i = 0; i < id->ngroups; i++)
		fprintf(out, " %s", id->groups[i]);
	fputs(id->ngroups ? "\n" : " (none)\n", out);
	fputs("Policy: ", out);
	for (size_t i = 0; i < pol->nfiles; i++)
		fprintf(out, " %s", pol->files[i]);
	fputs("\n\nPlan (setting = value    # where it was set):\n", out);
	for (int k = 0; k < CG_KEY_COUNT; k++) {
		if (k == CG_KEY_LIMIT) {
			if (text_limits(out, p) < 0)
				return -1;
			continue;
		}
		if (!text_begin(&l))
			return -1;
		text_value(l.f, p, k);
		if (text_end(out, &l, cg_key_info(k)->name, &p->origin[k]) < 0)
			return -1;
	}
	return 0;
}

static const struct cg_origin *row_origin(const struct cg_plan *p,
					  const struct cg_exposure_row *r)
{
	static const struct cg_origin builtin = { NULL, 0 };

	if (r->key == CG_KEY_LIMIT) {
		/* the core row names one limit; rlimits name several, no origin */
		if (strcmp(r->id, "core_dumps") == 0)
			return &p->limit_origin[RLIMIT_CORE];
		return &builtin;
	}
	return &p->origin[r->key];
}

/* The weight a row loses in what applies: all of it when nothing is
 * enforced, none of it when the job is denied anyway. */
static double row_lost(const struct cg_exposure *x, const struct cg_exposure_row *r)
{
	if (!x->enforced)
		return r->weight;
	if (x->denied)
		return 0;
	return r->weight * (1.0 - r->coverage);
}

static void text_exposure(FILE *out, const struct cg_plan *p, const struct cg_exposure *x)
{
	const char *mark = x->enforced ? "" : "*";

	fprintf(out, "\nExposure of %s's cron jobs (weight x missing coverage; 0.0 locked down .. 10.0 nothing applied):\n",
		p->id.user);
	fprintf(out, "  %-55s %-8s %6s %5s  %s\n", "PROTECTION", "HAVE", "WEIGHT", "LOST", "DETAIL");
	for (size_t i = 0; i < x->n; i++) {
		const struct cg_exposure_row *r = &x->rows[i];
		char have[16];

		snprintf(have, sizeof(have), "%s%s", x->enforced ? cg_exposure_status(r) : "no", mark);
		if (r->weight == 0)
			fprintf(out, "  %-55s %-8s %6s %5s  %s\n", r->name, have, "gate", "-", r->detail);
		else
			fprintf(out, "  %-55s %-8s %6u %5.1f  %s\n", r->name, have, r->weight,
				row_lost(x, r), r->detail);
	}
	if (!x->enforced) {
		fprintf(out, "\n  * mode = %s: NOTHING IS ENFORCED. Jobs run unconfined; %s.\n",
			cg_mode_name(p->mode),
			p->mode == CG_MODE_OFF ? "the module does nothing"
					       : "what the plan would deny is only logged");
		if (p->allow)
			fprintf(out, "    DETAIL shows the plan; enforcing it would score %.1f %s.\n",
				x->planned, cg_exposure_rating(x->planned));
		else
			fputs("    Enforcing this plan would deny every job (0.0 DENIED).\n", out);
	} else if (x->denied) {
		fputs("\n  allow = no: the module denies every job of this user; nothing runs.\n", out);
	}
	if (x->enforced && !x->denied && !p->strict)
		fputs("\n  strict = no: protections this kernel lacks are dropped with a log line.\n", out);
	fprintf(out, "\n-> Overall exposure level for %s: %.1f %s\n", p->id.user, x->score, x->rating);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_strlist(FILE *out, const struct cg_strlist *l)
{
	fputc('[', out);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			fputs(", ", out);
		tool_json_string(out, l->v[i]);
	}
	fputc(']', out);
}

static void json_origin(FILE *out, const struct cg_origin *o)
{
	char buf[512];

	origin_text(o, buf, sizeof(buf));
	fputs(", \"origin\": ", out);
	tool_json_string(out, buf);
	fputs(", \"origin_file\": ", out);
	if (o->file)
		tool_json_string(out, o->file);
	else
		fputs("null", out);
	fprintf(out, ", \"origin_line\": %u", o->line);
}

static void json_ports(FILE *out, const struct cg_port_list *l)
{
	fputc('[', out);
	for (size_t i = 0; i < l->n; i++)
		fprintf(out, "%s{\"from\": %u, \"to\": %u}", i ? ", " : "", l->v[i].lo, l->v[i].hi);
	fputc(']', out);
}

static void json_rlim(FILE *out, rlim_t v)
{
	if (v == RLIM_INFINITY)
		fputs("\"unlimited\"", out);
	else
		fprintf(out, "%" PRIu64, (uint64_t)v);
}

/* The value of one key as JSON.  Unset exec/read/write lists are null
 * (unconfined), which differs from [] (confined to nothing). */
static void json_value(FILE *out, const struct cg_plan *p, enum cg_key k)
{
	switch (k) {
	case CG_KEY_MODE: tool_json_string(out, cg_mode_name(p->mode)); break;
	case CG_KEY_ALLOW: fputs(p->allow ? "true" : "false", out); break;
	case CG_KEY_STRICT: fputs(p->strict ? "true" : "false", out); break;
	case CG_KEY_EXEC:
		if (p->exec_set)
			json_strlist(out, &p->exec);
		else
			fputs("null", out);
		break;
	case CG_KEY_INTERPRETERS: json_strlist(out, &p->interpreters); break;
	case CG_KEY_READ:
		if (p->read_set)
			json_strlist(out, &p->read);
		else
			fputs("null", out);
		break;
	case CG_KEY_WRITE:
		if (p->write_set)
			json_strlist(out, &p->write);
		else
			fputs("null", out);
		break;
	case CG_KEY_NETWORK:
		fprintf(out, "{\"any\": %s, \"tcp_connect\": ", p->network.any ? "true" : "false");
		json_ports(out, &p->network.connect);
		fputs(", \"tcp_bind\": ", out);
		json_ports(out, &p->network.bind);
		fprintf(out, ", \"udp\": %s}", p->network.udp ? "true" : "false");
		break;
	case CG_KEY_CAPABILITIES: {
		bool first = true;

		fputc('[', out);
		for (int c = 0; c <= cg_cap_last(); c++) {
			if (!(p->capabilities & (UINT64_C(1) << c)))
				continue;
			fputs(first ? "" : ", ", out);
			tool_json_string(out, cg_cap_name(c));
			first = false;
		}
		fputc(']', out);
		break;
	}
	case CG_KEY_NO_NEW_PRIVS: fputs(p->no_new_privs ? "true" : "false", out); break;
	case CG_KEY_PRIVATE_TMP: fputs(p->private_tmp ? "true" : "false", out); break;
	case CG_KEY_PROTECT_SYSTEM: fputs(p->protect_system ? "true" : "false", out); break;
	case CG_KEY_SCOPE:
		fprintf(out, "[%s%s%s]", p->scope_signals ? "\"signals\"" : "",
			p->scope_signals && p->scope_abstract_unix ? ", " : "",
			p->scope_abstract_unix ? "\"abstract-unix\"" : "");
		break;
	case CG_KEY_ENV_DENY: json_strlist(out, &p->env_deny); break;
	case CG_KEY_ENV_SET: json_strlist(out, &p->env_set); break;
	case CG_KEY_PATH: json_strlist(out, &p->path); break;
	case CG_KEY_UMASK:
		if (p->umask < 0)
			fputs("null", out);
		else
			fprintf(out, "\"%04o\"", (unsigned)p->umask);
		break;
	case CG_KEY_NICE:
		if (p->nice_set)
			fprintf(out, "%d", p->nice);
		else
			fputs("null", out);
		break;
	case CG_KEY_APPARMOR:
	case CG_KEY_SELINUX:
	case CG_KEY_MANIFEST: {
		const char *s = k == CG_KEY_APPARMOR ? p->apparmor :
				k == CG_KEY_SELINUX ? p->selinux : p->manifest;

		if (s)
			tool_json_string(out, s);
		else
			fputs("null", out);
		break;
	}
	case CG_KEY_MAIL: fputs(p->mail ? "true" : "false", out); break;
	case CG_KEY_LIMIT:
	case CG_KEY_COUNT:
		fputs("null", out);
		break;
	}
}

static void json_limits(FILE *out, const struct cg_plan *p)
{
	bool first = true;

	fputs("{", out);
	for (int r = 0; r < RLIMIT_NLIMITS; r++) {
		if (!cg_limit_name(r))
			continue;
		fprintf(out, "%s\n      ", first ? "" : ",");
		first = false;
		tool_json_string(out, cg_limit_name(r));
		fputs(": ", out);
		if (!p->limits[r].set) {
			fputs("null", out);
			continue;
		}
		fputs("{\"soft\": ", out);
		json_rlim(out, p->limits[r].soft);
		fputs(", \"hard\": ", out);
		json_rlim(out, p->limits[r].hard);
		json_origin(out, &p->limit_origin[r]);
		fputc('}', out);
	}
	fputs("}", out);
}

static void json_all(FILE *out, const struct cg_policy *pol, const struct cg_plan *p,
		     const struct cg_exposure *x)
{
	const struct cg_identity *id = &p->id;

	fputs("{\n  \"user\": ", out);
	tool_json_string(out, id->user);
	fprintf(out, ",\n  \"uid\": %u,\n  \"gid\": %u,\n  \"home\": ", (unsigned)id->uid,
		(unsigned)id->gid);
	tool_json_string(out, id->home);
	fputs(",\n  \"shell\": ", out);
	tool_json_string(out, id->shell);
	fputs(",\n  \"groups\": [", out);
	for (size_t i = 0; i < id->ngroups; i++) {
		fputs(i ? ", " : "", out);
		tool_json_string(out, id->groups[i]);
	}
	fputs("],\n  \"policy_files\": [", out);
	for (size_t i = 0; i < pol->nfiles; i++) {
		fputs(i ? ", " : "", out);
		tool_json_string(out, pol->files[i]);
	}
	fputs("],\n  \"plan\": {", out);
	for (int k = 0; k < CG_KEY_COUNT; k++) {
		fprintf(out, "%s\n    ", k ? "," : "");
		tool_json_string(out, cg_key_info(k)->name);
		if (k == CG_KEY_LIMIT) {
			fputs(": ", out);
			json_limits(out, p);
			continue;
		}
		fputs(": {\"value\": ", out);
		json_value(out, p, k);
		if (k == CG_KEY_EXEC || k == CG_KEY_READ || k == CG_KEY_WRITE)
			fprintf(out, ", \"confined\": %s",
				(k == CG_KEY_EXEC ? p->exec_set : k == CG_KEY_READ ? p->read_set
				 : p->write_set) ? "true" : "false");
		json_origin(out, &p->origin[k]);
		fputc('}', out);
	}
	fprintf(out, "\n  },\n  \"exposure\": {\n    \"score\": %.1f,\n    \"rating\": ", x->score);
	tool_json_string(out, x->rating);
	fprintf(out, ",\n    \"enforced\": %s,\n    \"denied\": %s,\n    \"planned_score\": %.1f,\n"
		"    \"total_weight\": %u,\n    \"rows\": [",
		x->enforced ? "true" : "false", x->denied ? "true" : "false", x->planned,
		x->total_weight);
	for (size_t i = 0; i < x->n; i++) {
		const struct cg_exposure_row *r = &x->rows[i];

		fprintf(out, "%s\n      {\"id\": ", i ? "," : "");
		tool_json_string(out, r->id);
		fputs(", \"name\": ", out);
		tool_json_string(out, r->name);
		fputs(", \"status\": ", out);
		tool_json_string(out, cg_exposure_status(r));
		fprintf(out, ", \"have\": %s, \"coverage\": %.2f, \"weight\": %u, \"lost\": %.2f, \"detail\": ",
			x->enforced && r->coverage > 0 ? "true" : "false", r->coverage, r->weight,
			row_lost(x, r));
		tool_json_string(out, r->detail);
		json_origin(out, row_origin(p, r));
		fputc('}', out);
	}
	fputs("\n    ]\n  }\n}\n", out);
}

/* ---- command ----------------------------------------------------------- */

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *user = NULL;
	bool json = false;
	struct cg_policy pol;
	struct cg_plan plan;
	struct cg_exposure x;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'F':
			if (strcmp(optarg, "json") == 0) {
				json = true;
			} else if (strcmp(optarg, "text") == 0) {
				json = false;
			} else {
				fprintf(stderr, "cronguard explain: unknown format '%s' (text or json)\n",
					optarg);
				return CG_EXIT_USAGE;
			}
			break;
		case 'h': usage(stdout); return CG_EXIT_OK;
		default: usage(stderr); return CG_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "cronguard explain: which user?\n");
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	user = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "cronguard explain: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	if (tool_load_policy(file, &pol) < 0)
		return CG_EXIT_USAGE;
	if (tool_resolve_user(&pol, user, &plan) < 0) {
		cg_policy_free(&pol);
		return CG_EXIT_USAGE;
	}
	cg_exposure_compute(&plan, &x);
	if (json) {
		json_all(stdout, &pol, &plan, &x);
	} else if (text_plan(stdout, &pol, &plan) < 0) {
		perror("cronguard explain: formatting the plan");
		cg_plan_free(&plan);
		cg_policy_free(&pol);
		return CG_EXIT_USAGE;
	} else {
		text_exposure(stdout, &plan, &x);
	}
	cg_plan_free(&plan);
	cg_policy_free(&pol);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("cronguard explain: writing output");
		return CG_EXIT_USAGE;
	}
	return CG_EXIT_OK;
}
