/*
 * A call with Cap'n Proto params and results and capability transfer: the
 * generic half of the generated client stubs (FILE.capnp.client.h), a
 * thin layer over capos_call (capos.h) that builds and frames the params
 * and opens the result message.
 *
 *	static struct capos_call c;
 *	capos_Echo_echo_Params_builder p = capos_Echo_echo_begin(&c);
 *	capos_Echo_echo_Params_set_data(p, buf, len);
 *	err = capos_Echo_echo_send(&c, echo_cap);
 *	if (err == 0)
 *		data = capos_Echo_echo_Params_get_data(capos_Echo_echo_results(&c));
 *
 * A Capability field in the params holds an index returned by
 * capos_call_add_cap; a Capability field in the results holds an index
 * for capos_call_result_cap.  struct capos_call is large (about 20 KiB):
 * keep it static or on the heap.
 */
#ifndef CAPOS_CALL_H
#define CAPOS_CALL_H

#include <stdint.h>

#include <capos/capid.h>
#include <capos/ring.h>

#include "capnp/build.h"
#include "capnp/read.h"

#define CAPOS_CALL_PARAMS_MAX 4096
#define CAPOS_CALL_RESULT_MAX 8192
/* A one-segment message's frame: the segment count less one, its words. */
#define CAPOS_CALL_FRAME_HEADER 8

struct capos_call {
	/* Builds the params in place in framed, after the 8-byte frame
	 * header of its one segment, so that sending them copies nothing. */
	struct capnp_builder params;
	uint8_t framed[CAPOS_CALL_FRAME_HEADER + CAPOS_CALL_PARAMS_MAX]
	    __attribute__((aligned(8)));
	struct capos_xfer xfer[CAPOS_XFER_MAX];
	uint32_t nxfer;
	uint8_t result[CAPOS_CALL_RESULT_MAX] __attribute__((aligned(8)));
	uint32_t result_len; /* payload bytes */
	uint32_t ncaps;      /* result-cap records after the payload */
	struct capnp_msg result_msg;
};

/* Starts a call: empty params, no caps. */
void capos_call_begin(struct capos_call *c);

/* Sends cap along (COPY or MOVE); returns its index for a Capability
 * field, or UINT32_MAX when CAPOS_XFER_MAX caps are already attached. */
uint32_t capos_call_add_cap(struct capos_call *c, capos_capid_t cap,
                            uint32_t mode);

/*
 * Frames the params (none at all when nothing was set: the header is
 * written in front of the segment, which was built in place), makes the call
 * with capos_call and opens the answer.  Returns 0 (results readable
 * through c->result_msg, result caps through capos_call_result_cap) or
 * what capos_call returns: a transport error, CAPOS_E_APP_EXCEPTION (see
 * capos_last_exception), CAPOS_E_TRUNCATED, CAPOS_E_BAD_FIELD.
 */
int capos_call_send(struct capos_call *c, capos_capid_t cap,
                    uint64_t interface_id, uint16_t method);

/* The id of result cap `index` (0 when there is no such cap). */
capos_capid_t capos_call_result_cap(const struct capos_call *c, uint32_t index,
                                    uint64_t *interface_id);

#endif
