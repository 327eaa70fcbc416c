/*
 * thread_victim: a process whose threads wait in the kernel in different
 * ways, for ipctest to kill (ipctest's threads.kill_* checks; the
 * supervisor's ledger checks then find everything it held returned).
 * Granted "timer", "threads" and the owner side of an endpoint "ready":
 * it starts a thread blocked in cap_enter with nothing to wait for, one
 * with a Timer.sleep of an hour pending, and one joining the first; once
 * all three are in, it answers one call on "ready" and then waits for
 * the next one, forever.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "ring_raw.h"

#define HOUR_NS (3600ull * 1000000000ull)
#define MS      1000000ull

enum { WAIT_EMPTY, WAIT_SLEEP, WAIT_JOIN, NKINDS };

struct victim_thread {
	int kind;
	capos_capid_t timer, join_handle;
	uint8_t sleep_params[64] __attribute__((aligned(8)));
	uint32_t sleep_len;
	uint8_t join_result[64] __attribute__((aligned(8)));
	volatile uint32_t in; /* its wait is queued */
	uint64_t stack[256] __attribute__((aligned(16)));
};

static struct victim_thread vt[NKINDS];
static struct capos_call c;

void victim_main(struct capos_ring_page *ring, struct victim_thread *v,
                 uint64_t slot) __attribute__((used, noreturn));
THREAD_RAW_ENTRY(victim_entry, victim_main);

void
victim_main(struct capos_ring_page *ring, struct victim_thread *v,
            uint64_t slot)
{
	(void)slot;
	if (v->kind == WAIT_SLEEP)
		raw_call(ring, v->timer, capos_Timer_TYPE_ID,
		         capos_Timer_METHOD_sleep, 1, v->sleep_params,
		         v->sleep_len);
	else if (v->kind == WAIT_JOIN)
		raw_call_result(ring, v->join_handle,
		                capos_ThreadHandle_TYPE_ID,
		                capos_ThreadHandle_METHOD_join, 1, NULL, 0,
		                v->join_result, sizeof(v->join_result));
	v->in = 1;
	for (;;)
		capos_sys_cap_enter(2, CAPOS_TIMEOUT_INFINITE);
}

static int
spawn(capos_capid_t spawner, struct victim_thread *v, capos_capid_t *h)
{
	capos_ThreadSpawner_spawn_Params_builder p =
	    capos_ThreadSpawner_spawn_begin(&c);
	uint64_t iid;
	int err;

	capos_ThreadSpawner_spawn_Params_set_entry(
	    p, (uint64_t)(uintptr_t)victim_entry);
	capos_ThreadSpawner_spawn_Params_set_arg(p, (uint64_t)(uintptr_t)v);
	capos_ThreadSpawner_spawn_Params_set_stackTop(
	    p, (uint64_t)(uintptr_t)(v->stack + 256));
	err = capos_ThreadSpawner_spawn_send(&c, spawner);
	if (err)
		return err;
	*h = capos_call_result_cap(&c,
	                           capos_ThreadSpawner_spawn_Results_get_handle(
	                               capos_ThreadSpawner_spawn_results(&c)),
	                           &iid);
	return *h ? 0 : CAPOS_E_BAD_FIELD;
}

int
main(void)
{
	static uint8_t buf[256] __attribute__((aligned(8)));
	capos_capid_t spawner, timer, ready, h[NKINDS] = {0};
	capos_Timer_sleep_Params_builder sp;
	struct capos_recv_header *hdr;
	size_t len;
	int i, n;

	if (capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("ready", capos_Endpoint_TYPE_ID, &ready))
		return 99;
	for (i = 0; i < NKINDS; i++) {
		vt[i].kind = i;
		vt[i].timer = timer;
		vt[i].join_handle = h[WAIT_EMPTY];
		sp = capos_Timer_sleep_begin(&c);
		capos_Timer_sleep_Params_set_ns(sp, HOUR_NS);
		if (capnp_frame_write(&c.params, vt[i].sleep_params,
		                      sizeof(vt[i].sleep_params), &len))
			return 98;
		vt[i].sleep_len = (uint32_t)len;
		if (spawn(spawner, &vt[i], &h[i]))
			return 97;
	}
	/* Each thread queues its wait and enters the kernel at once. */
	for (n = 0; n < 5000; n++) {
		if (vt[0].in && vt[1].in && vt[2].in)
			break;
		capos_timer_sleep(timer, MS);
	}
	if (capos_recv(ready, buf, sizeof(buf), &hdr) < 0 ||
	    capos_return(ready, hdr->call_id, NULL, 0, NULL, 0))
		return 96;
	/* Killed while waiting here. */
	capos_recv(ready, buf, sizeof(buf), &hdr);
	return 95;
}
