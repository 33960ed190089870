/* policy_keys.c - names of keys, rlimits and capabilities.
 *
 * The tables are ours rather than <linux/capability.h>'s and libcap's so the
 * module links no capability library and the language does not change with
 * the build machine's headers. */
#include "policy_keys.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

static const struct cg_key_info keys[CG_KEY_COUNT] = {
	[CG_KEY_MODE] = { "mode", CG_V_MODE, false,
		"enforce, complain (log what would be denied) or off" },
	[CG_KEY_ALLOW] = { "allow", CG_V_BOOL, false,
		"may this user's jobs run at all" },
	[CG_KEY_STRICT] = { "strict", CG_V_BOOL, false,
		"deny the job when the kernel lacks a feature the plan uses" },
	[CG_KEY_EXEC] = { "exec", CG_V_PATHS, true,
		"directories and files the job may execute" },
	[CG_KEY_INTERPRETERS] = { "interpreters", CG_V_PATHS, true,
		"shells and interpreters the job may run (and SHELL= may name)" },
	[CG_KEY_READ] = { "read", CG_V_PATHS, true,
		"paths the job may read" },
	[CG_KEY_WRITE] = { "write", CG_V_PATHS, true,
		"paths the job may write (never executable)" },
	[CG_KEY_NETWORK] = { "network", CG_V_NETWORK, true,
		"none, any, or tcp-connect:PORTS tcp-bind:PORTS udp" },
	[CG_KEY_CAPABILITIES] = { "capabilities", CG_V_CAPS, true,
		"capabilities a root job keeps" },
	[CG_KEY_NO_NEW_PRIVS] = { "no_new_privs", CG_V_BOOL, false,
		"setuid binaries and file capabilities grant nothing" },
	[CG_KEY_PRIVATE_TMP] = { "private_tmp", CG_V_BOOL, false,
		"private noexec /tmp and /var/tmp" },
	[CG_KEY_PROTECT_SYSTEM] = { "protect_system", CG_V_BOOL, false,
		"/usr, /etc and /boot mounted read-only for the job" },
	[CG_KEY_SCOPE] = { "scope", CG_V_SCOPE, true,
		"signals, abstract-unix: confine IPC to the job's own processes" },
	[CG_KEY_ENV_DENY] = { "env.deny", CG_V_ENV_PATTERNS, true,
		"environment variables a job may not get (globs)" },
	[CG_KEY_ENV_SET] = { "env.set", CG_V_ENV_ASSIGN, true,
		"environment variables every job gets" },
	[CG_KEY_PATH] = { "path", CG_V_DIRS, true,
		"directories a crontab PATH= may contain" },
	[CG_KEY_UMASK] = { "umask", CG_V_OCTAL, false,
		"file mode creation mask of the job" },
	[CG_KEY_NICE] = { "nice", CG_V_NICE, false,
		"scheduling priority of the job (-20..19)" },
	[CG_KEY_LIMIT] = { "limit", CG_V_LIMIT, false,
		"resource limit (limit.nofile, limit.cpu, ...)" },
	[CG_KEY_APPARMOR] = { "apparmor", CG_V_NAME, false,
		"AppArmor profile the job runs under" },
	[CG_KEY_SELINUX] = { "selinux", CG_V_NAME, false,
		"SELinux domain type of the job" },
	[CG_KEY_MANIFEST] = { "manifest", CG_V_PATH, false,
		"checksum manifest the job's scripts must match" },
	[CG_KEY_MAIL] = { "mail", CG_V_BOOL, false,
		"cron must still be able to mail the job's output" },
};

const struct cg_key_info *cg_key_info(enum cg_key k)
{
	if ((int)k < 0 || k >= CG_KEY_COUNT)
		return NULL;
	return &keys[k];
}

int cg_key_lookup(const char *name, int *resource)
{
	if (strncmp(name, "limit.", 6) == 0) {
		int r = cg_limit_lookup(name + 6);

		if (r < 0)
			return -1;
		if (resource)
			*resource = r;
		return CG_KEY_LIMIT;
	}
	/* The first byte first: every job start looks up every key of the
	 * policy, and most names differ there. */
	for (int k = 0; k < CG_KEY_COUNT; k++)
		if (keys[k].name[0] == name[0] && k != CG_KEY_LIMIT &&
		    strcmp(keys[k].name, name) == 0)
			return k;
	return -1;
}

static const char *const limit_names[RLIMIT_NLIMITS] = {
	[RLIMIT_CPU] = "cpu",         [RLIMIT_FSIZE] = "fsize",
	[RLIMIT_DATA] = "data",       [RLIMIT_STACK] = "stack",
	[RLIMIT_CORE] = "core",       [RLIMIT_RSS] = "rss",
	[RLIMIT_NPROC] = "nproc",     [RLIMIT_NOFILE] = "nofile",
	[RLIMIT_MEMLOCK] = "memlock", [RLIMIT_AS] = "as",
	[RLIMIT_LOCKS] = "locks",     [RLIMIT_SIGPENDING] = "sigpending",
	[RLIMIT_MSGQUEUE] = "msgqueue", [RLIMIT_NICE] = "nice",
	[RLIMIT_RTPRIO] = "rtprio",   [RLIMIT_RTTIME] = "rttime",
};

const char *cg_limit_name(int resource)
{
	if (resource < 0 || resource >= RLIMIT_NLIMITS)
		return NULL;
	return limit_names[resource];
}

int cg_limit_lookup(const char *name)
{
	for (int r = 0; r < RLIMIT_NLIMITS; r++)
		if (limit_names[r] && strcmp(limit_names[r], name) == 0)
			return r;
	return -1;
}

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int cg_cap_last(void)
{
	return (int)(sizeof(cap_names) / sizeof(cap_names[0])) - 1;
}

const char *cg_cap_name(int cap)
{
	if (cap < 0 || cap > cg_cap_last())
		return NULL;
	return cap_names[cap];
}

/* Accepts CAP_CHOWN, cap_chown and chown. */
int cg_cap_lookup(const char *name)
{
	const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
	int first = toupper((unsigned char)bare[0]);   /* cheap test before strcasecmp */

	for (int c = 0; c <= cg_cap_last(); c++)
		if (cap_names[c][4] == first && strcasecmp(cap_names[c] + 4, bare) == 0)
			return c;
	return -1;
}
