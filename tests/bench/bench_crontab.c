/* bench_crontab.c - how fast the crontab reader and `cronguard audit` are.
 *
 * 1. Parse throughput: a synthetic 5000-line crontab (jobs, variables,
 *    comments, @specials, '%' input) parsed repeatedly by cg_crontab_parse;
 *    target >= 1,000,000 lines/s.  Baseline in the same run: counting the
 *    buffer's lines with memchr (the cost of merely touching every byte).
 * 2. Full audit: a synthetic root with 10,000 users each owning a spool
 *    crontab, audited with `cronguard audit --root DIR --format json`;
 *    target <= 2 s.  Baseline in the same run: opening and reading every
 *    one of those crontabs (the I/O floor).
 * Needs root for part 2 (the crontabs must belong to their users).
 * Usage: bench_crontab [CRONGUARD]   (default CG_BINARY_DIR/cronguard) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crontab.h"

enum { LINES = 5000, USERS = 10000 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *synth(size_t *len)
{
	static const char *const lines[] = {
		"# m h  dom mon dow   command\n",
		"MAILTO=\"ops@example.org\"\n",
		"PATH=/usr/local/bin:/usr/bin:/bin\n",
		"*/5 * * * * /usr/local/bin/poll --quiet >/dev/null 2>&1\n",
		"0 3 * * mon-fri /usr/bin/backup --full /srv/data\n",
		"15,45 8-18 * jan-jun,sep-dec * cd /srv && ./report.sh\n",
		"@daily /usr/bin/find /tmp -mtime +7 -delete\n",
		"30 2 1 * * mail -s \"monthly\" root%Report attached%\n",
		"\n",
		"17 * * * * date +\\%s >> /var/log/stamp\n",
	};
	size_t cap = LINES * 64, o = 0;
	char *buf = malloc(cap);

	if (!buf)
		exit(2);
	for (size_t i = 0; i < LINES; i++) {
		const char *l = lines[i % (sizeof(lines) / sizeof(lines[0]))];
		size_t n = strlen(l);

		memcpy(buf + o, l, n);
		o += n;
	}
	*len = o;
	return buf;
}

static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_parse(void)
{
	size_t len, rounds = 400, nl = 0;
	char *text = synth(&len);
	double t0 = now();

	for (size_t r = 0; r < rounds; r++)
		for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))); p++)
			nl++;
	double base = now() - t0;

	t0 = now();
	double c0 = cpu();
	size_t jobs = 0;

	for (size_t r = 0; r < rounds; r++) {
		struct cg_crontab ct;

		if (cg_crontab_parse(&ct, "bench", CG_CRONTAB_USER, text, len, NULL, NULL, NULL) < 0) {
			fprintf(stderr, "synthetic crontab does not load\n");
			exit(2);
		}
		jobs += ct.n;
		cg_crontab_free(&ct);
	}
	double t = now() - t0, c = cpu() - c0;
	double lps = (double)(LINES * rounds) / t;

	printf("parse: %zu lines x %zu rounds in %.3f s = %.2f M lines/s (%zu entries/round) "
	       "[target >= 1.00 M lines/s: %s]\n", (size_t)LINES, rounds, t, lps / 1e6, jobs / rounds,
	       lps >= 1e6 ? "met" : "MISSED");
	printf("parse: CPU time %.3f s = %.2f M lines/s per CPU second\n", c,
	       (double)(LINES * rounds) / c / 1e6);
	printf("parse baseline (memchr line count, same buffer): %.2f M lines/s (%zu lines)\n",
	       (double)nl / base / 1e6, nl);
	free(text);
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void write_file(const char *path, const char *text, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	close(fd);
}

static void bench_audit(const char *cg)
{
	char dir[] = "/tmp/cg-bench.XXXXXX", path[512], cmd[1024];

	if (geteuid() != 0) {
		printf("audit: skipped (needs root to give each crontab its owner)\n");
		return;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/etc/cron.d %s/etc/pam.d %s/var/spool/cron/crontabs "
		 "%s/usr/bin %s/home && chmod 0755 %s && chmod 1730 %s/var/spool/cron/crontabs",
		 dir, dir, dir, dir, dir, dir, dir);
	if (run(cmd) != 0)
		exit(2);
	/* passwd and group with 10,000 users */
	size_t cap = (size_t)USERS * 80 + 256, o = 0;
	char *pw = malloc(cap), *gr = malloc(cap);

	if (!pw || !gr)
		exit(2);
	o = (size_t)snprintf(pw, cap, "root:x:0:0:root:/root:/bin/bash\n");
	for (int i = 0; i < USERS; i++)
		o += (size_t)snprintf(pw + o, cap - o, "u%d:x:%d:%d::/home/u%d:/bin/sh\n", i, 20000 + i,
				      20000 + i, i);
	snprintf(path, sizeof(path), "%s/etc/passwd", dir);
	write_file(path, pw, 0644, 0, 0);
	o = (size_t)snprintf(gr, cap, "root:x:0:\ncrontab:x:101:\n");
	for (int i = 0; i < USERS; i++)
		o += (size_t)snprintf(gr + o, cap - o, "u%d:x:%d:\n", i, 20000 + i);
	snprintf(path, sizeof(path), "%s/etc/group", dir);
	write_file(path, gr, 0644, 0, 0);
	snprintf(path, sizeof(path), "%s/usr/bin/backup", dir);
	write_file(path, "#!/bin/sh\n", 0755, 0, 0);
	for (int i = 0; i < USERS; i++) {
		char tab[512];

		snprintf(tab, sizeof(tab), "# DO NOT EDIT THIS FILE\n# (x installed)\n# (Cron version)\n"
			 "MAILTO=\"\"\nPATH=/usr/bin:/bin\n%d * * * * /usr/bin/backup --user u%d\n"
			 "@daily cd /home/u%d && /usr/bin/backup --tidy\n", i % 60, i, i);
		snprintf(path, sizeof(path), "%s/var/spool/cron/crontabs/u%d", dir, i);
		write_file(path, tab, 0600, (uid_t)(20000 + i), 101);
	}
	/* Baseline: read every crontab once (page cache warm after writing). */
	double t0 = now();
	size_t bytes = 0;

	for (int i = 0; i < USERS; i++) {
		char buf[4096];
		ssize_t n;

		snprintf(path, sizeof(path), "%s/var/spool/cron/crontabs/u%d", dir, i);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0)
			exit(2);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += (size_t)n;
		close(fd);
	}
	double base = now() - t0;

	snprintf(cmd, sizeof(cmd), "%s audit --root %s --format json > %s/report.json", cg, dir, dir);
	t0 = now();
	int rc = run(cmd);
	double t = now() - t0;

	snprintf(path, sizeof(path), "%s/report.json", dir);
	struct stat st;

	printf("audit: %d user crontabs in %.3f s (exit %d, report %lld bytes) [target <= 2 s: %s]\n",
	       USERS, t, rc, stat(path, &st) == 0 ? (long long)st.st_size : -1LL,
	       t <= 2.0 && rc >= 0 && rc <= 1 ? "met" : "MISSED");
	printf("audit baseline (open+read each crontab): %.3f s (%zu bytes)\n", base, bytes);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (run(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(pw);
	free(gr);
}

int main(int argc, char **argv)
{
	const char *cg = argc > 1 ? argv[1] : CG_BINARY_DIR "/cronguard";

	bench_parse();
	bench_audit(cg);
	return 0;
}
