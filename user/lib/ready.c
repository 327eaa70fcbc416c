/* Service readiness: the answer to init's ServiceReady.ready call. */
#include "capos.h"

#include "capos.capnp.h"

/* Holds a ready call: no params, and room for nothing else. */
#define READY_BUF 256

int
capos_service_ready(void)
{
	static uint8_t buf[READY_BUF] __attribute__((aligned(8)));
	struct capos_recv_header *h;
	capos_capid_t owner;
	int err;

	if (capos_capset_find(CAPOS_SERVICE_READY_NAME, capos_Endpoint_TYPE_ID,
	                      &owner))
		return 0; /* nobody waits for this service */
	err = capos_recv(owner, buf, sizeof(buf), &h);
	if (err < 0)
		return err;
	/* Only init holds the client facet, and it asks one thing. */
	if (h->interface_id != capos_ServiceReady_TYPE_ID ||
	    h->method != capos_ServiceReady_METHOD_ready) {
		capos_return_exception(
		    owner, h->call_id, capos_ExceptionType_unimplemented,
		    "only ServiceReady.ready is served here");
		return CAPOS_E_BAD_FIELD;
	}
	err = capos_return(owner, h->call_id, NULL, 0, NULL, 0);
	if (err < 0)
		return err;
	/* Reported once: the endpoint has no further use. */
	capos_release(owner);
	return 0;
}
