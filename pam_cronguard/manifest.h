/* manifest.h - SHA-256 manifests of the scripts cron jobs may run.
 *
 * Format: a file `sha256sum -c` reads as is (it skips lines starting with
 * '#', even with --strict, checked with coreutils 9.1), so an administrator
 * can check it by hand; cronguard's metadata lives in such comment lines:
 *
 *   # cronguard manifest 1 ...                      (free comment)
 *   # cronguard: dir /usr/local/lib/cron-jobs       (a directory it covers)
 *   # cronguard: file uid=0 gid=0 mode=0755 /usr/local/lib/cron-jobs/backup
 *   3a1f...64 hex...  /usr/local/lib/cron-jobs/backup
 *
 * Paths are absolute and canonical (realpath at creation).  A name holding
 * a backslash, newline or carriage return is written the way sha256sum
 * writes it: the hash line starts with '\' and the name has \\ \n \r; the
 * `file` line always escapes the same way.  A plain `sha256sum` output with
 * absolute paths is a valid manifest too (no owner/mode to keep, no dirs).
 *
 * Verification of a directory reports every regular file whose content
 * changed, that is not listed (new), that is listed but gone (vanished),
 * that group or others may write, that root does not own, whose owner or
 * mode differ from the `file` line; the same owner and writability checks
 * apply to every directory in the tree.  Symlinks: a symlink in the tree is
 * never hashed; it is accepted when it resolves inside the verified
 * directory (what it points to is then verified where it lives), and is a
 * finding when it resolves outside it or not at all.  Fifos, sockets and
 * devices are findings.  Verification is a snapshot: what it proves holds
 * until someone who may write the directories changes them, which is why
 * writable files and directories are findings too.
 *
 * The cache (manifest_cache.c) remembers the hash of each file by device,
 * inode, size, mtime and ctime (ns), so verifying unchanged files costs one
 * fstatat() each; and, for a directory that held exactly its listed regular
 * files, that it did so under its own (device, inode, size, mtime, ctime),
 * so an unchanged directory is not even read: its entries cannot have
 * changed without changing its ctime.  A verification that found nothing is
 * remembered whole (manifest_verdict.c): while the manifest and every
 * directory and file it looked at stat the same, the next one is answered
 * without parsing the manifest or looking anything up. */
#ifndef CG_MANIFEST_H
#define CG_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "cache_dir.h"
#include "logger.h"
#include "plan.h"

#define CG_MANIFEST_CACHE_DIR CG_CACHE_DIR
#define CG_MANIFEST_CACHE_FILE "manifest.cache"

enum cg_mf_kind {
	CG_MF_CHANGED,          /* content differs from the listed SHA-256 */
	CG_MF_NEW,              /* regular file not listed */
	CG_MF_VANISHED,         /* listed under a verified directory, but gone */
	CG_MF_WRITABLE,         /* file or directory writable by group or others */
	CG_MF_NOT_ROOT,         /* file or directory not owned by root */
	CG_MF_META,             /* owner, group or mode differ from the `file` line */
	CG_MF_SYMLINK_OUT,      /* symlink resolving outside its directory, or dangling */
	CG_MF_SPECIAL,          /* fifo, socket or device */
	CG_MF_UNREADABLE,       /* could not be opened or read to hash it */
	CG_MF_KIND_COUNT
};

struct cg_mf_finding {
	enum cg_mf_kind kind;
	const char *path;
	const char *detail;     /* human-readable, never NULL */
};

struct cg_manifest_report {
	struct cg_arena arena;  /* findings and their strings */
	struct cg_mf_finding *findings;
	size_t nfindings, cap;
	size_t files;           /* regular files examined */
	size_t hashed;          /* of those, hashed now (no valid cache entry) */
	size_t cached;          /* of those, hash taken from the cache */
	size_t dirs_read;       /* directories whose entries were read */
	size_t dirs_known;      /* directories whose unchanged listing came from the cache */
	const char *cache_status; /* "used", "absent", "off", or why it was ignored */
	bool cache_written;     /* a new cache file replaced the old one */
	bool verdict_held;      /* the last clean verification still holds: every
				 * file and directory stat'ed as then, nothing read */
};

struct cg_manifest_opts {
	const char *cache_dir;  /* NULL: no cache at all */
	bool write_cache;       /* store new hashes (needs euid 0) */
};

/* The module's entry point: verifies the plan's exec directories (or single
 * files) against the manifest with the default root-only cache under
 * CG_MANIFEST_CACHE_DIR.  The manifest must be a regular file owned by root
 * and not writable by group or others, or this fails.  Returns 0 clean,
 * 1 findings (in *r), -1 error (logged; the caller must fail closed).
 * Free *r with cg_manifest_report_free() whatever the result. */
int cg_manifest_verify_dirs(const char *manifest, const struct cg_strlist *dirs,
			    struct cg_manifest_report *r, const struct cg_logger *log);

/* The same with explicit options.  dirs NULL or empty: the manifest's own
 * `dir` lines, or, when it has none, exactly the files it lists. */
int cg_manifest_verify(const char *manifest, const struct cg_strlist *dirs,
		       const struct cg_manifest_opts *o, struct cg_manifest_report *r,
		       const struct cg_logger *log);

/* Writes a manifest of every regular file under dirs (directories or single
 * files) to out, sorted by path.  Findings are what verify would report
 * about the tree as it is (writable, not root-owned, symlink out, special).
 * Returns 0 written and clean, 1 written with findings, -1 error (logged). */
int cg_manifest_create(const struct cg_strlist *dirs, FILE *out,
		       struct cg_manifest_report *r, const struct cg_logger *log);

void cg_manifest_report_free(struct cg_manifest_report *r);
/* Short name of a kind: "changed", "new", "vanished", ... */
const char *cg_mf_kind_name(enum cg_mf_kind k);
/* One line per finding: "manifest: PATH: KIND: DETAIL". */
void cg_manifest_log_findings(const struct cg_manifest_report *r, const struct cg_logger *log,
			      int prio);

#endif
