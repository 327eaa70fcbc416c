/*
 * ipc_echo: the server side of the kernel IPC test (ipctest).  Serves the
 * Echo interface on the endpoint named "svc" with raw RECV/RETURN SQEs.
 * Test-only methods: 100 exits with code 7; 101 never answers; 102 touches
 * 1 MiB of bss (a frame-limit test); 103 leaves two RECVs waiting, drops
 * its endpoint and exits with 20 when both RECVs were cancelled (21
 * otherwise), never answering the call.  A server
 * whose endpoint is named "mute" never receives at all.
 */
#include "capos.h"

#include "capos.capnp.h"

#define METHOD_EXIT  100
#define METHOD_HANG  101
#define METHOD_TOUCH 102 /* writes to 1 MiB of demand-zero bss */
#define METHOD_DROP  103 /* releases the owner side under waiting RECVs */
#define BUF_SIZE     CAPOS_RESULT_MAX

static uint8_t buf[BUF_SIZE] __attribute__((aligned(8)));
static uint8_t spare[2][256] __attribute__((aligned(8)));
static capos_capid_t owner, kept;
/* volatile: the writes are the point, and nothing reads them back. */
static volatile uint8_t big[1u << 20];

static void
serve(const struct capos_recv_header *h)
{
	const struct capos_cap_record *recs =
	    (const void *)((const uint8_t *)h + h->caps_offset);
	const uint8_t *params = (const uint8_t *)(h + 1);
	struct capos_msgbuf mb;
	struct capnp_msg m;

	capos_msg_read(&m, params, h->params_len);
	switch (h->method) {
	case capos_Echo_METHOD_echo: {
		struct capnp_data d = capos_Echo_echo_Params_get_data(
		    capos_Echo_echo_Params_read_root(&m));

		capos_msg_begin(&mb);
		capos_Echo_echo_Results_set_data(
		    capos_Echo_echo_Results_build_root(&mb.b), d.ptr, d.len);
		capos_msg_end(&mb);
		capos_return(owner, h->call_id, mb.framed, mb.framed_len, NULL,
		             0);
		break;
	}
	case capos_Echo_METHOD_useConsole: {
		capos_Echo_useConsole_Params_reader r =
		    capos_Echo_useConsole_Params_read_root(&m);
		uint32_t idx = capos_Echo_useConsole_Params_get_console(r);
		struct capnp_text t = capos_Echo_useConsole_Params_get_text(r);
		char line[128];

		if (idx < h->ncaps && t.str) {
			str_copy(line, t.str, sizeof(line));
			capos_console_write_line(recs[idx].cap, line);
			capos_release(recs[idx].cap);
		}
		capos_return(owner, h->call_id, NULL, 0, NULL, 0);
		break;
	}
	case capos_Echo_METHOD_keep:
		if (h->ncaps)
			kept = recs[0].cap;
		capos_return(owner, h->call_id, NULL, 0, NULL, 0);
		break;
	case capos_Echo_METHOD_giveBack: {
		struct capos_xfer x = {.cap = kept, .mode = CAPOS_XFER_MOVE};

		capos_msg_begin(&mb);
		capnp_slot_set_cap(
		    capnp_bfield(
		        capos_Echo_giveBack_Results_build_root(&mb.b).s, 0),
		    0);
		capos_msg_end(&mb);
		capos_return(owner, h->call_id, mb.framed, mb.framed_len, &x,
		             1);
		break;
	}
	case capos_Echo_METHOD_bounce: {
		struct capos_xfer x = {.mode = CAPOS_XFER_MOVE};

		if (!h->ncaps) {
			capos_return(owner, h->call_id, NULL, 0, NULL, 0);
			break;
		}
		x.cap = recs[0].cap;
		capos_msg_begin(&mb);
		capnp_slot_set_cap(
		    capnp_bfield(capos_Echo_bounce_Results_build_root(&mb.b).s,
		                 0),
		    0);
		capos_msg_end(&mb);
		capos_return(owner, h->call_id, mb.framed, mb.framed_len, &x,
		             1);
		break;
	}
	case METHOD_EXIT:
		capos_exit(7);
	case METHOD_TOUCH: {
		uint32_t i;

		for (i = 0; i < sizeof(big); i += 4096)
			big[i] = 1;
		capos_return(owner, h->call_id, NULL, 0, NULL, 0);
		break;
	}
	case METHOD_DROP: {
		uint64_t tags[2];
		struct capos_cqe cqe;
		int i, cancelled = 0;

		for (i = 0; i < 2; i++) {
			struct capos_sqe sqe = {
			    .opcode = CAPOS_OP_RECV,
			    .cap = owner,
			    .result_addr = (uint64_t)(uintptr_t)spare[i],
			    .result_len = sizeof(spare[i]),
			    .user_data = tags[i] = capos_next_tag(),
			};

			capos_submit(&sqe);
		}
		if (capos_release_sync(owner) != 0)
			capos_exit(22);
		for (i = 0; i < 2; i++)
			if (capos_wait(tags[i], 0, &cqe) == 0 &&
			    cqe.result == CAPOS_E_CANCELLED)
				cancelled++;
		capos_exit(cancelled == 2 ? 20 : 21);
	}
	case METHOD_HANG:
		for (;;)
			capos_sys_cap_enter(CAPOS_RING_CQ_ENTRIES,
			                    CAPOS_TIMEOUT_INFINITE);
	default:
		/* A server's exception: a CapException with the RETURN flag. */
		capos_return_exception(owner, h->call_id,
		                       capos_ExceptionType_unimplemented,
		                       "Echo has no such method");
		break;
	}
}

int
main(void)
{
	if (capos_capset_find("mute", capos_Endpoint_TYPE_ID, &owner) == 0) {
		/* Holds its endpoint and never receives. */
		for (;;)
			capos_sys_cap_enter(CAPOS_RING_CQ_ENTRIES,
			                    CAPOS_TIMEOUT_INFINITE);
	}
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner))
		return 3;
	for (;;) {
		struct capos_sqe sqe = {
		    .opcode = CAPOS_OP_RECV,
		    .cap = owner,
		    .result_addr = (uint64_t)(uintptr_t)buf,
		    .result_len = sizeof(buf),
		    .user_data = capos_next_tag(),
		};
		struct capos_cqe cqe;

		if (capos_submit(&sqe) ||
		    capos_wait(sqe.user_data, CAPOS_TIMEOUT_INFINITE, &cqe))
			return 4;
		if (cqe.result < 0)
			return 5;
		serve((const struct capos_recv_header *)buf);
	}
}
