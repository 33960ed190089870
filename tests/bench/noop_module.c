/* noop_module.c - a PAM module that does nothing, for bench_jobstart.
 *
 * Every module listed in a PAM stack costs each job start its loading
 * (dlopen, relocation, the lines libpam parses) and unloading, whatever it
 * does.  bench_jobstart runs this one in pam_cronguard's three lines
 * (CG_MODULE=noop: what any module there costs; CG_BENCH_BASELINE_MODULE=noop:
 * what pam_cronguard costs beyond that), so the module's own price can be
 * told apart from the price of being a module at all.  PAM_IGNORE: it
 * never changes the stack's result. */
#include <security/pam_modules.h>

#define CG_NOOP(fn)                                                             \
	__attribute__((visibility("default"))) int fn(pam_handle_t *pamh, int flags, \
						      int argc, const char **argv) \
	{                                                                       \
		(void)pamh;                                                     \
		(void)flags;                                                    \
		(void)argc;                                                     \
		(void)argv;                                                     \
		return PAM_IGNORE;                                              \
	}

CG_NOOP(pam_sm_authenticate)
CG_NOOP(pam_sm_setcred)
CG_NOOP(pam_sm_acct_mgmt)
CG_NOOP(pam_sm_open_session)
CG_NOOP(pam_sm_close_session)
