/* crontab.c - read crontab files exactly as Debian's cron 3.0pl1-162 does.
 *
 * Written from a reading of Debian's entry.c, env.c, misc.c, user.c and
 * do_command.c (not copied).  cron reads a crontab through stdio one
 * character at a time with getc/ungetc/fseek, and several of its quirks come
 * from that: which character ends a token, when a line is re-read, where a
 * NUL byte ends a string.  To agree with cron byte for byte this reader works
 * the same way on an in-memory buffer: rd_getc()/rd_ungetc() stand for
 * get_char()/unget_char(), and each helper below mirrors one of cron's.
 *
 * Per line, cron first tries the line as an environment setting (load_env);
 * if that fails it rewinds and parses a job (load_entry).  Debian rejects
 * the whole file on the first job that fails to parse, on a last line with
 * no newline, and past 10000 lines.
 *
 * Where cronie (Fedora/RHEL; checked against cronie 1.7.2's source) differs
 * it is said in a "cronie:" comment; this reader implements Debian only.
 * The biggest difference: cronie skips a bad line and loads the rest of the
 * file, and only logs a missing final newline (user.c load_user), where
 * Debian ignores the whole file.
 */
#include "crontab.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "safe_file.h"

/* cron.h's limits. */
enum {
	MAX_COMMAND = 1000,     /* get_string buffer for @word, user, command */
	MAX_ENVSTR = 1000,      /* env line buffer (load_env reads 998 bytes) */
	MAX_TEMPSTR = 1000,     /* get_number token buffer */
	MAX_TAB_LINES = 10000,
	RD_EOF = -1,
};

/* The stream: cron's FILE plus its global LineNumber. */
struct rd {
	const unsigned char *p;
	size_t len, pos;
	unsigned line;          /* cron's LineNumber: 1 + newlines read */
};

static inline int rd_getc(struct rd *r)
{
	int ch;

	if (r->pos >= r->len)
		return RD_EOF;
	ch = r->p[r->pos++];
	if (ch == '\n')
		r->line++;
	return ch;
}

static inline void rd_ungetc(struct rd *r, int ch)
{
	if (ch == RD_EOF)       /* ungetc(EOF) pushes nothing back */
		return;
	r->pos--;
	if (ch == '\n')
		r->line--;
}

/* get_list/get_range/get_number return `char`: on this ABI a 0xff byte
 * that ends a token comes back as -1, which cron takes for EOF. */
static inline int as_char(int ch)
{
	return ch == 0xff ? RD_EOF : ch;
}

static inline bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static inline bool c_isspace(int ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static inline bool c_isalnum(int ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* misc.c skip_comments: skips blank lines and lines whose first non-blank
 * character is '#'.  Leading blanks of the next useful line are eaten. */
static void skip_comments(struct rd *r)
{
	int ch;

	while ((ch = rd_getc(r)) != RD_EOF) {
		while (is_blank(ch))
			ch = rd_getc(r);
		if (ch == RD_EOF)
			break;
		if (ch != '\n' && ch != '#')
			break;
		while (ch != '\n' && ch != RD_EOF)
			ch = rd_getc(r);
	}
	rd_ungetc(r, ch);
}

/* misc.c get_string: reads until a terminator; keeps at most size-1 bytes.
 * cron tests strchr(terms, ch), which also matches a NUL byte: a NUL ends
 * every string.  start and kept describe the bytes kept (they are contiguous
 * in the buffer).  Returns the terminator or EOF.  The terminator sets cron
 * uses are fixed, so they are tables here (this loop is the reader's hot
 * path: every command and env line goes through it). */
enum terms { T_NL, T_BLANK, T_BLANK_NL };

static const bool term_tab[3][256] = {
	[T_NL] = { [0] = true, ['\n'] = true },
	[T_BLANK] = { [0] = true, [' '] = true, ['\t'] = true },
	[T_BLANK_NL] = { [0] = true, [' '] = true, ['\t'] = true, ['\n'] = true },
};

static int get_string(struct rd *r, size_t size, enum terms terms, size_t *start, size_t *kept)
{
	const bool *t = term_tab[terms];
	const unsigned char *p = r->p;
	size_t i = r->pos, len = r->len, n;

	*start = i;
	while (i < len && !t[p[i]])
		i++;
	n = i - *start;
	*kept = n < size - 1 ? n : size - 1;
	if (i >= len) {
		r->pos = len;
		return RD_EOF;
	}
	r->pos = i + 1;
	if (p[i] == '\n')
		r->line++;
	return p[i];
}

/* ---- environment lines (env.c load_env) ---- */

enum env_state { NAMEI, NAME, EQ1, EQ2, VALUEI, VALUE, FINI, ERROR };
enum { ENV_ERR = -1, ENV_FALSE = 0, ENV_TRUE = 1 };

/* Returns ENV_TRUE with name/value set (into nbuf/vbuf), ENV_FALSE after
 * rewinding to where it started (not an env line), ENV_ERR at EOF with
 * *partial set when the last line had no newline. */
static int load_env(struct rd *r, char *nbuf, char *vbuf, bool *partial, unsigned *line)
{
	size_t save_pos = r->pos, start, kept;
	unsigned save_line = r->line;
	char env[MAX_ENVSTR];
	enum env_state state = NAMEI;
	char quote = 0;
	char *str = nbuf;
	const char *c;

	skip_comments(r);
	*line = r->line;
	if (get_string(r, MAX_ENVSTR - 1, T_NL, &start, &kept) == RD_EOF) {
		*partial = kept > 0;
		return ENV_ERR;
	}
	memcpy(env, r->p + start, kept);
	env[kept] = '\0';

	nbuf[0] = vbuf[0] = '\0';
	c = env;
	while (state != ERROR && *c) {
		switch (state) {
		case NAMEI:
		case VALUEI:
			if (*c == '\'' || *c == '"') {
				quote = *c++;
				/* cron then reads the byte after the quote even
				 * when it is the string's end, and runs past it
				 * (undefined).  A lone opening quote at the end
				 * of the line is taken as "not an env line". */
				if (!*c) {
					state = ERROR;
					break;
				}
			}
			state++;
			__attribute__((fallthrough));
		case NAME:
		case VALUE:
			if (quote) {
				if (*c == quote) {
					state++;
					c++;
					break;
				}
				if (state == NAME && *c == '=') {
					state = ERROR;
					break;
				}
			} else if (state == NAME) {
				if (c_isspace((unsigned char)*c)) {
					c++;
					state++;
					break;
				}
				if (*c == '=') {
					state++;
					break;
				}
			}
			*str++ = *c++;
			*str = '\0';
			break;
		case EQ1:
			if (*c == '=') {
				state++;
				str = vbuf;
				quote = 0;
			} else if (!c_isspace((unsigned char)*c)) {
				state = ERROR;
			}
			c++;
			break;
		case EQ2:
		case FINI:
			if (c_isspace((unsigned char)*c))
				c++;
			else
				state++;
			break;
		case ERROR:
			break;
		}
	}
	/* Note: "NAME=" (nothing after '=') ends in EQ2 and is NOT an env
	 * line for Debian; it is then parsed as a job and rejects the file.
	 * An empty value must be written NAME="".
	 * cronie: accepts "NAME=" as an empty value. */
	if (state != FINI && !(state == VALUE && !quote)) {
		r->pos = save_pos;
		r->line = save_line;
		return ENV_FALSE;
	}
	size_t vl = strlen(vbuf);

	if (state == VALUE)
		while (vl > 0 && c_isspace((unsigned char)vbuf[vl - 1]))
			vbuf[--vl] = '\0';
	/* strdtb, then one more layer of matching quotes comes off: so
	 * A="'x'" gives x, not 'x'. */
	while (vl > 0 && c_isspace((unsigned char)vbuf[vl - 1]))
		vbuf[--vl] = '\0';
	if (vl >= 2 && (vbuf[0] == '\'' || vbuf[0] == '"') && vbuf[vl - 1] == vbuf[0]) {
		vbuf[vl - 1] = '\0';
		memmove(vbuf, vbuf + 1, vl - 1);
	}
	/* name + '=' + value always fits: both came from the 998-byte line. */
	return ENV_TRUE;
}

/* ---- job lines (entry.c load_entry) ---- */

enum ecode {
	E_NONE, E_MINUTE, E_HOUR, E_DOM, E_MONTH, E_DOW, E_CMD, E_TIMESPEC,
	E_USERNAME, E_CMD_LEN, E_EOF, E_NOMEM,
};

static const char *const ecode_msg[] = {
	[E_NONE] = "no error",
	[E_MINUTE] = "bad minute",
	[E_HOUR] = "bad hour",
	[E_DOM] = "bad day-of-month",
	[E_MONTH] = "bad month",
	[E_DOW] = "bad day-of-week",
	[E_CMD] = "bad command",
	[E_TIMESPEC] = "bad time specifier",
	[E_USERNAME] = "bad username",
	[E_CMD_LEN] = "command too long",
	[E_EOF] = "unexpected end of file",
	[E_NOMEM] = "out of memory",
};

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", NULL,
};
static const char *const dow_names[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", NULL,
};

struct pctx {
	struct rd r;
	struct cg_crontab *ct;
	struct cg_diags *d;
	cg_user_exists_fn user_exists;
	void *uctx;
	unsigned entry_line;
	const char *field;      /* for warnings */
	bool junk_warned;
};

static void warn(struct pctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct pctx *x, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (!x->d)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cg_diag_warn(x->d, x->ct->file, x->entry_line, "%s", msg);
}

/* get_number: an alphanumeric token; a name from the list (any case) or all
 * digits (atoi: strtol cut to int, so huge numbers wrap).  Returns the
 * character after it, or EOF. */
static int get_number(struct pctx *x, int *num, int low, const char *const *names, int ch)
{
	char tok[MAX_TEMPSTR];
	size_t len = 0;
	bool digits = true;

	while (c_isalnum(ch)) {
		if (++len >= MAX_TEMPSTR)
			return RD_EOF;
		tok[len - 1] = (char)ch;
		if (ch < '0' || ch > '9')
			digits = false;
		ch = rd_getc(&x->r);
	}
	tok[len] = '\0';
	if (len == 0)
		return RD_EOF;
	/* Names are letters only: a number never matches one. */
	if (names && !digits)
		for (int i = 0; names[i]; i++)
			if (!strcasecmp(names[i], tok)) {
				*num = i + low;
				return as_char(ch);
			}
	if (!digits)
		return RD_EOF;
	/* glibc atoi == (int)strtol(s, NULL, 10): saturates at LONG_MAX,
	 * then the conversion to int keeps the low 32 bits. */
	unsigned long long v = 0;

	for (size_t i = 0; i < len; i++) {
		if (v > (unsigned long long)(9223372036854775807LL - 9) / 10) {
			v = 9223372036854775807ULL;
			break;
		}
		v = v * 10 + (unsigned)(tok[i] - '0');
	}
	if (v > 9223372036854775807ULL)
		v = 9223372036854775807ULL;
	*num = (int)(unsigned)(uint32_t)v;
	return as_char(ch);
}

static int set_element(uint64_t *bits, int low, int high, int n)
{
	if (n < low || n > high)
		return RD_EOF;
	*bits |= (uint64_t)1 << (n - low);
	return 0;
}

/* get_range: "*", "N", "N-M", each of the latter two with "/STEP" except a
 * lone number ("5/10" is an error). */
static int get_range(struct pctx *x, uint64_t *bits, int low, int high,
		     const char *const *names, int ch)
{
	int n1, n2, n3;
	bool star = false, range = false;

	if (ch == '*') {
		star = true;
		n1 = low;
		n2 = high;
		ch = rd_getc(&x->r);
		if (ch == RD_EOF)
			return RD_EOF;
	} else {
		ch = get_number(x, &n1, low, names, ch);
		if (ch == RD_EOF)
			return RD_EOF;
		if (ch != '-') {
			if (ch == '/')
				return RD_EOF;
			if (set_element(bits, low, high, n1) == RD_EOF)
				return RD_EOF;
			return ch;
		}
		range = true;
		ch = rd_getc(&x->r);
		if (ch == RD_EOF)
			return RD_EOF;
		ch = get_number(x, &n2, low, names, ch);
		if (ch == RD_EOF)
			return RD_EOF;
	}
	if (ch == '/') {
		ch = rd_getc(&x->r);
		if (ch == RD_EOF)
			return RD_EOF;
		ch = get_number(x, &n3, 0, NULL, ch);
		if (ch == RD_EOF || n3 <= 0)
			return RD_EOF;
	} else {
		n3 = 1;
	}
	if (n1 < low || n1 > high || n2 < low || n2 > high)
		return RD_EOF;
	/* cronie too accepts a reversed range and selects nothing (1.7.2
	 * entry.c); it only warns about a step larger than the span. */
	if (range && n1 > n2)
		warn(x, "%s: range %d-%d is reversed: cron accepts it but it selects nothing",
		     x->field, n1, n2);
	else if (n3 > 1 && n3 > n2 - n1)
		warn(x, "%s: step /%d is larger than the span %s%d-%d: only %d is selected",
		     x->field, n3, star ? "(*) " : "", n1, n2, n1);
	for (int i = n1; i <= n2; i += n3)
		if (set_element(bits, low, high, i) == RD_EOF)
			return RD_EOF;
	return ch;
}

/* get_list: ranges separated by ','.  Whatever follows the list up to the
 * next blank is skipped without a word ("5;rm * * * *" is minute 5). */
/* cronie: text after a list other than a blank is an error (the line is
 * skipped); cronie also has "N~M" random ranges, an error for Debian. */
static int get_list(struct pctx *x, uint64_t *bits, int low, int high,
		    const char *const *names, int ch)
{
	size_t junk_from;

	*bits = 0;
	for (;;) {
		ch = as_char(get_range(x, bits, low, high, names, ch));
		if (ch != ',')
			break;
		ch = rd_getc(&x->r);
	}
	junk_from = x->r.pos;
	while (ch != ' ' && ch != '\t' && ch != '\n' && ch != RD_EOF)
		ch = rd_getc(&x->r);
	if (x->r.pos > junk_from && ch != RD_EOF && !x->junk_warned) {
		/* pos-1 is the blank that ended the skip; junk starts one
		 * before junk_from (the character get_range stopped on). */
		size_t from = junk_from - 1, n = x->r.pos - 1 - from;

		warn(x, "%s: cron silently ignores \"%.*s\" after the list", x->field,
		     (int)(n > 40 ? 40 : n), (const char *)x->r.p + from);
		x->junk_warned = true;
	}
	while (is_blank(ch))
		ch = rd_getc(&x->r);
	return as_char(ch);
}

static bool grow_entries(struct cg_crontab *ct)
{
	size_t cap = ct->cap ? ct->cap * 2 : 32;
	struct cg_cron_entry *v = cg_arena_alloc(&ct->arena, cap * sizeof(*v));

	if (!v)
		return false;
	if (ct->n)
		memcpy(v, ct->entries, ct->n * sizeof(*v));
	ct->entries = v;
	ct->cap = cap;
	return true;
}

static struct cg_cron_entry *new_entry(struct cg_crontab *ct)
{
	struct cg_cron_entry *e;

	if (ct->n == ct->cap && !grow_entries(ct))
		return NULL;
	e = &ct->entries[ct->n];
	memset(e, 0, sizeof(*e));
	return e;
}

/* do_command.c: the command is the text before the first unescaped '%'
 * ("\%" -> "%", "\\" -> "\", other backslashes kept); the rest is written
 * to the job's stdin with "%" -> newline, "\%" -> "%", and a final newline
 * added when the last byte written was not one. */
static int split_command(struct cg_crontab *ct, struct cg_cron_entry *e, const char *raw, size_t n,
			 bool *bare_pct)
{
	char *cmd = cg_arena_alloc(&ct->arena, n + 1);
	size_t i, o = 0;
	bool esc = false;

	if (!cmd)
		return -1;
	*bare_pct = false;
	for (i = 0; i < n; i++) {
		char ch = raw[i];

		if (esc) {
			if (ch == '%' || ch == '\\')
				cmd[o - 1] = ch;
			else
				cmd[o++] = ch;
			esc = false;
			continue;
		}
		cmd[o++] = ch;
		if (ch == '\\') {
			esc = true;
			continue;
		}
		if (ch == '%') {
			o--;
			*bare_pct = true;
			break;
		}
	}
	cmd[o] = '\0';
	e->command = cmd;
	e->input = NULL;
	if (i >= n)
		return 0;
	i++;                    /* past the '%' */
	/* At most 2 output bytes per input byte plus the final newline. */
	char *in = cg_arena_alloc(&ct->arena, 2 * (n - i) + 2);
	bool need_nl = false;

	if (!in)
		return -1;
	o = 0;
	esc = false;
	for (; i < n; i++) {
		char ch = raw[i];

		if (esc) {
			if (ch != '%')
				in[o++] = '\\';
		} else if (ch == '%') {
			ch = '\n';
		}
		esc = ch == '\\';
		if (!esc) {
			in[o++] = ch;
			need_nl = ch != '\n';
		}
	}
	if (esc)
		in[o++] = '\\';
	if (need_nl)
		in[o++] = '\n';
	in[o] = '\0';
	e->input = in;          /* "" when nothing follows the '%' */
	return 0;
}

static bool user_ok(struct pctx *x, const char *name)
{
	/* getpwnam never finds an empty name or one holding a newline (the
	 * user field runs on across lines until a blank). */
	if (!*name || strchr(name, '\n'))
		return false;
	return !x->user_exists || x->user_exists(x->uctx, name);
}

/* Returns E_NONE with a new entry, E_EOF at end of file (nothing read), or
 * the error; on error the rest of the line is skipped, as cron does. */
static enum ecode load_entry(struct pctx *x)
{
	struct rd *r = &x->r;
	struct cg_cron_entry *e;
	struct cg_cron_schedule w;
	enum ecode ec = E_NONE;
	size_t start, kept;
	const char *user = NULL;
	int ch;

	skip_comments(r);
	x->entry_line = r->line;
	x->junk_warned = false;
	ch = rd_getc(r);
	if (ch == RD_EOF)
		return E_EOF;
	memset(&w, 0, sizeof(w));
	if (ch == '@') {
		char word[16];
		size_t wl;

		ch = get_string(r, MAX_COMMAND, T_BLANK_NL, &start, &kept);
		wl = kept < sizeof(word) - 1 ? kept : sizeof(word) - 1;
		memcpy(word, r->p + start, wl);
		word[wl] = '\0';
		if (kept >= sizeof(word) - 1)
			word[0] = '\0';         /* too long to be a keyword */
		/* Matched exactly (case matters), as cron's strcmp. */
		if (!strcmp(word, "reboot")) {
			w.reboot = true;
		} else if (!strcmp(word, "yearly") || !strcmp(word, "annually")) {
			w.minute = 1;
			w.hour = 1;
			w.dom = 1u << 1;
			w.month = 1u << 1;
			w.dow = 0x7f;
			w.dow_star = true;
		} else if (!strcmp(word, "monthly")) {
			w.minute = 1;
			w.hour = 1;
			w.dom = 1u << 1;
			w.month = 0x1ffe;
			w.dow = 0x7f;
			w.dow_star = true;
		} else if (!strcmp(word, "weekly")) {
			w.minute = 1;
			w.hour = 1;
			w.dom = 0xfffffffeu;
			w.dom_star = true;
			w.month = 0x1ffe;
			w.dow = 1;
		} else if (!strcmp(word, "daily") || !strcmp(word, "midnight")) {
			/* cron sets every dom and dow bit but neither STAR flag:
			 * harmless, OR of all days is every day. */
			w.minute = 1;
			w.hour = 1;
			w.dom = 0xfffffffeu;
			w.month = 0x1ffe;
			w.dow = 0x7f;
		} else if (!strcmp(word, "hourly")) {
			w.minute = 1;
			w.hour = 0xffffff;
			w.dom = 0xfffffffeu;
			w.month = 0x1ffe;
			w.dow = 0x7f;
		} else {
			ec = E_TIMESPEC;
			goto err;
		}
		w.special = cg_arena_strndup(&x->ct->arena, (const char *)r->p + start - 1, kept + 1);
		if (!w.special) {
			ec = E_NOMEM;
			goto err;
		}
	} else {
		uint64_t b;

		x->field = "minute";
		ch = get_list(x, &b, 0, 59, NULL, ch);
		if (ch == RD_EOF) {
			ec = E_MINUTE;
			goto err;
		}
		w.minute = b;
		x->field = "hour";
		ch = get_list(x, &b, 0, 23, NULL, ch);
		if (ch == RD_EOF) {
			ec = E_HOUR;
			goto err;
		}
		w.hour = (uint32_t)b;
		x->field = "day-of-month";
		w.dom_star = ch == '*';
		ch = get_list(x, &b, 1, 31, NULL, ch);
		if (ch == RD_EOF) {
			ec = E_DOM;
			goto err;
		}
		w.dom = (uint32_t)(b << 1);
		x->field = "month";
		ch = get_list(x, &b, 1, 12, month_names, ch);
		if (ch == RD_EOF) {
			ec = E_MONTH;
			goto err;
		}
		w.month = (uint16_t)(b << 1);
		x->field = "day-of-week";
		w.dow_star = ch == '*';
		ch = get_list(x, &b, 0, 7, dow_names, ch);
		if (ch == RD_EOF) {
			ec = E_DOW;
			goto err;
		}
		w.dow = (uint8_t)((b & 0x7f) | (b >> 7));       /* 7 is Sunday */
		if (!w.minute || !w.hour || !w.dom || !w.month || !w.dow)
			warn(x, "this job never runs: a field selects nothing");
		else if (!w.dom_star && !w.dow_star)
			/* cron runs it when EITHER day field matches. */
			warn(x, "day-of-month and day-of-week are both restricted: the job runs on "
			     "days matching either one, not both");
	}
	while (is_blank(ch))
		ch = rd_getc(r);
	rd_ungetc(r, ch);

	if (x->ct->kind == CG_CRONTAB_SYSTEM) {
		ch = get_string(r, MAX_COMMAND, T_BLANK, &start, &kept);
		if (ch == RD_EOF) {
			ec = E_CMD;
			goto err;
		}
		user = cg_arena_strndup(&x->ct->arena, (const char *)r->p + start, kept);
		if (!user) {
			ec = E_NOMEM;
			goto err;
		}
		if (!user_ok(x, user)) {
			ec = E_USERNAME;
			goto err;
		}
	} else if (ch == '*') {
		/* A sixth field that starts with '*' in a user crontab:
		 * cron refuses it (likely a system-crontab line). */
		ec = E_CMD;
		goto err;
	}

	/* The command: the rest of the line, at most 998 bytes. */
	ch = get_string(r, MAX_COMMAND, T_NL, &start, &kept);
	if (kept == MAX_COMMAND - 1) {
		ec = E_CMD_LEN;
		goto err;
	}
	if (ch == RD_EOF) {
		ec = E_CMD;
		goto err;
	}
	e = new_entry(x->ct);
	if (!e)
		return E_NOMEM;
	e->kind = CG_CRON_JOB;
	e->line = x->entry_line;
	e->when = w;
	e->user = user;
	e->raw = cg_arena_strndup(&x->ct->arena, (const char *)r->p + start, kept);
	if (!e->raw)
		return E_NOMEM;
	bool bare = false;

	if (split_command(x->ct, e, e->raw, kept, &bare) < 0)
		return E_NOMEM;
	x->ct->n++;
	if (bare)
		warn(x, "unescaped %% ends the command: the rest goes to its stdin "
		     "(write \\%% for a literal %%)");
	if (!e->command[strspn(e->command, " \t")])
		warn(x, "empty command");
	if (ch == 0)
		warn(x, "NUL byte: cron ends the command there and reads the rest as a new line");
	return E_NONE;

err:
	/* cron skips to the end of the line (and then gives up on the file).
	 * Its loop stops at a token error that came back as EOF; to go on
	 * reading for more diagnostics, skip the rest of the line unless the
	 * newline was already read. */
	(void)ch;
	if (r->pos > 0 && r->p[r->pos - 1] == '\n')
		return ec;
	while ((ch = rd_getc(r)) != RD_EOF && ch != '\n')
		;
	return ec;
}

static int add_env(struct pctx *x, unsigned line, const char *name, const char *value)
{
	struct cg_cron_entry *e = new_entry(x->ct);

	if (!e)
		return -1;
	e->kind = CG_CRON_ENV;
	e->line = line;
	e->name = cg_arena_strdup(&x->ct->arena, name);
	e->value = cg_arena_strdup(&x->ct->arena, value);
	if (!e->name || !e->value)
		return -1;
	x->ct->n++;
	if (!*name && x->d) {
		x->entry_line = line;
		warn(x, "environment line with an empty name");
	}
	return 0;
}

static void reject(struct pctx *x, unsigned line, const char *what)
{
	if (x->ct->loads && x->d)
		cg_diag_error(x->d, x->ct->file, line, "%s", what);
	x->ct->loads = false;
}

/* user.c load_user, without the stop at the first error: later lines are
 * still read so that lint can report them, but only the first error
 * decides (cron has already given up on the file). */
static int parse_into(struct cg_crontab *ct, const char *text, size_t len,
		      cg_user_exists_fn user_exists, void *uctx, struct cg_diags *d)
{
	struct pctx x = {
		.r = { .p = (const unsigned char *)text, .len = len, .line = 1 },
		.ct = ct, .d = d, .user_exists = user_exists, .uctx = uctx,
	};
	char name[MAX_ENVSTR], value[MAX_ENVSTR];
	bool partial = false;
	unsigned errors = 0;

	ct->loads = true;
	for (;;) {
		size_t before = x.r.pos;
		unsigned eline = 0;
		int st = load_env(&x.r, name, value, &partial, &eline);

		if (st == ENV_ERR) {
			if (partial)
				reject(&x, x.r.line, "missing newline before end of file: "
				       "cron ignores the whole file");
			break;
		}
		if (st == ENV_TRUE) {
			if (add_env(&x, eline, name, value) < 0)
				goto nomem;
		} else {
			enum ecode ec = load_entry(&x);

			if (ec == E_NOMEM)
				goto nomem;
			if (ec != E_NONE) {
				char msg[160];

				snprintf(msg, sizeof(msg), "%s: cron ignores the whole file",
					 ecode_msg[ec]);
				if (!ct->loads && d && errors < 50)
					cg_diag_error(d, ct->file, x.entry_line, "%s", msg);
				else
					reject(&x, x.entry_line, msg);
				errors++;
			}
			if (ec == E_EOF || (ec != E_NONE && x.r.pos == before))
				break;
		}
		/* LineNumber counts from 1; Debian stops at 10000 lines plus
		 * the 3 header lines crontab(1) writes (user.c). */
		if (x.r.line >= MAX_TAB_LINES + 3 + 2) {
			reject(&x, x.r.line, "crontab longer than 10000 lines: "
			       "cron ignores the whole file");
			break;
		}
	}
	return ct->loads ? 0 : -1;
nomem:
	if (d)
		cg_diag_error(d, ct->file, x.r.line, "out of memory");
	ct->loads = false;
	errno = ENOMEM;
	return -1;
}

int cg_crontab_parse(struct cg_crontab *out, const char *file, enum cg_crontab_kind kind,
		     const char *text, size_t len, cg_user_exists_fn user_exists,
		     void *ctx, struct cg_diags *d)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->file = cg_arena_strdup(&out->arena, file ? file : "(crontab)");
	if (!out->file) {
		out->loads = false;
		errno = ENOMEM;
		return -1;
	}
	return parse_into(out, text, len, user_exists, ctx, d);
}

int cg_crontab_read(struct cg_crontab *out, const char *path, enum cg_crontab_kind kind,
		    cg_user_exists_fn user_exists, void *ctx, struct cg_diags *d)
{
	char *text;
	size_t len;
	struct stat st;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->file = cg_arena_strdup(&out->arena, path);
	if (!out->file) {
		errno = ENOMEM;
		return -2;
	}
	if (cg_read_file_at(&out->arena, AT_FDCWD, path, false, &text, &len, &st) < 0)
		return -2;
	out->st = st;
	return parse_into(out, text, len, user_exists, ctx, d);
}

void cg_crontab_free(struct cg_crontab *ct)
{
	cg_arena_free(&ct->arena);
	ct->entries = NULL;
	ct->n = ct->cap = 0;
}

/* Which file names in /etc/cron.d each cron reads (crontab.h). */
bool cg_cron_d_name_ok(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

/* cronie 1.7 database.c not_a_crontab(): what cronie skips in cron.d. */
bool cg_cronie_name_ok(const char *name)
{
	size_t l = strlen(name);

	if (!l || name[0] == '.' || name[0] == '#' || name[l - 1] == '~')
		return false;
	if ((l > 8 && (!strcmp(name + l - 8, ".rpmsave") || !strcmp(name + l - 8, ".rpmorig"))) ||
	    (l > 7 && !strcmp(name + l - 7, ".rpmnew")))
		return false;
	return true;
}
