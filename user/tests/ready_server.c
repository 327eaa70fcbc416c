/*
 * ready_server: a server that takes its time before it serves
 * (system/tests/ready.capnp).  It sleeps 200 ms, then looks whether a call
 * already waits on its endpoint: one would come from a service init
 * started before this one reported ready, and is answered with a
 * `failed` exception.  Then it reports ready (capos_service_ready) and
 * answers Echo.echo with its own params.
 */
#include "capos.h"

#include "capos.capnp.h"

#define MS 1000000ull

static uint8_t buf[4096] __attribute__((aligned(8)));

int
main(void)
{
	const struct capos_recv_header *h = (const void *)buf;
	struct capos_sqe recv = {.opcode = CAPOS_OP_RECV,
	                         .result_addr = (uint64_t)(uintptr_t)buf,
	                         .result_len = sizeof(buf)};
	capos_capid_t timer, owner;
	struct capos_cqe cqe;
	int err;

	if (capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("echo", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	recv.cap = owner;
	if (capos_timer_sleep(timer, 200 * MS))
		return 3;
	recv.user_data = capos_next_tag();
	if (capos_submit(&recv))
		return 4;
	/* Not ready yet: nobody may have called. */
	err = capos_wait(recv.user_data, 0, &cqe);
	if (err == 0) {
		if (cqe.result >= 0)
			capos_return_exception(owner, h->call_id,
			                       capos_ExceptionType_failed,
			                       "called before the server "
			                       "reported ready");
		recv.user_data = capos_next_tag();
		if (capos_submit(&recv))
			return 4;
	}
	err = capos_service_ready();
	if (err) {
		printf("ready_server: reporting ready failed: %s\n",
		       capos_strerror(err));
		return 5;
	}
	printf("ready_server: reported ready\n");
	for (;;) {
		if (capos_wait(recv.user_data, CAPOS_TIMEOUT_INFINITE, &cqe) ||
		    cqe.result < 0)
			return 6;
		if (h->interface_id == capos_Echo_TYPE_ID &&
		    h->method == capos_Echo_METHOD_echo)
			capos_return(owner, h->call_id, h + 1, h->params_len,
			             NULL, 0);
		else
			capos_return_exception(
			    owner, h->call_id,
			    capos_ExceptionType_unimplemented,
			    "ready_server serves Echo.echo");
		recv.user_data = capos_next_tag();
		if (capos_submit(&recv))
			return 4;
	}
}
