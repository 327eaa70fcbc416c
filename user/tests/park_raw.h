/*
 * Parker threads for the PARK tests: a thread that parks once on a word
 * through its own ring (ring_raw.h), records the result and exits, and
 * its start from the main thread (libcapos, ThreadSpawner).
 */
#ifndef USER_TESTS_PARK_RAW_H
#define USER_TESTS_PARK_RAW_H

#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "ring_raw.h"

#define PARKER_STACK_WORDS 512

struct parker {
	capos_capid_t park, control;
	uint32_t *word;
	uint32_t value;
	uint64_t timeout_ns;
	uint8_t exit_params[64] __attribute__((aligned(8)));
	uint32_t exit_len;
	volatile uint32_t parking; /* set just before the PARK */
	volatile uint32_t done;
	volatile int32_t result;
	uint64_t tcb[2];
	uint64_t stack[PARKER_STACK_WORDS] __attribute__((aligned(16)));
};

/* --- the threads' side -------------------------------------------------- */

/* Defines entry NAME running FN, a parker: it parks once as its struct
 * parker says, keeps the result, and exits. */
#define PARK_RAW_THREAD(name, fn)                                              \
	void fn(struct capos_ring_page *ring, struct parker *w, uint64_t slot) \
	    __attribute__((used, noreturn));                                   \
	THREAD_RAW_ENTRY(name, fn);                                            \
	void fn(struct capos_ring_page *ring, struct parker *w, uint64_t slot) \
	{                                                                      \
		(void)slot;                                                    \
		parker_run(ring, w);                                           \
	}

static void __attribute__((noreturn, unused))
parker_run(struct capos_ring_page *ring, struct parker *w)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_PARK,
	    .cap = w->park,
	    .user_data = 1,
	    .word_addr = (uint64_t)(uintptr_t)w->word,
	    .park_value = w->value,
	    .timeout_ns = w->timeout_ns,
	};
	struct capos_cqe cqe;

	w->parking = 1;
	raw_push(ring, &sqe);
	cqe = raw_reap(ring);
	w->result = cqe.result;
	w->done = 1;
	raw_call(ring, w->control, capos_ThreadControl_TYPE_ID,
	         capos_ThreadControl_METHOD_exit, 2, w->exit_params,
	         w->exit_len);
	for (;;)
		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
}

static int __attribute__((unused))
start_parker(struct parker *w, void (*entry)(void), capos_capid_t park,
             uint32_t *word, uint32_t value, uint64_t timeout,
             capos_capid_t *handle)
{
	capos_ThreadControl_exit_Params_builder ep;
	size_t len = 0;

	static struct capos_call scratch;
	capos_capid_t spawner, control;

	if (capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("thread", capos_ThreadControl_TYPE_ID, &control))
		return CAPOS_E_BAD_CAP;
	memset(w, 0, sizeof(*w));
	w->park = park;
	w->control = control;
	w->word = word;
	w->value = value;
	w->timeout_ns = timeout;
	w->result = 1000;
	w->tcb[0] = (uint64_t)(uintptr_t)w->tcb;
	ep = capos_ThreadControl_exit_begin(&scratch);
	capos_ThreadControl_exit_Params_set_value(ep, 7);
	if (capnp_frame_write(&scratch.params, w->exit_params,
	                      sizeof(w->exit_params), &len))
		return CAPOS_E_TOO_LONG;
	w->exit_len = (uint32_t)len;
	return capos_thread_spawn(
	    spawner, (uint64_t)(uintptr_t)entry, (uint64_t)(uintptr_t)w,
	    (uint64_t)(uintptr_t)(w->stack + PARKER_STACK_WORDS),
	    (uint64_t)(uintptr_t)w->tcb, handle);
}

#endif
