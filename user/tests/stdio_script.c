/*
 * stdio_script: a StdIO test double that stands in for the terminal, so
 * that a test can run a program with "stdio" and check what it read and
 * wrote without anyone typing (progtest, services suite case programs).
 *
 * It serves StdIO on the endpoint owner cap "stdio".  The first process
 * to call it is the driver (the test that spawned it: it holds the
 * client facet before anyone else can); every other caller is the
 * program under test.  Callers are told apart by their session reference
 * (capos_recv_header.session), which the kernel derives from the caller.
 *
 *   driver  write(data)  appends data to the input the program will read
 *   driver  read(max)    takes up to max bytes of what the program wrote
 *                        so far; never waits (0 bytes: nothing yet)
 *   program read(max)    up to min(max, CHUNK) bytes of that input: small
 *                        pieces, so programs see a line arrive in parts as
 *                        from a typist; once the input is used up, the
 *                        exception failed "end of script"
 *   program write(data)  records data (at most 4096 bytes a call)
 *
 * It never exits by itself: the driver kills it when the case is over.
 * Exit codes: 2 no "stdio" endpoint, 3 the endpoint failed.
 */
#include "capos.h"
#include "capos_serve.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define CHUNK     7    /* bytes a program's read gets at most */
#define WRITE_MAX 4096 /* StdIO.write's bound */
#define INPUT_MAX 4096
#define OUT_MAX   8192

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static uint8_t in[WRITE_MAX + 512] __attribute__((aligned(8)));

static uint64_t driver[2];
static bool have_driver;

static uint8_t input[INPUT_MAX];
static uint32_t input_len, input_pos;

static uint8_t output[OUT_MAX];
static uint32_t output_len, output_pos;

/* Whether the call comes from the driver; the first caller is. */
static bool
from_driver(struct rpc_call *call)
{
	const struct capos_recv_header *h = capos_server_call_of(call)->hdr;

	if (!have_driver) {
		driver[0] = h->session[0];
		driver[1] = h->session[1];
		have_driver = true;
	}
	return h->session[0] == driver[0] && h->session[1] == driver[1];
}

static int
do_read(void *self, struct rpc_call *call, capos_StdIO_read_Params_reader p,
        capos_StdIO_read_Results_builder r)
{
	uint32_t max = capos_StdIO_read_Params_get_max(p), n;

	(void)self;
	if (max == 0)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "read: max is 0");
	if (from_driver(call)) {
		n = MIN(max, MIN(output_len - output_pos, WRITE_MAX));
		capos_StdIO_read_Results_set_data(r, output + output_pos, n);
		output_pos += n;
		return RPC_OK;
	}
	if (input_pos == input_len)
		return rpc_exception(call, RPC_EXC_FAILED, "end of script");
	n = MIN(MIN(max, CHUNK), input_len - input_pos);
	capos_StdIO_read_Results_set_data(r, input + input_pos, n);
	input_pos += n;
	return RPC_OK;
}

static int
do_write(void *self, struct rpc_call *call, capos_StdIO_write_Params_reader p,
         capos_StdIO_write_Results_builder r)
{
	struct capnp_data d = capos_StdIO_write_Params_get_data(p);
	bool driving = from_driver(call);
	uint8_t *buf = driving ? input : output;
	uint32_t *len = driving ? &input_len : &output_len;
	uint32_t size = driving ? INPUT_MAX : OUT_MAX;

	(void)self;
	(void)r;
	if (capnp_msg_error(&call->params) || d.len > WRITE_MAX)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: at most 4096 bytes");
	if (d.len > size - *len)
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "write: the script is full");
	memcpy(buf + *len, d.ptr, d.len);
	*len += (uint32_t)d.len;
	return RPC_OK;
}

static const struct capos_StdIO_server impl = {
    .read = do_read,
    .write = do_write,
};

int
main(void)
{
	capos_capid_t owner;

	if (capos_capset_find("stdio", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	for (;;)
		if (capos_serve_one(owner, &capos_StdIO_interface, &impl, NULL,
		                    in, sizeof(in)) < 0)
			return 3;
}
