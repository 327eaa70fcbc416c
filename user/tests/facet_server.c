/*
 * facet_server: the server half of the facet boot case (facettest).  It
 * owns the endpoint "svc" and answers raw calls (no Cap'n Proto), by
 * method ordinal whatever interface the caller named:
 *
 *   0 who       16 bytes back: the interface id and the badge the RECV
 *               header carried
 *   1 mint      params {u64 interface id, u64 badge}: Endpoint.client on
 *               "svc", the new facet moved back as a result cap
 *   2 hostile   checks Endpoint.client's refusals itself (KTEST lines):
 *               interface id 0, minting until the table is full, a CALL
 *               on the owner side naming another interface
 *   3 exit      answers, then exits with code 0
 *
 * Exit codes: 2 no "svc" endpoint, 3 the ring failed, 0 asked to exit.
 */
#include "capos.h"

#include "capos.capnp.h"

static uint8_t in[4096] __attribute__((aligned(8)));

enum { WHO, MINT, HOSTILE, EXIT };

/* More than any cap table holds (256 slots by default). */
#define MINT_MAX 1024

/* Mints until the cap table is full; every facet is released again. */
static void
mint_until_full(capos_capid_t owner)
{
	static capos_capid_t caps[MINT_MAX];
	uint32_t n = 0, i;
	int err = 0;

	while (n < sizeof(caps) / sizeof(caps[0])) {
		err = capos_endpoint_client(owner, capos_Null_TYPE_ID, n,
		                            &caps[n]);
		if (err)
			break;
		n++;
	}
	ktest_check(n > 0 && err == CAPOS_E_QUOTA, "mint_until_quota",
	            "%u facets, then %s", n, capos_strerror(err));
	for (i = 0; i < n; i++)
		capos_release_sync(caps[i]);
	err = capos_endpoint_client(owner, capos_Null_TYPE_ID, 1, &caps[0]);
	ktest_check(err == 0, "mint_after_release", "%s", capos_strerror(err));
	if (!err)
		capos_release_sync(caps[0]);
}

static void
hostile(capos_capid_t owner)
{
	capos_capid_t cap = 0;
	int err;

	err = capos_endpoint_client(owner, 0, 5, &cap);
	ktest_check_exception(err, capos_ExceptionType_invalidArgument,
	                      "interface_0.invalid_argument");
	ktest_check(cap == 0, "interface_0.no_cap", "got cap %u", cap);
	mint_until_full(owner);
	/* The owner side serves Endpoint only. */
	ktest_check_exception(capos_call_empty(owner, capos_Null_TYPE_ID, 0),
	                      capos_ExceptionType_unimplemented,
	                      "owner_other_interface.unimplemented");
	ktest_check_exception(
	    capos_call_empty(owner, capos_Endpoint_TYPE_ID, 1),
	    capos_ExceptionType_unimplemented,
	    "owner_bad_method.unimplemented");
}

int
main(void)
{
	struct capos_recv_header *h;
	capos_capid_t owner;

	ktest_prefix("ipc.facet.server.");
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	for (;;) {
		const uint64_t *p;
		uint64_t who[2];
		struct capos_xfer x;
		capos_capid_t cap;
		int n = capos_recv(owner, in, sizeof(in), &h), err;

		if (n < 0)
			return 3;
		p = capos_recv_params(h);
		switch (h->method) {
		case WHO:
			who[0] = h->interface_id;
			who[1] = h->badge;
			err = capos_return(owner, h->call_id, who, sizeof(who),
			                   NULL, 0);
			break;
		case MINT:
			if (h->params_len < 16) {
				err = capos_return_exception(
				    owner, h->call_id,
				    capos_ExceptionType_invalidArgument,
				    "mint: 16 bytes of params");
				break;
			}
			err = capos_endpoint_client(owner, p[0], p[1], &cap);
			if (err) {
				err = capos_return_exception(
				    owner, h->call_id,
				    capos_ExceptionType_failed, "mint failed");
				break;
			}
			x = (struct capos_xfer){.cap = cap,
			                        .mode = CAPOS_XFER_MOVE};
			err = capos_return(owner, h->call_id, NULL, 0, &x, 1);
			break;
		case HOSTILE:
			hostile(owner);
			err = capos_return(owner, h->call_id, NULL, 0, NULL, 0);
			break;
		case EXIT:
			capos_return(owner, h->call_id, NULL, 0, NULL, 0);
			return 0;
		default:
			err = capos_return_exception(
			    owner, h->call_id,
			    capos_ExceptionType_unimplemented,
			    "no such method");
		}
		if (err)
			return 3;
	}
}
