/* policy_load.c - read cronguard.conf and cronguard.d/NAME.conf in order. */
#include "policy.h"
#include "safe_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int load_one(struct cg_policy *pol, int dirfd, const char *name,
		    const char *display, const struct cg_load_opts *opts,
		    struct cg_diags *d)
{
	char *text;
	size_t len;
	/* Zeroed: an EPERM from openat() itself (an LSM) leaves st unset. */
	struct stat st = { 0 };

	if (cg_read_file_at(&pol->arena, dirfd, name, opts->require_root_owned,
			    &text, &len, &st) < 0) {
		int e = errno;
		const char *untrusted = e == EPERM ? cg_stat_untrusted(&st) : NULL;

		if (untrusted)
			cg_diag_error(d, display, 0, "refusing policy file: %s", untrusted);
		else if (e == ELOOP)
			cg_diag_error(d, display, 0, "refusing policy file: it is a symbolic link");
		else if (e == EINVAL)
			cg_diag_error(d, display, 0, "refusing policy file: not a regular file");
		else if (e == EFBIG)
			cg_diag_error(d, display, 0, "policy file larger than %d bytes",
				      CG_MAX_FILE_SIZE);
		else
			cg_diag_error(d, display, 0, "cannot read policy file: %s", strerror(e));
		return -1;
	}
	const char **files = cg_arena_alloc(&pol->arena, (pol->nfiles + 1) * sizeof(*files));
	struct stat *sts = cg_arena_alloc(&pol->arena, (pol->nfiles + 1) * sizeof(*sts));

	if (!files || !sts) {
		cg_diag_error(d, display, 0, "out of memory");
		return -1;
	}
	if (pol->nfiles) {
		memcpy(files, pol->files, pol->nfiles * sizeof(*files));
		memcpy(sts, pol->file_st, pol->nfiles * sizeof(*sts));
	}
	sts[pol->nfiles] = st;
	pol->file_st = sts;
	files[pol->nfiles] = cg_arena_strdup(&pol->arena, display);
	if (!files[pol->nfiles]) {
		cg_diag_error(d, display, 0, "out of memory");
		return -1;
	}
	pol->files = files;
	pol->nfiles++;
	cg_policy_parse(pol, display, text, len, d);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NAME.conf, NAME not starting with '.': editors' backups and package
 * managers' leftovers (.dpkg-old, ~) are not read. */
static bool dropin_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".conf") == 0;
}

static void load_dropins(struct cg_policy *pol, const char *dir,
			 const struct cg_load_opts *opts, struct cg_diags *d)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	DIR *dp;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (fd < 0) {
		int e = errno;
		struct stat lst;

		if (e == ENOENT)
			return;
		/* O_DIRECTORY|O_NOFOLLOW on a symlink fails with ENOTDIR, not
		 * ELOOP; lstat() only picks the words of the message. */
		if ((e == ELOOP || e == ENOTDIR) && lstat(dir, &lst) == 0 && S_ISLNK(lst.st_mode))
			cg_diag_error(d, dir, 0, "cannot open drop-in directory: it is a symbolic link");
		else
			cg_diag_error(d, dir, 0, "cannot open drop-in directory: %s", strerror(e));
		return;
	}
	if (fstat(fd, &st) < 0) {
		cg_diag_error(d, dir, 0, "cannot stat drop-in directory: %s", strerror(errno));
		close(fd);
		return;
	}
	if (opts->require_root_owned && cg_stat_untrusted(&st)) {
		cg_diag_error(d, dir, 0, "refusing drop-in directory: %s", cg_stat_untrusted(&st));
		close(fd);
		return;
	}
	pol->dropin_present = true;
	pol->dropin_st = st;
	dp = fdopendir(fd);
	if (!dp) {
		cg_diag_error(d, dir, 0, "cannot read drop-in directory: %s", strerror(errno));
		close(fd);
		return;
	}
	errno = 0;
	while ((de = readdir(dp)) != NULL) {
		if (!dropin_name(de->d_name))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **v = realloc(names, ncap * sizeof(*v));

			if (!v)
				goto oom;
			names = v;
			cap = ncap;
		}
		names[n] = cg_arena_strdup(&pol->arena, de->d_name);
		if (!names[n])
			goto oom;
		n++;
		errno = 0;
	}
	if (errno)
		cg_diag_error(d, dir, 0, "cannot read drop-in directory: %s", strerror(errno));
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char *display = cg_arena_printf(&pol->arena, "%s/%s", dir, names[i]);

		if (!display)
			goto oom;
		load_one(pol, dirfd(dp), names[i], display, opts, d);
	}
	free(names);
	closedir(dp);
	return;
oom:
	cg_diag_error(d, dir, 0, "out of memory");
	free(names);
	closedir(dp);
}

char *cg_policy_dropin_dir(struct cg_arena *a, const char *conffile)
{
	size_t len = strlen(conffile);

	if (len > 5 && strcmp(conffile + len - 5, ".conf") == 0)
		return cg_arena_printf(a, "%.*s.d", (int)(len - 5), conffile);
	return cg_arena_printf(a, "%s.d", conffile);
}

int cg_policy_load(struct cg_policy *pol, const char *conffile,
		   const struct cg_load_opts *opts, struct cg_diags *d)
{
	size_t before = d->errors;

	if (load_one(pol, AT_FDCWD, conffile, conffile, opts, d) == 0 && opts->dropins) {
		char *dir = cg_policy_dropin_dir(&pol->arena, conffile);

		if (!dir)
			cg_diag_error(d, conffile, 0, "out of memory");
		else
			load_dropins(pol, dir, opts, d);
	}
	return d->errors > before || d->oom ? -1 : 0;
}
