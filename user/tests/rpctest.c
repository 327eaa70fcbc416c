/*
 * rpctest: generated dispatch seen from a client (boot suite case rpc).
 * Runs as init of tests/boot/manifests/rpctest.capnp, spawns rpc_server
 * with an endpoint that serves TestDerived and calls it: a TestBase
 * method through the TestDerived cap (naming TestBase's interface id), a
 * TestDerived method, an interface the server does not implement, an
 * ordinal TestDerived does not have, and malformed params.  Then it
 * hands the TestDerived facet to rpc_lookup, which finds it in its CapSet
 * as TestBase too.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "test.capnp.client.h"

static struct capos_call c;

static void
test_calls(capos_capid_t svc)
{
	test_TestBase_add_Params_builder add;
	test_TestDerived_tag_Results_reader tag;
	uint64_t bad_root = (uint64_t)100 << 2 | (uint64_t)1 << 32;
	int err;

	add = test_TestDerived_add_begin(&c);
	test_TestBase_add_Params_set_a(add, 40);
	test_TestBase_add_Params_set_b(add, 2);
	err = test_TestDerived_add_send(&c, svc);
	ktest_check(err == 0 && test_TestBase_add_Results_get_sum(
	                            test_TestDerived_add_results(&c)) == 42,
	            "base_method_through_derived_cap", "error %d", err);

	test_TestDerived_ping_begin(&c);
	err = test_TestDerived_ping_send(&c, svc);
	ktest_check(err == 0 && c.result_len == 0, "empty_results_0_bytes",
	            "error %d, %u result bytes", err, c.result_len);

	test_TestDerived_twice_Params_set_n(test_TestDerived_twice_begin(&c),
	                                    21);
	err = test_TestDerived_twice_send(&c, svc);
	ktest_check(err == 0 && test_TestDerived_twice_Results_get_n(
	                            test_TestDerived_twice_results(&c)) == 42,
	            "derived_method", "error %d", err);

	test_TestDerived_tag_Params_set_text(test_TestDerived_tag_begin(&c),
	                                     "hi", 2);
	err = test_TestDerived_tag_send(&c, svc);
	tag = test_TestDerived_tag_results(&c);
	ktest_check(err == 0 &&
	                test_TestDerived_tag_Results_get_ordinal(tag) ==
	                    test_TestDerived_METHOD_tag &&
	                test_TestDerived_tag_Results_get_tag(tag).len == 2,
	            "derived_method_results", "error %d", err);

	capos_call_begin(&c);
	ktest_check_exception(capos_call_send(&c, svc, capos_Timer_TYPE_ID, 0),
	                      capos_ExceptionType_unimplemented,
	                      "other_interface.unimplemented");

	capos_call_begin(&c);
	ktest_check_exception(
	    capos_call_send(&c, svc, test_TestLeaf_TYPE_ID, 0),
	    capos_ExceptionType_unimplemented,
	    "derived_of_served.unimplemented");

	capos_call_begin(&c);
	ktest_check_exception(
	    capos_call_send(&c, svc, test_TestDerived_TYPE_ID, 9),
	    capos_ExceptionType_unimplemented, "unknown_ordinal.unimplemented");

	capos_call_begin(&c);
	ktest_check_exception(
	    capos_call_send(&c, svc, test_TestBase_TYPE_ID, 9),
	    capos_ExceptionType_unimplemented,
	    "unknown_base_ordinal.unimplemented");

	/* A root pointer past the end of its one-word segment. */
	test_TestDerived_add_begin(&c);
	memcpy(c.params.seg[0].base, &bad_root, sizeof(bad_root));
	ktest_check_exception(test_TestDerived_add_send(&c, svc),
	                      capos_ExceptionType_invalidArgument,
	                      "malformed_params.invalid_argument");

	add = test_TestDerived_add_begin(&c);
	test_TestBase_add_Params_set_a(add, 1);
	err = test_TestDerived_add_send(&c, svc);
	ktest_check(err == 0 && test_TestBase_add_Results_get_sum(
	                            test_TestDerived_add_results(&c)) == 1,
	            "serves_after_refusals", "error %d", err);
}

/* rpc_lookup, granted the TestDerived facet as "peer", checks the typed
 * lookups and exits with its failures. */
static void
test_lookup(capos_capid_t spawner, capos_capid_t console, capos_capid_t svc)
{
	struct capos_spawn_grant g[2] = {{"console", console}, {"peer", svc}};
	capos_capid_t h;
	int32_t code = -1;
	int err;

	err = capos_spawn(spawner, "rpc_lookup", "rpc_lookup", g, 2, NULL, 0,
	                  NULL, &h, NULL);
	if (err == 0) {
		err = capos_handle_wait(h, &code);
		capos_release_sync(h);
	}
	ktest_check(err == 0 && code == 0, "lookup.exit_0", "%s, exit code %d",
	            capos_strerror(err), code);
}

int
main(void)
{
	struct capos_spawn_grant g;
	struct capos_spawn_endpoint ep = {"svc", test_TestDerived_TYPE_ID};
	capos_capid_t spawner, console, handle, svc;
	int err;

	ktest_prefix("rpc.");
	if (capos_ProcessSpawner_find("spawner", &spawner) ||
	    capos_Console_find("console", &console)) {
		printf("KTEST not ok rpc.capset: init caps missing\n");
		return 1;
	}
	g = (struct capos_spawn_grant){"console", console};
	err = capos_spawn(spawner, "rpc_server", "rpc_server", &g, 1, &ep, 1,
	                  NULL, &handle, &svc);
	ktest_check(err == 0, "spawn.rpc_server", "error %d", err);
	if (err)
		return ktest_failures();
	test_calls(svc);
	test_lookup(spawner, console, svc);
	capos_handle_kill(handle);
	capos_release_sync(handle);
	capos_release_sync(svc);
	printf("rpc test: %d failures\n", ktest_failures());
	return ktest_failures();
}
