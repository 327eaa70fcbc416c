/* CapException decoding. */
#include "capos.h"
#include "internal.h"

#include "capos.capnp.h"

int
capos_exception_decode(const void *buf, size_t len, struct capos_exception *out)
{
	struct capnp_msg m;
	capos_CapException_reader r;
	struct capnp_text t;

	memset(out, 0, sizeof(*out));
	if (capos_msg_read(&m, buf, len))
		return -1;
	r = capos_CapException_read_root(&m);
	out->type = capos_CapException_get_type(r);
	t = capos_CapException_get_message(r);
	if (capnp_msg_error(&m))
		return -1;
	str_copy(out->message, t.str ? t.str : "", sizeof(out->message));
	return 0;
}

const struct capos_exception *
capos_last_exception(void)
{
	return &capos_rt.last_exc;
}

const char *
capos_exception_type_name(int type)
{
	switch (type) {
	case capos_ExceptionType_failed:
		return "failed";
	case capos_ExceptionType_overloaded:
		return "overloaded";
	case capos_ExceptionType_disconnected:
		return "disconnected";
	case capos_ExceptionType_unimplemented:
		return "unimplemented";
	case capos_ExceptionType_invalidArgument:
		return "invalidArgument";
	}
	return "unknown";
}

const char *
capos_strerror(int err)
{
	return err >= 0 ? "ok" : capos_error_name(err);
}
