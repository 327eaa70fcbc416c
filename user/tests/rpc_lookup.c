/*
 * rpc_lookup: the typed CapSet lookup with inheritance (boot case rpc).
 * rpctest grants it "peer", a client facet of rpc_server's TestDerived
 * endpoint: looking it up as TestDerived or as TestBase (which
 * TestDerived extends) finds it, as TestLeaf (which extends TestDerived)
 * or as Echo does not.  The cap the TestBase lookup gave answers a
 * TestBase call.  KTEST lines; exits with the number of failures.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "test.capnp.client.h"

static struct capos_call c;

int
main(void)
{
	capos_capid_t base = 0, derived = 0, other = 0;
	test_TestBase_add_Params_builder add;
	int err;

	ktest_prefix("rpc.lookup.");
	err = test_TestBase_find("peer", &base);
	ktest_check(err == 0 && base != 0, "base_finds_derived", "%s",
	            capos_strerror(err));
	err = test_TestDerived_find("peer", &derived);
	ktest_check(err == 0 && derived == base, "own_interface", "%s",
	            capos_strerror(err));
	ktest_check_code(test_TestLeaf_find("peer", &other),
	                 CAPOS_E_NOT_SUPPORTED, "derived_of_it_refused");
	ktest_check_code(capos_Echo_find("peer", &other), CAPOS_E_NOT_SUPPORTED,
	                 "unrelated_refused");
	ktest_check_code(test_TestBase_find("nobody", &other), CAPOS_E_BAD_CAP,
	                 "missing_name");

	add = test_TestBase_add_begin(&c);
	test_TestBase_add_Params_set_a(add, 2);
	test_TestBase_add_Params_set_b(add, 3);
	err = base ? test_TestBase_add_send(&c, base) : CAPOS_E_BAD_CAP;
	ktest_check(err == 0 && test_TestBase_add_Results_get_sum(
	                            test_TestBase_add_results(&c)) == 5,
	            "found_cap_answers_base", "%s", capos_strerror(err));
	return ktest_failures();
}
