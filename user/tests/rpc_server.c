/*
 * rpc_server: serves TestDerived (schema/test.capnp), and through it
 * TestBase, on the endpoint "svc" with the generated dispatch, until it
 * is killed.  The client half is rpctest.
 *
 *   TestBase.ping()          an empty answer
 *   TestBase.add(a, b)       a + b
 *   TestDerived.twice(n)     2n
 *   TestDerived.tag(text)    the text back and the ordinal the call named
 *
 * Exit codes: 2 no "svc" endpoint, 3 the ring failed.
 */
#include "capos.h"
#include "capos_serve.h"

#include "test.capnp.h"

static uint8_t in[4096] __attribute__((aligned(8)));

static int
do_ping(void *self, struct rpc_call *call, test_TestBase_ping_Params_reader p,
        test_TestBase_ping_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	(void)r;
	return RPC_OK;
}

static int
do_add(void *self, struct rpc_call *call, test_TestBase_add_Params_reader p,
       test_TestBase_add_Results_builder r)
{
	(void)self;
	(void)call;
	test_TestBase_add_Results_set_sum(
	    r, test_TestBase_add_Params_get_a(p) +
	           test_TestBase_add_Params_get_b(p));
	return RPC_OK;
}

static int
do_twice(void *self, struct rpc_call *call,
         test_TestDerived_twice_Params_reader p,
         test_TestDerived_twice_Results_builder r)
{
	(void)self;
	(void)call;
	test_TestDerived_twice_Results_set_n(
	    r, 2 * test_TestDerived_twice_Params_get_n(p));
	return RPC_OK;
}

static int
do_tag(void *self, struct rpc_call *call, test_TestDerived_tag_Params_reader p,
       test_TestDerived_tag_Results_builder r)
{
	struct capnp_text t = test_TestDerived_tag_Params_get_text(p);

	(void)self;
	if (capnp_msg_error(&call->params))
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "tag: malformed text");
	test_TestDerived_tag_Results_set_tag(r, t.str, t.len);
	test_TestDerived_tag_Results_set_ordinal(r, call->method);
	return RPC_OK;
}

static const struct test_TestDerived_server impl = {
    .TestBase = {.ping = do_ping, .add = do_add},
    .twice = do_twice,
    .tag = do_tag,
};

int
main(void)
{
	capos_capid_t owner;

	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	for (;;)
		if (capos_serve_one(owner, &test_TestDerived_interface, &impl,
		                    NULL, in, sizeof(in)) < 0)
			return 3;
}
