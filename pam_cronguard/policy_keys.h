/* policy_keys.h - the keys of the policy language (see cronguard.conf(5)). */
#ifndef CG_POLICY_KEYS_H
#define CG_POLICY_KEYS_H

#include <stdbool.h>

enum cg_key {
	CG_KEY_MODE,
	CG_KEY_ALLOW,
	CG_KEY_STRICT,
	CG_KEY_EXEC,
	CG_KEY_INTERPRETERS,
	CG_KEY_READ,
	CG_KEY_WRITE,
	CG_KEY_NETWORK,
	CG_KEY_CAPABILITIES,
	CG_KEY_NO_NEW_PRIVS,
	CG_KEY_PRIVATE_TMP,
	CG_KEY_PROTECT_SYSTEM,
	CG_KEY_SCOPE,
	CG_KEY_ENV_DENY,
	CG_KEY_ENV_SET,
	CG_KEY_PATH,
	CG_KEY_UMASK,
	CG_KEY_NICE,
	CG_KEY_LIMIT,           /* limit.NAME: one key, the resource says which */
	CG_KEY_APPARMOR,
	CG_KEY_SELINUX,
	CG_KEY_MANIFEST,
	CG_KEY_MAIL,
	CG_KEY_COUNT
};

/* The kind of value a key takes; decides how it is parsed and merged. */
enum cg_value_kind {
	CG_V_MODE,      /* enforce | complain | off */
	CG_V_BOOL,      /* yes | no (also true/false, on/off, 1/0) */
	CG_V_PATHS,     /* absolute normalized paths, %u and ~ allowed, or none */
	CG_V_DIRS,      /* like PATHS, ':' also separates (PATH style) */
	CG_V_NETWORK,   /* none | any | tcp-connect:PORTS | tcp-bind:PORTS | udp */
	CG_V_CAPS,      /* none | all | CAP_NAME ... */
	CG_V_SCOPE,     /* none | signals | abstract-unix */
	CG_V_ENV_PATTERNS, /* NAME or glob (A-Z a-z 0-9 _ * ?) */
	CG_V_ENV_ASSIGN,   /* NAME=VALUE */
	CG_V_OCTAL,     /* umask: 0000..0777 */
	CG_V_NICE,      /* -20..19 */
	CG_V_LIMIT,     /* N | SOFT:HARD, K/M/G/T suffixes, unlimited */
	CG_V_NAME,      /* AppArmor profile or SELinux type; %u allowed; or none */
	CG_V_PATH,      /* one absolute path, or none */
};

struct cg_key_info {
	const char *name;
	enum cg_value_kind kind;
	bool list;               /* accepts += */
	const char *summary;     /* one line for explain and --help */
};

const struct cg_key_info *cg_key_info(enum cg_key k);
/* Finds a key by its name in a policy line; for limit.NAME sets *resource.
 * Returns -1 if there is no such key. */
int cg_key_lookup(const char *name, int *resource);
/* limit names: "nofile" <-> RLIMIT_NOFILE.  NULL / -1 if unknown. */
const char *cg_limit_name(int resource);
int cg_limit_lookup(const char *name);
/* Capability names: "CAP_CHOWN" <-> 0.  NULL / -1 if unknown. */
const char *cg_cap_name(int cap);
int cg_cap_lookup(const char *name);
int cg_cap_last(void);       /* highest capability number this build knows */

#endif
