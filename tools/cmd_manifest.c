/* cmd_manifest.c - `cronguard manifest create DIR... [-o FILE]` and
 * `cronguard manifest verify FILE [--dirs DIR...]`: SHA-256 manifests of
 * the scripts cron jobs run (format and checks in pam_cronguard/manifest.h). */
#include "commands.h"
#include "manifest.h"
#include "tool_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard manifest create DIR|FILE... [-o MANIFEST]\n"
		"       cronguard manifest verify MANIFEST [--dirs DIR...] [--no-cache]\n"
		"                                          [--cache-dir DIR] [-q]\n\n"
		"create: lists every regular file under the directories with its SHA-256,\n"
		"        owner, group and mode (to stdout, or atomically to MANIFEST).\n"
		"        Warns about what verify would report (exit 1, manifest still written).\n"
		"verify: reports every file that changed, is new, vanished, is writable by\n"
		"        group or others, is not root-owned, whose owner or mode changed, or\n"
		"        that is reached through a symlink leaving its directory.  Checks the\n"
		"        manifest's own `dir` lines, or the directories given with --dirs.\n"
		"        The manifest must be owned by root and not group/other-writable.\n\n"
		"  -o, --output FILE   write the manifest to FILE (create)\n"
		"  --dirs DIR...       verify these directories (all remaining arguments)\n"
		"  --no-cache          hash every file; neither read nor write the cache\n"
		"  --cache-dir DIR     cache directory (default " CG_MANIFEST_CACHE_DIR ")\n"
		"  -q, --quiet         print findings only, no summary\n"
		"  -h, --help          this text\n\n"
		"The hash lines are sha256sum's: `sha256sum -c MANIFEST` checks them too.\n"
		"Exit status: 0 clean, 1 findings, 2 usage or other error.\n");
}

static void print_findings(const struct cg_manifest_report *r, FILE *out)
{
	for (size_t i = 0; i < r->nfindings; i++)
		fprintf(out, "%s: %s: %s\n", r->findings[i].path,
			cg_mf_kind_name(r->findings[i].kind), r->findings[i].detail);
}

/* Writes to a temporary file next to path and renames it over path, so a
 * reader (the module) never sees half a manifest. */
static int create_to_file(const struct cg_strlist *dirs, const char *path,
			  struct cg_manifest_report *r)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	FILE *out;
	int fd, rc;

	if (!tmp)
		return -1;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp.XXXXXX", 12);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "cronguard manifest: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	out = fdopen(fd, "w");
	if (!out) {
		fprintf(stderr, "cronguard manifest: %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	rc = cg_manifest_create(dirs, out, r, &cg_stderr_logger);
	if (rc >= 0 && (fchmod(fd, 0644) < 0 || fflush(out) != 0 || fsync(fd) < 0)) {
		fprintf(stderr, "cronguard manifest: %s: %s\n", tmp, strerror(errno));
		rc = -1;
	}
	if (fclose(out) != 0 && rc >= 0) {
		fprintf(stderr, "cronguard manifest: %s: %s\n", tmp, strerror(errno));
		rc = -1;
	}
	if (rc >= 0 && rename(tmp, path) < 0) {
		fprintf(stderr, "cronguard manifest: rename to %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int cmd_create(int argc, char **argv)
{
	const char **dirs = calloc((size_t)argc, sizeof(*dirs));
	const char *output = NULL;
	struct cg_manifest_report r;
	struct cg_strlist list;
	size_t n = 0;
	int rc;

	if (!dirs)
		return CG_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (tool_is_help(argv[i])) {
			usage(stdout);
			free(dirs);
			return CG_EXIT_OK;
		} else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
			if (++i == argc)
				goto bad;
			output = argv[i];
		} else if (strncmp(argv[i], "--output=", 9) == 0) {
			output = argv[i] + 9;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "cronguard manifest create: unknown option '%s'\n", argv[i]);
			goto bad;
		} else {
			dirs[n++] = argv[i];
		}
	}
	if (n == 0) {
		fprintf(stderr, "cronguard manifest create: name at least one DIR\n");
		goto bad;
	}
	list.v = dirs;
	list.n = n;
	if (output)
		rc = create_to_file(&list, output, &r);
	else
		rc = cg_manifest_create(&list, stdout, &r, &cg_stderr_logger);
	if (rc > 0) {
		fprintf(stderr, "cronguard manifest: warning: verify will report these:\n");
		print_findings(&r, stderr);
	}
	cg_manifest_report_free(&r);
	free(dirs);
	return rc < 0 ? CG_EXIT_USAGE : rc > 0 ? CG_EXIT_FINDINGS : CG_EXIT_OK;
bad:
	usage(stderr);
	free(dirs);
	return CG_EXIT_USAGE;
}

static int cmd_verify(int argc, char **argv)
{
	const char **dirs = calloc((size_t)argc, sizeof(*dirs));
	const char *manifest = NULL;
	struct cg_manifest_opts o = { CG_MANIFEST_CACHE_DIR, true };
	struct cg_manifest_report r;
	struct cg_strlist list;
	bool in_dirs = false, quiet = false;
	size_t n = 0;
	int rc;

	if (!dirs)
		return CG_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (tool_is_help(argv[i])) {
			usage(stdout);
			free(dirs);
			return CG_EXIT_OK;
		} else if (strcmp(argv[i], "--dirs") == 0) {
			in_dirs = true;
		} else if (strcmp(argv[i], "--no-cache") == 0) {
			o.cache_dir = NULL;
		} else if (strcmp(argv[i], "--cache-dir") == 0) {
			if (++i == argc)
				goto bad;
			o.cache_dir = argv[i];
		} else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "cronguard manifest verify: unknown option '%s'\n", argv[i]);
			goto bad;
		} else if (in_dirs) {
			dirs[n++] = argv[i];
		} else if (!manifest) {
			manifest = argv[i];
		} else {
			fprintf(stderr, "cronguard manifest verify: unexpected argument '%s'\n", argv[i]);
			goto bad;
		}
	}
	if (!manifest) {
		fprintf(stderr, "cronguard manifest verify: name the MANIFEST\n");
		goto bad;
	}
	if (in_dirs && n == 0) {
		fprintf(stderr, "cronguard manifest verify: --dirs needs at least one DIR\n");
		goto bad;
	}
	/* Only root may write the root-only cache; others just hash. */
	if (geteuid() != 0)
		o.write_cache = false;
	list.v = dirs;
	list.n = n;
	rc = cg_manifest_verify(manifest, &list, &o, &r, &cg_stderr_logger);
	if (rc >= 0) {
		print_findings(&r, stdout);
		if (!quiet)
			printf("cronguard manifest: %zu finding%s; %zu files, %zu hashed, %zu from cache"
			       " (cache: %s%s)\n", r.nfindings, r.nfindings == 1 ? "" : "s", r.files,
			       r.hashed, r.cached, r.cache_status ? r.cache_status : "off",
			       r.verdict_held ? "; every file and directory unchanged since the last"
			       " clean verification" : "");
	}
	cg_manifest_report_free(&r);
	free(dirs);
	return rc < 0 ? CG_EXIT_USAGE : rc > 0 ? CG_EXIT_FINDINGS : CG_EXIT_OK;
bad:
	usage(stderr);
	free(dirs);
	return CG_EXIT_USAGE;
}

int cmd_manifest(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	if (tool_is_help(argv[1])) {
		usage(stdout);
		return CG_EXIT_OK;
	}
	if (strcmp(argv[1], "create") == 0)
		return cmd_create(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1);
	fprintf(stderr, "cronguard manifest: unknown action '%s' (create or verify)\n", argv[1]);
	usage(stderr);
	return CG_EXIT_USAGE;
}
