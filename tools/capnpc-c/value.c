/*
 * capnpc-c: schema values — scalar defaults as XOR masks and literals,
 * pointer defaults flattened into a word array the runtime reads like a
 * one-segment message.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "gen.h"

/* Default values are small; this only bounds a broken request. */
#define FLATTEN_BYTES (8u << 20)

uint64_t
value_bits(struct capnp_struct v, enum type_which t)
{
	switch (t) {
	case TYPE_BOOL:
		return capnp_get_bool(v, 16);
	case TYPE_INT8:
	case TYPE_UINT8:
		return capnp_get_u8(v, 2);
	case TYPE_INT16:
	case TYPE_UINT16:
	case TYPE_ENUM:
		return capnp_get_u16(v, 2);
	case TYPE_INT32:
	case TYPE_UINT32:
	case TYPE_FLOAT32:
		return capnp_get_u32(v, 4);
	case TYPE_INT64:
	case TYPE_UINT64:
	case TYPE_FLOAT64:
		return capnp_get_u64(v, 8);
	default:
		return 0;
	}
}

size_t
flatten_pointer(struct capnp_ref r, uint64_t **words)
{
	struct capnp_builder b;
	struct capnp_ptr p = capnp_ref_any(r);
	uint8_t *buf = malloc(FLATTEN_BYTES);
	size_t n;

	if (buf == NULL)
		die("out of memory");
	capnp_builder_init(&b, buf, FLATTEN_BYTES, 0);
	capnp_slot_copy(capnp_builder_root(&b), &p);
	if (capnp_builder_error(&b) != CAPNP_OK)
		die("flattening a default value: %s",
		    capnp_strerror(capnp_builder_error(&b)));
	n = b.seg[0].used;
	*words = malloc(n * 8);
	if (*words == NULL)
		die("out of memory");
	memcpy(*words, buf, n * 8);
	free(buf);
	return n;
}

void
emit_words(struct gen *g, const char *name, const uint64_t *w, size_t n,
           const char *indent)
{
	size_t i;

	fprintf(g->out, "%sstatic const uint64_t %s[%zu] = {", indent, name, n);
	for (i = 0; i < n; i++) {
		if (i % 2 == 0)
			fprintf(g->out, "\n%s\t", indent);
		else
			fputc(' ', g->out);
		fprintf(g->out, "UINT64_C(0x%016" PRIx64 "),", w[i]);
	}
	fprintf(g->out, "\n%s};\n", indent);
}

int
type_bits(enum type_which t)
{
	switch (t) {
	case TYPE_BOOL:
		return 1;
	case TYPE_INT8:
	case TYPE_UINT8:
		return 8;
	case TYPE_INT16:
	case TYPE_UINT16:
	case TYPE_ENUM:
		return 16;
	case TYPE_INT32:
	case TYPE_UINT32:
	case TYPE_FLOAT32:
		return 32;
	case TYPE_INT64:
	case TYPE_UINT64:
	case TYPE_FLOAT64:
		return 64;
	default:
		return 0;
	}
}

/* An unsigned constant of the field's width, for XOR masks and bits. */
void
emit_literal(struct gen *g, enum type_which t, uint64_t bits)
{
	switch (type_bits(t)) {
	case 1:
		fputs(bits ? "1" : "0", g->out);
		break;
	case 64:
		fprintf(g->out, "UINT64_C(0x%" PRIx64 ")", bits);
		break;
	default:
		fprintf(g->out, "0x%" PRIx64 "u", bits);
		break;
	}
}

const char *
c_scalar_type(enum type_which t)
{
	switch (t) {
	case TYPE_BOOL:
		return "bool";
	case TYPE_INT8:
		return "int8_t";
	case TYPE_INT16:
		return "int16_t";
	case TYPE_INT32:
		return "int32_t";
	case TYPE_INT64:
		return "int64_t";
	case TYPE_UINT8:
		return "uint8_t";
	case TYPE_UINT16:
		return "uint16_t";
	case TYPE_UINT32:
	case TYPE_FLOAT32:
		return "uint32_t";
	case TYPE_UINT64:
	case TYPE_FLOAT64:
		return "uint64_t";
	default:
		return "uint16_t";
	}
}

/* The element size a List(T) field is read and built with. */
enum capnp_esize
list_esize(struct capnp_struct elem)
{
	switch (type_which(elem)) {
	case TYPE_VOID:
		return CAPNP_ESIZE_VOID;
	case TYPE_BOOL:
		return CAPNP_ESIZE_BIT;
	case TYPE_INT8:
	case TYPE_UINT8:
		return CAPNP_ESIZE_BYTE;
	case TYPE_INT16:
	case TYPE_UINT16:
	case TYPE_ENUM:
		return CAPNP_ESIZE_2;
	case TYPE_INT32:
	case TYPE_UINT32:
	case TYPE_FLOAT32:
		return CAPNP_ESIZE_4;
	case TYPE_INT64:
	case TYPE_UINT64:
	case TYPE_FLOAT64:
		return CAPNP_ESIZE_8;
	case TYPE_STRUCT:
		return CAPNP_ESIZE_COMPOSITE;
	default:
		return CAPNP_ESIZE_POINTER;
	}
}

const char *
esize_name(enum capnp_esize es)
{
	static const char *const names[] = {
	    "CAPNP_ESIZE_VOID",    "CAPNP_ESIZE_BIT",       "CAPNP_ESIZE_BYTE",
	    "CAPNP_ESIZE_2",       "CAPNP_ESIZE_4",         "CAPNP_ESIZE_8",
	    "CAPNP_ESIZE_POINTER", "CAPNP_ESIZE_COMPOSITE",
	};

	return names[es & 7];
}
