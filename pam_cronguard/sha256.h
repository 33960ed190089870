/* sha256.h - SHA-256 (FIPS 180-4) for script manifests.
 *
 * Self-contained: the module hashes scripts at job start, and linking or
 * dlopen()ing libcrypto into every cron job costs more than hashing a few
 * changed scripts (numbers in sha256.c).  Uses the x86 SHA extensions when the
 * CPU has them, a portable implementation otherwise. */
#ifndef CG_SHA256_H
#define CG_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CG_SHA256_LEN = 32, CG_SHA256_HEX = 65 };

struct cg_sha256 {
	uint32_t h[8];
	uint64_t bytes;         /* total length so far */
	uint8_t buf[64];
	size_t nbuf;
};

void cg_sha256_init(struct cg_sha256 *c);
void cg_sha256_update(struct cg_sha256 *c, const void *data, size_t len);
void cg_sha256_final(struct cg_sha256 *c, uint8_t out[CG_SHA256_LEN]);
void cg_sha256(const void *data, size_t len, uint8_t out[CG_SHA256_LEN]);

/* Hashes everything readable from fd (to EOF).  Returns 0, or -1 with errno. */
int cg_sha256_fd(int fd, uint8_t out[CG_SHA256_LEN]);

/* Lower-case hex with NUL; parsing accepts either case.  Parse returns 0 or -1. */
void cg_sha256_hex(const uint8_t d[CG_SHA256_LEN], char hex[CG_SHA256_HEX]);
int cg_sha256_parse_hex(const char *hex, uint8_t d[CG_SHA256_LEN]);

/* Which block function runs: "sha-ni" or "portable".  Tests force the
 * portable one to check both against the same vectors. */
const char *cg_sha256_impl(void);
void cg_sha256_force_portable(bool on);

#endif
