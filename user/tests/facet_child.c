/*
 * facet_child: a minted facet granted by spawn (boot case facet).
 * facettest grants it "peer", a facet of facet_server's endpoint minted
 * with interface TestDerived and badge 0x1234: the CapSet lists it under
 * TestDerived (so a lookup as TestBase, which TestDerived extends, finds
 * it too, and one as Echo does not), and a call through this copy
 * arrives with the same badge.  KTEST lines; exits with the failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "test.capnp.h"

int
main(void)
{
	static uint8_t buf[64] __attribute__((aligned(8)));
	capos_capid_t peer = 0, base = 0, other = 0;
	struct capos_call_desc d = {.method = 0, /* facet_server's who */
	                            .interface_id = test_TestDerived_TYPE_ID,
	                            .result = buf,
	                            .result_cap = sizeof(buf)};
	struct capos_reply r;
	uint64_t seen[2] = {0, 0};
	int err;

	ktest_prefix("ipc.facet.child.");
	err = capos_capset_find("peer", test_TestDerived_TYPE_ID, &peer);
	ktest_check(err == 0 && peer, "capset_interface", "%s",
	            capos_strerror(err));
	err = capos_capset_find("peer", test_TestBase_TYPE_ID, &base);
	ktest_check(err == 0 && base == peer, "capset_base_interface", "%s",
	            capos_strerror(err));
	ktest_check_code(capos_capset_find("peer", capos_Echo_TYPE_ID, &other),
	                 CAPOS_E_NOT_SUPPORTED, "capset_other_refused");
	d.cap = peer;
	err = peer ? capos_call(&d, &r) : CAPOS_E_BAD_CAP;
	if (!err && r.len >= 16)
		memcpy(seen, buf, 16);
	ktest_check(err == 0 && seen[0] == test_TestDerived_TYPE_ID &&
	                seen[1] == 0x1234,
	            "call_keeps_badge", "%s, badge %lx", capos_strerror(err),
	            (unsigned long)seen[1]);
	return ktest_failures();
}
