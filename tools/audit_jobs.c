/* audit_jobs.c - what the jobs run: every crontab cron would read
 * (/etc/crontab, /etc/cron.d, the spool), parsed by the module's own reader,
 * then each job's command split into simple commands the way a shell would
 * (roughly: quotes, separators, wrappers like nice/timeout/env/flock), and
 * every program, script, sourced file, directory and PATH entry it touches
 * checked for who else can write it.
 *
 * The shell reading is a heuristic, not a shell: it never under-reports a
 * plain "/path/prog args" job, and it says nothing about what it cannot
 * follow (variables, functions, here-documents). */
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "safe_file.h"

enum { MAX_WORDS = 64, MAX_DEPTH = 2 };

struct word {
	char *s;
	bool glob;              /* an unquoted * ? or [ */
};

struct simple {
	struct word w[MAX_WORDS];
	size_t n;
	bool after_pipe;
};

/* The context one job is checked in. */
struct jobctx {
	struct audit *a;
	const char *file;
	unsigned line;
	const char *user;
	uid_t uid;
	bool root;
	const char *path;       /* the job's PATH */
	const char *home;
	const char *cwd;
	const struct cg_plan *plan;
	bool system_file;
};

/* ---- a small shell word splitter ---- */

static bool is_sep(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '\n';
}

/* Skips a $( ... ) or ` ... ` starting at s[i]; returns the index after it. */
static size_t skip_subst(const char *s, size_t i)
{
	if (s[i] == '`') {
		for (i++; s[i] && s[i] != '`'; i++)
			if (s[i] == '\\' && s[i + 1])
				i++;
		return s[i] ? i + 1 : i;
	}
	int depth = 0;

	for (; s[i]; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
	}
	return i;
}

/* Calls fn for each simple command of s.  Words are unquoted copies. */
static void split_commands(struct audit *a, const char *s,
			   void (*fn)(struct jobctx *, struct simple *, int), struct jobctx *x, int depth)
{
	struct simple sc = { .n = 0 };
	size_t i = 0, len = strlen(s);
	char *buf = cg_arena_alloc(&a->arena, 2 * len + 2);
	size_t o = 0;

	if (!buf)
		return;
	while (i <= len) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (!s[i] || is_sep(s[i])) {
			if (sc.n)
				fn(x, &sc, depth);
			bool pipe = s[i] == '|' && s[i + 1] != '|';

			memset(&sc, 0, sizeof(sc));
			sc.after_pipe = pipe;
			if (!s[i])
				break;
			i += (s[i + 1] == s[i] && (s[i] == '&' || s[i] == '|')) ? 2 : 1;
			continue;
		}
		/* Redirections: skip the operator and its target word. */
		bool redir = false;
		size_t j = i;

		while (s[j] >= '0' && s[j] <= '9')
			j++;
		if (s[j] == '<' || s[j] == '>') {
			redir = true;
			i = j + 1;
			if (s[i] == '>' || s[i] == '&' || s[i] == '<')
				i++;
			while (s[i] == ' ' || s[i] == '\t')
				i++;
		}
		/* One word. */
		char *w = buf + o;
		bool glob = false;

		while (s[i] && s[i] != ' ' && s[i] != '\t' && !is_sep(s[i]) &&
		       !(s[i] == '<' || s[i] == '>')) {
			char c = s[i];

			if (c == '\'') {
				for (i++; s[i] && s[i] != '\''; i++)
					buf[o++] = s[i];
				if (s[i])
					i++;
			} else if (c == '"') {
				for (i++; s[i] && s[i] != '"'; i++) {
					if (s[i] == '\\' && s[i + 1])
						i++;
					buf[o++] = s[i];
				}
				if (s[i])
					i++;
			} else if (c == '\\' && s[i + 1]) {
				buf[o++] = s[i + 1];
				i += 2;
			} else if ((c == '$' && s[i + 1] == '(') || c == '`') {
				size_t e = skip_subst(s, i);

				memcpy(buf + o, s + i, e - i);
				o += e - i;
				i = e;
			} else {
				if (c == '*' || c == '?' || c == '[')
					glob = true;
				buf[o++] = c;
				i++;
			}
		}
		buf[o++] = '\0';
		if (!redir && sc.n < MAX_WORDS && *w) {
			sc.w[sc.n].s = w;
			sc.w[sc.n].glob = glob;
			sc.n++;
		}
		if (redir && !*w && s[i])
			i++;    /* "2>&1" leaves nothing to read as a word */
	}
}

/* ---- helpers ---- */

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static bool name_in(const char *n, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(n, *list))
			return true;
	return false;
}

static bool is_interp(const char *b, bool *shell)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", NULL };
	static const char *const pre[] = { "python", "perl", "php", "ruby", "node", "nodejs", "lua",
					   "tclsh", "Rscript", NULL };

	*shell = name_in(b, shells);
	if (*shell)
		return true;
	for (const char *const *p = pre; *p; p++) {
		size_t l = strlen(*p);

		if (!strncmp(b, *p, l) && strspn(b + l, "0123456789.") == strlen(b + l))
			return true;
	}
	return false;
}

static const char *join(struct audit *a, const char *dir, const char *name)
{
	size_t l = strlen(dir);

	return audit_printf(a, "%s%s%s", dir, l && dir[l - 1] == '/' ? "" : "/", name);
}

/* Is path inside some user's home directory?  Returns that home. */
static const char *home_of_path(struct jobctx *x, const char *path)
{
	struct audit *a = x->a;

	if (cg_path_under(path, "/home"))
		return "/home";
	if (cg_path_under(path, "/root"))
		return "/root";
	if (x->home && *x->home && strcmp(x->home, "/") && cg_path_under(path, x->home) &&
	    !cg_path_under(x->home, "/var") && !cg_path_under(x->home, "/usr") && !cg_path_under(x->home, "/nonexistent"))
		return x->home;
	(void)a;
	return NULL;
}

/* ---- checks on one program or script ---- */

static void add_sev(struct audit *a, enum audit_sev sev)
{
	a->f[a->nf - 1].sev = sev;
}

static void check_program(struct jobctx *x, const char *path, const char *what)
{
	struct audit *a = x->a;
	const char *why = audit_writable_by_others(a, path, x->root ? 0 : x->uid);

	if (why) {
		audit_add(a, AUD_PROG_WRITABLE, x->file, x->line,
			  audit_printf(a, "make %s and every directory above it owned by root (or %s) and "
				       "not writable by group or others", path, x->user),
			  "job of %s runs %s %s: %s", x->user, what, path, why);
		if (!x->root)
			add_sev(a, SEV_HIGH);
	}
	const char *home = home_of_path(x, path);

	if (home)
		audit_add(a, AUD_HOME_PROG, x->file, x->line,
			  audit_printf(a, "move %s to a root-owned directory such as /usr/local/sbin if the "
				       "job is legitimate", path),
			  "job of %s runs %s %s from a home directory (%s)", x->user, what, path, home);
	if (x->plan && x->plan->exec_set && !cg_strlist_find_prefix(&x->plan->exec, path))
		audit_add(a, AUD_EXEC_DIRS, x->file, x->line,
			  audit_printf(a, "move %s into one of %s's exec directories, or add its "
				       "directory to exec= in the policy", path, x->user),
			  "job of %s runs %s %s, outside the exec directories of its plan", x->user, what, path);
}

/* Resolves a bare name through the job's PATH (as the shell would). */
static const char *resolve(struct jobctx *x, const char *name)
{
	const char *p = x->path;

	while (p) {
		const char *colon = strchr(p, ':');
		size_t l = colon ? (size_t)(colon - p) : strlen(p);

		if (l && p[0] == '/') {
			char *dir = audit_printf(x->a, "%.*s", (int)l, p);
			const char *cand = join(x->a, dir, name);
			const struct stat *st = audit_lstat(x->a, cand);

			if (st && !S_ISDIR(st->st_mode))
				return cand;
		}
		p = colon ? colon + 1 : NULL;
	}
	return NULL;
}

static const char *abs_path(struct jobctx *x, const char *w)
{
	if (w[0] == '/')
		return w;
	if (w[0] == '~' && w[1] == '/')
		return join(x->a, x->home ? x->home : "/", w + 2);
	return join(x->a, x->cwd ? x->cwd : "/", w);
}

static void check_command_word(struct jobctx *x, const char *w, const char *what)
{
	struct audit *a = x->a;

	if (strchr(w, '$') || strchr(w, '`'))
		return;         /* computed: cannot follow */
	if (w[0] == '/') {
		check_program(x, w, what);
		return;
	}
	if (strchr(w, '/')) {
		const char *p = abs_path(x, w);

		audit_add(a, AUD_PATH, x->file, x->line,
			  audit_printf(a, "write the absolute path (%s)", p),
			  "job of %s runs %s by the relative path %s (resolved from its working directory %s)",
			  x->user, what, w, x->cwd ? x->cwd : "?");
		check_program(x, p, what);
		return;
	}
	const char *p = resolve(x, w);

	if (p)
		check_program(x, p, what);
}

static void check_sourced(struct jobctx *x, const char *w, const char *how)
{
	struct audit *a = x->a;

	if (!x->root || strchr(w, '$') || strchr(w, '`'))
		return;
	const char *p = strchr(w, '/') ? abs_path(x, w) : resolve(x, w);

	if (!p)
		return;
	const char *why = audit_writable_by_others(a, p, 0);

	if (why)
		audit_add(a, AUD_SOURCED, x->file, x->line,
			  audit_printf(a, "make %s root-owned and not writable by group or others", p),
			  "root job %s %s: %s", how, p, why);
}

/* ---- one simple command ---- */

static void simple_cmd(struct jobctx *x, struct simple *sc, int depth);

static const char *const keywords[] = {
	"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "command",
	"exec", "nohup", "setsid", "chronic", "builtin", NULL,
};
static const char *const builtins[] = {
	"cd", ".", "source", "echo", "printf", "test", "[", "[[", "]]", "true", "false", ":", "exit",
	"export", "set", "unset", "read", "eval", "wait", "trap", "umask", "ulimit", "shift",
	"return", "local", "type", "fi", "done", "esac", "for", "case", "in", "then", "break",
	"continue", "alias", "let", "declare", "readonly", NULL,
};

static void simple_cmd(struct jobctx *x, struct simple *sc, int depth)
{
	struct audit *a = x->a;
	size_t i = 0;

	/* Leading assignments, keywords and wrappers. */
	for (;;) {
		if (i >= sc->n)
			return;
		const char *w = sc->w[i].s;
		const char *b = base(w);

		if (strchr(w, '=') && w[0] != '=' && w[0] != '-' &&
		    strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
		    (size_t)(strchr(w, '=') - w)) {
			i++;
			continue;
		}
		if (name_in(w, keywords)) {
			i++;
			continue;
		}
		if (!strcmp(b, "nice") || !strcmp(b, "ionice") || !strcmp(b, "timeout") ||
		    !strcmp(b, "env") || !strcmp(b, "sudo") || !strcmp(b, "flock") ||
		    !strcmp(b, "setpriv") || !strcmp(b, "runuser") || !strcmp(b, "stdbuf") ||
		    !strcmp(b, "cronguard")) {
			if (w[0] == '/' || strchr(w, '/'))
				check_command_word(x, w, "the wrapper");
			bool timeout = !strcmp(b, "timeout"), flock = !strcmp(b, "flock");

			i++;
			if (!strcmp(b, "cronguard") && i < sc->n && !strcmp(sc->w[i].s, "run"))
				i++;
			while (i < sc->n && (sc->w[i].s[0] == '-' ||
					     (!strcmp(b, "env") && strchr(sc->w[i].s, '=')))) {
				const char *o = sc->w[i].s;

				i++;
				if (!strcmp(o, "--"))
					break;
				if (i < sc->n && (!strcmp(o, "-n") || !strcmp(o, "-c") || !strcmp(o, "-u") ||
						  !strcmp(o, "-g") || !strcmp(o, "-s") || !strcmp(o, "-k") ||
						  !strcmp(o, "-w") || !strcmp(o, "-E") || !strcmp(o, "-t")) &&
				    strcmp(b, "flock"))
					i++;
			}
			if ((timeout || flock) && i < sc->n)
				i++;    /* the duration / the lock file */
			continue;
		}
		break;
	}
	const char *w = sc->w[i].s;
	const char *b = base(w);

	if (!strcmp(w, "for") || !strcmp(w, "case"))
		return;
	if (!strcmp(w, "cd")) {
		const char *dir = i + 1 < sc->n ? sc->w[i + 1].s : x->home;

		if (!dir || strchr(dir, '$') || !strcmp(dir, "-"))
			return;
		dir = abs_path(x, dir);
		x->cwd = dir;
		if (x->root) {
			const struct stat *st = audit_lstat(a, dir);

			if (st && S_ISDIR(st->st_mode) && (st->st_mode & S_IWOTH))
				audit_add(a, AUD_WW_CWD, x->file, x->line,
					  "work in a root-owned directory that only root can write "
					  "(e.g. a dedicated /var/lib/NAME), never in /tmp",
					  "root job changes to %s (mode %04o, world-writable): other users "
					  "control the names its relative paths and globs see", dir,
					  st->st_mode & 07777);
		}
		return;
	}
	if (!strcmp(w, ".") || !strcmp(w, "source")) {
		if (i + 1 < sc->n)
			check_sourced(x, sc->w[i + 1].s, "sources");
		return;
	}
	if (!strcmp(w, "eval")) {
		if (x->root)
			audit_add(a, AUD_INJECTION, x->file, x->line,
				  "replace eval by a script with fixed, quoted arguments",
				  "root job uses eval: any text that reaches it runs as root");
		return;
	}
	if (name_in(w, builtins))
		return;

	check_command_word(x, w, "the program");

	bool shell = false;

	if (x->root && sc->after_pipe && is_interp(b, &shell))
		audit_add(a, AUD_INJECTION, x->file, x->line,
			  "download to a root-owned file, verify it (checksum or signature), then run it",
			  "root job pipes data into %s: whatever produces that data runs code as root", b);
	/* Wildcards handed to tools that take options from file names. */
	static const char *const wild[] = { "tar", "chown", "chmod", "rsync", "zip", "cp", "7z", "scp", NULL };

	if (x->root && name_in(b, wild))
		for (size_t k = i + 1; k < sc->n; k++)
			if (sc->w[k].glob) {
				audit_add(a, AUD_WILDCARD, x->file, x->line,
					  audit_printf(a, "pass \"--\" before the file arguments, or use "
						       "\"./%s\" so names that start with '-' cannot become "
						       "options, and do not run %s as root in directories others "
						       "can write", sc->w[k].s, b),
					  "root job runs %s with the wildcard %s: file names such as "
					  "\"--checkpoint-action=exec=...\" become options", b, sc->w[k].s);
				break;
			}
	/* Configuration files given by option. */
	for (size_t k = i + 1; k < sc->n; k++) {
		static const char *const cfg[] = { "--config=", "--conf=", "--config-file=",
						   "--defaults-file=", "--defaults-extra-file=",
						   "--rcfile=", "--init-file=", NULL };
		const char *arg = sc->w[k].s;

		for (const char *const *c = cfg; *c; c++)
			if (!strncmp(arg, *c, strlen(*c)) && arg[strlen(*c)])
				check_sourced(x, arg + strlen(*c), "reads its configuration from");
		if ((!strcmp(arg, "--config") || !strcmp(arg, "--conf") || !strcmp(arg, "--config-file"))
		    && k + 1 < sc->n)
			check_sourced(x, sc->w[k + 1].s, "reads its configuration from");
	}
	/* Command substitutions reading from world-writable places. */
	if (x->root)
		for (size_t k = i; k < sc->n; k++) {
			const char *s = sc->w[k].s;

			if ((strstr(s, "$(") || strchr(s, '`')) &&
			    (strstr(s, "/tmp/") || strstr(s, "/var/tmp/") || strstr(s, "/dev/shm/"))) {
				audit_add(a, AUD_INJECTION, x->file, x->line,
					  "keep files a root job reads in a root-owned directory",
					  "root job substitutes the output of a command reading a world-writable "
					  "place into its command line: %s", s);
				break;
			}
		}
	if (!strcmp(b, "run-parts")) {
		for (size_t k = i + 1; k < sc->n; k++) {
			const char *d = sc->w[k].s;

			if (d[0] == '-')
				continue;
			static const char *const std[] = { "/etc/cron.hourly", "/etc/cron.daily",
							   "/etc/cron.weekly", "/etc/cron.monthly",
							   "/etc/cron.yearly", NULL };
			if (d[0] == '/' && !name_in(d, std)) {
				const char *why = audit_writable_by_others(a, d, x->root ? 0 : x->uid);

				if (why)
					audit_add(a, AUD_PROG_WRITABLE, x->file, x->line,
						  audit_printf(a, "make %s root-owned and not writable by "
							       "group or others", d),
						  "job of %s runs every script in %s: %s", x->user, d, why);
			}
			break;
		}
		return;
	}
	if (is_interp(b, &shell)) {
		for (size_t k = i + 1; k < sc->n; k++) {
			const char *arg = sc->w[k].s;

			if (shell && !strcmp(arg, "-c")) {
				if (k + 1 < sc->n && depth < MAX_DEPTH)
					split_commands(a, sc->w[k + 1].s, simple_cmd, x, depth + 1);
				return;
			}
			if (!strcmp(arg, "-c") || !strcmp(arg, "-e") || !strcmp(arg, "-E") ||
			    !strcmp(arg, "-m") || !strcmp(arg, "-r"))
				return;         /* code on the command line, or a module */
			if (arg[0] == '-')
				continue;
			check_command_word(x, strchr(arg, '/') ? arg : join(a, x->cwd ? x->cwd : "/", arg),
					   "the script");
			return;
		}
	}
}

/* ---- environment lines ---- */

static bool shells_ok(struct audit *a, const char *shell)
{
	static char *shells;
	static bool loaded;

	if (!loaded) {
		shells = audit_read(a, "/etc/shells", NULL);
		loaded = true;
	}
	if (shell[0] != '/')
		return false;
	if (!shells)
		return !strcmp(shell, "/bin/sh") || !strcmp(shell, "/bin/bash") ||
		       !strcmp(shell, "/bin/dash") || !strcmp(shell, "/usr/bin/bash");
	for (const char *p = shells; *p;) {
		size_t l = strcspn(p, "\n");

		if (l == strlen(shell) && !strncmp(p, shell, l))
			return true;
		p += l;
		if (*p)
			p++;
	}
	return false;
}

static void check_env(struct audit *a, const char *file, const struct cg_cron_entry *e, uid_t trusted)
{
	static const char *const bad[] = {
		"BASH_ENV", "ENV", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PERL5LIB", "PERLLIB",
		"PERL5OPT", "RUBYLIB", "RUBYOPT", "NODE_OPTIONS", "NODE_PATH", "IFS", "GCONV_PATH",
		"SHELLOPTS", "BASHOPTS", "PS4", "GLIBC_TUNABLES", "LOCPATH", "HOSTALIASES", NULL,
	};
	const char *n = e->name;

	if (!strncmp(n, "LD_", 3) || name_in(n, bad))
		audit_add(a, AUD_ENV, file, e->line,
			  audit_printf(a, "remove the %s= line; set what the job needs inside its script", n),
			  "%s=%s makes every later job in this file load or run code named by the "
			  "crontab (the PAM stack cannot remove it: crontab variables win)", n, e->value);
	else if (!strcmp(n, "SHELL") && !shells_ok(a, e->value))
		audit_add(a, AUD_ENV, file, e->line, "use SHELL=/bin/sh (or a shell listed in /etc/shells)",
			  "SHELL=%s is not a login shell listed in /etc/shells: every later job runs "
			  "through it", e->value);
	else if (!strcmp(n, "PATH")) {
		const char *p = e->value;
		unsigned idx = 0;

		for (;;) {
			const char *colon = strchr(p, ':');
			size_t l = colon ? (size_t)(colon - p) : strlen(p);
			char *dir = audit_printf(a, "%.*s", (int)l, p);

			idx++;
			if (!l || !strcmp(dir, "."))
				audit_add(a, AUD_PATH, file, e->line, "remove the empty or '.' entry from PATH",
					  "PATH entry %u is %s: commands are looked up in the job's "
					  "working directory", idx, l ? "'.'" : "empty");
			else if (dir[0] != '/')
				audit_add(a, AUD_PATH, file, e->line, "use absolute directories only in PATH",
					  "PATH entry %s is relative: commands are looked up under the job's "
					  "working directory", dir);
			else {
				const char *why = audit_writable_by_others(a, dir, trusted);

				if (why)
					audit_add(a, AUD_PATH, file, e->line,
						  audit_printf(a, "remove %s from PATH or make it root-owned and "
							       "not writable by others", dir),
						  "PATH entry %s: %s (a planted program there shadows the real "
						  "one)", dir, why);
			}
			if (!colon)
				break;
			p = colon + 1;
		}
	}
}

/* ---- control characters ---- */

static void scan_controls(struct audit *a, const char *file, const char *text, size_t len)
{
	unsigned line = 1;
	bool cr = false, ctl = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			line++;
			continue;
		}
		if (c == '\r' && !cr && !(i + 1 < len && text[i + 1] == '\n')) {
			/* A lone CR rewinds the terminal: text after it hides
			 * what comes before. */
			audit_add(a, AUD_CONTROL, file, line, "remove the carriage return (cat -A shows it)",
				  "carriage return inside line %u: a terminal shows only the text after it", line);
			cr = true;
		} else if (c == '\r' && !cr) {
			audit_add(a, AUD_CONTROL, file, line, "convert the file to Unix line ends",
				  "CRLF line ends: cron keeps the CR in commands and values, and a blank "
				  "CRLF line makes it ignore the file");
			cr = true;
		} else if (c != '\r' && c != '\t' && (c < 0x20 || c == 0x7f) && !ctl) {
			audit_add(a, AUD_CONTROL, file, line, "remove the control characters (cat -A shows them)",
				  "control character 0x%02x on line %u: it can hide text on a terminal", c, line);
			ctl = true;
		}
	}
}

/* ---- one crontab ---- */

static bool user_exists(void *ctx, const char *name)
{
	return audit_user(ctx, name) != NULL;
}

struct plan_cache {
	uid_t uid;
	struct cg_plan plan;
	bool ok;
};

static struct plan_cache *plans;
static size_t nplans, capplans;

static const struct cg_plan *plan_for(struct audit *a, const struct au_user *u)
{
	if (!a->policy || !u)
		return NULL;
	for (size_t i = 0; i < nplans; i++)
		if (plans[i].uid == u->uid)
			return plans[i].ok ? &plans[i].plan : NULL;
	if (nplans == capplans) {
		size_t cap = capplans ? capplans * 2 : 16;
		struct plan_cache *v = realloc(plans, cap * sizeof(*v));

		if (!v)
			return NULL;
		plans = v;
		capplans = cap;
	}
	struct plan_cache *pc = &plans[nplans++];
	struct cg_identity id = {
		.user = u->name, .uid = u->uid, .gid = u->gid, .home = u->home, .shell = u->shell,
	};
	const char **groups = cg_arena_zalloc(&a->arena, (a->ngroups + 1) * sizeof(*groups));
	struct cg_diags d = { 0 };

	if (!groups)
		return NULL;
	for (size_t g = 0; g < a->ngroups; g++) {
		bool member = a->groups[g].gid == u->gid;

		for (size_t m = 0; !member && m < a->groups[g].nmembers; m++)
			member = !strcmp(a->groups[g].members[m], u->name);
		if (member)
			groups[id.ngroups++] = a->groups[g].name;
	}
	id.groups = groups;
	pc->uid = u->uid;
	pc->ok = cg_resolve(a->policy, &id, &pc->plan, &d) == 0;
	if (!pc->ok)
		fprintf(stderr, "cronguard audit: cannot resolve the policy for %s\n", u->name);
	cg_diags_free(&d);
	return pc->ok ? &pc->plan : NULL;
}

static void audit_crontab(struct audit *a, const char *file, enum cg_crontab_kind kind,
			  const struct au_user *owner)
{
	struct cg_crontab ct;
	struct cg_diags d = { 0 };
	size_t len;
	/* cron follows root-owned links in /etc/cron.d and /etc/crontab. */
	char *text = audit_read(a, kind == CG_CRONTAB_SYSTEM ? audit_follow(a, file) : file, &len);

	if (!text) {
		fprintf(stderr, "cronguard audit: %s%s: %s\n", a->root, file, strerror(errno));
		a->errors++;
		return;
	}
	scan_controls(a, file, text, len);
	cg_crontab_parse(&ct, file, kind, text, len, user_exists, a, &d);
	if (!ct.loads) {
		const struct cg_diag *e = cg_diag_first_error(&d);

		audit_add(a, AUD_SYNTAX, file, e ? e->line : 0,
			  audit_printf(a, "fix the line (cronguard lint %s%s shows every problem)",
				       kind == CG_CRONTAB_SYSTEM ? "--system " : "", file),
			  "%s%s", e ? e->msg : "cron ignores this file",
			  a->cronie ? " (Debian's cron; cronie skips only the bad lines and runs the "
			  "rest, which are audited)" : "");
		/* cronie loads the good lines: audit them. */
		if (!a->cronie)
			goto out;
	}
	const char *path = "/usr/bin:/bin", *home = owner ? owner->home : NULL;
	bool home_set = false;
	uid_t env_trusted = kind == CG_CRONTAB_USER && owner ? owner->uid : 0;

	for (size_t i = 0; i < ct.n; i++) {
		const struct cg_cron_entry *e = &ct.entries[i];

		if (e->kind == CG_CRON_ENV) {
			check_env(a, file, e, env_trusted);
			if (!strcmp(e->name, "PATH"))
				path = e->value;
			else if (!strcmp(e->name, "HOME")) {
				home = e->value;
				home_set = true;
			}
			continue;
		}
		const struct au_user *u = e->user ? audit_user(a, e->user) : owner;
		struct jobctx x = {
			.a = a, .file = file, .line = e->line,
			.user = u ? u->name : (e->user ? e->user : "?"),
			.uid = u ? u->uid : (uid_t)-1,
			.root = u && u->uid == 0,
			.path = path,
			.home = home_set ? home : (u ? u->home : home),
			.system_file = kind == CG_CRONTAB_SYSTEM,
		};

		x.cwd = x.home;
		x.plan = plan_for(a, u);
		if (e->when.reboot)
			audit_add(a, AUD_REBOOT, file, e->line,
				  "make sure this start-up job is expected; prefer a systemd unit",
				  "@reboot job of %s: %s", x.user, e->command);
		if (a->cronie && x.system_file && x.root)
			audit_add(a, AUD_CRONIE_ROOT, file, e->line,
				  "run it as a dedicated unprivileged user (change the user field), or wrap "
				  "the command in `cronguard run --user root -- ...` so the plan applies",
				  "uid-0 job in a system crontab: cronie starts it without PAM, so "
				  "pam_cronguard never sees it: %s", e->command);
		split_commands(a, e->command, simple_cmd, &x, 0);
	}
out:
	cg_crontab_free(&ct);
	cg_diags_free(&d);
}

static void audit_spool(struct audit *a)
{
	const char *dirp = a->spool;
	DIR *d = opendir(audit_path(a, dirp));
	struct dirent *de;

	if (!d) {
		if (errno != ENOENT) {
			fprintf(stderr, "cronguard audit: %s: %s\n", audit_path(a, dirp), strerror(errno));
			a->errors++;
		}
		return;
	}
	while ((de = readdir(d))) {
		const char *n = de->d_name;

		if (n[0] == '.')
			continue;       /* cron skips these without a word */
		const char *p = audit_printf(a, "%s/%s", dirp, n);
		const struct stat *st = audit_lstat(a, p);

		/* cronie's spool is /var/spool/cron itself: skip Debian's
		 * crontabs/ directory and other directories there. */
		if (st && S_ISDIR(st->st_mode) && a->cronie)
			continue;
		const struct au_user *u = audit_user(a, n);
		const char *fix = audit_printf(a, "reinstall it with crontab -u %s, or remove it", n);

		if (!st)
			continue;
		if (!u) {
			audit_add(a, AUD_SPOOL_BROKEN, p, 0, audit_printf(a, "remove %s", p),
				  "%s: no such user, cron ignores this crontab (orphan%s)", n,
				  strncmp(n, "tmp.", 4) ? "" : ": a crontab(1) temporary file left behind");
			continue;
		}
		if (S_ISLNK(st->st_mode)) {
			audit_add(a, AUD_SPOOL_BROKEN, p, 0, fix,
				  "%s is a symbolic link: cron opens spool files with O_NOFOLLOW and ignores it", p);
			continue;
		}
		if (!S_ISREG(st->st_mode)) {
			audit_add(a, AUD_SPOOL_BROKEN, p, 0, fix, "%s is not a regular file: cron ignores it", p);
			continue;
		}
		if (st->st_uid != u->uid && st->st_uid != 0) {
			audit_add(a, AUD_SPOOL_BROKEN, p, 0, fix, "%s is owned by %s, not %s or root: cron "
				  "ignores it", p, audit_user_name(a, st->st_uid), n);
			continue;
		}
		if ((st->st_mode & 07777) != 0600) {
			audit_add(a, AUD_SPOOL_BROKEN, p, 0, audit_printf(a, "chmod 0600 %s", p),
				  "%s has mode %04o, not 0600: cron ignores it", p, st->st_mode & 07777);
			continue;
		}
		if (st->st_nlink != 1) {
			audit_add(a, AUD_SPOOL_BROKEN, p, 0, fix, "%s has %lu hard links: cron ignores it", p,
				  (unsigned long)st->st_nlink);
			continue;
		}
		if (!audit_allowed(a, n))
			audit_add(a, AUD_SPOOL_REFUSED, p, 0,
				  audit_printf(a, "remove it (crontab -r -u %s) if %s should not run jobs; "
					       "cron itself never checks cron.allow/cron.deny at job time "
					       "(pam_cronguard's allow = no does)", n, n),
				  "%s may not use crontab(1) (%s) but this crontab still runs", n,
				  a->allow_exists ? "not in /etc/cron.allow" : "listed in /etc/cron.deny");
		audit_crontab(a, p, CG_CRONTAB_USER, u);
	}
	closedir(d);
}

void audit_jobs(struct audit *a)
{
	const struct stat *st = audit_lstat(a, "/etc/crontab");

	if (st && (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode)))
		audit_crontab(a, "/etc/crontab", CG_CRONTAB_SYSTEM, NULL);
	DIR *d = opendir(audit_path(a, "/etc/cron.d"));

	if (d) {
		struct dirent *de;
		char **names = NULL;
		size_t n = 0, cap = 0;

		while ((de = readdir(d))) {
			if (a->cronie ? !cg_cronie_name_ok(de->d_name) : !cg_cron_d_name_ok(de->d_name))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				char **v = realloc(names, cap * sizeof(*v));

				if (!v)
					break;
				names = v;
			}
			names[n++] = audit_printf(a, "/etc/cron.d/%s", de->d_name);
		}
		closedir(d);
		for (size_t i = 0; i < n; i++) {
			const struct stat *fst = audit_lstat(a, names[i]);

			/* cron reads root-owned regular files (or links to them)
			 * not writable by group/others: others are reported by
			 * audit_files and ignored by cron. */
			if (fst && (S_ISLNK(fst->st_mode) ||
				    (S_ISREG(fst->st_mode) && fst->st_uid == 0 &&
				     !(fst->st_mode & (S_IWGRP | S_IWOTH)) && fst->st_nlink == 1)))
				audit_crontab(a, names[i], CG_CRONTAB_SYSTEM, NULL);
		}
		free(names);
	}
	audit_spool(a);
	for (size_t i = 0; i < nplans; i++)
		if (plans[i].ok)
			cg_plan_free(&plans[i].plan);
	free(plans);
	plans = NULL;
	nplans = capplans = 0;
}
