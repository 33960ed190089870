/* test_net.c - network attacks against a confined job: TCP with network
 * none, a port outside the plan's list, an internet socket through
 * io_uring, and the protocols Landlock does not see (UDP, MPTCP). */
#include "confine_test.h"

#include <linux/io_uring.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

TestSuite(net);

/* A listener on 127.0.0.1, started by the test; returns its port. */
static int listener(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(fd, 16), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static int tcp_connect(void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
	sa.sin_port = htons((uint16_t)*(int *)arg);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		return ATTACK_OK;
	}
	close(fd);
	return errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

Test(net, tcp_connect_with_network_none)
{
	int port, fd = listener(&port);

	cgt_expect_blocked("TCP connect with network = none", "[default]\nnetwork = none\n",
			   "nobody", tcp_connect, &port);
	close(fd);
}

Test(net, tcp_connect_outside_the_port_list)
{
	cgt_need_abi(4);
	int denied, allowed;
	int fd1 = listener(&denied), fd2 = listener(&allowed);
	const char *pol = cgt_policy("[default]\nnetwork = tcp-connect:%d\n", allowed);
	struct cgt_job ok = { pol, "nobody", tcp_connect, &allowed, false, 0, false };

	cgt_expect_blocked("TCP connect to a port outside tcp-connect", pol, "nobody",
			   tcp_connect, &denied);
	cr_assert_eq(cgt_run(&ok), ATTACK_OK, "the listed port must stay reachable");
	close(fd1);
	close(fd2);
}

/* The rings are laid out by the kernel at the offsets it reports, aligned. */
static void *at(void *base, unsigned off)
{
	return (char *)base + off;
}

/* Opens an AF_INET socket with IORING_OP_SOCKET: no socket() call, so a
 * socket() filter alone never sees it. */
static int io_uring_socket(void *arg)
{
	(void)arg;
	struct io_uring_params p = { 0 };
	int ring = (int)syscall(SYS_io_uring_setup, 4, &p);
	size_t sq_len, cq_len, sqe_len;
	void *sq, *cq, *sqes;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned *sq_tail, *sq_array, *cq_head, *cq_mask;

	if (ring < 0)
		return errno == EPERM ? ATTACK_BLOCKED : SETUP_IDENTITY;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sqe_len = p.sq_entries * sizeof(struct io_uring_sqe);
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_CQ_RING);
	sqes = mmap(NULL, sqe_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		    IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return SETUP_IDENTITY;
	sqe = sqes;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = AF_INET;
	sqe->off = SOCK_STREAM;
	sqe->len = 0;
	sq_array = at(sq, p.sq_off.array);
	sq_tail = at(sq, p.sq_off.tail);
	sq_array[0] = 0;
	__atomic_store_n(sq_tail, 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return errno == EPERM ? ATTACK_BLOCKED : SETUP_IDENTITY;
	cq_head = at(cq, p.cq_off.head);
	cq_mask = at(cq, p.cq_off.ring_mask);
	cqe = (struct io_uring_cqe *)at(cq, p.cq_off.cqes) + (*cq_head & *cq_mask);
	return cqe->res >= 0 ? ATTACK_OK : cqe->res == -EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

Test(net, inet_socket_through_io_uring)
{
	/* Baseline without any confinement: io_uring opens the socket.  Every
	 * confined job, even one with network = any, loses io_uring. */
	struct cgt_job open = { UNCONFINED, "nobody", io_uring_socket, NULL, false, 0, true };
	struct cgt_job none = { "[default]\nnetwork = none\n", "nobody", io_uring_socket, NULL,
				false, 0, false };
	struct cgt_job any = { UNCONFINED, "nobody", io_uring_socket, NULL, false, 0, false };

	int rc = cgt_run(&open);

	if (rc == ATTACK_BLOCKED)
		cr_skip_test("io_uring is disabled on this host (kernel.io_uring_disabled)");
	cr_assert_eq(rc, ATTACK_OK, "io_uring should open an inet socket unconfined");
	cr_assert_eq(cgt_run(&none), ATTACK_BLOCKED, "io_uring with network = none");
	cr_assert_eq(cgt_run(&any), ATTACK_BLOCKED, "io_uring is denied in every confined job");
}

/* The filter denies io_uring as the range 425..427 and x32 numbers above
 * it: check both ends and the neighbours.  Every call gets fd -1, so
 * nothing happens when it passes; what matters is whose errno comes back:
 * EPERM is the filter's for io_uring (the kernel says EBADF, EFAULT or
 * EINVAL), and the neighbours must reach the kernel (never EPERM/ENOSYS). */
static int syscall_edges(void *arg)
{
	static const long io_uring[] = { SYS_io_uring_setup, SYS_io_uring_enter,
					 SYS_io_uring_register };
	static const long neighbours[] = { 424 /* pidfd_send_signal */, 428 /* open_tree */ };
	bool confined = *(bool *)arg;

	for (size_t i = 0; i < 3; i++) {
		errno = 0;
		if (syscall(io_uring[i], -1L, 0L, 0L, 0L, 0L, 0L) != -1 ||
		    (errno == EPERM) != confined) {
			fprintf(stderr, "syscall %ld: errno %d\n", io_uring[i], errno);
			return SETUP_IDENTITY;
		}
	}
	for (size_t i = 0; i < 2; i++) {
		errno = 0;
		if (syscall(neighbours[i], -1L, 0L, 0L, 0L, 0L, 0L) != -1 || errno == EPERM ||
		    errno == ENOSYS) {
			fprintf(stderr, "syscall %ld: errno %d\n", neighbours[i], errno);
			return SETUP_IDENTITY;
		}
	}
#ifdef __x86_64__
	/* x32 getpid: ENOSYS from the filter (or from a kernel without x32). */
	errno = 0;
	if (syscall(0x40000000L | 39, 0L) != -1 || errno != ENOSYS)
		return SETUP_IDENTITY;
#endif
	return confined ? ATTACK_BLOCKED : ATTACK_OK;
}

Test(net, seccomp_filter_edges)
{
	bool no = false, yes = true;
	struct cgt_job open = { UNCONFINED, "nobody", syscall_edges, &no, false, 0, true };
	struct cgt_job any = { UNCONFINED, "nobody", syscall_edges, &yes, false, 0, false };
	struct cgt_job none = { "[default]\nnetwork = none\n", "nobody", syscall_edges, &yes,
				false, 0, false };
	int rc = cgt_run(&open);

	if (rc != ATTACK_OK)
		cr_skip_test("io_uring or x32 behave differently on this host (%d)", rc);
	cr_assert_eq(cgt_run(&any), ATTACK_BLOCKED, "filter edges, network = any");
	cr_assert_eq(cgt_run(&none), ATTACK_BLOCKED, "filter edges, network = none");
}

struct sock_args {
	int domain, type, proto;
};

static int open_socket(void *arg)
{
	const struct sock_args *a = arg;
	int fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->proto);

	if (fd >= 0) {
		close(fd);
		return ATTACK_OK;
	}
	return errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

Test(net, udp_needs_the_udp_keyword)
{
	struct sock_args udp = { AF_INET6, SOCK_DGRAM, 0 };
	struct cgt_job with = { "[default]\nnetwork = tcp-connect:443 udp\n", "nobody", open_socket,
				&udp, false, 0, false };

	cgt_expect_blocked("UDP socket with TCP-only port rules",
			   "[default]\nnetwork = tcp-connect:443\n", "nobody", open_socket, &udp);
	cr_assert_eq(cgt_run(&with), ATTACK_OK, "network = ... udp allows UDP");
}

Test(net, mptcp_and_raw_bypass_port_rules)
{
	struct sock_args mptcp = { AF_INET, SOCK_STREAM, IPPROTO_MPTCP };
	struct sock_args packet = { AF_PACKET, SOCK_RAW, 0 };
	struct sock_args tcp = { AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP };
	struct sock_args unix_ = { AF_UNIX, SOCK_DGRAM, 0 };
	const char *pol = "[default]\nnetwork = tcp-connect:443\n";
	struct cgt_job ok_tcp = { pol, "nobody", open_socket, &tcp, false, 0, false };
	struct cgt_job ok_unix = { pol, "nobody", open_socket, &unix_, false, 0, false };

	FILE *f = fopen("/proc/sys/net/mptcp/enabled", "re");
	int mptcp_on = 0;

	if (f) {
		if (fscanf(f, "%d", &mptcp_on) != 1)
			mptcp_on = 0;
		fclose(f);
	}
	if (mptcp_on == 1)
		cgt_expect_blocked("MPTCP socket with port rules", pol, "nobody", open_socket,
				   &mptcp);
	else
		cr_log_warn("MPTCP is off on this host: its case is not exercised");
	cgt_expect_blocked("packet socket (root) with port rules", pol, "root", open_socket, &packet);
	cr_assert_eq(cgt_run(&ok_tcp), ATTACK_OK, "plain TCP stays (Landlock checks its ports)");
	cr_assert_eq(cgt_run(&ok_unix), ATTACK_OK, "unix sockets stay");
}

Test(net, network_none_keeps_unix_sockets)
{
	struct sock_args unix_ = { AF_UNIX, SOCK_STREAM, 0 };
	struct cgt_job j = { "[default]\nnetwork = none\n", "nobody", open_socket, &unix_, false, 0,
			     false };

	cr_assert_eq(cgt_run(&j), ATTACK_OK);
}

/* mail_safe (no job-process hook: cron's middle process is confined and its
 * mailer inherits it): the socket() filter is off, so UDP works even with
 * network none, TCP stays limited by Landlock (SMTP ports only), io_uring
 * stays denied. */
Test(net, mail_safe_differences)
{
	cgt_need_abi(4);
	struct sock_args udp = { AF_INET, SOCK_DGRAM, 0 };
	int port, fd = listener(&port);
	const char *pol = "[default]\nnetwork = none\n";
	struct cgt_job job_udp = { pol, "nobody", open_socket, &udp, false, 0, false };
	struct cgt_job mail_udp = { pol, "nobody", open_socket, &udp, true, 0, false };
	struct cgt_job mail_tcp = { pol, "nobody", tcp_connect, &port, true, 0, false };
	struct cgt_job mail_uring = { pol, "nobody", io_uring_socket, NULL, true, 0, false };

	cr_assert_eq(cgt_run(&job_udp), ATTACK_BLOCKED, "job process: no UDP with network none");
	cr_assert_eq(cgt_run(&mail_udp), ATTACK_OK, "mail-safe: UDP left open for the MTA");
	cr_assert_eq(cgt_run(&mail_tcp), ATTACK_BLOCKED, "mail-safe: TCP still limited by Landlock");
	cr_assert_eq(cgt_run(&mail_uring), ATTACK_BLOCKED, "mail-safe: io_uring still denied");
	close(fd);
}

/* TCP Fast Open: sendto(MSG_FASTOPEN) connects without connect(), past
 * Landlock's connect rules; the seccomp filter closes it. */
static int fastopen_connect(void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return SETUP_IDENTITY;
	sa.sin_port = htons((uint16_t)*(int *)arg);
	if (sendto(fd, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&sa, sizeof(sa)) == 1) {
		close(fd);
		return ATTACK_OK;
	}
	close(fd);
	return errno == EACCES ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

Test(net, tcp_fast_open_outside_the_port_list)
{
	int port, fd = listener(&port);

	cgt_need_abi(4);
	cgt_expect_blocked("TCP Fast Open to a port outside tcp-connect",
			   "[default]\nnetwork = tcp-connect:1\n", "nobody", fastopen_connect, &port);
	close(fd);
}
