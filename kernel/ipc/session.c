/*
 * Caller session references: SipHash-2-4, keyed per serving process.
 * Keys come from the kernel's random generator (core/random.c), so a
 * service cannot predict another's key.
 */
#include "core/kernel.h"
#include "core/random.h"
#include "ipc/session.h"
#include "proc/process.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

uint64_t
siphash24(const uint64_t key[2], const void *msg, uint32_t len)
{
	const uint8_t *p = msg;
	uint64_t v0 = 0x736f6d6570736575ull ^ key[0];
	uint64_t v1 = 0x646f72616e646f6dull ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ull ^ key[0];
	uint64_t v3 = 0x7465646279746573ull ^ key[1];
	uint64_t m, b = (uint64_t)len << 56;
	uint32_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, p + i, 8);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (; left; left--)
		b |= (uint64_t)p[i + left - 1] << (8 * (left - 1));
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void
session_new_key(uint64_t key[2])
{
	random_bytes(key, 2 * sizeof(key[0]));
}

void
session_ref(struct process *server, const struct process *caller,
            uint64_t out[2], uint64_t *epoch)
{
	uint64_t id[2] = {caller ? caller->pid : 0, 0};

	/* Drawn when the process first serves a call: most processes never
	 * do, and a spawn then costs no random bytes. */
	if (!server->session_keyed) {
		session_new_key(server->session_key);
		server->session_keyed = true;
	}
	out[0] = siphash24(server->session_key, id, sizeof(id));
	id[1] = 1; /* a second, independent half */
	out[1] = siphash24(server->session_key, id, sizeof(id));
	/* Sessions are not reissued yet; the epoch is fixed until they are. */
	*epoch = 1;
}
