/*
 * ChaCha20 as RFC 8439 describes it: a 4x4 state of 32-bit words (four
 * constants, eight key words, the counter, three nonce words), twenty
 * rounds of quarter-rounds alternating columns and diagonals, then the
 * input state added back and the words written little-endian.
 */
#include "crypto/chacha20.h"

#define ROTL32(v, n) ((uint32_t)(((v) << (n)) | ((v) >> (32 - (n)))))

/* a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; and again with 8
 * and 7 (section 2.1). */
#define QUARTER(a, b, c, d)                                                    \
	do {                                                                   \
		a += b;                                                        \
		d ^= a;                                                        \
		d = ROTL32(d, 16);                                             \
		c += d;                                                        \
		b ^= c;                                                        \
		b = ROTL32(b, 12);                                             \
		a += b;                                                        \
		d ^= a;                                                        \
		d = ROTL32(d, 8);                                              \
		c += d;                                                        \
		b ^= c;                                                        \
		b = ROTL32(b, 7);                                              \
	} while (0)

static uint32_t
load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void
store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void
chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
               const uint8_t nonce[CHACHA20_NONCE_BYTES],
               uint8_t out[CHACHA20_BLOCK_BYTES])
{
	uint32_t in[16], x[16];
	int i;

	/* "expand 32-byte k" */
	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = load32(key + 4 * i);
	in[12] = counter;
	for (i = 0; i < 3; i++)
		in[13 + i] = load32(nonce + 4 * i);
	for (i = 0; i < 16; i++)
		x[i] = in[i];
	for (i = 0; i < 10; i++) {
		QUARTER(x[0], x[4], x[8], x[12]);
		QUARTER(x[1], x[5], x[9], x[13]);
		QUARTER(x[2], x[6], x[10], x[14]);
		QUARTER(x[3], x[7], x[11], x[15]);
		QUARTER(x[0], x[5], x[10], x[15]);
		QUARTER(x[1], x[6], x[11], x[12]);
		QUARTER(x[2], x[7], x[8], x[13]);
		QUARTER(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		store32(out + 4 * i, x[i] + in[i]);
}

void
chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
             const uint8_t nonce[CHACHA20_NONCE_BYTES], const uint8_t *in,
             uint8_t *out, uint32_t len)
{
	uint8_t ks[CHACHA20_BLOCK_BYTES];
	uint32_t off, i, n;

	for (off = 0; off < len; off += n, counter++) {
		chacha20_block(key, counter, nonce, ks);
		n = len - off < CHACHA20_BLOCK_BYTES ? len - off
		                                     : CHACHA20_BLOCK_BYTES;
		for (i = 0; i < n; i++)
			out[off + i] = in[off + i] ^ ks[i];
	}
}
