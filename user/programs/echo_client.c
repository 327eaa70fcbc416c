/*
 * echo_client: calls echo_server through the Echo client facet init
 * granted it as "echo", and passes capabilities to it.  Grants it expects
 * (system/default.capnp, system/tests/echo.capnp): "console" and
 * "console2" (two separate caps to the one console, so it can move one
 * away and keep printing), "null", and "echo".
 *
 * Prints "KTEST ok ipc.<check>" / "KTEST not ok ipc.<check>: why" and
 * exits with the number of failed checks.
 */
#include "capos.h"

#include "capos.capnp.client.h"

static capos_capid_t console, console2, null, echo;
static struct capos_call c;
static uint8_t result[8192] __attribute__((aligned(8)));

/* Echo's method with the params in mb (NULL: none) and the caps x[0, nx);
 * the answer lands in result. */
static int
call_echo(uint16_t method, const struct capos_msgbuf *mb,
          const struct capos_xfer *x, uint32_t nx, struct capos_reply *r)
{
	struct capos_call_desc d = {
	    .cap = echo,
	    .method = method,
	    .interface_id = capos_Echo_TYPE_ID,
	    .params = mb ? mb->framed : NULL,
	    .params_len = mb ? mb->framed_len : 0,
	    .xfer = x,
	    .nxfer = nx,
	    .result = result,
	    .result_cap = sizeof(result),
	};

	return capos_call(&d, r);
}

/* The CapSet holds exactly the four grants, then the ThreadControl every
 * process holds, and nothing else. */
static void
test_capset(void)
{
	static const struct {
		const char *name;
		uint64_t iid;
	} want[] = {
	    {"console", capos_Console_TYPE_ID},
	    {"console2", capos_Console_TYPE_ID},
	    {"null", capos_Null_TYPE_ID},
	    {"echo", capos_Echo_TYPE_ID},
	    {"thread", capos_ThreadControl_TYPE_ID},
	};
	uint32_t i, n = capos_capset_count();
	bool ok = n == 5;

	for (i = 0; ok && i < n; i++) {
		const struct capos_capset_entry *e = capos_capset_entry(i);

		ok = strcmp(e->name, want[i].name) == 0 &&
		     e->interface_id == want[i].iid;
	}
	ktest_check(ok, "capset.exact_grants",
	            "%u entries, not the 4 granted and \"thread\"", n);
	ktest_check(capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                              &(capos_capid_t){0}) != 0 &&
	                capos_capset_find("timer", capos_Timer_TYPE_ID,
	                                  &(capos_capid_t){0}) != 0,
	            "capset.nothing_ambient", "holds a cap it was not granted");
}

static void
test_echo(void)
{
	static uint8_t data[4000];
	struct capnp_data d = {0};
	uint32_t sizes[] = {0, 64, sizeof(data)};
	const char *names[] = {"echo.0_bytes", "echo.64_bytes",
	                       "echo.4000_bytes"};
	uint32_t i, k;
	int err;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	for (k = 0; k < 3; k++) {
		capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(&c), data,
		                                sizes[k]);
		err = capos_Echo_echo_send(&c, echo);
		if (!err)
			d = capos_Echo_echo_Results_get_data(
			    capos_Echo_echo_results(&c));
		ktest_check(
		    err == 0 && d.len == sizes[k] &&
		        (sizes[k] == 0 || memcmp(d.ptr, data, sizes[k]) == 0),
		    names[k], "%s, %u bytes back", capos_strerror(err), d.len);
	}
}

/* Builds useConsole(console = cap #0, text) into mb. */
static void
use_console_params(struct capos_msgbuf *mb, const char *text)
{
	capos_Echo_useConsole_Params_builder p;

	capos_msg_begin(mb);
	p = capos_Echo_useConsole_Params_build_root(&mb->b);
	capos_Echo_useConsole_Params_set_console(p, 0);
	capos_Echo_useConsole_Params_set_text(p, text, strlen(text));
	capos_msg_end(mb);
}

static void
test_copy_and_move(void)
{
	struct capos_msgbuf mb;
	struct capos_xfer x;
	struct capos_reply rep;
	int r, r2;

	/* Copy: the server writes through our console, we keep ours. */
	use_console_params(&mb, "echo_server: printed through the console "
	                        "cap echo_client copied to it");
	x = (struct capos_xfer){.cap = console, .mode = CAPOS_XFER_COPY};
	r = call_echo(capos_Echo_METHOD_useConsole, &mb, &x, 1, &rep);
	ktest_check(r == 0, "copy.server_used_cap", "%s", capos_strerror(r));
	r = capos_console_write_line(console, "echo_client: my console "
	                                      "still works after the copy");
	ktest_check(r == 0, "copy.sender_keeps", "%s", capos_strerror(r));

	/* Move: console2 goes to the server, our id for it is stale. */
	use_console_params(&mb, "echo_server: printed through the console "
	                        "cap echo_client moved to it");
	x = (struct capos_xfer){.cap = console2, .mode = CAPOS_XFER_MOVE};
	r = call_echo(capos_Echo_METHOD_useConsole, &mb, &x, 1, &rep);
	ktest_check(r == 0, "move.server_used_cap", "%s", capos_strerror(r));
	r2 = capos_console_write(console2, "x\n", 2);
	ktest_check(r2 == CAPOS_E_BAD_CAP, "move.source_gone",
	            "the moved cap still answers: %s", capos_strerror(r2));
	/* A stale id cannot be sent again either. */
	r = call_echo(capos_Echo_METHOD_useConsole, &mb, &x, 1, &rep);
	ktest_check(r == CAPOS_E_BAD_CAP, "move.replay_refused_bad_cap", "%s",
	            capos_strerror(r));
}

/* keep(null) moves it away; giveBack moves it back as a result cap. */
static void
test_keep_give_back(void)
{
	struct capos_xfer x = {.cap = null, .mode = CAPOS_XFER_MOVE};
	struct capos_msgbuf mb;
	struct capos_reply rep;
	uint32_t idx;
	uint64_t iid = 0;
	capos_capid_t back;
	int r;

	capos_msg_begin(&mb);
	capnp_slot_set_cap(capos_Echo_keep_Params_slot_cap(
	                       capos_Echo_keep_Params_build_root(&mb.b)),
	                   0);
	capos_msg_end(&mb);
	r = call_echo(capos_Echo_METHOD_keep, &mb, &x, 1, &rep);
	ktest_check(r == 0 && capos_null_ping(null) == CAPOS_E_BAD_CAP,
	            "keep.cap_moved_away", "keep: %s", capos_strerror(r));

	r = call_echo(capos_Echo_METHOD_giveBack, NULL, NULL, 0, &rep);
	back = 0;
	if (r == 0 && rep.ncaps == 1) {
		struct capnp_msg m;
		struct capnp_ptr p;

		capos_msg_read(&m, result, rep.len);
		p = capos_Echo_giveBack_Results_get_cap(
		    capos_Echo_giveBack_Results_read_root(&m));
		idx = p.type == CAPNP_PTR_CAP ? p.u.cap : UINT32_MAX;
		if (idx < rep.ncaps) {
			back = rep.caps[idx].cap;
			iid = rep.caps[idx].interface_id;
		}
	}
	ktest_check(back && iid == capos_Null_TYPE_ID &&
	                capos_null_ping(back) == 0,
	            "give_back.result_cap", "%s, %u caps, interface %lx",
	            capos_strerror(r), rep.ncaps, (unsigned long)iid);
	if (back)
		null = back;

	/* giveBack again: nothing is kept any more. */
	r = call_echo(capos_Echo_METHOD_giveBack, NULL, NULL, 0, &rep);
	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                capos_last_exception()->type ==
	                    capos_ExceptionType_failed,
	            "give_back.only_once", "%s", capos_strerror(r));
}

/* bounce: a copy of null goes out and comes back as a new cap. */
static void
test_bounce(void)
{
	uint64_t iid = 0;
	capos_capid_t back;
	uint32_t idx;
	int err;
	capos_Echo_bounce_Params_builder p = capos_Echo_bounce_begin(&c);

	idx = capos_call_add_cap(&c, null, CAPOS_XFER_COPY);
	capnp_slot_set_cap(capos_Echo_bounce_Params_slot_cap(p), idx);
	err = capos_Echo_bounce_send(&c, echo);
	back = err ? 0 : capos_call_result_cap(&c, 0, &iid);
	ktest_check(back && back != null && iid == capos_Null_TYPE_ID &&
	                capos_null_ping(back) == 0 &&
	                capos_null_ping(null) == 0,
	            "bounce.copy_comes_back", "%s", capos_strerror(err));
	if (back)
		capos_release_sync(back);
}

static void
test_unknown_method(void)
{
	struct capos_reply rep;
	int r = call_echo(99, NULL, NULL, 0, &rep);

	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                capos_last_exception()->type ==
	                    capos_ExceptionType_unimplemented,
	            "unknown_method.unimplemented", "%s", capos_strerror(r));
}

int
main(void)
{
	ktest_prefix("ipc.");
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("console2", capos_Console_TYPE_ID, &console2) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null) ||
	    capos_capset_find("echo", capos_Echo_TYPE_ID, &echo)) {
		ktest_check(false, "grants",
		            "a grant is missing from the CapSet");
		return 1;
	}
	test_capset();
	test_echo();
	test_copy_and_move();
	test_keep_give_back();
	test_bounce();
	test_unknown_method();
	printf("echo_client: %d check(s) failed\n", ktest_failures());
	return ktest_failures();
}
