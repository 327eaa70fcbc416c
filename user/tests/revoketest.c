/*
 * revoketest: revocable caps (CapabilityManager.revocable,
 * Revoker.revoke; services suite case revocable).  Forwarders reach a
 * kernel object and an endpoint server; copies granted to a child at
 * spawn and sent to it over IPC work and all fail disconnected after the
 * revoke; a Timer.sleep and an endpoint call in flight at the revoke
 * complete normally; non-transferable caps, missing caps and too deep
 * chains are refused; a revoker cannot travel; releasing it revokes.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define MS 1000000ull

static capos_capid_t console, capmgr, null, timer, sysinfo, frames, vm,
    launcher;
static struct capos_call call;

static bool
exception_is(int err, int type)
{
	return err == CAPOS_E_APP_EXCEPTION &&
	       capos_last_exception()->type == type;
}

static bool
disconnected(int err)
{
	return exception_is(err, capos_ExceptionType_disconnected);
}

static bool
invalid(int err)
{
	return exception_is(err, capos_ExceptionType_invalidArgument);
}

/* Echo.echo of one command byte on cap; the answer's bytes in out. */
static int
echo(capos_capid_t cap, char cmd, char *out, size_t outlen)
{
	struct capnp_data d;
	int err;

	capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(&call), &cmd, 1);
	err = capos_Echo_echo_send(&call, cap);
	if (err)
		return err;
	d = capos_Echo_echo_Results_get_data(capos_Echo_echo_results(&call));
	if (!d.ptr || d.len >= outlen)
		return CAPOS_E_BAD_FIELD;
	memcpy(out, d.ptr, d.len);
	out[d.len] = 0;
	return 0;
}

/* Echo.keep(cap) on server. */
static int
keep(capos_capid_t server, capos_capid_t cap)
{
	capos_Echo_keep_Params_builder p = capos_Echo_keep_begin(&call);

	capnp_slot_set_cap(capos_Echo_keep_Params_slot_cap(p),
	                   capos_call_add_cap(&call, cap, CAPOS_XFER_COPY));
	return capos_Echo_keep_send(&call, server);
}

/* The kernel object and the server, each reached through a forwarder. */
static void
reaches(capos_capid_t probe)
{
	capos_capid_t f, r, f2, r2;
	char host[64], got[8];
	int err;

	err = capos_revocable(capmgr, null, &f, &r);
	ktest_check(err == 0, "revocable_makes_a_forwarder", "%s",
	            capos_strerror(err));
	err = capos_null_ping(f);
	ktest_check(err == 0, "a_forwarder_reaches_a_kernel_object", "%s",
	            capos_strerror(err));
	err = capos_revocable(capmgr, sysinfo, &f2, &r2);
	if (!err)
		err = capos_sysinfo_hostname(f2, host, sizeof(host));
	ktest_check(err == 0 && strcmp(host, "revocable-test") == 0,
	            "a_forwarder_answers_as_its_object", "%s, \"%s\"",
	            capos_strerror(err), err ? "" : host);
	capos_release_sync(f2);
	capos_release_sync(r2);
	err = capos_revoke(r);
	ktest_check(err == 0 && disconnected(capos_null_ping(f)),
	            "a_revoked_forwarder_is_disconnected", "%s",
	            capos_strerror(err));
	err = capos_revoke(r);
	ktest_check(err == 0, "revoking_twice_is_nothing", "%s",
	            capos_strerror(err));
	capos_release_sync(f);
	capos_release_sync(r);

	err = capos_revocable(capmgr, probe, &f, &r);
	if (!err)
		err = echo(f, 'p', got, sizeof(got));
	ktest_check(err == 0 && strcmp(got, "o-") == 0,
	            "a_forwarder_reaches_an_endpoint_server", "%s",
	            capos_strerror(err));
	capos_revoke(r);
	err = echo(f, 'p', got, sizeof(got));
	ktest_check(disconnected(err),
	            "a_revoked_server_forwarder_is_disconnected", "%s",
	            capos_strerror(err));
	capos_release_sync(f);
	capos_release_sync(r);
}

/* Hostile and odd requests. */
static void
refusals(capos_capid_t handle, capos_capid_t probe)
{
	capos_capid_t f, r, f2, r2, chain[9], revs[9], mo;
	uint64_t at;
	int err, i;

	err = capos_revocable(capmgr, handle, &f, &r);
	ktest_check(invalid(err), "refuses_a_process_handle", "%s",
	            capos_strerror(err));
	err = capos_revocable(capmgr, null, &f, &r);
	if (!err) {
		err = capos_revocable(capmgr, r, &f2, &r2);
		ktest_check(invalid(err), "refuses_a_revoker", "%s",
		            capos_strerror(err));
		err = keep(probe, r);
		ktest_check(err == CAPOS_E_BAD_XFER, "a_revoker_cannot_be_sent",
		            "%s (%s)", capos_strerror(err),
		            capos_last_exception()->message);
		/* Released, the revoker takes the forwarder with it. */
		capos_release_sync(r);
		ktest_check(disconnected(capos_null_ping(f)),
		            "releasing_the_revoker_revokes", "ping answered");
		capos_release_sync(f);
	}
	capos_CapabilityManager_revocable_begin(&call);
	err = capos_CapabilityManager_revocable_send(&call, capmgr);
	ktest_check(invalid(err), "refuses_a_call_without_a_cap", "%s",
	            capos_strerror(err));
	err = capos_revocable(capmgr, 0x7777, &f, &r);
	ktest_check(err == CAPOS_E_BAD_CAP, "refuses_a_forged_cap", "%s",
	            capos_strerror(err));

	/* Forwarders of forwarders, up to the limit. */
	chain[0] = null;
	for (i = 1; i <= 9; i++) {
		err =
		    capos_revocable(capmgr, chain[i - 1], &chain[i], &revs[i]);
		if (err)
			break;
	}
	ktest_check(i == 9 && invalid(err), "a_chain_stops_at_8", "link %d: %s",
	            i, capos_strerror(err));
	err = capos_null_ping(chain[8]);
	ktest_check(i == 9 && err == 0, "a_chain_of_8_reaches_its_object", "%s",
	            capos_strerror(err));
	if (i == 9) {
		capos_revoke(revs[1]);
		ktest_check(disconnected(capos_null_ping(chain[8])),
		            "revoking_the_innermost_cuts_the_chain",
		            "ping answered");
		for (i = 1; i <= 8; i++) {
			capos_release_sync(chain[i]);
			capos_release_sync(revs[i]);
		}
	}

	/* A kernel method that checks a cap's kind sees the forwarder. */
	err = capos_frames_allocate(frames, 1, &mo);
	if (!err) {
		err = capos_revocable(capmgr, mo, &f, &r);
		if (!err) {
			err = capos_vm_map(vm, f, 0, CAPOS_PROT_READ, &at);
			ktest_check(invalid(err),
			            "vm_map_refuses_a_wrapped_memory_object",
			            "%s", capos_strerror(err));
			capos_release_sync(f);
			capos_release_sync(r);
		}
		capos_release_sync(mo);
	}
}

/* Calls in flight when their forwarder is revoked finish normally. */
static void
in_flight(capos_capid_t probe, capos_capid_t handle)
{
	uint8_t sbuf[CAPOS_SLEEP_BUF_MIN] __attribute__((aligned(8)));
	static uint8_t ebuf[256] __attribute__((aligned(8)));
	struct capos_call_desc d, e;
	struct capos_msgbuf mb;
	struct capos_cqe cqe;
	struct capos_reply rep;
	capos_capid_t f, r;
	uint64_t tag;
	int32_t code = -1;
	int err;

	err = capos_revocable(capmgr, timer, &f, &r);
	if (err) {
		ktest_check(false, "a_sleep_in_flight_completes", "%s",
		            capos_strerror(err));
		return;
	}
	tag = capos_next_tag();
	err = capos_timer_sleep_submit(&d, f, 50 * MS, sbuf, sizeof(sbuf), tag);
	if (!err)
		err = capos_flush();
	capos_revoke(r);
	if (!err)
		err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	if (!err)
		err = capos_call_complete(&d, &cqe, &rep);
	ktest_check(err == 0, "a_sleep_in_flight_completes", "%s",
	            capos_strerror(err));
	err = capos_timer_sleep(f, MS);
	ktest_check(disconnected(err), "a_sleep_after_revoke_is_disconnected",
	            "%s", capos_strerror(err));
	capos_release_sync(f);
	capos_release_sync(r);

	/* The server sleeps 200 ms on "s": meanwhile the forwarder is
	 * revoked and every other cap to the endpoint released, so only the
	 * call itself keeps the endpoint. */
	err = capos_revocable(capmgr, probe, &f, &r);
	if (err) {
		ktest_check(false, "a_server_call_in_flight_completes", "%s",
		            capos_strerror(err));
		return;
	}
	capos_msg_begin(&mb);
	capos_Echo_echo_Params_set_data(
	    capos_Echo_echo_Params_build_root(&mb.b), "s", 1);
	err = capos_msg_end(&mb);
	e = (struct capos_call_desc){
	    .cap = f,
	    .interface_id = capos_Echo_TYPE_ID,
	    .method = capos_Echo_METHOD_echo,
	    .params = mb.framed,
	    .params_len = mb.framed_len,
	    .result = ebuf,
	    .result_cap = sizeof(ebuf),
	};
	tag = capos_next_tag();
	if (!err)
		err = capos_call_submit(&e, tag);
	if (!err)
		err = capos_flush();
	capos_revoke(r);
	capos_release_sync(r);
	capos_release_sync(probe);
	if (!err)
		err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	if (!err)
		err = capos_call_complete(&e, &cqe, &rep);
	ktest_check(err == 0, "a_server_call_in_flight_completes", "%s",
	            capos_strerror(err));
	capos_release_sync(f);
	err = capos_handle_wait(handle, &code);
	ktest_check(err == 0 && code == 0, "the_child_exits_cleanly",
	            "%s, exit code %d", capos_strerror(err), code);
}

int
main(void)
{
	struct capos_spawn_endpoint ep = {"probe", capos_Echo_TYPE_ID};
	capos_capid_t gf, gr, sf, sr, handle, probe;
	char got[8];
	int err;

	ktest_prefix("ipc.revocable.");
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("capmgr", capos_CapabilityManager_TYPE_ID,
	                      &capmgr) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("sysinfo", capos_SystemInfo_TYPE_ID, &sysinfo) ||
	    capos_capset_find("frames", capos_FrameAllocator_TYPE_ID,
	                      &frames) ||
	    capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm) ||
	    capos_capset_find("launcher", capos_ProcessSpawner_TYPE_ID,
	                      &launcher)) {
		printf("revoketest: a grant is missing\n");
		return 1;
	}

	/* The child gets a forwarder at spawn (its CapSet checks the
	 * interface) and another one over IPC. */
	err = capos_revocable(capmgr, null, &gf, &gr);
	if (!err) {
		struct capos_spawn_grant g[] = {
		    {"console", console}, {"null", gf}, {"timer", timer}};

		err = capos_spawn(launcher, "revoke_child", "revoke_child", g,
		                  3, &ep, 1, NULL, &handle, &probe);
	}
	if (err) {
		printf("revoketest: cannot start the child: %s\n",
		       capos_strerror(err));
		return 1;
	}
	reaches(probe);
	err = capos_revocable(capmgr, null, &sf, &sr);
	if (!err)
		err = keep(probe, sf);
	if (!err)
		err = echo(probe, 'p', got, sizeof(got));
	ktest_check(err == 0 && strcmp(got, "oo") == 0,
	            "copies_granted_and_sent_work", "%s (%s), \"%s\"",
	            capos_strerror(err), capos_last_exception()->message,
	            err ? "" : got);
	capos_revoke(gr);
	capos_revoke(sr);
	err = echo(probe, 'p', got, sizeof(got));
	ktest_check(err == 0 && strcmp(got, "dd") == 0,
	            "the_childs_copies_fail_after_revoke", "%s, \"%s\"",
	            capos_strerror(err), err ? "" : got);
	ktest_check(disconnected(capos_null_ping(gf)) &&
	                disconnected(capos_null_ping(sf)),
	            "our_copies_fail_too", "a ping answered");
	capos_release_sync(gf);
	capos_release_sync(gr);
	capos_release_sync(sf);
	capos_release_sync(sr);

	refusals(handle, probe);
	in_flight(probe, handle);
	capos_release_sync(handle);
	printf("revoketest: %d failures\n", ktest_failures());
	return ktest_failures();
}
