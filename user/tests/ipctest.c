/*
 * ipctest: the kernel IPC suite, run as init (test manifest
 * tests/boot/manifests/ipctest.capnp).  It spawns ipc_echo servers through
 * ProcessSpawner and checks endpoint calls, capability copy and move,
 * rollback, replay, non-transferable caps, bounded queues, a server killed
 * mid-call, ProcessHandle.wait and kill.  Prints KTEST lines; exits with
 * the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "test.capnp.h"

#define MS 1000000ull
/* Our own thread limit, initLimits.threads in ipctest.capnp. */
#define OWN_THREADS 8

static capos_capid_t bootpkg, spawner, console, timer, null, threads;

struct answer {
	struct capos_cqe cqe;
	uint8_t buf[2048] __attribute__((aligned(8)));
};

/* Submits a CALL with transfers; returns its tag. */
static uint64_t
call_async(capos_capid_t cap, uint64_t iface, uint16_t method,
           const void *params, uint32_t len, const struct capos_xfer *x,
           uint32_t nx, struct answer *a)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = cap,
	    .method = method,
	    .interface_id = iface,
	    .user_data = capos_next_tag(),
	    .params_addr = len ? (uint64_t)(uintptr_t)params : 0,
	    .params_len = len,
	    .result_addr = (uint64_t)(uintptr_t)a->buf,
	    .result_len = sizeof(a->buf),
	    .xfer_addr = nx ? (uint64_t)(uintptr_t)x : 0,
	    .xfer_count = nx,
	};

	if (capos_submit(&sqe))
		return 0;
	return sqe.user_data;
}

static int32_t
call(capos_capid_t cap, uint64_t iface, uint16_t method, const void *params,
     uint32_t len, const struct capos_xfer *x, uint32_t nx, struct answer *a)
{
	uint64_t tag = call_async(cap, iface, method, params, len, x, nx, a);

	if (!tag || capos_wait(tag, 2000 * MS, &a->cqe))
		return 12345;
	return a->cqe.result;
}

/* The answer's result-cap records; zeroed ones, which no check accepts,
 * when the answer's lengths do not fit its buffer. */
static const struct capos_cap_record *
records(struct answer *a)
{
	static const struct capos_cap_record none[2];
	const struct capos_cap_record *r;

	if (a->cqe.result < 0 ||
	    capos_cap_records(a->buf, sizeof(a->buf), (uint32_t)a->cqe.result,
	                      a->cqe.aux0, &r))
		return none;
	return r;
}

struct child {
	capos_capid_t handle, client;
};

/* Spawns ipc_echo with console granted and one endpoint named ep_name. */
static int
spawn_echo(const char *name, const char *ep_name, uint32_t cap_slots,
           uint32_t queue, uint32_t frames, struct child *out)
{
	struct capos_msgbuf mb;
	capos_ProcessSpawner_spawn_Params_builder p;
	struct capnp_list_builder gl, el;
	capos_ResourceLimits_builder lim;
	struct capos_xfer x = {.cap = console, .mode = CAPOS_XFER_COPY};
	struct answer a;
	struct capnp_msg m;
	capos_ProcessSpawner_spawn_Results_reader r;
	const struct capos_cap_record *recs;
	int32_t res;

	capos_msg_begin(&mb);
	p = capos_ProcessSpawner_spawn_Params_build_root(&mb.b);
	capos_ProcessSpawner_spawn_Params_set_name(p, name, strlen(name));
	capos_ProcessSpawner_spawn_Params_set_binary(p, "ipc_echo", 8);
	gl = capos_ProcessSpawner_spawn_Params_init_grants(p, 1);
	capos_SpawnGrant_set_name(capos_SpawnGrant_build_at(gl, 0), "console",
	                          7);
	capnp_slot_set_cap(
	    capos_SpawnGrant_slot_cap(capos_SpawnGrant_build_at(gl, 0)), 0);
	el = capos_ProcessSpawner_spawn_Params_init_endpoints(p, 1);
	capos_EndpointSpec_set_name(capos_EndpointSpec_build_at(el, 0), ep_name,
	                            strlen(ep_name));
	capos_EndpointSpec_set_interfaceId(capos_EndpointSpec_build_at(el, 0),
	                                   capos_Echo_TYPE_ID);
	lim = capos_ProcessSpawner_spawn_Params_init_limits(p);
	capos_ResourceLimits_set_capSlots(lim, cap_slots);
	capos_ResourceLimits_set_endpointQueue(lim, queue);
	capos_ResourceLimits_set_frames(lim, frames);
	if (capos_msg_end(&mb))
		return -1;
	res = call(spawner, capos_ProcessSpawner_TYPE_ID,
	           capos_ProcessSpawner_METHOD_spawn, mb.framed, mb.framed_len,
	           &x, 1, &a);
	if (res < 0 || a.cqe.aux0 != 2)
		return res < 0 ? res : -2;
	recs = records(&a);
	capos_msg_read(&m, a.buf, (size_t)res);
	r = capos_ProcessSpawner_spawn_Results_read_root(&m);
	out->handle =
	    recs[capos_ProcessSpawner_spawn_Results_get_handle(r)].cap;
	out->client =
	    recs[capnp_ref_cap(capnp_elem(
	             capos_ProcessSpawner_spawn_Results_get_clients(r), 0))]
	        .cap;
	if (recs[0].interface_id != capos_ProcessHandle_TYPE_ID ||
	    recs[1].interface_id != capos_Echo_TYPE_ID)
		return -3;
	return 0;
}

/* Kills the child (if asked) and drops both caps to it. */
static void
child_done(struct child *s, bool kill)
{
	if (kill)
		capos_handle_kill(s->handle);
	capos_release_sync(s->handle);
	capos_release_sync(s->client);
}

static int32_t
echo(capos_capid_t client, const void *data, uint32_t len, struct answer *a,
     struct capnp_data *out)
{
	struct capos_msgbuf mb;
	struct capnp_msg m;
	int32_t r;

	capos_msg_begin(&mb);
	capos_Echo_echo_Params_set_data(
	    capos_Echo_echo_Params_build_root(&mb.b), data, len);
	capos_msg_end(&mb);
	r = call(client, capos_Echo_TYPE_ID, capos_Echo_METHOD_echo, mb.framed,
	         mb.framed_len, NULL, 0, a);
	if (r >= 0) {
		capos_msg_read(&m, a->buf, (size_t)r);
		*out = capos_Echo_echo_Results_get_data(
		    capos_Echo_echo_Results_read_root(&m));
	}
	return r;
}

static int
wait_exit(capos_capid_t handle, int32_t *code)
{
	struct answer a;
	struct capnp_msg m;
	int32_t r = call(handle, capos_ProcessHandle_TYPE_ID,
	                 capos_ProcessHandle_METHOD_wait, NULL, 0, NULL, 0, &a);

	if (r < 0)
		return r;
	capos_msg_read(&m, a.buf, (size_t)r);
	*code = capos_ProcessHandle_wait_Results_get_exitCode(
	    capos_ProcessHandle_wait_Results_read_root(&m));
	return 0;
}

static void
test_echo(struct child *s)
{
	static uint8_t data[64];
	struct capnp_data d;
	struct answer a;
	int32_t r;
	int i;

	for (i = 0; i < 64; i++)
		data[i] = (uint8_t)(i * 7);
	r = echo(s->client, data, 64, &a, &d);
	ktest_check(r > 0 && d.len == 64 && memcmp(d.ptr, data, 64) == 0,
	            "echo.64_bytes", "result %d len %u", r, d.len);
	r = echo(s->client, NULL, 0, &a, &d);
	ktest_check(r > 0 && d.len == 0, "echo.0_bytes", "result %d len %u", r,
	            d.len);
	r = call(s->client, capos_Echo_TYPE_ID, 55, NULL, 0, NULL, 0, &a);
	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                capos_exception_decode(
	                    a.buf, a.cqe.aux0,
	                    (struct capos_exception *)capos_last_exception()) ==
	                    0 &&
	                capos_last_exception()->type ==
	                    capos_ExceptionType_unimplemented,
	            "echo.server_exception", "result %d", r);
}

static void
test_transfer(struct child *s)
{
	struct capos_msgbuf mb;
	struct capos_xfer x;
	struct answer a;
	capos_capid_t saved;
	uint64_t ns;
	int32_t r, r2;

	/* Copy: the server writes through our console; we keep ours. */
	capos_msg_begin(&mb);
	{
		capos_Echo_useConsole_Params_builder p =
		    capos_Echo_useConsole_Params_build_root(&mb.b);

		capos_Echo_useConsole_Params_set_console(p, 0);
		capos_Echo_useConsole_Params_set_text(
		    p, "ipc_echo: written through a copied console cap", 47);
	}
	capos_msg_end(&mb);
	x = (struct capos_xfer){.cap = console, .mode = CAPOS_XFER_COPY};
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_useConsole,
	         mb.framed, mb.framed_len, &x, 1, &a);
	ktest_check(r >= 0 && capos_console_write_line(console, "ipctest: my "
	                                                        "console still "
	                                                        "works") == 0,
	            "copy.sender_keeps", "result %d", r);

	/* Move: the timer leaves us, comes back as a result cap. */
	saved = timer;
	x = (struct capos_xfer){.cap = timer, .mode = CAPOS_XFER_MOVE};
	capos_msg_begin(&mb);
	capnp_slot_set_cap(
	    capnp_bfield(capos_Echo_keep_Params_build_root(&mb.b).s, 0), 0);
	capos_msg_end(&mb);
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_keep,
	         mb.framed, mb.framed_len, &x, 1, &a);
	r2 = capos_timer_now(saved, &ns);
	ktest_check(r >= 0 && r2 == CAPOS_E_BAD_CAP, "move.source_removed",
	            "keep %d, old id %d", r, r2);
	/* Replaying the same move finds the source gone. */
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_keep,
	         mb.framed, mb.framed_len, &x, 1, &a);
	ktest_check(r == CAPOS_E_BAD_CAP, "move.replay_refused_bad_cap",
	            "result %d", r);
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_giveBack,
	         NULL, 0, NULL, 0, &a);
	if (r >= 0 && a.cqe.aux0 == 1)
		timer = records(&a)[0].cap;
	ktest_check(r >= 0 && a.cqe.aux0 == 1 &&
	                records(&a)[0].interface_id == capos_Timer_TYPE_ID &&
	                capos_timer_now(timer, &ns) == 0,
	            "move.result_cap_back", "result %d caps %lu", r,
	            (unsigned long)a.cqe.aux0);

	/* Bounce: a cap moved there and back in one round trip. */
	x = (struct capos_xfer){.cap = null, .mode = CAPOS_XFER_MOVE};
	capos_msg_begin(&mb);
	capnp_slot_set_cap(
	    capnp_bfield(capos_Echo_bounce_Params_build_root(&mb.b).s, 0), 0);
	capos_msg_end(&mb);
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_bounce,
	         mb.framed, mb.framed_len, &x, 1, &a);
	if (r >= 0 && a.cqe.aux0 == 1)
		null = records(&a)[0].cap;
	ktest_check(r >= 0 && a.cqe.aux0 == 1 && capos_null_ping(null) == 0,
	            "move.bounce_round_trip", "result %d caps %lu", r,
	            (unsigned long)a.cqe.aux0);

	/* A handle is not transferable. */
	x = (struct capos_xfer){.cap = s->handle, .mode = CAPOS_XFER_COPY};
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_keep,
	         mb.framed, mb.framed_len, &x, 1, &a);
	ktest_check(r == CAPOS_E_BAD_XFER, "xfer.handle_not_transferable",
	            "result %d", r);
	/* A forged cap id in a descriptor. */
	x = (struct capos_xfer){.cap = 0x7ffff, .mode = CAPOS_XFER_COPY};
	r = call(s->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_keep,
	         mb.framed, mb.framed_len, &x, 1, &a);
	ktest_check(r == CAPOS_E_BAD_CAP, "xfer.bad_cap_refused", "result %d",
	            r);
}

/* A server with a tiny table cannot take the caps: everything rolls back. */
static void
test_rollback(void)
{
	struct child s;
	struct capos_msgbuf mb;
	struct capos_xfer x[2];
	struct answer a;
	uint64_t ns;
	int32_t r;

	/* Three slots: console, its endpoint and its ThreadControl. */
	if (spawn_echo("tiny", "svc", 3, 0, 0, &s)) {
		ktest_check(false, "rollback.spawn", "spawn failed");
		return;
	}
	capos_msg_begin(&mb);
	capnp_slot_set_cap(
	    capnp_bfield(capos_Echo_keep_Params_build_root(&mb.b).s, 0), 0);
	capos_msg_end(&mb);
	x[0] = (struct capos_xfer){.cap = timer, .mode = CAPOS_XFER_MOVE};
	x[1] = (struct capos_xfer){.cap = null, .mode = CAPOS_XFER_MOVE};
	r = call(s.client, capos_Echo_TYPE_ID, capos_Echo_METHOD_keep,
	         mb.framed, mb.framed_len, x, 2, &a);
	ktest_check(r == CAPOS_E_QUOTA, "rollback.receiver_table_full",
	            "result %d", r);
	ktest_check(capos_timer_now(timer, &ns) == 0 &&
	                capos_null_ping(null) == 0,
	            "rollback.moved_caps_restored", "a moved cap was lost");
	child_done(&s, true);
}

/* A server that never receives: its queue bound holds, and its death
 * disconnects every queued call. */
static void
test_queue_and_death(void)
{
	static struct answer a[6];
	uint64_t tags[6];
	struct child s;
	int i, quota = 0, disc = 0;
	int32_t code = 0;

	if (spawn_echo("mute", "mute", 0, 4, 0, &s)) {
		ktest_check(false, "queue.spawn", "spawn failed");
		return;
	}
	for (i = 0; i < 6; i++)
		tags[i] =
		    call_async(s.client, capos_Echo_TYPE_ID,
		               capos_Echo_METHOD_echo, NULL, 0, NULL, 0, &a[i]);
	for (i = 4; i < 6; i++)
		if (capos_wait(tags[i], 1000 * MS, &a[i].cqe) == 0 &&
		    a[i].cqe.result == CAPOS_E_QUOTA)
			quota++;
	ktest_check(quota == 2, "queue.bounded", "%d of 2 refused", quota);
	ktest_check(capos_handle_kill(s.handle) == 0, "handle.kill",
	            "kill failed");
	for (i = 0; i < 4; i++)
		if (capos_wait(tags[i], 1000 * MS, &a[i].cqe) == 0 &&
		    a[i].cqe.result == CAPOS_E_DISCONNECTED)
			disc++;
	ktest_check(disc == 4, "death.queued_calls_disconnected", "%d of 4",
	            disc);
	ktest_check(wait_exit(s.handle, &code) == 0 && code == -9,
	            "handle.wait_after_kill", "code %d", code);
	ktest_check(call(s.client, capos_Echo_TYPE_ID, capos_Echo_METHOD_echo,
	                 NULL, 0, NULL, 0, &a[0]) == CAPOS_E_DISCONNECTED,
	            "death.later_calls_disconnected", "accepted");
	child_done(&s, false);
}

/* The server dies while our call is in flight. */
static void
test_killed_mid_call(void)
{
	static struct answer a;
	struct child s;
	uint64_t tag;
	int32_t code = 0;

	if (spawn_echo("victim", "svc", 0, 0, 0, &s)) {
		ktest_check(false, "midcall.spawn", "spawn failed");
		return;
	}
	tag = call_async(s.client, test_IpcEcho_TYPE_ID,
	                 test_IpcEcho_METHOD_hang, NULL, 0, NULL, 0, &a);
	capos_timer_sleep(timer, 20 * MS); /* it has received the call */
	capos_handle_kill(s.handle);
	ktest_check(capos_wait(tag, 1000 * MS, &a.cqe) == 0 &&
	                a.cqe.result == CAPOS_E_DISCONNECTED,
	            "midcall.disconnected", "result %d", a.cqe.result);
	ktest_check(wait_exit(s.handle, &code) == 0 && code == -9,
	            "midcall.exit_code", "code %d", code);
	child_done(&s, false);
}

static void
test_wait_exit_code(void)
{
	static struct answer a;
	struct child s;
	int32_t code = 0;

	if (spawn_echo("exiter", "svc", 0, 0, 0, &s)) {
		ktest_check(false, "wait.spawn", "spawn failed");
		return;
	}
	call_async(s.client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_exit,
	           NULL, 0, NULL, 0, &a);
	ktest_check(wait_exit(s.handle, &code) == 0 && code == 7,
	            "wait.exit_code", "code %d", code);

	/* After exit, wait answers at once. */
	code = 0;
	ktest_check(wait_exit(s.handle, &code) == 0 && code == 7,
	            "wait.after_exit_at_once", "code %d", code);
	child_done(&s, false);
}

/* The process is long dead when wait is called: it answers at once. */
static void
test_wait_dead(void)
{
	static struct answer a;
	struct child s;
	int32_t code = 0, r;

	if (spawn_echo("early", "svc", 0, 0, 0, &s)) {
		ktest_check(false, "waitdead.spawn", "spawn failed");
		return;
	}
	call_async(s.client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_exit,
	           NULL, 0, NULL, 0, &a);
	capos_timer_sleep(timer, 30 * MS);
	r = wait_exit(s.handle, &code);
	ktest_check(r == 0 && code == 7, "wait.dead_before_wait",
	            "wait %d code %d", r, code);
	child_done(&s, false);
}

/* Outstanding calls are limited per caller (8 in this manifest). */
static void
test_outstanding_quota(void)
{
	static struct answer a[10];
	uint64_t tags[10];
	struct child s;
	int i, quota = 0, disc = 0;

	if (spawn_echo("sink", "mute", 0, 16, 0, &s)) {
		ktest_check(false, "outstanding.spawn", "spawn failed");
		return;
	}
	for (i = 0; i < 10; i++)
		tags[i] =
		    call_async(s.client, capos_Echo_TYPE_ID,
		               capos_Echo_METHOD_echo, NULL, 0, NULL, 0, &a[i]);
	for (i = 8; i < 10; i++)
		if (capos_wait(tags[i], 1000 * MS, &a[i].cqe) == 0 &&
		    a[i].cqe.result == CAPOS_E_QUOTA)
			quota++;
	ktest_check(quota == 2, "quota.outstanding_calls", "%d of 2 refused",
	            quota);
	capos_handle_kill(s.handle);
	for (i = 0; i < 8; i++)
		if (capos_wait(tags[i], 1000 * MS, &a[i].cqe) == 0 &&
		    a[i].cqe.result == CAPOS_E_DISCONNECTED)
			disc++;
	ktest_check(disc == 8, "quota.outstanding_released", "%d of 8", disc);
	child_done(&s, false);
}

/* A frame limit below what the binary needs refuses the spawn. */
static void
test_frames_quota(void)
{
	struct capos_msgbuf mb;
	capos_ProcessSpawner_spawn_Params_builder p;
	struct answer a;
	int32_t r;

	capos_msg_begin(&mb);
	p = capos_ProcessSpawner_spawn_Params_build_root(&mb.b);
	capos_ProcessSpawner_spawn_Params_set_name(p, "fat", 3);
	capos_ProcessSpawner_spawn_Params_set_binary(p, "ipc_echo", 8);
	capos_ResourceLimits_set_frames(
	    capos_ProcessSpawner_spawn_Params_init_limits(p), 2);
	capos_msg_end(&mb);
	r = call(spawner, capos_ProcessSpawner_TYPE_ID,
	         capos_ProcessSpawner_METHOD_spawn, mb.framed, mb.framed_len,
	         NULL, 0, &a);
	ktest_check(
	    r == CAPOS_E_APP_EXCEPTION &&
	        capos_exception_decode(
	            a.buf, a.cqe.aux0,
	            (struct capos_exception *)capos_last_exception()) == 0 &&
	        capos_last_exception()->type == capos_ExceptionType_overloaded,
	    "quota.frames", "result %d", r);
}

/* Demand-zero pages are charged as they are touched: a server whose
 * limit covers its image but not 1 MiB of bss dies when it touches it,
 * and only it. */
static void
test_frames_runtime(void)
{
	static struct answer a;
	struct child s;
	int32_t r, code = 0;

	if (spawn_echo("starved", "svc", 0, 0, 40, &s)) {
		ktest_check(false, "quota.frames_runtime", "spawn failed");
		return;
	}
	r = call(s.client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_touch,
	         NULL, 0, NULL, 0, &a);
	ktest_check(wait_exit(s.handle, &code) == 0 && code == 142 &&
	                r == CAPOS_E_DISCONNECTED,
	            "quota.frames_runtime", "call %d, exit code %d", r, code);
	child_done(&s, false);
}

/* Waits for tag's CQE and returns its result (12345: none came). */
static int32_t
result_of(uint64_t tag, uint64_t timeout_ns, struct answer *a)
{
	if (!tag || capos_wait(tag, timeout_ns, &a->cqe))
		return 12345;
	return a->cqe.result;
}

/* Releasing the facet a call waits on cancels the call: a queued one is
 * withdrawn and its moved cap comes back; a delivered one too, and its
 * server goes on. */
static void
test_cancel_calls(void)
{
	static struct answer a, b;
	struct child mute, hang;
	struct capos_msgbuf mb;
	struct capos_xfer x = {.cap = null, .mode = CAPOS_XFER_MOVE};
	uint64_t tag;
	int32_t r;
	int rel;

	if (spawn_echo("mute2", "mute", 0, 0, 0, &mute) ||
	    spawn_echo("hang", "svc", 0, 0, 0, &hang)) {
		ktest_check(false, "cancel.spawn", "spawn failed");
		return;
	}
	capos_msg_begin(&mb);
	capnp_slot_set_cap(
	    capnp_bfield(capos_Echo_keep_Params_build_root(&mb.b).s, 0), 0);
	capos_msg_end(&mb);
	tag =
	    call_async(mute.client, capos_Echo_TYPE_ID, capos_Echo_METHOD_keep,
	               mb.framed, mb.framed_len, &x, 1, &a);
	rel = capos_release_sync(mute.client);
	r = result_of(tag, 1000 * MS, &a);
	ktest_check(rel == 0 && r == CAPOS_E_CANCELLED,
	            "cancel.queued_call_on_facet_release",
	            "release %d, call %d", rel, r);
	ktest_check(capos_null_ping(null) == 0,
	            "cancel.queued_call_moved_cap_restored",
	            "the moved cap did not come back");

	/* Delivered: the server takes it and never answers. */
	tag = call_async(hang.client, test_IpcEcho_TYPE_ID,
	                 test_IpcEcho_METHOD_hang, NULL, 0, NULL, 0, &b);
	capos_timer_sleep(timer, 20 * MS);
	rel = capos_release_sync(hang.client);
	r = result_of(tag, 1000 * MS, &b);
	ktest_check(rel == 0 && r == CAPOS_E_CANCELLED,
	            "cancel.delivered_call_on_facet_release",
	            "release %d, call %d", rel, r);
	capos_handle_kill(mute.handle);
	capos_handle_kill(hang.handle);
	capos_release_sync(mute.handle);
	capos_release_sync(hang.handle);
}

/* Releasing a ProcessHandle cancels its pending wait; the process goes
 * on (and here ends itself). */
static void
test_cancel_wait(void)
{
	static struct answer a, b;
	struct child s;
	uint64_t tag;
	int32_t r;
	int rel;

	if (spawn_echo("waited", "svc", 0, 0, 0, &s)) {
		ktest_check(false, "cancel.wait_spawn", "spawn failed");
		return;
	}
	tag = call_async(s.handle, capos_ProcessHandle_TYPE_ID,
	                 capos_ProcessHandle_METHOD_wait, NULL, 0, NULL, 0, &a);
	rel = capos_release_sync(s.handle);
	r = result_of(tag, 1000 * MS, &a);
	ktest_check(rel == 0 && r == CAPOS_E_CANCELLED,
	            "cancel.wait_on_handle_release", "release %d, wait %d", rel,
	            r);
	r = call(s.client, capos_Echo_TYPE_ID, capos_Echo_METHOD_echo, NULL, 0,
	         NULL, 0, &b);
	ktest_check(r > 0, "cancel.released_child_still_serves", "call %d", r);
	r = call(s.client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_exit, NULL,
	         0, NULL, 0, &b);
	ktest_check(r == CAPOS_E_DISCONNECTED, "cancel.released_child_exits",
	            "call %d", r);
	capos_release_sync(s.client);
}

/* A server dropping its endpoint under waiting RECVs: they complete
 * CANCELLED (the server says so by its exit code), and the call in
 * flight is disconnected. */
static void
test_cancel_recv(void)
{
	static struct answer a;
	struct child s;
	int32_t r, code = 0;

	if (spawn_echo("dropper", "svc", 0, 0, 0, &s)) {
		ktest_check(false, "cancel.recv_spawn", "spawn failed");
		return;
	}
	r = call(s.client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_dropOwner,
	         NULL, 0, NULL, 0, &a);
	ktest_check(r == CAPOS_E_DISCONNECTED,
	            "cancel.call_in_flight_when_owner_dropped_disconnected",
	            "call %d", r);
	ktest_check(wait_exit(s.handle, &code) == 0 && code == 20,
	            "cancel.recvs_on_owner_release",
	            "server exit code %d (20: both RECVs cancelled)", code);
	child_done(&s, false);
}

/* Another copy of cap, in a slot of its own: sent to the echo server,
 * moved back. */
static int
cap_copy(struct child *echo, capos_capid_t cap, capos_capid_t *out)
{
	static struct answer a;
	struct capos_xfer x = {.cap = cap, .mode = CAPOS_XFER_COPY};
	struct capos_msgbuf mb;
	int32_t r;

	capos_msg_begin(&mb);
	capnp_slot_set_cap(
	    capnp_bfield(capos_Echo_bounce_Params_build_root(&mb.b).s, 0), 0);
	capos_msg_end(&mb);
	r = call(echo->client, capos_Echo_TYPE_ID, capos_Echo_METHOD_bounce,
	         mb.framed, mb.framed_len, &x, 1, &a);
	if (r < 0 || a.cqe.aux0 != 1)
		return -1;
	*out = records(&a)[0].cap;
	return 0;
}

/*
 * The server loop (capos_serve) after a RETURN that fails: the caller
 * releases its facet while the server stalls in the call's handler, so
 * the call completes CANCELLED for the caller and the loop's RETURN finds
 * no call to answer.  The loop goes on: a call through another copy of
 * the facet is answered, twice (the second meets the RECV the loop
 * queued together with its RETURN).
 */
static void
test_serve_loop_failed_return(void)
{
	static struct answer a, b;
	struct capos_msgbuf mb;
	struct child s;
	capos_capid_t other = 0;
	uint64_t tag;
	int32_t r, r2 = 0;
	int rel;

	if (spawn_echo("staller", "svc", 0, 0, 0, &s) ||
	    cap_copy(&s, s.client, &other)) {
		ktest_check(false, "serve.spawn", "spawn or copy failed");
		return;
	}
	capos_msg_begin(&mb);
	test_IpcEcho_stall_Params_set_ns(
	    test_IpcEcho_stall_Params_build_root(&mb.b), 50 * MS);
	capos_msg_end(&mb);
	tag = call_async(s.client, test_IpcEcho_TYPE_ID,
	                 test_IpcEcho_METHOD_stall, mb.framed, mb.framed_len,
	                 NULL, 0, &a);
	capos_timer_sleep(timer, 10 * MS); /* it stalls in the handler */
	rel = capos_release_sync(s.client);
	r = result_of(tag, 1000 * MS, &a);
	ktest_check(rel == 0 && r == CAPOS_E_CANCELLED,
	            "serve.stalled_call_cancelled", "release %d, call %d", rel,
	            r);
	r = call(other, capos_Echo_TYPE_ID, capos_Echo_METHOD_echo, NULL, 0,
	         NULL, 0, &b);
	if (r > 0)
		r2 = call(other, capos_Echo_TYPE_ID, capos_Echo_METHOD_echo,
		          NULL, 0, NULL, 0, &b);
	ktest_check(r > 0 && r2 > 0, "serve.loop_goes_on_after_failed_return",
	            "calls %d, %d", r, r2);
	s.client = other;
	child_done(&s, true);
}

/* A second copy of our timer. */
static int
timer_copy(struct child *echo, capos_capid_t *out)
{
	return cap_copy(echo, timer, out);
}

/* A sleep in flight: its call and user_data (0: it was not submitted). */
struct sleep {
	struct capos_call_desc d;
	uint64_t tag;
};

static void
sleep_submit(struct sleep *sl, capos_capid_t t, uint64_t ns, uint8_t *buf,
             uint32_t len)
{
	sl->tag = capos_next_tag();
	if (capos_timer_sleep_submit(&sl->d, t, ns, buf, len, sl->tag))
		sl->tag = 0;
}

/* The result of a sleep's CQE (12345: none came). */
static int32_t
sleep_result(struct sleep *sl, uint64_t timeout_ns)
{
	struct capos_cqe cqe;

	if (!sl->tag || capos_wait(sl->tag, timeout_ns, &cqe))
		return 12345;
	return cqe.result;
}

/* Releasing one copy of the Timer cancels the sleeps made through it and
 * no others; a CQ full of cancelled sleeps loses no reservation. */
static void
test_cancel_sleeps(struct child *echo)
{
	static struct sleep ops[20], longer, shorter;
	static uint8_t bufs[20][64] __attribute__((aligned(8)));
	static struct answer nop;
	capos_capid_t timer2;
	uint64_t tags[20], ns;
	int i, rel, cancelled = 0, nops = 0;
	int32_t r;

	if (timer_copy(echo, &timer2)) {
		ktest_check(false, "cancel.timer_copy", "bounce failed");
		return;
	}
	sleep_submit(&longer, timer2, 10000 * MS, bufs[0], 64);
	sleep_submit(&shorter, timer, 30 * MS, bufs[1], 64);
	rel = capos_release_sync(timer2);
	r = sleep_result(&longer, 100 * MS);
	ktest_check(rel == 0 && r == CAPOS_E_CANCELLED,
	            "cancel.sleep_on_timer_release", "release %d, sleep %d",
	            rel, r);
	r = sleep_result(&shorter, 1000 * MS);
	ktest_check(r == 0, "cancel.sleep_on_other_copy_completes", "sleep %d",
	            r);

	/* Twenty sleeps, then their timer goes: twenty CANCELLED CQEs,
	 * and the ring takes as many entries again. */
	if (timer_copy(echo, &timer2)) {
		ktest_check(false, "cancel.timer_copy_2", "bounce failed");
		return;
	}
	for (i = 0; i < 20; i++)
		sleep_submit(&ops[i], timer2, 10000 * MS, bufs[i], 64);
	rel = capos_release_sync(timer2);
	for (i = 0; i < 20; i++)
		cancelled +=
		    sleep_result(&ops[i], 100 * MS) == CAPOS_E_CANCELLED;
	ktest_check(rel == 0 && cancelled == 20,
	            "cancel.twenty_sleeps_on_timer_release",
	            "release %d, %d of 20 cancelled", rel, cancelled);
	for (i = 0; i < 20; i++) {
		struct capos_sqe sqe = {.opcode = CAPOS_OP_NOP,
		                        .user_data = tags[i] =
		                            capos_next_tag()};

		capos_submit(&sqe);
	}
	for (i = 0; i < 20; i++)
		nops += result_of(tags[i], 1000 * MS, &nop) == 0;
	ktest_check(nops == 20, "cancel.cq_reservations_all_returned",
	            "%d of 20 NOPs completed", nops);
	ktest_check(capos_timer_now(timer, &ns) == 0,
	            "cancel.original_timer_still_works", "now failed");
}

/* Budgets are hierarchical: init cannot give more than it has, and a
 * child holding a copy of the spawner cannot either (quota_child checks
 * its side and prints its own KTEST lines). */
static void
test_hierarchical_quota(void)
{
	struct capos_spawn_grant g[2] = {{"spawner", spawner},
	                                 {"console", console}};
	struct capos_spawn_limits lim = {.frames = 0xffffffffu};
	capos_capid_t h;
	int32_t code = -1;
	int r;

	r = capos_spawn(spawner, "greedy", "nop", NULL, 0, NULL, 0, &lim, &h,
	                NULL);
	ktest_check(r == CAPOS_E_QUOTA, "quota.spawn_more_frames_than_left",
	            "spawn %d (%s)", r, capos_strerror(r));
	lim = (struct capos_spawn_limits){.frames = 600,
	                                  .cap_slots = 40,
	                                  .outstanding_calls = 4,
	                                  .endpoint_queue = 4,
	                                  .virtual_pages = 4096};
	r = capos_spawn(spawner, "quota_child", "quota_child", g, 2, NULL, 0,
	                &lim, &h, NULL);
	ktest_check(r == 0 && capos_handle_wait(h, &code) == 0 && code == 0,
	            "quota.child_spawner_cannot_launder",
	            "spawn %d, quota_child failures %d", r, code);
	if (r == 0)
		capos_release_sync(h);
}

/*
 * A process whose threads wait in the kernel (cap_enter with nothing
 * queued, a Timer.sleep, a ThreadHandle.join, RECV) is killed: every
 * thread ends, and the run's ledger checks find all it held returned.
 * Its thread limit is at most ours.
 */
static void
test_kill_threads(void)
{
	struct capos_spawn_grant g[2] = {{"timer", timer},
	                                 {"threads", threads}};
	struct capos_spawn_endpoint ep = {"ready", capos_Echo_TYPE_ID};
	struct capos_spawn_limits lim = {.threads = OWN_THREADS + 1};
	capos_capid_t h, ready;
	int32_t code = 0;
	int r;

	r = capos_spawn(spawner, "victim", "thread_victim", g, 2, &ep, 1, &lim,
	                &h, &ready);
	ktest_check(r == CAPOS_E_QUOTA, "threads.limit_over_own_refused",
	            "spawn %d (%s)", r, capos_strerror(r));
	lim.threads = 4; /* its main thread and three */
	r = capos_spawn(spawner, "victim", "thread_victim", g, 2, &ep, 1, &lim,
	                &h, &ready);
	if (r) {
		ktest_check(false, "threads.kill_blocked", "spawn %d (%s)", r,
		            capos_strerror(r));
		return;
	}
	/* It answers once every thread waits. */
	r = capos_call_empty(ready, capos_Echo_TYPE_ID, capos_Echo_METHOD_echo);
	ktest_check_code(r, 0, "threads.victim_ready");
	r = capos_handle_kill(h);
	if (r == 0)
		r = capos_handle_wait(h, &code);
	ktest_check(r == 0 && code == -9, "threads.kill_blocked",
	            "kill/wait %d (%s), exit code %d", r, capos_strerror(r),
	            code);
	capos_release_sync(ready);
	capos_release_sync(h);
}

static void
test_spawn_errors(void)
{
	struct capos_msgbuf mb;
	capos_ProcessSpawner_spawn_Params_builder p;
	struct answer a;
	uint64_t size = 12345;
	bool found = true;
	int32_t r;

	/* Looking a binary up first: absent is an answer, not an error. */
	r = capos_bootpkg_binary_size(bootpkg, "no-such-binary", &size, &found);
	ktest_check(r == 0 && !found && size == 0,
	            "bootpkg.binary_size.absent_not_found",
	            "%s, found %d size %lu", capos_strerror(r), found,
	            (unsigned long)size);
	r = capos_bootpkg_binary_size(bootpkg, "ipc_echo", &size, &found);
	ktest_check(r == 0 && found && size > 0,
	            "bootpkg.binary_size.present_found",
	            "%s, found %d size %lu", capos_strerror(r), found,
	            (unsigned long)size);

	capos_msg_begin(&mb);
	p = capos_ProcessSpawner_spawn_Params_build_root(&mb.b);
	capos_ProcessSpawner_spawn_Params_set_name(p, "ghost", 5);
	capos_ProcessSpawner_spawn_Params_set_binary(p, "no-such-binary", 14);
	capos_msg_end(&mb);
	r = call(spawner, capos_ProcessSpawner_TYPE_ID,
	         capos_ProcessSpawner_METHOD_spawn, mb.framed, mb.framed_len,
	         NULL, 0, &a);
	ktest_check(r == CAPOS_E_APP_EXCEPTION, "spawn.missing_binary_refused",
	            "result %d", r);
}

/* grant_child checks for exactly 32 grants, the limit this suite pins. */
_Static_assert(CAPOS_XFER_MAX == 32, "a spawn grants up to 32 distinct caps");

/* CAPOS_XFER_MAX + 1 copies of null, each a cap of its own. */
static capos_capid_t nulls[CAPOS_XFER_MAX + 1];

static int
make_nulls(struct child *echo)
{
	uint32_t i;

	for (i = 0; i < CAPOS_XFER_MAX + 1; i++)
		if (cap_copy(echo, null, &nulls[i]))
			return -1;
	return 0;
}

/* How many of nulls[0, n) answer a ping. */
static uint32_t
nulls_alive(uint32_t n)
{
	uint32_t i, alive = 0;

	for (i = 0; i < n; i++)
		alive += capos_null_ping(nulls[i]) == 0;
	return alive;
}

/* A bundle of CAPOS_XFER_MAX caps moved to a server and back as result
 * caps; one more is refused before anything moves. */
static void
test_bundle(struct child *echo)
{
	static struct answer a;
	struct capos_xfer x[CAPOS_XFER_MAX + 1];
	const struct capos_cap_record *recs;
	struct capnp_list_builder l;
	struct capos_msgbuf mb;
	uint32_t i, ok = 0;
	int32_t r;

	for (i = 0; i < CAPOS_XFER_MAX + 1; i++)
		x[i] = (struct capos_xfer){.cap = nulls[i],
		                           .mode = CAPOS_XFER_MOVE};
	capos_msg_begin(&mb);
	l = test_IpcEcho_bundle_Params_init_caps(
	    test_IpcEcho_bundle_Params_build_root(&mb.b), CAPOS_XFER_MAX + 1);
	for (i = 0; i < CAPOS_XFER_MAX + 1; i++)
		capnp_slot_set_cap(capnp_belem(l, i), i);
	capos_msg_end(&mb);

	r = call(echo->client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_bundle,
	         mb.framed, mb.framed_len, x, CAPOS_XFER_MAX + 1, &a);
	ktest_check(r == CAPOS_E_BAD_XFER &&
	                nulls_alive(CAPOS_XFER_MAX + 1) == CAPOS_XFER_MAX + 1,
	            "xfer.bundle_33_refused_nothing_moved",
	            "result %d, %u of %u caps still ours", r,
	            nulls_alive(CAPOS_XFER_MAX + 1), CAPOS_XFER_MAX + 1);

	r = call(echo->client, test_IpcEcho_TYPE_ID, test_IpcEcho_METHOD_bundle,
	         mb.framed, mb.framed_len, x, CAPOS_XFER_MAX, &a);
	recs = records(&a);
	if (r >= 0 && a.cqe.aux0 == CAPOS_XFER_MAX)
		for (i = 0; i < CAPOS_XFER_MAX; i++)
			ok += recs[i].interface_id == capos_Null_TYPE_ID &&
			      capos_null_ping(recs[i].cap) == 0;
	ktest_check(ok == CAPOS_XFER_MAX && nulls_alive(CAPOS_XFER_MAX) == 0,
	            "xfer.bundle_32_both_ways",
	            "result %d, %lu result caps, %u working, %u sources left",
	            r, (unsigned long)a.cqe.aux0, ok,
	            nulls_alive(CAPOS_XFER_MAX));
	/* The moved-back caps take the sources' place. */
	for (i = 0; i < CAPOS_XFER_MAX && i < a.cqe.aux0 && r >= 0; i++)
		nulls[i] = recs[i].cap;
}

/* A spawn grants CAPOS_XFER_MAX distinct caps (grant_child checks its
 * CapSet); with one more the spawn is refused, by libcapos and, asked
 * raw, by the kernel. */
static void
test_spawn_32_grants(void)
{
	static char names[CAPOS_XFER_MAX + 1][4];
	struct capos_spawn_grant g[CAPOS_XFER_MAX + 1];
	struct capos_xfer x[CAPOS_XFER_MAX + 1];
	struct answer a;
	capos_capid_t handle = 0;
	int32_t code = -1;
	uint32_t i;
	int r;

	for (i = 0; i < CAPOS_XFER_MAX + 1; i++) {
		names[i][0] = 'g';
		names[i][1] = (char)('0' + i / 10);
		names[i][2] = (char)('0' + i % 10);
		g[i] = (struct capos_spawn_grant){names[i], nulls[i]};
		x[i] = (struct capos_xfer){.cap = nulls[i],
		                           .mode = CAPOS_XFER_COPY};
	}
	g[30].cap = timer;
	g[31].cap = console;
	r = capos_spawn(spawner, "grants32", "grant_child", g, CAPOS_XFER_MAX,
	                NULL, 0, NULL, &handle, NULL);
	if (r == 0)
		r = wait_exit(handle, &code);
	ktest_check(r == 0 && code == 0, "spawn.32_grants_arrive",
	            "%s, grant_child exit code %d", capos_strerror(r), code);
	if (handle)
		capos_release(handle);

	handle = 0;
	r = capos_spawn(spawner, "grants33", "grant_child", g,
	                CAPOS_XFER_MAX + 1, NULL, 0, NULL, &handle, NULL);
	ktest_check(r == CAPOS_E_BAD_XFER && handle == 0,
	            "spawn.33_grants_refused", "%s", capos_strerror(r));
	r = call(spawner, capos_ProcessSpawner_TYPE_ID,
	         capos_ProcessSpawner_METHOD_spawn, NULL, 0, x,
	         CAPOS_XFER_MAX + 1, &a);
	ktest_check(r == CAPOS_E_BAD_XFER &&
	                nulls_alive(CAPOS_XFER_MAX + 1) == CAPOS_XFER_MAX + 1,
	            "spawn.33_caps_refused_by_kernel", "result %d", r);
}

int
main(void)
{
	struct child s;
	int err;

	ktest_prefix("ipc.");
	if (capos_capset_find("bootpkg", capos_BootPackage_TYPE_ID, &bootpkg) ||
	    capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null) ||
	    capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                      &threads)) {
		printf("KTEST not ok ipc.capset: init caps missing\n");
		return 1;
	}
	err = spawn_echo("echo", "svc", 0, 0, 0, &s);
	ktest_check(err == 0, "spawn.echo_server", "error %d", err);
	if (err)
		return ktest_failures();
	test_echo(&s);
	test_transfer(&s);
	test_rollback();
	test_queue_and_death();
	test_killed_mid_call();
	test_wait_exit_code();
	test_wait_dead();
	test_outstanding_quota();
	test_frames_quota();
	test_frames_runtime();
	test_spawn_errors();
	test_cancel_calls();
	test_cancel_wait();
	test_cancel_recv();
	test_serve_loop_failed_return();
	test_cancel_sleeps(&s);
	err = make_nulls(&s);
	ktest_check(err == 0, "xfer.copies_made", "bounce failed");
	if (err == 0) {
		test_bundle(&s);
		test_spawn_32_grants();
	}
	test_hierarchical_quota();
	test_kill_threads();
	capos_handle_kill(s.handle);
	printf("ipc test: %d failures\n", ktest_failures());
	return ktest_failures();
}
