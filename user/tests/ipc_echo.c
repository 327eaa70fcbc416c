/*
 * ipc_echo: the server side of the kernel IPC test (ipctest).  Serves
 * IpcEcho (schema/test.capnp: Echo and the test-only methods exit, hang,
 * touch, dropOwner, bundle and stall) on the endpoint named "svc" through
 * the generated dispatch, in libcapos's server loop (capos_serve).  A
 * server whose endpoint is named "mute" never receives at all; one whose
 * endpoint is named "fast" answers raw (serve_fast).
 */
#include "capos.h"
#include "capos_serve.h"

#include "test.capnp.h"

#define BUF_SIZE CAPOS_RESULT_MAX

static uint8_t buf[BUF_SIZE] __attribute__((aligned(8)));
static uint8_t spare[2][256] __attribute__((aligned(8)));
static capos_capid_t owner, kept;
/* volatile: the writes are the point, and nothing reads them back. */
static volatile uint8_t big[1u << 20];

static struct capos_server_call *
sc_of(struct rpc_call *call)
{
	return capos_server_call_of(call);
}

static int
do_echo(void *self, struct rpc_call *call, capos_Echo_echo_Params_reader p,
        capos_Echo_echo_Results_builder r)
{
	struct capnp_data d = capos_Echo_echo_Params_get_data(p);

	(void)self;
	(void)call;
	capos_Echo_echo_Results_set_data(r, d.ptr, d.len);
	return RPC_OK;
}

static int
do_use_console(void *self, struct rpc_call *call,
               capos_Echo_useConsole_Params_reader p,
               capos_Echo_useConsole_Results_builder r)
{
	const struct capos_cap_record *rec = capos_serve_param_cap(
	    sc_of(call), capos_Echo_useConsole_Params_get_console(p));
	struct capnp_text t = capos_Echo_useConsole_Params_get_text(p);
	char line[128];

	(void)self;
	(void)r;
	if (rec && t.str) {
		str_copy(line, t.str, sizeof(line));
		capos_console_write_line(rec->cap, line);
		capos_release(rec->cap);
	}
	return RPC_OK;
}

/* keep and bounce take the first cap sent, whatever the field says. */
static int
do_keep(void *self, struct rpc_call *call, capos_Echo_keep_Params_reader p,
        capos_Echo_keep_Results_builder r)
{
	const struct capos_cap_record *rec =
	    capos_serve_param_cap(sc_of(call), 0);

	(void)self;
	(void)p;
	(void)r;
	if (rec)
		kept = rec->cap;
	return RPC_OK;
}

static int
do_give_back(void *self, struct rpc_call *call,
             capos_Echo_giveBack_Params_reader p,
             capos_Echo_giveBack_Results_builder r)
{
	(void)self;
	(void)p;
	capnp_slot_set_cap(
	    capos_Echo_giveBack_Results_slot_cap(r),
	    capos_serve_result_cap(sc_of(call), kept, CAPOS_XFER_MOVE));
	return RPC_OK;
}

static int
do_bounce(void *self, struct rpc_call *call, capos_Echo_bounce_Params_reader p,
          capos_Echo_bounce_Results_builder r)
{
	const struct capos_cap_record *rec =
	    capos_serve_param_cap(sc_of(call), 0);

	(void)self;
	(void)p;
	/* Nothing sent: the answer's cap field stays null. */
	if (!rec)
		return RPC_OK;
	capnp_slot_set_cap(
	    capos_Echo_bounce_Results_slot_cap(r),
	    capos_serve_result_cap(sc_of(call), rec->cap, CAPOS_XFER_MOVE));
	return RPC_OK;
}

static int
do_exit(void *self, struct rpc_call *call, test_IpcEcho_exit_Params_reader p,
        test_IpcEcho_exit_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	(void)r;
	capos_exit(7);
}

static int
do_hang(void *self, struct rpc_call *call, test_IpcEcho_hang_Params_reader p,
        test_IpcEcho_hang_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	(void)r;
	for (;;)
		capos_sys_cap_enter(CAPOS_RING_CQ_ENTRIES,
		                    CAPOS_TIMEOUT_INFINITE);
	return RPC_PENDING; /* never answered */
}

static int
do_touch(void *self, struct rpc_call *call, test_IpcEcho_touch_Params_reader p,
         test_IpcEcho_touch_Results_builder r)
{
	uint32_t i;

	(void)self;
	(void)call;
	(void)p;
	(void)r;
	for (i = 0; i < sizeof(big); i += 4096)
		big[i] = 1;
	return RPC_OK;
}

/* Leaves two RECVs waiting, drops the owner side and exits with 20 when
 * both were cancelled (21 otherwise); the call is never answered. */
static int
do_drop_owner(void *self, struct rpc_call *call,
              test_IpcEcho_dropOwner_Params_reader p,
              test_IpcEcho_dropOwner_Results_builder r)
{
	uint64_t tags[2];
	struct capos_cqe cqe;
	int i, cancelled = 0;

	(void)self;
	(void)call;
	(void)p;
	(void)r;
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

/* Waits without answering: the cap_enter wants more completions than
 * can come, so it returns when the timeout passes. */
static int
do_stall(void *self, struct rpc_call *call, test_IpcEcho_stall_Params_reader p,
         test_IpcEcho_stall_Results_builder r)
{
	(void)self;
	(void)call;
	(void)r;
	capos_sys_cap_enter(CAPOS_RING_CQ_ENTRIES,
	                    test_IpcEcho_stall_Params_get_ns(p));
	return RPC_OK;
}

/* Every cap sent comes back, moved, in the order it came. */
static int
do_bundle(void *self, struct rpc_call *call,
          test_IpcEcho_bundle_Params_reader p,
          test_IpcEcho_bundle_Results_builder r)
{
	struct capos_server_call *sc = sc_of(call);
	struct capnp_list_builder l;
	uint32_t i, n = sc->hdr->ncaps;

	(void)self;
	(void)p;
	l = test_IpcEcho_bundle_Results_init_caps(r, n);
	for (i = 0; i < n; i++)
		capnp_slot_set_cap(capnp_belem(l, i),
		                   capos_serve_result_cap(sc, sc->caps[i].cap,
		                                          CAPOS_XFER_MOVE));
	return RPC_OK;
}

static const struct test_IpcEcho_server impl = {
    .Echo =
        {
            .echo = do_echo,
            .useConsole = do_use_console,
            .keep = do_keep,
            .giveBack = do_give_back,
            .bounce = do_bounce,
        },
    .exit = do_exit,
    .hang = do_hang,
    .touch = do_touch,
    .dropOwner = do_drop_owner,
    .bundle = do_bundle,
    .stall = do_stall,
};

/*
 * "fast" (ipcfast): a raw loop that answers each call with its own
 * params (Echo.echo's params and results have the same layout) and
 * submits each RETURN together with the next RECV, so that RECV already
 * waits when the caller calls again: the kernel's IPC fast path's case.
 * IpcEcho.exit exits at once and IpcEcho.hang is never answered, as
 * through the generated dispatch below; IpcEcho.touch maps one more page
 * of big (the next each time) before it is answered.
 */
static void __attribute__((noreturn)) serve_fast(void)
{
	uint32_t touched = 0;
	const struct capos_recv_header *h = (const void *)buf;
	struct capos_sqe recv = {.opcode = CAPOS_OP_RECV,
	                         .cap = owner,
	                         .result_addr = (uint64_t)(uintptr_t)buf,
	                         .result_len = sizeof(buf)};
	struct capos_sqe ret = {.opcode = CAPOS_OP_RETURN, .cap = owner};
	struct capos_cqe c;

	for (;;) {
		recv.user_data = capos_next_tag();
		if (capos_submit(&recv) ||
		    capos_wait(recv.user_data, CAPOS_TIMEOUT_INFINITE, &c) ||
		    c.result < 0)
			capos_exit(6);
		/* The last RETURN completed in the same pass, before the
		 * RECV: its CQE is there (a caller that gave up makes it
		 * DISCONNECTED, which is no failure of ours). */
		if (ret.user_data && capos_wait(ret.user_data, 0, &c))
			capos_exit(9);
		ret.user_data = 0;
		if (h->interface_id == test_IpcEcho_TYPE_ID &&
		    h->method == test_IpcEcho_METHOD_exit)
			capos_exit(7);
		if (h->interface_id == test_IpcEcho_TYPE_ID &&
		    h->method == test_IpcEcho_METHOD_hang)
			continue;
		/* One more demand-zero page, then the answer: a mapping of
		 * ours changed while nothing waited (ipcfast's stale
		 * translations). */
		if (h->interface_id == test_IpcEcho_TYPE_ID &&
		    h->method == test_IpcEcho_METHOD_touch)
			big[(touched++ * 4096u) % sizeof(big)] = 1;
		ret.user_data = capos_next_tag();
		ret.call_id = h->call_id;
		ret.params_len = h->params_len;
		ret.params_addr =
		    h->params_len ? (uint64_t)(uintptr_t)(h + 1) : 0;
		if (capos_submit(&ret))
			capos_exit(8);
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
	if (capos_capset_find("fast", capos_Endpoint_TYPE_ID, &owner) == 0)
		serve_fast();
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner))
		return 3;
	capos_serve(owner, &test_IpcEcho_interface, &impl, NULL, buf,
	            sizeof(buf));
	return 5;
}
