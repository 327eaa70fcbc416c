/* Human-readable names for the runtime's error codes. */
#include "capnp/types.h"

const char *
capnp_strerror(int err)
{
	switch (err) {
	case CAPNP_OK:
		return "ok";
	case CAPNP_ERR_BOUNDS:
		return "pointer out of segment bounds";
	case CAPNP_ERR_LIMIT:
		return "traversal limit exceeded";
	case CAPNP_ERR_NESTING:
		return "nesting limit exceeded";
	case CAPNP_ERR_TYPE:
		return "pointer of unexpected type";
	case CAPNP_ERR_FAR:
		return "malformed far pointer";
	case CAPNP_ERR_SEGMENT:
		return "segment id out of range";
	case CAPNP_ERR_TEXT:
		return "text not NUL-terminated";
	case CAPNP_ERR_FRAME:
		return "bad stream framing";
	case CAPNP_ERR_SEGMENTS:
		return "too many segments";
	case CAPNP_ERR_NOSPACE:
		return "builder buffer full";
	case CAPNP_ERR_RANGE:
		return "index or size out of range";
	case CAPNP_ERR_POINTER:
		return "unknown pointer kind";
	case CAPNP_ERR_ROOT:
		return "message has no root pointer";
	case CAPNP_ERR_PACKED:
		return "truncated packed input";
	case CAPNP_ERR_CAP:
		return "capability in a canonical message";
	}
	return "unknown error";
}
