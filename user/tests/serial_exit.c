/*
 * serial_exit: exits with a SerialPort read waiting (boot suite case
 * user-serial-exit).  The kernel must cancel the read at exit: the
 * supervisor's ledger (user.every_sqe_completed) then finds every SQE
 * answered.
 */
#include "capos.h"

#include "capos.capnp.h"

#define HOUR_NS 3600000000000ull

static struct capos_msgbuf mb;
static uint8_t result[2048] __attribute__((aligned(8)));

int
main(void)
{
	capos_SerialPort_read_Params_builder p;
	struct capos_call_desc d;
	capos_capid_t serial;
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	int err;

	if (capos_capset_find("serial", capos_SerialPort_TYPE_ID, &serial)) {
		printf("serial_exit: no serial cap\n");
		return 1;
	}
	capos_msg_begin(&mb);
	p = capos_SerialPort_read_Params_build_root(&mb.b);
	capos_SerialPort_read_Params_set_max(p, 64);
	capos_SerialPort_read_Params_set_timeoutNs(p, HOUR_NS);
	err = capos_msg_end(&mb);
	d = (struct capos_call_desc){
	    .cap = serial,
	    .interface_id = capos_SerialPort_TYPE_ID,
	    .method = capos_SerialPort_METHOD_read,
	    .params = mb.framed,
	    .params_len = mb.framed_len,
	    .result = result,
	    .result_cap = sizeof(result),
	};
	if (!err)
		err = capos_call_submit(&d, tag);
	/* Into the kernel: the read is taken, and still waits after. */
	if (!err && capos_wait(tag, 0, &cqe) != CAPOS_E_TIMED_OUT)
		err = CAPOS_E_BAD_ARG;
	if (err) {
		printf("serial_exit: the read was not submitted: %s\n",
		       capos_strerror(err));
		return 1;
	}
	printf("serial_exit: exiting with a read waiting\n");
	return 0;
}
