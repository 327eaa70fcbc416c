/*
 * The ChaCha20 block function of RFC 8439 (section 2.3): a 256-bit key,
 * a 32-bit block counter and a 96-bit nonce give 64 bytes of keystream.
 * Pure code, shared by the kernel's random generator and host-tested
 * against the RFC's test vectors.
 */
#ifndef CRYPTO_CHACHA20_H
#define CRYPTO_CHACHA20_H

#include <stdint.h>

#define CHACHA20_KEY_BYTES   32
#define CHACHA20_NONCE_BYTES 12
#define CHACHA20_BLOCK_BYTES 64

/* One 64-byte keystream block for (key, counter, nonce). */
void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES],
                    uint8_t out[CHACHA20_BLOCK_BYTES]);

/* XORs len bytes of in with the keystream starting at block `counter`
 * (section 2.4: encryption and decryption are the same). */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                  const uint8_t nonce[CHACHA20_NONCE_BYTES], const uint8_t *in,
                  uint8_t *out, uint32_t len);

#endif
