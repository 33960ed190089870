/* test_landlock_abi.c - best-effort downgrade on older Landlock ABIs: what
 * the kernel cannot enforce is dropped with a log line, unless the plan is
 * strict.  The kernel here has ABI 7; cg_landlock_abi_limit pretends less. */
#include "confine_test.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "confine.h"

TestSuite(abi, .init = cgt_setup, .fini = cgt_teardown);

static int connect_port(void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return SETUP_IDENTITY;
	sa.sin_port = htons((uint16_t)*(int *)arg);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return ATTACK_OK;
	return errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

/* Runs a job with the ABI limited in the child only. */
static int run_at(int abi, const char *policy, cgt_attack_fn attack, void *arg, bool refuse)
{
	struct cgt_job j = { policy, "nobody", attack, arg, false, refuse ? -1 : 0, false };

	cg_landlock_abi_limit = abi;   /* inherited by the forked child */
	return cgt_run(&j);
}

Test(abi, port_rules_need_abi_4)
{
	cgt_need_abi(4);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port;
	const char *lenient = "[default]\nnetwork = tcp-connect:1\n";
	const char *strict = "[default]\nnetwork = tcp-connect:1\nstrict = yes\n";

	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(fd, 4), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	cr_assert_eq(run_at(0, lenient, connect_port, &port, false), ATTACK_BLOCKED,
		     "ABI 7: the port rule holds");
	cr_assert_eq(run_at(3, lenient, connect_port, &port, false), ATTACK_OK,
		     "ABI 3, lenient: port rules dropped, the job runs");
	cr_assert_eq(run_at(3, strict, NULL, NULL, true), ATTACK_BLOCKED,
		     "ABI 3, strict: the job is refused");
	cr_assert_eq(run_at(4, strict, connect_port, &port, false), ATTACK_BLOCKED,
		     "ABI 4, strict: enforced");
	close(fd);
}

static int still_runs(void *arg)
{
	(void)arg;
	return ATTACK_OK;
}

Test(abi, scoping_needs_abi_6)
{
	cgt_need_abi(6);
	const char *strict = "[default]\nscope = signals\nstrict = yes\n";

	cr_assert_eq(run_at(5, "[default]\nscope = signals\n", still_runs, NULL, false), ATTACK_OK);
	cr_assert_eq(run_at(5, strict, NULL, NULL, true), ATTACK_BLOCKED);
	cr_assert_eq(run_at(6, strict, still_runs, NULL, false), ATTACK_OK);
}

Test(abi, write_rules_need_abi_5_when_strict)
{
	cgt_need_abi(5);
	const char *strict = "[default]\nwrite = /tmp\nstrict = yes\n";

	/* ABI 2: no truncate rule; ABI 4: no device ioctl rule */
	cr_assert_eq(run_at(2, "[default]\nwrite = /tmp\n", still_runs, NULL, false), ATTACK_OK);
	cr_assert_eq(run_at(2, strict, NULL, NULL, true), ATTACK_BLOCKED);
	cr_assert_eq(run_at(4, strict, NULL, NULL, true), ATTACK_BLOCKED);
	cr_assert_eq(run_at(5, strict, still_runs, NULL, false), ATTACK_OK);
}
