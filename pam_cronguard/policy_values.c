/* policy_values.c - parse and validate the value of one policy line.
 *
 * Every value is checked here, at parse time, so a policy that loads is a
 * policy the resolver and the apply step can trust without re-checking. */
#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Splits text into words: blanks separate, and ':' too when colon_sep;
 * "double quotes" keep blanks, with \" and \\ inside.  Words go to *out. */
static int split_words(struct cg_arena *a, const char *text, bool colon_sep,
		       struct cg_strlist *out, char *err, size_t errlen)
{
	size_t len = strlen(text), n = 0;
	const char **v = cg_arena_alloc(a, (len / 2 + 1) * sizeof(*v));
	char *buf = cg_arena_alloc(a, len + 1);
	const char *p = text;

	if (!v || !buf)
		return fail(err, errlen, "out of memory");
	while (*p) {
		while (*p == ' ' || *p == '\t' || (colon_sep && *p == ':'))
			p++;
		if (!*p)
			break;
		char *w = buf;
		bool quoted = false;

		while (*p) {
			if (!quoted && (*p == ' ' || *p == '\t' || (colon_sep && *p == ':')))
				break;
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			if (quoted && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			*buf++ = *p++;
		}
		if (quoted)
			return fail(err, errlen, "unterminated quote");
		*buf++ = '\0';
		v[n++] = w;
	}
	out->v = v;
	out->n = n;
	return 0;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

const char *cg_path_check(const char *path, bool expanded)
{
	const char *p = path;

	if (has_control(path))
		return "control character in path";
	if (strlen(path) >= PATH_MAX)
		return "path too long";
	if (!expanded && p[0] == '~') {
		if (p[1] != '\0' && p[1] != '/')
			return "~ must stand alone or before '/' (~user is not supported)";
		p++;
		if (!*p)
			return NULL;
		/* "~/" would expand to HOME plus a trailing '/'. */
		if (p[1] == '\0')
			return "path not normalized (trailing \"/\")";
	} else if (p[0] != '/') {
		return "not an absolute path";
	}
	if (p[0] == '/' && p[1] == '\0')
		return NULL;
	for (const char *c = p; *c; c++) {
		if (*c == '%') {
			if (expanded)
				continue;
			if (c[1] == 'u' || c[1] == '%') {
				c++;
				continue;
			}
			return "unknown % sequence (only %u and %% are known)";
		}
		if (*c != '/')
			continue;
		if (c[1] == '/')
			return "path not normalized (\"//\")";
		if (c[1] == '\0')
			return "path not normalized (trailing \"/\")";
		if (c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return "path not normalized (\"/./\")";
		if (c[1] == '.' && c[2] == '.' && (c[3] == '/' || c[3] == '\0'))
			return "path not normalized (\"/../\")";
	}
	return NULL;
}

static bool is_none(const struct cg_strlist *w)
{
	return w->n == 1 && strcmp(w->v[0], "none") == 0;
}

static int parse_paths(struct cg_arena *a, const char *text, bool colon_sep,
		       struct cg_value *out, char *err, size_t errlen)
{
	if (split_words(a, text, colon_sep, &out->list, err, errlen))
		return -1;
	if (out->list.n == 0)
		return fail(err, errlen, "empty value (write 'none' for an empty list)");
	if (is_none(&out->list)) {
		out->list.n = 0;
		return 0;
	}
	for (size_t i = 0; i < out->list.n; i++) {
		const char *why = cg_path_check(out->list.v[i], false);

		if (strcmp(out->list.v[i], "none") == 0)
			return fail(err, errlen, "'none' must stand alone");
		if (why)
			return fail(err, errlen, "%s: '%s'", why, out->list.v[i]);
	}
	return 0;
}

static int parse_bool(const char *text, bool *b, char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(text, yes[i]) == 0) {
			*b = true;
			return 0;
		}
		if (strcmp(text, no[i]) == 0) {
			*b = false;
			return 0;
		}
	}
	return fail(err, errlen, "expected yes or no, not '%s'", text);
}

/* Parses a decimal number in [lo, hi]; the whole string must be digits. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!*s || (!isdigit((unsigned char)*s) && *s != '-' && *s != '+'))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int add_port_range(struct cg_arena *a, struct cg_port_list *l,
			  const char *spec, char *err, size_t errlen)
{
	size_t n = 1, len = strlen(spec);

	if (len == 0 || spec[0] == ',' || spec[len - 1] == ',' || strstr(spec, ",,"))
		return fail(err, errlen, "empty port in '%s'", spec);
	for (const char *c = spec; *c; c++)
		n += *c == ',';
	struct cg_port_range *v = cg_arena_alloc(a, (l->n + n) * sizeof(*v));

	if (!v)
		return fail(err, errlen, "out of memory");
	if (l->n)
		memcpy(v, l->v, l->n * sizeof(*v));
	for (const char *tok = spec; tok; ) {
		const char *comma = strchr(tok, ',');
		size_t tlen = comma ? (size_t)(comma - tok) : strlen(tok);
		char buf[16], *dash;
		long lo, hi;

		if (tlen >= sizeof(buf))
			return fail(err, errlen, "bad port '%.*s' (1-65535, or LOW-HIGH)",
				    (int)tlen, tok);
		memcpy(buf, tok, tlen);
		buf[tlen] = '\0';
		dash = strchr(buf, '-');
		if (dash)
			*dash = '\0';
		if (!parse_long(buf, 1, 65535, &lo) ||
		    (dash && !parse_long(dash + 1, 1, 65535, &hi)))
			return fail(err, errlen, "bad port '%.*s' (1-65535, or LOW-HIGH)",
				    (int)tlen, tok);
		if (!dash)
			hi = lo;
		if (hi < lo)
			return fail(err, errlen, "reversed port range '%ld-%ld'", lo, hi);
		v[l->n].lo = (uint16_t)lo;
		v[l->n].hi = (uint16_t)hi;
		l->n++;
		tok = comma ? comma + 1 : NULL;
	}
	l->v = v;
	return 0;
}

static int parse_network(struct cg_arena *a, const char *text, struct cg_value *out,
			 char *err, size_t errlen)
{
	struct cg_strlist w;

	memset(&out->net, 0, sizeof(out->net));
	if (split_words(a, text, false, &w, err, errlen))
		return -1;
	if (w.n == 0)
		return fail(err, errlen, "empty value (write 'none')");
	for (size_t i = 0; i < w.n; i++) {
		const char *t = w.v[i];

		if (strcmp(t, "none") == 0 || strcmp(t, "any") == 0) {
			if (w.n != 1)
				return fail(err, errlen, "'%s' must stand alone", t);
			out->net.any = t[0] == 'a';
		} else if (strncmp(t, "tcp-connect:", 12) == 0) {
			if (add_port_range(a, &out->net.connect, t + 12, err, errlen))
				return -1;
		} else if (strncmp(t, "tcp-bind:", 9) == 0) {
			if (add_port_range(a, &out->net.bind, t + 9, err, errlen))
				return -1;
		} else if (strcmp(t, "udp") == 0) {
			out->net.udp = true;
		} else {
			return fail(err, errlen,
				    "unknown network rule '%s' (none, any, tcp-connect:PORTS, tcp-bind:PORTS, udp)",
				    t);
		}
	}
	return 0;
}

static int parse_caps(struct cg_arena *a, const char *text, struct cg_value *out,
		      char *err, size_t errlen)
{
	struct cg_strlist w;

	out->caps = 0;
	if (split_words(a, text, false, &w, err, errlen))
		return -1;
	if (w.n == 0)
		return fail(err, errlen, "empty value (write 'none')");
	for (size_t i = 0; i < w.n; i++) {
		const char *t = w.v[i];
		int c;

		if (strcmp(t, "none") == 0 || strcmp(t, "all") == 0) {
			if (w.n != 1)
				return fail(err, errlen, "'%s' must stand alone", t);
			if (t[0] == 'a')
				out->caps = cg_cap_last() >= 63 ? UINT64_MAX
					    : (UINT64_C(1) << (cg_cap_last() + 1)) - 1;
			continue;
		}
		c = cg_cap_lookup(t);
		if (c < 0)
			return fail(err, errlen, "unknown capability '%s'", t);
		out->caps |= UINT64_C(1) << c;
	}
	return 0;
}

static int parse_scope(struct cg_arena *a, const char *text, struct cg_value *out,
		       char *err, size_t errlen)
{
	struct cg_strlist w;

	out->i = 0;
	if (split_words(a, text, false, &w, err, errlen))
		return -1;
	if (w.n == 0)
		return fail(err, errlen, "empty value (write 'none')");
	for (size_t i = 0; i < w.n; i++) {
		if (strcmp(w.v[i], "none") == 0) {
			if (w.n != 1)
				return fail(err, errlen, "'none' must stand alone");
			continue;
		} else if (strcmp(w.v[i], "signals") == 0)
			out->i |= CG_SCOPE_SIGNALS;
		else if (strcmp(w.v[i], "abstract-unix") == 0)
			out->i |= CG_SCOPE_ABSTRACT_UNIX;
		else
			return fail(err, errlen,
				    "unknown scope '%s' (none, signals, abstract-unix)", w.v[i]);
	}
	return 0;
}

static bool env_name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

static int parse_env_patterns(struct cg_arena *a, const char *text, struct cg_value *out,
			      char *err, size_t errlen)
{
	if (split_words(a, text, false, &out->list, err, errlen))
		return -1;
	if (out->list.n == 0)
		return fail(err, errlen, "empty value (write 'none')");
	if (is_none(&out->list)) {
		out->list.n = 0;
		return 0;
	}
	for (size_t i = 0; i < out->list.n; i++) {
		const char *t = out->list.v[i];

		/* A quoted "" would be a pattern that matches nothing. */
		if (!*t)
			return fail(err, errlen, "empty environment pattern");
		for (const char *c = t; *c; c++)
			if (*c != '*' && *c != '?' && !env_name_char(*c, c == t))
				return fail(err, errlen,
					    "bad environment pattern '%s' (letters, digits, _, * and ?)",
					    t);
	}
	return 0;
}

static int parse_env_assign(struct cg_arena *a, const char *text, struct cg_value *out,
			    char *err, size_t errlen)
{
	if (split_words(a, text, false, &out->list, err, errlen))
		return -1;
	if (out->list.n == 0)
		return fail(err, errlen, "empty value (write 'none')");
	if (is_none(&out->list)) {
		out->list.n = 0;
		return 0;
	}
	for (size_t i = 0; i < out->list.n; i++) {
		const char *t = out->list.v[i], *eq = strchr(t, '=');

		if (!eq || eq == t)
			return fail(err, errlen, "expected NAME=VALUE, not '%s'", t);
		for (const char *c = t; c < eq; c++)
			if (!env_name_char(*c, c == t))
				return fail(err, errlen, "bad variable name in '%s'", t);
		if (has_control(eq))
			return fail(err, errlen, "control character in the value of '%.*s'",
				    (int)(eq - t), t);
	}
	return 0;
}

/* One limit value: unlimited, or a number with an optional K/M/G/T suffix. */
static bool parse_rlim(const char *s, rlim_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return true;
	}
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': mult = 1ULL << 10; break;
		case 'm': case 'M': mult = 1ULL << 20; break;
		case 'g': case 'G': mult = 1ULL << 30; break;
		case 't': case 'T': mult = 1ULL << 40; break;
		default: return false;
		}
		if (end[1])
			return false;
	}
	if (v > (unsigned long long)(RLIM_INFINITY - 1) / mult)
		return false;
	*out = (rlim_t)(v * mult);
	return true;
}

static int parse_limit(struct cg_arena *a, const char *text, struct cg_value *out,
		       char *err, size_t errlen)
{
	char *copy = cg_arena_strdup(a, text), *colon;

	if (!copy)
		return fail(err, errlen, "out of memory");
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (!parse_rlim(copy, &out->limit.soft) ||
	    (colon && !parse_rlim(colon + 1, &out->limit.hard)))
		return fail(err, errlen,
			    "bad limit '%s' (a number with optional K, M, G or T, or unlimited; SOFT:HARD)",
			    text);
	if (!colon)
		out->limit.hard = out->limit.soft;
	if (out->limit.soft > out->limit.hard)
		return fail(err, errlen, "soft limit above hard limit in '%s'", text);
	out->limit.set = true;
	return 0;
}

static int parse_name(struct cg_arena *a, const char *text, struct cg_value *out,
		      char *err, size_t errlen)
{
	if (strcmp(text, "none") == 0) {
		out->str = NULL;
		return 0;
	}
	if (!*text)
		return fail(err, errlen, "empty value (write 'none')");
	for (const char *c = text; *c; c++) {
		if (*c == '%') {
			if (c[1] != 'u' && c[1] != '%')
				return fail(err, errlen, "unknown %% sequence in '%s'", text);
			c++;
			continue;
		}
		if (!isalnum((unsigned char)*c) && !strchr("_.-/@+", *c))
			return fail(err, errlen, "bad character '%c' in name '%s'", *c, text);
	}
	out->str = cg_arena_strdup(a, text);
	return out->str ? 0 : fail(err, errlen, "out of memory");
}

int cg_value_parse(struct cg_arena *a, enum cg_value_kind kind, const char *text,
		   struct cg_value *out, char *err, size_t errlen)
{
	long l;

	memset(out, 0, sizeof(*out));
	switch (kind) {
	case CG_V_MODE:
		if (strcmp(text, "enforce") == 0)
			out->mode = CG_MODE_ENFORCE;
		else if (strcmp(text, "complain") == 0)
			out->mode = CG_MODE_COMPLAIN;
		else if (strcmp(text, "off") == 0)
			out->mode = CG_MODE_OFF;
		else
			return fail(err, errlen, "expected enforce, complain or off, not '%s'", text);
		return 0;
	case CG_V_BOOL:
		return parse_bool(text, &out->b, err, errlen);
	case CG_V_PATHS:
		return parse_paths(a, text, false, out, err, errlen);
	case CG_V_DIRS:
		return parse_paths(a, text, true, out, err, errlen);
	case CG_V_NETWORK:
		return parse_network(a, text, out, err, errlen);
	case CG_V_CAPS:
		return parse_caps(a, text, out, err, errlen);
	case CG_V_SCOPE:
		return parse_scope(a, text, out, err, errlen);
	case CG_V_ENV_PATTERNS:
		return parse_env_patterns(a, text, out, err, errlen);
	case CG_V_ENV_ASSIGN:
		return parse_env_assign(a, text, out, err, errlen);
	case CG_V_OCTAL: {
		size_t n = strlen(text);

		if (n == 0 || n > 4 || strspn(text, "01234567") != n)
			return fail(err, errlen, "expected an octal umask like 0077, not '%s'", text);
		out->i = (int)strtol(text, NULL, 8);
		if (out->i > 0777)
			return fail(err, errlen, "umask '%s' above 0777", text);
		return 0;
	}
	case CG_V_NICE:
		if (!parse_long(text, -20, 19, &l))
			return fail(err, errlen, "expected a nice value from -20 to 19, not '%s'", text);
		out->i = (int)l;
		return 0;
	case CG_V_LIMIT:
		return parse_limit(a, text, out, err, errlen);
	case CG_V_NAME:
		return parse_name(a, text, out, err, errlen);
	case CG_V_PATH:
		/* One path, quoted like a list's entries (a blank needs quotes). */
		if (split_words(a, text, false, &out->list, err, errlen))
			return -1;
		if (out->list.n > 1)
			return fail(err, errlen, "expected one path, not %zu (quote a path with blanks)",
				    out->list.n);
		if (parse_paths(a, text, false, out, err, errlen))
			return -1;
		out->str = out->list.n ? out->list.v[0] : NULL;
		out->list.n = 0;
		return 0;
	}
	return fail(err, errlen, "internal error: unknown value kind");
}
