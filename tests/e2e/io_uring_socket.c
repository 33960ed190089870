/* io_uring_socket.c - the io_uring attack of test_cron_attacks.sh.
 *
 * Opens an AF_INET TCP socket with IORING_OP_SOCKET through the raw
 * io_uring syscalls: no socket() call is made, so a seccomp filter on
 * socket() alone never sees it.  Compiled by the test at run time and run
 * as a cron job.  Prints one line and exits:
 *   io_uring-socket ok fd=N          the kernel opened the socket (attack works)
 *   io_uring-socket denied: STEP: E  a step failed (attack blocked)
 * Exit status 0 only when the socket was opened. */
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *step, int err)
{
	printf("io_uring-socket denied: %s: %s\n", step, strerror(err));
	return 1;
}

static void *at(void *base, unsigned off)
{
	return (char *)base + off;
}

int main(void)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	size_t sq_len, cq_len, sqe_len;
	void *sq, *cq, *sqes;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_mask;
	unsigned idx;
	int ring;

	memset(&p, 0, sizeof(p));
	ring = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (ring < 0)
		return fail("io_uring_setup", errno);
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sqe_len = p.sq_entries * sizeof(struct io_uring_sqe);
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return fail("mmap sq", errno);
	cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_CQ_RING);
	if (cq == MAP_FAILED)
		return fail("mmap cq", errno);
	sqes = mmap(NULL, sqe_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		    IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return fail("mmap sqes", errno);

	sq_tail = at(sq, p.sq_off.tail);
	sq_mask = at(sq, p.sq_off.ring_mask);
	sq_array = at(sq, p.sq_off.array);
	idx = *sq_tail & *sq_mask;
	sqe = (struct io_uring_sqe *)sqes + idx;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = AF_INET;
	sqe->off = SOCK_STREAM;
	sqe->len = 0;
	sq_array[idx] = idx;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);

	if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return fail("io_uring_enter", errno);
	cq_head = at(cq, p.cq_off.head);
	cq_mask = at(cq, p.cq_off.ring_mask);
	cqe = (struct io_uring_cqe *)at(cq, p.cq_off.cqes) +
	      (__atomic_load_n(cq_head, __ATOMIC_ACQUIRE) & *cq_mask);
	if (cqe->res < 0)
		return fail("IORING_OP_SOCKET", -cqe->res);
	printf("io_uring-socket ok fd=%d\n", cqe->res);
	return 0;
}
