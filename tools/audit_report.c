/* audit_report.c - the catalogue of finding IDs and the three output
 * formats: text (one finding per paragraph), JSON, and SARIF 2.1.0 (for
 * code-scanning dashboards). */
#include "audit.h"
#include "tool_common.h"

#include <stdlib.h>
#include <string.h>


#define CIS_CRON "CIS Debian Linux 12 Benchmark, 2.4.1 Configure cron (access to /etc/crontab, " \
	"/etc/cron.hourly, .daily, .weekly, .monthly, .yearly and /etc/cron.d)"
#define CIS_ALLOW "CIS Debian Linux 12 Benchmark, 2.4.1 Configure cron: Ensure crontab is " \
	"restricted to authorized users"

static const struct audit_rule rules[AUD_ID_MAX] = {
	[AUD_OWNER] = { "cron-file-owner", "cron file or directory not owned by root", SEV_HIGH, CIS_CRON },
	[AUD_WRITABLE] = { "cron-file-writable", "cron file or directory writable by group or others",
			   SEV_CRITICAL, CIS_CRON },
	[AUD_READABLE] = { "cron-config-readable", "cron configuration readable by others", SEV_LOW, CIS_CRON },
	[AUD_RUNPARTS] = { "run-parts-script-writable",
			   "run-parts script writable by others or not owned by root", SEV_CRITICAL, CIS_CRON },
	[AUD_PROG_WRITABLE] = { "job-program-writable",
				"program or script run by a job writable by someone other than root "
				"or the job's user", SEV_CRITICAL, NULL },
	[AUD_PATH] = { "job-path-unsafe", "relative command, or PATH entry that is writable, relative, "
		       "empty or '.'", SEV_HIGH, NULL },
	[AUD_WILDCARD] = { "root-job-wildcard", "wildcard arguments to tar/chown/chmod/rsync/zip/cp in "
			   "a root job", SEV_HIGH, NULL },
	[AUD_WW_CWD] = { "root-job-world-writable-cwd", "root job works in a world-writable directory",
			 SEV_HIGH, NULL },
	[AUD_SOURCED] = { "root-job-config-writable", "file sourced or read as configuration by a root "
			  "job is writable by others", SEV_CRITICAL, NULL },
	[AUD_ENV] = { "crontab-dangerous-variable", "dangerous crontab variable (loader, shell or "
		      "interpreter start-up)", SEV_HIGH, NULL },
	[AUD_INJECTION] = { "root-job-injection-prone", "injection-prone command text in a root job",
			    SEV_MEDIUM, NULL },
	[AUD_NO_ALLOW] = { "crontab-access-unrestricted", "crontab(1) access not restricted (no "
			   "/etc/cron.allow)", SEV_MEDIUM, CIS_ALLOW },
	[AUD_ALLOW_PERM] = { "cron-allow-permissions", "cron.allow or cron.deny with wrong owner, group "
			     "or mode", SEV_MEDIUM, CIS_ALLOW },
	[AUD_ALLOW_LINES] = { "cron-allow-broken-line", "cron.allow or cron.deny line that never "
			      "matches (trailing blank, CR, no final newline)", SEV_MEDIUM, NULL },
	[AUD_SPOOL_REFUSED] = { "spool-crontab-refused-user", "spool crontab of a user cron.allow/"
				"cron.deny refuses (cron never checks at job time)", SEV_MEDIUM, CIS_ALLOW },
	[AUD_SPOOL_BROKEN] = { "spool-crontab-ignored", "spool file cron silently ignores (owner, mode, "
			       "link, orphan)", SEV_LOW, NULL },
	[AUD_SYNTAX] = { "crontab-disabled-by-error", "crontab disabled by a syntax error (cron ignores "
			 "the whole file)", SEV_MEDIUM, NULL },
	[AUD_NAME_IGNORED] = { "cron-file-ignored-by-name", "file cron or run-parts ignores because of "
			       "its name", SEV_LOW, NULL },
	[AUD_CONTROL] = { "cron-file-control-characters", "hidden control characters in a cron file",
			  SEV_HIGH, NULL },
	[AUD_REBOOT] = { "reboot-job", "@reboot job (persistence inventory)", SEV_INFO, NULL },
	[AUD_HOME_PROG] = { "job-runs-from-home", "job runs a program or script from a home directory "
			    "(persistence inventory)", SEV_INFO, NULL },
	[AUD_PAM_ACCOUNT] = { "pam-cron-no-account", "PAM stack for cron without account checks",
			      SEV_MEDIUM, NULL },
	[AUD_PAM_LOGINUID] = { "pam-cron-no-loginuid", "PAM stack for cron without pam_loginuid",
			       SEV_LOW, NULL },
	[AUD_PAM_CRONGUARD] = { "pam-cron-no-cronguard", "PAM stack for cron without pam_cronguard",
				SEV_MEDIUM, NULL },
	[AUD_NO_WATCH] = { "no-audit-watch", "no audit watch on cron files", SEV_LOW,
			   "DISA STIG (Ubuntu 20.04/22.04, RHEL 8/9): audit records for uses of the "
			   "crontab command; CIS: Ensure changes to system administration scope are collected" },
	[AUD_CRONIE_ROOT] = { "cronie-root-job-skips-pam", "uid-0 job in /etc/crontab or /etc/cron.d is "
			      "not governed by PAM under cronie", SEV_MEDIUM, NULL },
	[AUD_EXEC_DIRS] = { "job-outside-exec-dirs", "job script outside its user's exec directories "
			    "(policy)", SEV_MEDIUM, NULL },
};

const struct audit_rule *audit_rule(enum audit_id id)
{
	return &rules[id];
}

const char *audit_sev_name(enum audit_sev s)
{
	static const char *const n[] = { "info", "low", "medium", "high", "critical" };

	return n[s];
}

/* Text: never send a file's control characters to the terminal. */
static void text_str(FILE *out, const char *str)
{
	for (const unsigned char *s = (const unsigned char *)str; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\x%02x", *s);
		else
			fputc(*s, out);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return (int)a->id - (int)b->id;
}

static void report_text(const struct audit *a, FILE *out)
{
	size_t count[5] = { 0 };

	for (size_t i = 0; i < a->nf; i++) {
		const struct finding *f = &a->f[i];
		const struct audit_rule *r = audit_rule(f->id);

		count[f->sev]++;
		text_str(out, f->file);
		if (f->line)
			fprintf(out, ":%u: ", f->line);
		else
			fputs(": ", out);
		fprintf(out, "CG-AUD-%03d %s: %s\n", f->id, audit_sev_name(f->sev), r->title);
		fputs("  evidence: ", out);
		text_str(out, f->evidence);
		fputc('\n', out);
		fprintf(out, "  fix: %s\n", f->fix);
		if (r->ref)
			fprintf(out, "  reference: %s\n", r->ref);
	}
	fprintf(out, "%zu finding%s (%zu critical, %zu high, %zu medium, %zu low, %zu info)\n",
		a->nf, a->nf == 1 ? "" : "s", count[4], count[3], count[2], count[1], count[0]);
}

static void report_json(const struct audit *a, FILE *out)
{
	fprintf(out, "{\n  \"tool\": \"cronguard audit\",\n  \"root\": ");
	tool_json_string(out, *a->root ? a->root : "/");
	fprintf(out, ",\n  \"findings\": [");
	for (size_t i = 0; i < a->nf; i++) {
		const struct finding *f = &a->f[i];
		const struct audit_rule *r = audit_rule(f->id);

		fprintf(out, "%s\n    {\"id\": \"CG-AUD-%03d\", \"rule\": ", i ? "," : "", f->id);
		tool_json_string(out, r->name);
		fprintf(out, ", \"severity\": \"%s\", \"title\": ", audit_sev_name(f->sev));
		tool_json_string(out, r->title);
		fprintf(out, ", \"file\": ");
		tool_json_string(out, f->file);
		fprintf(out, ", \"line\": %u, \"evidence\": ", f->line);
		tool_json_string(out, f->evidence);
		fprintf(out, ", \"fix\": ");
		tool_json_string(out, f->fix);
		fprintf(out, ", \"reference\": ");
		if (r->ref)
			tool_json_string(out, r->ref);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fprintf(out, "%s],\n  \"count\": %zu\n}\n", a->nf ? "\n  " : "", a->nf);
}

static const char *sarif_level(enum audit_sev s)
{
	return s >= SEV_HIGH ? "error" : s == SEV_MEDIUM ? "warning" : "note";
}

static void report_sarif(const struct audit *a, FILE *out)
{
	fprintf(out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		"  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
		"    \"tool\": {\"driver\": {\"name\": \"cronguard\", \"informationUri\": "
		"\"https://example.invalid/cronguard\", \"rules\": [");
	for (int id = 1; id < AUD_ID_MAX; id++) {
		const struct audit_rule *r = audit_rule((enum audit_id)id);

		fprintf(out, "%s\n      {\"id\": \"CG-AUD-%03d\", \"name\": ", id > 1 ? "," : "", id);
		tool_json_string(out, r->name);
		fprintf(out, ", \"shortDescription\": {\"text\": ");
		tool_json_string(out, r->title);
		fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}, "
			"\"properties\": {\"severity\": \"%s\"", sarif_level(r->sev), audit_sev_name(r->sev));
		if (r->ref) {
			fprintf(out, ", \"reference\": ");
			tool_json_string(out, r->ref);
		}
		fprintf(out, "}}");
	}
	fprintf(out, "]}},\n    \"results\": [");
	for (size_t i = 0; i < a->nf; i++) {
		const struct finding *f = &a->f[i];

		fprintf(out, "%s\n      {\"ruleId\": \"CG-AUD-%03d\", \"ruleIndex\": %d, \"level\": \"%s\", "
			"\"message\": {\"text\": ", i ? "," : "", f->id, f->id - 1, sarif_level(f->sev));
		char *msg;

		if (asprintf(&msg, "%s. Fix: %s", f->evidence, f->fix) < 0)
			msg = NULL;
		tool_json_string(out, msg ? msg : f->evidence);
		free(msg);
		fprintf(out, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
		/* SARIF URIs: file paths are absolute host paths: file:// form. */
		char *uri;

		if (asprintf(&uri, "file://%s", f->file) < 0)
			uri = NULL;
		tool_json_string(out, uri ? uri : f->file);
		free(uri);
		fputc('}', out);
		if (f->line)
			fprintf(out, ", \"region\": {\"startLine\": %u}", f->line);
		fprintf(out, "}}], \"properties\": {\"severity\": \"%s\"}}", audit_sev_name(f->sev));
	}
	fprintf(out, "%s]\n  }]\n}\n", a->nf ? "\n    " : "");
}

void audit_report(const struct audit *a, enum audit_format fmt, FILE *out)
{
	if (a->nf)
		qsort(a->f, a->nf, sizeof(*a->f), cmp_finding);
	switch (fmt) {
	case FMT_TEXT: report_text(a, out); break;
	case FMT_JSON: report_json(a, out); break;
	case FMT_SARIF: report_sarif(a, out); break;
	}
}
