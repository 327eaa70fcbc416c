/*
 * disconnect_client: calls a server that dies with the call in flight
 * (dying_server).  The call and every later call on the same facet must
 * end with the kernel's CAPOS_E_DISCONNECTED, never hang or succeed, and
 * libcapos shows it to the program as the exception type disconnected
 * (docs/abi.md, section 4).  KTEST lines; exits with the number of
 * failures.
 */
#include "capos.h"

#include "capos.capnp.h"

int
main(void)
{
	uint8_t result[256] __attribute__((aligned(8)));
	struct capos_msgbuf mb;
	struct capos_call_desc d = {
	    .method = capos_Echo_METHOD_echo,
	    .interface_id = capos_Echo_TYPE_ID,
	    .result = result,
	    .result_cap = sizeof(result),
	};
	struct capos_reply rep;
	capos_capid_t echo;
	int r;

	ktest_prefix("ipc.");
	if (capos_capset_find("echo", capos_Echo_TYPE_ID, &echo))
		return 100;
	capos_msg_begin(&mb);
	capos_Echo_echo_Params_set_data(
	    capos_Echo_echo_Params_build_root(&mb.b), "anyone?", 7);
	capos_msg_end(&mb);
	d.cap = echo;
	d.params = mb.framed;
	d.params_len = mb.framed_len;
	r = capos_call(&d, &rep);
	ktest_check(
	    r == CAPOS_E_APP_EXCEPTION && capos_last_exception()->type ==
	                                      capos_ExceptionType_disconnected,
	    "disconnect.call_in_flight", "%s, type %s", capos_strerror(r),
	    capos_exception_type_name(capos_last_exception()->type));
	/* The kernel's own answer, below the runtime. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = echo,
	                     .method = capos_Echo_METHOD_echo,
	                     .interface_id = capos_Echo_TYPE_ID,
	                     .params_addr = (uintptr_t)mb.framed,
	                     .params_len = mb.framed_len,
	                     .result_addr = (uintptr_t)result,
	                     .result_len = sizeof(result),
	                 }),
	                 CAPOS_E_DISCONNECTED, "disconnect.transport_code");
	r = capos_call(&d, &rep);
	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                capos_last_exception()->type ==
	                    capos_ExceptionType_disconnected,
	            "disconnect.later_call", "%s, type %s", capos_strerror(r),
	            capos_exception_type_name(capos_last_exception()->type));
	return ktest_failures();
}
