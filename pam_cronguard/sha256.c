/* sha256.c - see sha256.h.
 *
 * Why self-contained: measured on the dev VM (2 vCPU with sha_ni, kernel
 * 6.18, Debian 12, gcc 12 -O2), 1 GiB in 16 files of 64 MiB, page cache warm:
 *
 *   sha256sum (coreutils 9.1; Debian builds it without libcrypto, so it
 *     runs gnulib's portable C)              4.5-5.6 s  =  190-240 MB/s
 *   this file, SHA-NI, read() 128 KiB         0.92-1.11 GB/s from page cache
 *     (bench_sha256, same run: 4.9-5.7 times sha256sum's throughput),
 *                                             1.20-1.25 GB/s from memory
 *   OpenSSL 3.0.19 SHA256() (SHA-NI asm)      1.18-1.26 GB/s from memory:
 *                                             no faster than this file
 *   this file, portable C (no SHA-NI)         192 MB/s
 *   cost of loading libcrypto.so.3 in a fresh process: dlopen+dlsym 0.71 ms
 *     median (0.64 min, 40 runs); linking it instead adds 0.64 ms to every
 *     exec (empty program 0.51 -> 1.15 ms, 200 runs)
 *   AF_ALG: not available here at all (CONFIG_CRYPTO_USER_API_HASH is not
 *     set; socket(AF_ALG) fails with EAFNOSUPPORT); where it exists it adds
 *     socket+bind+accept per file and a copy into the kernel.
 *
 * A job's hashing budget is dominated by that load cost: with the cache a
 * job start normally hashes nothing, and libcrypto would still cost 0.7 ms,
 * more than the whole cached verification of 200 files (see
 * tests/bench/bench_sha256.c).  So: this file, with SHA-NI when the CPU has
 * it.  It loads nothing and needs no kernel option; its SHA-NI path equals
 * OpenSSL's throughput.  Without SHA-NI the portable path reaches 0.8-0.9
 * of sha256sum's, below the 0.95 target: on such CPUs only files whose cache
 * entry changed are hashed, so it matters at `manifest create` and after
 * updates, not at a normal job start. */
#include "sha256.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#define CG_SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* FIPS 180-4 section 6.2.2, with a 16-word rolling message schedule. */
static void blocks_portable(uint32_t st[8], const uint8_t *p, size_t n)
{
	while (n--) {
		uint32_t w[16], a = st[0], b = st[1], c = st[2], d = st[3],
			 e = st[4], f = st[5], g = st[6], h = st[7];

		for (int i = 0; i < 64; i++) {
			uint32_t wi, t1, t2;

			if (i < 16) {
				wi = w[i] = load_be32(p + 4 * i);
			} else {
				uint32_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
				uint32_t s0 = ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3);
				uint32_t s1 = ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10);

				wi = w[i & 15] = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
			}
			t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + wi;
			t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
			h = g; g = f; f = e; e = d + t1;
			d = c; c = b; b = a; a = t1 + t2;
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d;
		st[4] += e; st[5] += f; st[6] += g; st[7] += h;
		p += 64;
	}
}

#ifdef CG_SHA_X86
/* The SHA extensions keep the state as ABEF and CDGH halves; each
 * sha256rnds2 does two rounds.  Message words W[4g..4g+3] are in m[g & 3],
 * computed as W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]:
 *   M[g] = msg2(msg1(M[g-4], M[g-3]) + alignr(M[g-1], M[g-2], 4), M[g-1]).
 * As in Intel's reference code, the msg1 and msg2 steps for later groups
 * are issued between the two rnds2 of the current group, so they overlap
 * the round latency instead of waiting in front of it (about 15% faster
 * than computing M[g] at the start of group g). */
#define CG_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

#define ROUNDS4(g) do {								\
	msg = _mm_add_epi32(m[(g) & 3], _mm_load_si128((const __m128i *)(const void *)(K + 4 * (g)))); \
	s1 = _mm_sha256rnds2_epu32(s1, s0, msg);				\
	if ((g) >= 3 && (g) <= 14)						\
		m[((g) + 1) & 3] = _mm_sha256msg2_epu32(			\
			_mm_add_epi32(m[((g) + 1) & 3],				\
				      _mm_alignr_epi8(m[(g) & 3], m[((g) + 3) & 3], 4)), \
			m[(g) & 3]);						\
	msg = _mm_shuffle_epi32(msg, 0x0E);					\
	s0 = _mm_sha256rnds2_epu32(s0, s1, msg);				\
	if ((g) >= 1 && (g) <= 12)						\
		m[((g) + 3) & 3] = _mm_sha256msg1_epu32(m[((g) + 3) & 3], m[(g) & 3]); \
} while (0)

CG_SHA_TARGET
static void blocks_shani(uint32_t st[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i tmp, s0, s1, msg, m[4], save0, save1;

	tmp = _mm_loadu_si128((const __m128i *)(const void *)&st[0]);
	s1 = _mm_loadu_si128((const __m128i *)(const void *)&st[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);          /* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1B);            /* EFGH */
	s0 = _mm_alignr_epi8(tmp, s1, 8);            /* ABEF */
	s1 = _mm_blend_epi16(s1, tmp, 0xF0);         /* CDGH */

	while (n--) {
		save0 = s0;
		save1 = s1;
		for (int i = 0; i < 4; i++)
			m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), bswap);
		ROUNDS4(0); ROUNDS4(1); ROUNDS4(2); ROUNDS4(3);
		ROUNDS4(4); ROUNDS4(5); ROUNDS4(6); ROUNDS4(7);
		ROUNDS4(8); ROUNDS4(9); ROUNDS4(10); ROUNDS4(11);
		ROUNDS4(12); ROUNDS4(13); ROUNDS4(14); ROUNDS4(15);
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
		p += 64;
	}

	tmp = _mm_shuffle_epi32(s0, 0x1B);           /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);            /* DCHG */
	s0 = _mm_blend_epi16(tmp, s1, 0xF0);         /* DCBA */
	s1 = _mm_alignr_epi8(s1, tmp, 8);            /* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&st[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&st[4], s1);
}
#undef ROUNDS4

static bool cpu_has_shani(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return false;
	if (!(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b & bit_SHA) != 0;
}
#endif

typedef void (*blocks_fn)(uint32_t st[8], const uint8_t *p, size_t n);

/* Chosen on first use; a race between threads picks the same value twice. */
static blocks_fn chosen;
static bool force_portable;

static blocks_fn blocks(void)
{
	if (force_portable)
		return blocks_portable;
	if (!chosen) {
#ifdef CG_SHA_X86
		chosen = cpu_has_shani() ? blocks_shani : blocks_portable;
#else
		chosen = blocks_portable;
#endif
	}
	return chosen;
}

const char *cg_sha256_impl(void)
{
#ifdef CG_SHA_X86
	if (blocks() == blocks_shani)
		return "sha-ni";
#endif
	return "portable";
}

void cg_sha256_force_portable(bool on)
{
	force_portable = on;
}

void cg_sha256_init(struct cg_sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->nbuf = 0;
}

void cg_sha256_update(struct cg_sha256 *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	blocks_fn fn = blocks();

	c->bytes += len;
	if (c->nbuf) {
		size_t take = 64 - c->nbuf < len ? 64 - c->nbuf : len;

		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take;
		p += take;
		len -= take;
		if (c->nbuf < 64)
			return;
		fn(c->h, c->buf, 1);
		c->nbuf = 0;
	}
	if (len >= 64) {
		fn(c->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	if (len) {
		memcpy(c->buf, p, len);
		c->nbuf = len;
	}
}

void cg_sha256_final(struct cg_sha256 *c, uint8_t out[CG_SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;
	blocks_fn fn = blocks();

	c->buf[c->nbuf++] = 0x80;
	if (c->nbuf > 56) {
		memset(c->buf + c->nbuf, 0, 64 - c->nbuf);
		fn(c->h, c->buf, 1);
		c->nbuf = 0;
	}
	memset(c->buf + c->nbuf, 0, 56 - c->nbuf);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	fn(c->h, c->buf, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
	memset(c, 0, sizeof(*c));
}

void cg_sha256(const void *data, size_t len, uint8_t out[CG_SHA256_LEN])
{
	struct cg_sha256 c;

	cg_sha256_init(&c);
	cg_sha256_update(&c, data, len);
	cg_sha256_final(&c, out);
}

/* Scripts are small: the first reads go to an 8 KiB stack buffer, and only
 * a file that fills it gets 128 KiB reads, large enough that the syscall
 * cost vanishes against the hashing (about 70 us of hashing per read). */
enum { SMALL_CHUNK = 8 << 10, READ_CHUNK = 128 << 10 };

int cg_sha256_fd(int fd, uint8_t out[CG_SHA256_LEN])
{
	struct cg_sha256 c;
	uint8_t small[SMALL_CHUNK], *buf = small, *heap = NULL;
	size_t cap = sizeof(small);

	cg_sha256_init(&c);
	for (;;) {
		ssize_t r = read(fd, buf, cap);

		if (r < 0) {
			int saved = errno;

			if (saved == EINTR)
				continue;
			free(heap);
			errno = saved;
			return -1;
		}
		if (r == 0)
			break;
		cg_sha256_update(&c, buf, (size_t)r);
		if (!heap && (size_t)r == cap) {
			heap = malloc(READ_CHUNK);
			if (heap) {     /* else go on with the small buffer */
				buf = heap;
				cap = READ_CHUNK;
			}
		}
	}
	free(heap);
	cg_sha256_final(&c, out);
	return 0;
}

void cg_sha256_hex(const uint8_t d[CG_SHA256_LEN], char hex[CG_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < CG_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

/* Table-driven: a job start parses every line of the manifest, and a
 * branch per character made this the largest user-space cost of a cached
 * verification.  Holds value + 1; 0: not a hex digit (so NUL stops it). */
static const uint8_t hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int cg_sha256_parse_hex(const char *hex, uint8_t d[CG_SHA256_LEN])
{
	const unsigned char *h = (const unsigned char *)hex;

	for (int i = 0; i < CG_SHA256_LEN; i++) {
		unsigned hi = hexval[h[2 * i]], lo;

		if (!hi)
			return -1;
		lo = hexval[h[2 * i + 1]];
		if (!lo)
			return -1;
		d[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}
