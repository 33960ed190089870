/* test_sha256.c - SHA-256 against the NIST FIPS 180-4 / SHAVS vectors, for
 * both the SHA-NI and the portable block function, across every split of
 * the input into update() calls, and cg_sha256_fd(). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"

struct vec {
	const char *msg;
	size_t repeat;          /* msg repeated this many times */
	const char *hex;
};

static const struct vec vectors[] = {
	/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf") */
	{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	/* SHAVS short-message vectors: 1 byte 0xbd, 4 bytes c98c8e55 */
	{ "\xbd", 1, "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b" },
	{ "\xc9\x8c\x8e\x55", 1, "7abc22c0ae5af26ce93dbb94433a0e0b2e119d014f8e7f65bd56c61ccccd9504" },
	/* 55, 56, 63, 64 bytes: the padding edges */
	{ "a", 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ "a", 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ "a", 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
	{ "a", 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
};

static char *expand(const struct vec *v, size_t *len)
{
	size_t ml = strlen(v->msg);
	char *buf = malloc(ml * v->repeat + 1);

	cr_assert_not_null(buf);
	for (size_t i = 0; i < v->repeat; i++)
		memcpy(buf + i * ml, v->msg, ml);
	*len = ml * v->repeat;
	return buf;
}

static void check_vectors(void)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		size_t len;
		char *msg = expand(&vectors[i], &len);
		uint8_t d[CG_SHA256_LEN];
		char hex[CG_SHA256_HEX];

		cg_sha256(msg, len, d);
		cg_sha256_hex(d, hex);
		cr_expect_str_eq(hex, vectors[i].hex, "vector %zu (%s): %s", i, cg_sha256_impl(), hex);
		free(msg);
	}
}

Test(sha256, nist_vectors_default_impl)
{
	check_vectors();
}

Test(sha256, nist_vectors_portable)
{
	cg_sha256_force_portable(true);
	cr_assert_str_eq(cg_sha256_impl(), "portable");
	check_vectors();
}

Test(sha256, cpu_with_sha_ni_uses_it)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool has = false;

	if (!f)
		cr_skip_test("no /proc/cpuinfo");
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "flags", 5) == 0 && strstr(line, " sha_ni"))
			has = true;
	fclose(f);
	cr_assert_str_eq(cg_sha256_impl(), has ? "sha-ni" : "portable");
}

/* Every split point of a 200-byte message through update() gives the same
 * digest, in both implementations (covers the buffered partial block). */
Test(sha256, incremental_splits_agree)
{
	uint8_t msg[200], ref[CG_SHA256_LEN], d[CG_SHA256_LEN];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 131 + 7);
	for (int portable = 0; portable < 2; portable++) {
		cg_sha256_force_portable(portable);
		cg_sha256(msg, sizeof(msg), ref);
		for (size_t a = 0; a <= sizeof(msg); a += 3)
			for (size_t b = a; b <= sizeof(msg); b += 7) {
				struct cg_sha256 c;

				cg_sha256_init(&c);
				cg_sha256_update(&c, msg, a);
				cg_sha256_update(&c, msg + a, b - a);
				cg_sha256_update(&c, msg + b, sizeof(msg) - b);
				cg_sha256_final(&c, d);
				cr_assert(memcmp(d, ref, sizeof(d)) == 0, "split %zu,%zu differs", a, b);
			}
	}
	/* and the two implementations agree with each other */
	cg_sha256_force_portable(false);
	cg_sha256(msg, sizeof(msg), ref);
	cg_sha256_force_portable(true);
	cg_sha256(msg, sizeof(msg), d);
	cr_assert(memcmp(d, ref, sizeof(d)) == 0);
}

/* Files around the 8 KiB first-read buffer and longer than one 128 KiB read
 * chunk, hashed from an fd, equal the in-memory digest. */
Test(sha256, fd_matches_memory)
{
	static const size_t sizes[] = { 0, 1, 8191, 8192, 8193, 16384, (300 << 10) + 17 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t len = sizes[k];
		uint8_t *buf = malloc(len + 1), a[CG_SHA256_LEN], b[CG_SHA256_LEN];
		char path[] = "/tmp/cg-sha256-XXXXXX";
		int fd = mkstemp(path);

		cr_assert_not_null(buf);
		cr_assert_geq(fd, 0);
		unlink(path);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(i ^ (i >> 8));
		cr_assert_eq(write(fd, buf, len), (ssize_t)len);
		cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
		cr_assert_eq(cg_sha256_fd(fd, a), 0);
		cg_sha256(buf, len, b);
		cr_assert(memcmp(a, b, sizeof(a)) == 0, "size %zu", len);
		close(fd);
		free(buf);
	}
}

/* A read error is reported, not hashed as an empty file. */
Test(sha256, fd_error)
{
	uint8_t d[CG_SHA256_LEN];

	cr_assert_eq(cg_sha256_fd(-1, d), -1);
}

Test(sha256, hex_roundtrip_and_rejects)
{
	uint8_t d[CG_SHA256_LEN], e[CG_SHA256_LEN];
	char hex[CG_SHA256_HEX];

	for (int i = 0; i < CG_SHA256_LEN; i++)
		d[i] = (uint8_t)(i * 37);
	cg_sha256_hex(d, hex);
	cr_assert_eq(strlen(hex), 64);
	cr_assert_eq(cg_sha256_parse_hex(hex, e), 0);
	cr_assert(memcmp(d, e, sizeof(d)) == 0);
	hex[10] = 'g';
	cr_assert_eq(cg_sha256_parse_hex(hex, e), -1);
	cr_assert_eq(cg_sha256_parse_hex("abc", e), -1);
}
