#include "core/kernel.h"
#include "capnp/frame.h"
#include "kobj/exception.h"
#include "kobj/message.h"

#include "capos.capnp.h"

_Static_assert(
    (int)RPC_EXC_FAILED == (int)capos_ExceptionType_failed &&
        (int)RPC_EXC_OVERLOADED == (int)capos_ExceptionType_overloaded &&
        (int)RPC_EXC_DISCONNECTED == (int)capos_ExceptionType_disconnected &&
        (int)RPC_EXC_UNIMPLEMENTED == (int)capos_ExceptionType_unimplemented &&
        (int)RPC_EXC_INVALID_ARGUMENT ==
            (int)capos_ExceptionType_invalidArgument,
    "exception types follow the schema");

uint32_t
kexception_encode(enum rpc_exc type, const char *message, uint8_t *buf,
                  size_t cap)
{
	struct capnp_builder b;
	capos_CapException_builder e;
	size_t written;

	kmsg_result_begin(&b);
	e = capos_CapException_build_root(&b);
	capos_CapException_set_type(e, (enum capos_ExceptionType)type);
	if (message)
		capos_CapException_set_message(e, message, strlen(message));
	if (capnp_builder_error(&b) ||
	    capnp_frame_write(&b, buf, cap, &written))
		return 0;
	return (uint32_t)written;
}
