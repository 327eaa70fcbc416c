/*
 * Generated dispatch (lib/rpc, FILE.capnp.c from tools/capnpc-c) over the
 * test interfaces of schema/test.capnp: TestBase, TestDerived extends
 * TestBase, TestLeaf extends TestDerived.  The test plays the environment:
 * it opens the params, gives a fresh results builder and reads back what
 * the handlers answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capnp/capnp.h"
#include "capnp/validate.h"
#include "rpc/dispatch.h"
#include "rpc/index.h"
#include "test.capnp.h"

/* What the handlers saw. */
struct state {
	int calls;
	const char *last;
	bool results_null; /* the results builder had no struct */
	int ret;           /* what handlers return */
};

static int
h_ping(void *self, struct rpc_call *call, test_TestBase_ping_Params_reader p,
       test_TestBase_ping_Results_builder r)
{
	struct state *st = self;

	(void)call;
	(void)p;
	st->calls++;
	st->last = "ping";
	st->results_null = r.s.b == NULL;
	return st->ret;
}

static int
h_add(void *self, struct rpc_call *call, test_TestBase_add_Params_reader p,
      test_TestBase_add_Results_builder r)
{
	struct state *st = self;

	(void)call;
	st->calls++;
	st->last = "add";
	st->results_null = r.s.b == NULL;
	test_TestBase_add_Results_set_sum(
	    r, test_TestBase_add_Params_get_a(p) +
	           test_TestBase_add_Params_get_b(p));
	return st->ret;
}

static int
h_twice(void *self, struct rpc_call *call,
        test_TestDerived_twice_Params_reader p,
        test_TestDerived_twice_Results_builder r)
{
	struct state *st = self;

	(void)call;
	st->calls++;
	st->last = "twice";
	test_TestDerived_twice_Results_set_n(
	    r, 2 * test_TestDerived_twice_Params_get_n(p));
	return st->ret;
}

static int
h_leaf(void *self, struct rpc_call *call, test_TestLeaf_leaf_Params_reader p,
       test_TestLeaf_leaf_Results_builder r)
{
	struct state *st = self;

	(void)call;
	(void)p;
	st->calls++;
	st->last = "leaf";
	test_TestLeaf_leaf_Results_set_depth(r, 3);
	return st->ret;
}

static const struct test_TestBase_server base_impl = {
    .ping = h_ping,
    .add = h_add,
};
static const struct test_TestDerived_server derived_impl = {
    .TestBase = {.ping = h_ping, .add = h_add}, .twice = h_twice,
    /* tag left NULL: unimplemented */
};
static const struct test_TestLeaf_server leaf_impl = {
    .TestDerived = {.TestBase = {.ping = h_ping, .add = h_add},
                    .twice = h_twice},
    .leaf = h_leaf,
};

/* One call as an environment makes it. */
struct env {
	struct rpc_call call;
	struct capnp_builder params, results;
	uint8_t pbuf[1024] __attribute__((aligned(8)));
	uint8_t rbuf[1024] __attribute__((aligned(8)));
	struct capnp_msg out; /* the results, read back */
};

static const uint64_t empty_root[1];

static void
env_begin(struct env *e, uint64_t iface, uint16_t method)
{
	memset(e, 0, sizeof(*e));
	e->call.interface_id = iface;
	e->call.method = method;
	capnp_builder_init(&e->params, e->pbuf, sizeof(e->pbuf), 0);
	capnp_builder_init(&e->results, e->rbuf, sizeof(e->rbuf), 0);
	e->call.results = &e->results;
}

/* Opens the params built so far (none built: empty params). */
static void
env_open(struct env *e)
{
	if (capnp_builder_words(&e->params) <= 1 &&
	    rpc_results_empty(&e->params))
		assert_int_equal(capnp_msg_init_segment(&e->call.params,
		                                        empty_root,
		                                        sizeof(empty_root)),
		                 0);
	else
		assert_int_equal(
		    capnp_builder_to_msg(&e->params, &e->call.params), 0);
	capnp_msg_set_limits(&e->call.params, 64, 8);
}

static int
env_dispatch(struct env *e, const struct rpc_interface *iface, const void *impl,
             struct state *st)
{
	int r;

	env_open(e);
	r = rpc_dispatch(iface, impl, st, &e->call);
	if (r == RPC_OK)
		assert_int_equal(capnp_builder_to_msg(&e->results, &e->out), 0);
	return r;
}

static void
own_method(void **unused)
{
	struct state st = {0};
	struct env e;

	(void)unused;
	env_begin(&e, test_TestDerived_TYPE_ID, test_TestDerived_METHOD_twice);
	test_TestDerived_twice_Params_set_n(
	    test_TestDerived_twice_Params_build_root(&e.params), 21);
	assert_int_equal(
	    env_dispatch(&e, &test_TestDerived_interface, &derived_impl, &st),
	    RPC_OK);
	assert_string_equal(st.last, "twice");
	assert_int_equal(test_TestDerived_twice_Results_get_n(
	                     test_TestDerived_twice_Results_read_root(&e.out)),
	                 42);
}

static void
inherited_method(void **unused)
{
	struct state st = {0};
	struct env e;
	test_TestBase_add_Params_builder p;

	(void)unused;
	env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_add);
	p = test_TestBase_add_Params_build_root(&e.params);
	test_TestBase_add_Params_set_a(p, 40);
	test_TestBase_add_Params_set_b(p, 2);
	assert_int_equal(
	    env_dispatch(&e, &test_TestDerived_interface, &derived_impl, &st),
	    RPC_OK);
	assert_string_equal(st.last, "add");
	assert_int_equal(test_TestBase_add_Results_get_sum(
	                     test_TestBase_add_Results_read_root(&e.out)),
	                 42);
}

/* Two levels down: TestLeaf answers TestBase and TestDerived calls. */
static void
two_levels(void **unused)
{
	struct state st = {0};
	struct env e;
	test_TestBase_add_Params_builder p;

	(void)unused;
	env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_add);
	p = test_TestBase_add_Params_build_root(&e.params);
	test_TestBase_add_Params_set_a(p, 1);
	test_TestBase_add_Params_set_b(p, 2);
	assert_int_equal(
	    env_dispatch(&e, &test_TestLeaf_interface, &leaf_impl, &st),
	    RPC_OK);
	assert_int_equal(test_TestBase_add_Results_get_sum(
	                     test_TestBase_add_Results_read_root(&e.out)),
	                 3);

	env_begin(&e, test_TestDerived_TYPE_ID, test_TestDerived_METHOD_twice);
	test_TestDerived_twice_Params_set_n(
	    test_TestDerived_twice_Params_build_root(&e.params), 5);
	assert_int_equal(
	    env_dispatch(&e, &test_TestLeaf_interface, &leaf_impl, &st),
	    RPC_OK);
	assert_int_equal(test_TestDerived_twice_Results_get_n(
	                     test_TestDerived_twice_Results_read_root(&e.out)),
	                 10);

	env_begin(&e, test_TestLeaf_TYPE_ID, test_TestLeaf_METHOD_leaf);
	assert_int_equal(
	    env_dispatch(&e, &test_TestLeaf_interface, &leaf_impl, &st),
	    RPC_OK);
	assert_int_equal(test_TestLeaf_leaf_Results_get_depth(
	                     test_TestLeaf_leaf_Results_read_root(&e.out)),
	                 3);
	assert_int_equal(st.calls, 3);
}

static void
expect_exception(struct env *e, const struct rpc_interface *iface,
                 const void *impl, enum rpc_exc type, const char *msg)
{
	struct state st = {0};

	assert_int_equal(env_dispatch(e, iface, impl, &st), RPC_EXCEPTION);
	assert_int_equal(e->call.exc_type, type);
	assert_string_equal(e->call.exc_message, msg);
	assert_int_equal(st.calls, 0);
}

static void
wrong_interface(void **unused)
{
	struct env e;

	(void)unused;
	/* An interface of another file entirely. */
	env_begin(&e, capos_Timer_TYPE_ID, 0);
	expect_exception(&e, &test_TestDerived_interface, &derived_impl,
	                 RPC_EXC_UNIMPLEMENTED,
	                 "TestDerived: call names another interface");
	/* A base does not answer for what extends it. */
	env_begin(&e, test_TestDerived_TYPE_ID, test_TestDerived_METHOD_twice);
	expect_exception(&e, &test_TestBase_interface, &base_impl,
	                 RPC_EXC_UNIMPLEMENTED,
	                 "TestBase: call names another interface");
	env_begin(&e, test_TestLeaf_TYPE_ID, test_TestLeaf_METHOD_leaf);
	expect_exception(&e, &test_TestDerived_interface, &derived_impl,
	                 RPC_EXC_UNIMPLEMENTED,
	                 "TestDerived: call names another interface");
}

static void
unknown_ordinal(void **unused)
{
	struct env e;

	(void)unused;
	env_begin(&e, test_TestDerived_TYPE_ID, 2);
	expect_exception(&e, &test_TestDerived_interface, &derived_impl,
	                 RPC_EXC_UNIMPLEMENTED,
	                 "TestDerived has no such method");
	/* Through a superclass: its own table says so. */
	env_begin(&e, test_TestBase_TYPE_ID, 0xffff);
	expect_exception(&e, &test_TestLeaf_interface, &leaf_impl,
	                 RPC_EXC_UNIMPLEMENTED, "TestBase has no such method");
}

static void
null_handler(void **unused)
{
	struct env e;

	(void)unused;
	env_begin(&e, test_TestDerived_TYPE_ID, test_TestDerived_METHOD_tag);
	expect_exception(&e, &test_TestDerived_interface, &derived_impl,
	                 RPC_EXC_UNIMPLEMENTED,
	                 "TestDerived.tag: not implemented");
}

static void
malformed_params(void **unused)
{
	/* A root struct pointer far past the end of its one-word segment. */
	static const uint64_t bad_root[1] = {(uint64_t)100 << 2 | (uint64_t)1
	                                                              << 32};
	/* A struct list of 2^20 elements that claims to fit in one word. */
	static const uint64_t bad_list[2] = {
	    (uint64_t)1 | (uint64_t)1 << 48, /* struct, 1 pointer */
	    (uint64_t)1 | 7ull << 32 |
	        1ull << 35}; /* list, composite, 1 word */
	struct env e;
	struct state st = {0};

	(void)unused;
	env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_add);
	assert_int_equal(
	    capnp_msg_init_segment(&e.call.params, bad_root, sizeof(bad_root)),
	    0);
	capnp_msg_set_limits(&e.call.params, 64, 8);
	assert_int_equal(rpc_dispatch(&test_TestDerived_interface,
	                              &derived_impl, &st, &e.call),
	                 RPC_EXCEPTION);
	assert_int_equal(e.call.exc_type, RPC_EXC_INVALID_ARGUMENT);
	assert_string_equal(e.call.exc_message,
	                    "TestBase.add: malformed params");
	assert_int_equal(st.calls, 0);

	/* Malformed params of a method that reads none are refused too. */
	env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_ping);
	assert_int_equal(
	    capnp_msg_init_segment(&e.call.params, bad_list, sizeof(bad_list)),
	    0);
	capnp_msg_set_limits(&e.call.params, 64, 8);
	assert_int_equal(
	    rpc_dispatch(&test_TestBase_interface, &base_impl, &st, &e.call),
	    RPC_EXCEPTION);
	assert_int_equal(e.call.exc_type, RPC_EXC_INVALID_ARGUMENT);
	assert_int_equal(st.calls, 0);
}

/* An empty results struct is never built: the answer is 0 bytes. */
static void
results_only_when_nonempty(void **unused)
{
	struct state st = {0};
	struct env e;

	(void)unused;
	env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_ping);
	assert_int_equal(
	    env_dispatch(&e, &test_TestDerived_interface, &derived_impl, &st),
	    RPC_OK);
	assert_true(st.results_null);
	assert_true(rpc_results_empty(&e.results));

	env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_add);
	assert_int_equal(
	    env_dispatch(&e, &test_TestDerived_interface, &derived_impl, &st),
	    RPC_OK);
	assert_false(st.results_null);
	assert_false(rpc_results_empty(&e.results));
}

/* Whatever a handler returns comes back unchanged. */
static void
return_values_pass_through(void **unused)
{
	static const int rets[] = {RPC_PENDING, RPC_ENV_FIRST,
	                           RPC_ENV_FIRST + 7, -5};
	struct env e;
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(rets) / sizeof(rets[0]); i++) {
		struct state st = {.ret = rets[i]};

		env_begin(&e, test_TestBase_TYPE_ID, test_TestBase_METHOD_ping);
		env_open(&e);
		assert_int_equal(rpc_dispatch(&test_TestLeaf_interface,
		                              &leaf_impl, &st, &e.call),
		                 rets[i]);
	}
}

static void
answers(void **unused)
{
	(void)unused;
	assert_true(
	    rpc_answers(&test_TestLeaf_interface, test_TestLeaf_TYPE_ID));
	assert_true(
	    rpc_answers(&test_TestLeaf_interface, test_TestDerived_TYPE_ID));
	assert_true(
	    rpc_answers(&test_TestLeaf_interface, test_TestBase_TYPE_ID));
	assert_false(rpc_answers(&test_TestLeaf_interface, capos_Echo_TYPE_ID));
	assert_true(
	    rpc_answers(&test_TestDerived_interface, test_TestBase_TYPE_ID));
	assert_false(
	    rpc_answers(&test_TestDerived_interface, test_TestLeaf_TYPE_ID));
	assert_false(
	    rpc_answers(&test_TestBase_interface, test_TestDerived_TYPE_ID));
	assert_true(rpc_answers(&test_IpcEcho_interface, capos_Echo_TYPE_ID));
}

static void
descriptors(void **unused)
{
	size_t i;

	(void)unused;
	assert_string_equal(test_TestDerived_interface.name, "TestDerived");
	assert_int_equal(test_TestDerived_interface.nmethods, 2);
	assert_string_equal(test_TestDerived_interface.method_names[1], "tag");
	assert_int_equal(test_TestDerived_interface.nsupers, 1);
	assert_ptr_equal(test_TestDerived_interface.supers[0],
	                 &test_TestBase_interface);
	assert_int_equal(capos_Endpoint_interface.nmethods, 1);
	assert_string_equal(capos_Endpoint_interface.method_names[0], "client");
	/* The table's super ids are the descriptors' supers. */
	for (i = 0; i < test_interfaces_COUNT; i++)
		if (test_interfaces[i].id == test_TestDerived_TYPE_ID)
			break;
	assert_true(i < test_interfaces_COUNT);
	assert_int_equal(test_interfaces[i].nsupers,
	                 test_TestDerived_interface.nsupers);
	assert_true(test_interfaces[i].supers[0] ==
	            test_TestDerived_interface.supers[0]->id);
}

/* The build's index finds every interface of every schema file by id;
 * a cap's interface answers the interfaces it extends, across files. */
static void
index_by_id(void **unused)
{
	size_t f, i, n = 0;

	(void)unused;
	assert_string_equal(rpc_interface_by_id(test_IpcEcho_TYPE_ID)->name,
	                    "IpcEcho");
	assert_true(rpc_interface_by_id(test_IpcEcho_TYPE_ID)->supers[0] ==
	            capos_Echo_TYPE_ID);
	assert_string_equal(rpc_interface_by_id(capos_Timer_TYPE_ID)->name,
	                    "Timer");
	assert_null(rpc_interface_by_id(0));
	assert_null(rpc_interface_by_id(capos_SystemManifest_TYPE_ID));
	for (f = 0; f < rpc_schema_nfiles; f++)
		for (i = 0; i < rpc_schema_files[f].n; i++, n++)
			assert_ptr_equal(
			    rpc_interface_by_id(
			        rpc_schema_files[f].interfaces[i].id),
			    &rpc_schema_files[f].interfaces[i]);
	assert_int_equal(n, capos_interfaces_COUNT + test_interfaces_COUNT);

	/* Derived answers base, in one file and across files. */
	assert_true(
	    rpc_id_answers(test_TestDerived_TYPE_ID, test_TestBase_TYPE_ID));
	assert_true(
	    rpc_id_answers(test_TestLeaf_TYPE_ID, test_TestBase_TYPE_ID));
	assert_true(rpc_id_answers(test_IpcEcho_TYPE_ID, capos_Echo_TYPE_ID));
	assert_true(rpc_id_answers(capos_Echo_TYPE_ID, capos_Echo_TYPE_ID));
	/* Never the other way, nor sideways. */
	assert_false(
	    rpc_id_answers(test_TestBase_TYPE_ID, test_TestDerived_TYPE_ID));
	assert_false(rpc_id_answers(capos_Echo_TYPE_ID, test_IpcEcho_TYPE_ID));
	assert_false(
	    rpc_id_answers(test_IpcEcho_TYPE_ID, test_TestBase_TYPE_ID));
	assert_false(rpc_id_answers(capos_Timer_TYPE_ID, capos_Null_TYPE_ID));
	/* An id no schema knows answers itself only. */
	assert_true(rpc_id_answers(0x1234, 0x1234));
	assert_false(rpc_id_answers(0x1234, capos_Echo_TYPE_ID));
	assert_false(rpc_id_answers(capos_Echo_TYPE_ID, 0x1234));
}

/* The whole-message check: empty, nested, amplified, budget given back. */
static void
validate(void **unused)
{
	uint8_t buf[4096] __attribute__((aligned(8)));
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_list_builder lb;
	struct capnp_msg m;
	uint64_t budget;
	int i;

	(void)unused;
	assert_int_equal(
	    capnp_msg_init_segment(&m, empty_root, sizeof(empty_root)), 0);
	capnp_msg_set_limits(&m, 0, 0);
	assert_int_equal(capnp_msg_validate(&m), 0);

	/* A chain 10 structs deep: fine under nesting 16, not under 8. */
	capnp_builder_init(&b, buf, sizeof(buf), 0);
	sb = capnp_builder_init_root(&b, 1, 1);
	for (i = 0; i < 9; i++)
		sb = capnp_slot_init_struct(capnp_bfield(sb, 0), 1, 1);
	capnp_builder_to_msg(&b, &m);
	capnp_msg_set_limits(&m, 1000, 16);
	budget = m.budget;
	assert_int_equal(capnp_msg_validate(&m), 0);
	assert_true(m.budget == budget);
	capnp_builder_to_msg(&b, &m);
	capnp_msg_set_limits(&m, 1000, 8);
	assert_int_equal(capnp_msg_validate(&m), CAPNP_ERR_NESTING);

	/* Pointer lists and text are walked; a huge List(Void) is charged. */
	capnp_builder_init(&b, buf, sizeof(buf), 0);
	sb = capnp_builder_init_root(&b, 0, 2);
	lb = capnp_slot_init_list(capnp_bfield(sb, 0), CAPNP_ESIZE_POINTER, 3);
	capnp_slot_set_text(capnp_belem(lb, 1), "x", 1);
	capnp_slot_init_list(capnp_bfield(sb, 1), CAPNP_ESIZE_VOID, 100000);
	capnp_builder_to_msg(&b, &m);
	capnp_msg_set_limits(&m, 1000, 8);
	assert_int_equal(capnp_msg_validate(&m), CAPNP_ERR_LIMIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(own_method),
	    cmocka_unit_test(index_by_id),
	    cmocka_unit_test(inherited_method),
	    cmocka_unit_test(two_levels),
	    cmocka_unit_test(wrong_interface),
	    cmocka_unit_test(unknown_ordinal),
	    cmocka_unit_test(null_handler),
	    cmocka_unit_test(malformed_params),
	    cmocka_unit_test(results_only_when_nonempty),
	    cmocka_unit_test(return_values_pass_through),
	    cmocka_unit_test(answers),
	    cmocka_unit_test(descriptors),
	    cmocka_unit_test(validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
