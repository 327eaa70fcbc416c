/*
 * The server loop over generated dispatch (lib/rpc/dispatch.h): receive
 * one call on an endpoint's owner cap, open its params, dispatch it to the
 * handler table of the served interface, and RETURN the results (framed;
 * 0 bytes when the results struct is empty) or the exception.
 *
 *	static const struct capos_Echo_server echo = {.echo = do_echo, ...};
 *	err = capos_serve(owner, &capos_Echo_interface, &echo, NULL, buf,
 *			  sizeof(buf));   // returns when a receive fails
 *
 * or one call at a time with capos_serve_one, for a server that does
 * other work between calls.
 *
 * A handler reaches the received call through capos_server_call_of(call):
 * the header, the caps sent with the call (param Capability fields index
 * them) and the result caps it attaches with capos_serve_result_cap.
 * A handler that answers later returns RPC_PENDING after keeping
 * sc->hdr->call_id, and RETURNs by itself (capos_return,
 * capos_return_exception); the receive buffer is reused by the next call.
 */
#ifndef CAPOS_SERVE_H
#define CAPOS_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include <capos/abi.h>

#include "rpc/dispatch.h"

struct capos_server_call {
	struct rpc_call rpc;
	capos_capid_t owner;
	const struct capos_recv_header *hdr;
	const struct capos_cap_record *caps;    /* hdr->ncaps records */
	struct capos_xfer xfer[CAPOS_XFER_MAX]; /* result caps */
	uint32_t nxfer;
};

/* The server call a handler's struct rpc_call belongs to. */
#define capos_server_call_of(call)                                             \
	((struct capos_server_call *)(void *)((char *)(call)-offsetof(         \
	    struct capos_server_call, rpc)))

/*
 * Receives one call into buf (8-byte aligned; size it for the largest
 * params and caps) and answers it as above.  Returns what dispatch
 * returned (RPC_OK, RPC_EXCEPTION, RPC_PENDING, ...) — a RETURN that
 * fails only concerns that caller — or a negative error when nothing
 * could be received (see capos_recv).
 */
int capos_serve_one(capos_capid_t owner, const struct rpc_interface *iface,
                    const void *impl, void *self, void *buf, uint32_t len);

/* One interface a server serves on an endpoint, with its handlers. */
struct capos_served {
	const struct rpc_interface *iface;
	const void *impl;
	void *self;
};

/* capos_serve_one for an endpoint that serves several interfaces: each
 * call goes to the table of the interface it names. */
int capos_serve_one_of(capos_capid_t owner, const struct capos_served *served,
                       uint32_t n, void *buf, uint32_t len);

/*
 * The server loop: serves calls as capos_serve_one_of does, one after
 * the other, until a receive fails, and returns that error.  Each answer
 * goes out together with the RECV for the next call (capos_return_recv),
 * so a caller that calls again finds the server already waiting; a
 * RETURN that fails only concerns its caller and the loop goes on.
 */
int capos_serve_of(capos_capid_t owner, const struct capos_served *served,
                   uint32_t n, void *buf, uint32_t len);
/* capos_serve_of for one interface. */
int capos_serve(capos_capid_t owner, const struct rpc_interface *iface,
                const void *impl, void *self, void *buf, uint32_t len);

/* The record of the cap sent with the call under index (a Capability
 * field of the params), or NULL. */
const struct capos_cap_record *
capos_serve_param_cap(const struct capos_server_call *sc, uint32_t index);

/* Attaches cap (CAPOS_XFER_COPY or CAPOS_XFER_MOVE) to the answer;
 * returns its index for a Capability field of the results, or UINT32_MAX
 * when CAPOS_XFER_MAX caps are attached already. */
uint32_t capos_serve_result_cap(struct capos_server_call *sc, capos_capid_t cap,
                                uint32_t mode);

#endif
