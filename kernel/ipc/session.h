#ifndef IPC_SESSION_H
#define IPC_SESSION_H

#include <stdint.h>

struct process;

/*
 * The opaque 128-bit reference a server sees for a caller: a keyed hash
 * of the caller's identity under a secret key of the server process, so
 * the same caller looks the same to one service on every call and
 * unrelated to two different services.  Metadata, never authority.
 */
void session_ref(struct process *server, const struct process *caller,
                 uint64_t out[2], uint64_t *epoch);

/* A fresh secret key (a process draws one when it first serves a call). */
void session_new_key(uint64_t key[2]);

/* SipHash-2-4 of msg under key (exposed for the self-test). */
uint64_t siphash24(const uint64_t key[2], const void *msg, uint32_t len);

#endif
