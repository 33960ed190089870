/* policy_parse.c - the INI reader of the policy language.
 *
 *   [default] | [group NAME] | [user NAME]
 *   key = value        # comment after a blank
 *   list += value
 *
 * Keeps going after an error so every error of a file is reported. */
#include "policy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static struct cg_section *add_section(struct cg_policy *pol, enum cg_section_kind kind,
				      const char *name, const char *file, unsigned line)
{
	if (pol->n == pol->cap) {
		size_t cap = pol->cap ? pol->cap * 2 : 8;
		struct cg_section *v = cg_arena_alloc(&pol->arena, cap * sizeof(*v));

		if (!v)
			return NULL;
		if (pol->n)
			memcpy(v, pol->sections, pol->n * sizeof(*v));
		pol->sections = v;
		pol->cap = cap;
	}
	struct cg_section *s = &pol->sections[pol->n++];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->name = name;
	s->file = file;
	s->line = line;
	return s;
}

static struct cg_entry *add_entry(struct cg_policy *pol, struct cg_section *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct cg_entry *v = cg_arena_alloc(&pol->arena, cap * sizeof(*v));

		if (!v)
			return NULL;
		if (s->n)
			memcpy(v, s->entries, s->n * sizeof(*v));
		s->entries = v;
		s->cap = cap;
	}
	return &s->entries[s->n++];
}

/* User and group names as shadow-utils accepts them (plus a final $). */
static bool valid_account_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 256 || s[0] == '-' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-')
			continue;
		if (c == '$' && i == n - 1)
			continue;
		return false;
	}
	return true;
}

static void trim(const char **b, const char **e)
{
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* The end of the value: a '#' after a blank, outside double quotes. */
static const char *value_end(const char *b, const char *e)
{
	bool quoted = false;

	for (const char *p = b; p < e; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (quoted && *p == '\\' && p + 1 < e)
			p++;
		else if (!quoted && *p == '#' && (p == b || p[-1] == ' ' || p[-1] == '\t'))
			return p;
	}
	return e;
}

static void parse_header(struct cg_policy *pol, const char *file, unsigned line,
			 const char *b, const char *e, struct cg_section **cur,
			 struct cg_diags *d)
{
	*cur = NULL;    /* keys after a bad header must not land in the previous section */
	if (e[-1] != ']') {
		cg_diag_error(d, file, line, "section header without closing ']'");
		return;
	}
	b++;
	e--;
	trim(&b, &e);
	const char *sp = b;

	while (sp < e && *sp != ' ' && *sp != '\t')
		sp++;
	size_t wlen = (size_t)(sp - b);
	const char *nb = sp, *ne = e;

	trim(&nb, &ne);
	enum cg_section_kind kind;

	if (wlen == 7 && memcmp(b, "default", 7) == 0) {
		if (nb != ne) {
			cg_diag_error(d, file, line, "[default] takes no name");
			return;
		}
		kind = CG_SEC_DEFAULT;
	} else if (wlen == 5 && memcmp(b, "group", 5) == 0) {
		kind = CG_SEC_GROUP;
	} else if (wlen == 4 && memcmp(b, "user", 4) == 0) {
		kind = CG_SEC_USER;
	} else {
		cg_diag_error(d, file, line,
			      "unknown section '[%.*s]' (expected [default], [group NAME] or [user NAME])",
			      (int)(e - b), b);
		return;
	}
	char *name = NULL;

	if (kind != CG_SEC_DEFAULT) {
		if (nb == ne) {
			cg_diag_error(d, file, line, "[%s] needs a name",
				      kind == CG_SEC_GROUP ? "group" : "user");
			return;
		}
		name = cg_arena_strndup(&pol->arena, nb, (size_t)(ne - nb));
		if (!name) {
			cg_diag_error(d, file, line, "out of memory");
			return;
		}
		if (!valid_account_name(name)) {
			cg_diag_error(d, file, line, "invalid %s name '%s'",
				      kind == CG_SEC_GROUP ? "group" : "user", name);
			return;
		}
	}
	*cur = add_section(pol, kind, name, file, line);
	if (!*cur)
		cg_diag_error(d, file, line, "out of memory");
}

static void parse_key_line(struct cg_policy *pol, const char *file, unsigned line,
			   const char *b, const char *e, struct cg_section *cur,
			   struct cg_diags *d)
{
	const char *eq = memchr(b, '=', (size_t)(e - b));
	char err[256], keybuf[64];

	if (!eq) {
		cg_diag_error(d, file, line, "expected 'key = value'");
		return;
	}
	bool append = eq > b && eq[-1] == '+';
	const char *kb = b, *ke = append ? eq - 1 : eq;

	trim(&kb, &ke);
	if (kb == ke) {
		cg_diag_error(d, file, line, "missing key before '='");
		return;
	}
	if ((size_t)(ke - kb) >= sizeof(keybuf)) {
		cg_diag_error(d, file, line, "unknown key '%.*s'", 40, kb);
		return;
	}
	memcpy(keybuf, kb, (size_t)(ke - kb));
	keybuf[ke - kb] = '\0';

	int resource = -1;
	int key = cg_key_lookup(keybuf, &resource);

	if (key < 0) {
		if (strncmp(keybuf, "limit.", 6) == 0)
			cg_diag_error(d, file, line, "unknown resource limit '%s'", keybuf + 6);
		else
			cg_diag_error(d, file, line, "unknown key '%s'", keybuf);
		return;
	}
	if (!cur) {
		cg_diag_error(d, file, line,
			      "key '%s' outside a section (start with [default])", keybuf);
		return;
	}
	const struct cg_key_info *ki = cg_key_info(key);

	if (append && !ki->list) {
		cg_diag_error(d, file, line, "'%s' takes one value; '+=' is for lists", keybuf);
		return;
	}
	for (size_t i = 0; i < cur->n; i++) {
		if (cur->entries[i].key == (enum cg_key)key &&
		    (key != CG_KEY_LIMIT || cur->entries[i].resource == resource)) {
			cg_diag_error(d, file, line, "duplicate key '%s' (first set at line %u)",
				      keybuf, cur->entries[i].line);
			return;
		}
	}
	const char *vb = eq + 1, *ve = value_end(vb, e);

	trim(&vb, &ve);
	char *value = cg_arena_strndup(&pol->arena, vb, (size_t)(ve - vb));
	struct cg_value v;

	if (!value) {
		cg_diag_error(d, file, line, "out of memory");
		return;
	}
	if (!*value && ki->kind != CG_V_PATHS && ki->kind != CG_V_DIRS &&
	    ki->kind != CG_V_ENV_PATTERNS && ki->kind != CG_V_ENV_ASSIGN) {
		cg_diag_error(d, file, line, "'%s' has no value", keybuf);
		return;
	}
	if (cg_value_parse(&pol->arena, ki->kind, value, &v, err, sizeof(err))) {
		cg_diag_error(d, file, line, "%s: %s", keybuf, err);
		return;
	}
	if (append && ki->kind == CG_V_NETWORK && (v.net.any || (!v.net.udp &&
	    !v.net.connect.n && !v.net.bind.n))) {
		cg_diag_error(d, file, line, "network: 'none' and 'any' cannot be appended");
		return;
	}
	struct cg_entry *en = add_entry(pol, cur);

	if (!en) {
		cg_diag_error(d, file, line, "out of memory");
		return;
	}
	en->key = key;
	en->resource = resource;
	en->append = append;
	en->value = v;
	en->file = file;
	en->line = line;
}

/* The first byte below 0x20 other than a tab in [b, e), or NULL.  Every job
 * start reads the whole policy, comments included, so this looks at 8 bytes
 * at a time and only at single bytes in a word that has such a byte (or a
 * tab): "x - 0x20.. & ~x & 0x80.." is non-zero iff a byte of x is < 0x20. */
static const char *find_control(const char *b, const char *e)
{
	const uint64_t lo = 0x2020202020202020ULL, high = 0x8080808080808080ULL;
	const char *c = b;

	while (c < e) {
		const char *stop = e - c >= 8 ? c + 8 : e;

		if (stop == c + 8) {
			uint64_t x;

			memcpy(&x, c, sizeof(x));
			if (!((x - lo) & ~x & high)) {
				c = stop;
				continue;
			}
		}
		for (; c < stop; c++)
			if ((unsigned char)*c < 0x20 && *c != '\t')
				return c;
	}
	return NULL;
}

size_t cg_policy_parse(struct cg_policy *pol, const char *file, const char *text,
		       size_t len, struct cg_diags *d)
{
	size_t before = d->errors;
	struct cg_section *cur = NULL;
	/* Lines under a bad section header are still checked, into a section
	 * that is not part of the policy, so their errors are reported too. */
	struct cg_section scratch = { .kind = CG_SEC_USER };
	const char *p = text, *end = text + len;
	unsigned line = 0;

	file = cg_arena_strdup(&pol->arena, file);
	if (!file) {
		cg_diag_error(d, "(policy)", 0, "out of memory");
		return 1;
	}
	if (memchr(text, '\0', len)) {
		cg_diag_error(d, file, 0, "file contains a NUL byte");
		return d->errors - before;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *b = p, *e = nl ? nl : end;

		line++;
		p = nl ? nl + 1 : end;
		const char *ctl = find_control(b, e);

		if (ctl) {
			if (*ctl == '\r')
				cg_diag_error(d, file, line, "carriage return (DOS line ending)");
			else
				cg_diag_error(d, file, line, "control character 0x%02x",
					      (unsigned char)*ctl);
			continue;
		}
		trim(&b, &e);
		if (b == e || *b == '#' || *b == ';')
			continue;
		if (*b == '[') {
			e = value_end(b, e);
			trim(&b, &e);
			parse_header(pol, file, line, b, e, &cur, d);
			if (!cur) {
				memset(&scratch, 0, sizeof(scratch));
				cur = &scratch;
			}
			continue;
		}
		parse_key_line(pol, file, line, b, e, cur, d);
	}
	return d->errors - before;
}

void cg_policy_free(struct cg_policy *pol)
{
	cg_arena_free(&pol->arena);
	memset(pol, 0, sizeof(*pol));
}
