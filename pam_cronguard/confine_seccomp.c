/* confine_seccomp.c - a classic-BPF seccomp filter for what Landlock cannot
 * see: io_uring (which opens sockets without calling socket()), and the
 * socket families and protocols that would bypass the plan's network rules
 * (UDP, SCTP, MPTCP, raw and packet sockets; Landlock ABI 4 covers TCP only).
 *
 * Built here in C, not with libseccomp: the filter is a dozen instructions
 * chosen from four plan bits, libseccomp would be loaded into every cron
 * job (FIELD-NOTES 2: dlopen of libseccomp+libcap-ng about 2 ms per job)
 * and its generated filter cost 1.0 ms to build and load against 0.33 ms
 * for a precompiled one on the dev VM.  The price is that the architecture
 * check and the syscall numbers are ours to get right, hence one variant
 * per supported architecture below, and a build for any other architecture
 * fails closed at apply time rather than run a filter with wrong numbers.
 *
 * The filter:
 *   arch != native            -> kill the process (no i386/x32 back door:
 *                                syscall numbers differ, socketcall exists)
 *   nr >= io_uring_setup:
 *     x32 syscall numbers     -> ENOSYS (x86_64)
 *     io_uring_setup/enter/register -> EPERM, always
 *   socket(), network confined:
 *     AF_UNIX, AF_NETLINK     -> allowed
 *     AF_INET, AF_INET6: with port rules, SOCK_STREAM with protocol 0 or
 *       IPPROTO_TCP allowed (Landlock checks the ports); SOCK_DGRAM with 0
 *       or IPPROTO_UDP only when the plan allows udp; anything else
 *       (MPTCP, SCTP, raw, UDP-lite) -> EACCES
 *     everything else, and inet with network none -> EACCES
 *   sendto/sendmsg/sendmmsg with MSG_FASTOPEN, when port rules apply -> EACCES
 *     (TCP Fast Open connects without connect(): Landlock does not see it)
 *   socketpair() is left alone: it only ever makes local socket pairs.
 *   everything else           -> allowed */
#include "confine.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#define SYS_io_uring_enter 426
#define SYS_io_uring_register 427
#endif
/* The filter denies them as one range. */
_Static_assert(SYS_io_uring_enter == SYS_io_uring_setup + 1 &&
	       SYS_io_uring_register == SYS_io_uring_setup + 2,
	       "io_uring syscalls are not consecutive on this architecture");

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

#if defined(__x86_64__)
#define CG_SECCOMP_ARCH AUDIT_ARCH_X86_64
#define CG_X32_SYSCALL_BIT 0x40000000U
#elif defined(__aarch64__)
#define CG_SECCOMP_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef CG_SECCOMP_ARCH

/* The int arguments (socket domain, type, protocol; send flags): the low
 * 32 bits of args[i], which is all the kernel looks at. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * sizeof(__u64))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * sizeof(__u64) + sizeof(__u32))
#endif

enum { MAX_INSNS = 64 };

struct prog {
	struct sock_filter v[MAX_INSNS];
	unsigned short n;
	bool overflow;
};

static void emit(struct prog *f, unsigned short code, unsigned k, unsigned char jt,
		 unsigned char jf)
{
	if (f->n >= MAX_INSNS) {
		f->overflow = true;
		return;
	}
	f->v[f->n++] = (struct sock_filter){ code, jt, jf, k };
}

#define LD(f, off)        emit(f, BPF_LD | BPF_W | BPF_ABS, (unsigned)(off), 0, 0)
#define RET(f, val)       emit(f, BPF_RET | BPF_K, (val), 0, 0)
#define AND(f, k)         emit(f, BPF_ALU | BPF_AND | BPF_K, (k), 0, 0)
/* if A == k: run the next instruction (a RET), else skip it */
#define IF_EQ_RET(f, k, val) do { \
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(k), 0, 1); RET(f, val); } while (0)

#define ALLOW        SECCOMP_RET_ALLOW
#define DENY(e)      (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))

/* socket(AF_INET*, type, proto): type & 0xf (the kernel's SOCK_TYPE_MASK,
 * the rest is SOCK_NONBLOCK|SOCK_CLOEXEC) must be `type`, proto one of two. */
static void inet_type(struct prog *f, unsigned type, unsigned proto)
{
	/* A holds type & 0xf.  Five instructions follow the jump. */
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, type, 0, 5);
	LD(f, ARG_LO(2));
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, proto, 0, 1);
	RET(f, ALLOW);
	RET(f, DENY(EACCES));
}

/* if nr == syscall and its flags argument has MSG_FASTOPEN: EACCES.  Ends
 * with A = nr again for the checks that follow. */
static void fastopen(struct prog *f, unsigned nr, unsigned flags_arg)
{
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 4);
	LD(f, ARG_LO(flags_arg));
	emit(f, BPF_JMP | BPF_JSET | BPF_K, MSG_FASTOPEN, 0, 1);
	RET(f, DENY(EACCES));
	LD(f, offsetof(struct seccomp_data, nr));
}

static void build(struct prog *f, const struct cg_plan *p, bool filter_sockets)
{
	bool ports = p->network.connect.n || p->network.bind.n;
	bool udp = p->network.udp;

	LD(f, offsetof(struct seccomp_data, arch));
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, CG_SECCOMP_ARCH, 1, 0);
	RET(f, SECCOMP_RET_KILL_PROCESS);
	LD(f, offsetof(struct seccomp_data, nr));
	/* One compare sends every syscall below io_uring's three (all the
	 * socket calls too) past the block that follows.  Fewer instructions
	 * on the common path matter at load time: the kernel runs the filter
	 * once per syscall number for its action cache, and JIT-compiles it,
	 * in every job (about 1 us per instruction here). */
#ifdef CG_X32_SYSCALL_BIT
	emit(f, BPF_JMP | BPF_JGE | BPF_K, SYS_io_uring_setup, 0, 4);
	emit(f, BPF_JMP | BPF_JGE | BPF_K, CG_X32_SYSCALL_BIT, 0, 1);
	RET(f, DENY(ENOSYS));
#else
	emit(f, BPF_JMP | BPF_JGE | BPF_K, SYS_io_uring_setup, 0, 2);
#endif
	/* io_uring_setup, _enter and _register are 425, 426 and 427. */
	emit(f, BPF_JMP | BPF_JGT | BPF_K, SYS_io_uring_register, 1, 0);
	RET(f, DENY(EPERM));
	if (!filter_sockets) {
		RET(f, ALLOW);
		return;
	}
	if (ports) {
		/* TCP Fast Open: sendto/sendmsg/sendmmsg with MSG_FASTOPEN
		 * connect without connect(), and Landlock's port rules never
		 * see it (measured on 6.18: a connection to a port outside
		 * tcp-connect went through).  TCP_FASTOPEN_CONNECT is fine:
		 * it connects through connect(). */
		fastopen(f, SYS_sendto, 3);
		fastopen(f, SYS_sendmsg, 2);
		fastopen(f, SYS_sendmmsg, 3);
	}
	emit(f, BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 1, 0);
	RET(f, ALLOW);
	LD(f, ARG_LO(0));
	IF_EQ_RET(f, AF_UNIX, ALLOW);
	IF_EQ_RET(f, AF_NETLINK, ALLOW);
	if (ports || udp) {
		emit(f, BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0);
		emit(f, BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0);
		RET(f, DENY(EACCES));
		LD(f, ARG_LO(1));
		AND(f, 0xf);
		if (ports)
			inet_type(f, SOCK_STREAM, IPPROTO_TCP);
		if (udp)
			inet_type(f, SOCK_DGRAM, IPPROTO_UDP);
	}
	RET(f, DENY(EACCES));
}

int cg_confine_seccomp(const struct cg_plan *p, bool mail_safe, const struct cg_logger *log)
{
	struct prog f = { .n = 0 };
	/* mail_safe: cron's mailer inherits this filter.  A local exim4 may
	 * resolve names over UDP and a smarthost setup speaks TCP to any
	 * port, so only io_uring and the architecture check stay; the TCP
	 * ports of the plan remain Landlock's (see confine_job.c). */
	bool sockets = cg_plan_network_confined(p) && !mail_safe;
	struct sock_fprog prog;

	build(&f, p, sockets);
	if (f.overflow) {
		cg_logf(log, LOG_ERR, "seccomp: filter longer than %d instructions", MAX_INSNS);
		return -1;
	}
	prog.len = f.n;
	prog.filter = f.v;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0UL, 0UL) < 0) {
		/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. */
		if (errno != EACCES || mail_safe || cg_confine_nnp(log) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0UL, 0UL) < 0) {
			cg_logf(log, LOG_ERR, "seccomp: load filter: %m");
			return -1;
		}
	}
	cg_logf(log, LOG_DEBUG, "seccomp: %u instructions: io_uring denied%s", f.n,
		!sockets ? "" : p->network.connect.n || p->network.bind.n
		? p->network.udp ? ", inet: TCP and UDP only" : ", inet: TCP only"
		: p->network.udp ? ", inet: UDP only" : ", no internet sockets");
	return 0;
}

#else /* no filter variant for this architecture */

int cg_confine_seccomp(const struct cg_plan *p, bool mail_safe, const struct cg_logger *log)
{
	(void)p;
	(void)mail_safe;
	cg_logf(log, LOG_ERR, "seccomp: no filter for this architecture in this build: "
		"refusing to run the job without one");
	return -1;
}

#endif
