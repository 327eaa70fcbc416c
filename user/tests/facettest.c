/*
 * facettest: typed, badged endpoint facets (Endpoint.client; boot case
 * facet).  Runs as init of tests/boot/manifests/facettest.capnp: spawns
 * facet_server with the endpoint "svc" and has it mint facets, which
 * come back as result caps.  Checks that a call through a minted facet
 * reaches the server with the facet's interface and badge (on the fast
 * path, the general path and from the queue), that the spawn-made facet
 * has badge 0, that facet_child finds a granted facet in its CapSet
 * under the facet's interface, that the server's own refusals hold
 * (facet_server "hostile"), and that every facet is disconnected once the
 * server has exited.  The kernel's leak check after init exits covers
 * the facets' release.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "test.capnp.h"

enum { WHO, MINT, HOSTILE, EXIT };

static uint8_t big[512] __attribute__((aligned(8)));

/* A raw call of method on cap, naming iid; the answer in out[0, 16). */
static int
call_raw(capos_capid_t cap, uint64_t iid, uint16_t method, const void *params,
         uint32_t len, uint64_t out[2], struct capos_reply *r)
{
	static uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_call_desc d = {
	    .cap = cap,
	    .method = method,
	    .interface_id = iid,
	    .params = params,
	    .params_len = len,
	    .result = buf,
	    .result_cap = sizeof(buf),
	};
	int err = capos_call(&d, r);

	if (!err && out && r->len >= 16)
		memcpy(out, buf, 16);
	return err;
}

/* who through cap (with params of len bytes): the interface and badge
 * the server saw. */
static void
check_who(capos_capid_t cap, uint64_t iid, uint64_t badge, uint32_t len,
          const char *name)
{
	struct capos_reply r;
	uint64_t seen[2] = {0, 0};
	int err = call_raw(cap, iid, WHO, len ? big : NULL, len, seen, &r);

	ktest_check(
	    err == 0 && r.len == 16 && seen[0] == iid && seen[1] == badge, name,
	    "%s, saw interface %lx badge %lx", capos_strerror(err),
	    (unsigned long)seen[0], (unsigned long)seen[1]);
}

/* Asks the server for a facet of iid with badge; 0 when it failed. */
static capos_capid_t
mint(capos_capid_t svc, uint64_t iid, uint64_t badge, const char *name)
{
	uint64_t p[2] = {iid, badge};
	struct capos_reply r;
	int err =
	    call_raw(svc, test_TestBase_TYPE_ID, MINT, p, sizeof(p), NULL, &r);
	bool ok = err == 0 && r.ncaps == 1 && r.caps[0].interface_id == iid;

	ktest_check(
	    ok, name, "%s, %u caps, interface %lx", capos_strerror(err),
	    err ? 0 : r.ncaps,
	    (unsigned long)(err || !r.ncaps ? 0 : r.caps[0].interface_id));
	return ok ? r.caps[0].cap : 0;
}

/* facet_child, granted cap as "peer", checks its CapSet entry and the
 * badge its call arrives with; it exits with its failures. */
static void
grant_to_child(capos_capid_t spawner, capos_capid_t console, capos_capid_t cap)
{
	struct capos_spawn_grant g[2] = {{"console", console}, {"peer", cap}};
	capos_capid_t h;
	int32_t code = -1;
	int err;

	err = capos_spawn(spawner, "facet_child", "facet_child", g, 2, NULL, 0,
	                  NULL, &h, NULL);
	if (err == 0) {
		err = capos_handle_wait(h, &code);
		capos_release_sync(h);
	}
	ktest_check(err == 0 && code == 0, "child.exit_0", "%s, exit code %d",
	            capos_strerror(err), code);
}

/* A call that waits in the queue (submitted before the server's next
 * RECV) arrives with its facet's badge too. */
static void
check_queued(capos_capid_t a, capos_capid_t b)
{
	static uint8_t ra[64] __attribute__((aligned(8)));
	static uint8_t rb[64] __attribute__((aligned(8)));
	struct capos_call_desc da = {.cap = a,
	                             .method = WHO,
	                             .interface_id = test_TestDerived_TYPE_ID,
	                             .result = ra,
	                             .result_cap = sizeof(ra)};
	struct capos_call_desc db = {.cap = b,
	                             .method = WHO,
	                             .interface_id = test_TestLeaf_TYPE_ID,
	                             .result = rb,
	                             .result_cap = sizeof(rb)};
	uint64_t tags[2] = {capos_next_tag(), capos_next_tag()};
	uint64_t seen_a[2], seen_b[2];
	struct capos_cqe cqe;
	struct capos_reply r;
	int ea, eb;

	ea = capos_call_submit(&da, tags[0]);
	eb = capos_call_submit(&db, tags[1]);
	if (!ea)
		ea = capos_wait(tags[0], CAPOS_TIMEOUT_INFINITE, &cqe);
	if (!ea)
		ea = capos_call_complete(&da, &cqe, &r);
	if (!eb)
		eb = capos_wait(tags[1], CAPOS_TIMEOUT_INFINITE, &cqe);
	if (!eb)
		eb = capos_call_complete(&db, &cqe, &r);
	memcpy(seen_a, ra, 16);
	memcpy(seen_b, rb, 16);
	ktest_check(ea == 0 && eb == 0 && seen_a[1] == 0x1234 &&
	                seen_b[1] == 0x5678 &&
	                seen_b[0] == test_TestLeaf_TYPE_ID,
	            "queued_calls_keep_badges", "%s/%s, badges %lx %lx",
	            capos_strerror(ea), capos_strerror(eb),
	            (unsigned long)seen_a[1], (unsigned long)seen_b[1]);
}

int
main(void)
{
	struct capos_spawn_endpoint ep = {"svc", test_TestBase_TYPE_ID};
	struct capos_spawn_limits lim = {.cap_slots = 32};
	capos_capid_t spawner, console, handle, svc, a, b;
	struct capos_spawn_grant g;
	struct capos_reply r;
	int32_t code = -1;
	int err;

	ktest_prefix("ipc.facet.");
	if (capos_ProcessSpawner_find("spawner", &spawner) ||
	    capos_Console_find("console", &console)) {
		printf("KTEST not ok ipc.facet.capset: init caps missing\n");
		return 1;
	}
	g = (struct capos_spawn_grant){"console", console};
	err = capos_spawn(spawner, "facet_server", "facet_server", &g, 1, &ep,
	                  1, &lim, &handle, &svc);
	ktest_check(err == 0, "spawn.facet_server", "%s", capos_strerror(err));
	if (err)
		return ktest_failures();

	check_who(svc, test_TestBase_TYPE_ID, 0, 0, "spawn_facet_badge_0");
	a = mint(svc, test_TestDerived_TYPE_ID, 0x1234, "mint.typed");
	b = mint(svc, test_TestLeaf_TYPE_ID, 0x5678, "mint.second");
	check_who(a, test_TestDerived_TYPE_ID, 0x1234, 0, "badge.fast_path");
	check_who(a, test_TestDerived_TYPE_ID, 0x1234, sizeof(big),
	          "badge.general_path");
	check_who(b, test_TestLeaf_TYPE_ID, 0x5678, 0, "badge.second_facet");
	check_queued(a, b);
	/* The child's copy of a is the same facet: same badge. */
	grant_to_child(spawner, console, a);

	err = call_raw(svc, test_TestBase_TYPE_ID, HOSTILE, NULL, 0, NULL, &r);
	ktest_check(err == 0, "server_hostile_ran", "%s", capos_strerror(err));

	err = call_raw(svc, test_TestBase_TYPE_ID, EXIT, NULL, 0, NULL, &r);
	ktest_check(err == 0, "server_exit", "%s", capos_strerror(err));
	err = capos_handle_wait(handle, &code);
	ktest_check(err == 0 && code == 0, "server_exit_0", "%s, code %d",
	            capos_strerror(err), code);
	capos_release_sync(handle);

	ktest_check_exception(
	    call_raw(a, test_TestDerived_TYPE_ID, WHO, NULL, 0, NULL, &r),
	    capos_ExceptionType_disconnected, "owner_gone.facet_disconnected");
	ktest_check_exception(
	    call_raw(b, test_TestLeaf_TYPE_ID, WHO, big, sizeof(big), NULL, &r),
	    capos_ExceptionType_disconnected, "owner_gone.general_path");
	ktest_check_exception(
	    call_raw(svc, test_TestBase_TYPE_ID, WHO, NULL, 0, NULL, &r),
	    capos_ExceptionType_disconnected, "owner_gone.spawn_facet");
	capos_release_sync(a);
	capos_release_sync(b);
	capos_release_sync(svc);
	printf("facet test: %d failures\n", ktest_failures());
	return ktest_failures();
}
