/*
 * capnpc-c: enums, interfaces (ids and method ordinals) and constants.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "gen.h"

void
emit_enum(struct gen *g, struct node *nd)
{
	struct capnp_list es = node_enum_enumerants(nd->n);
	struct capnp_list members = srcinfo_members(nd->info);
	uint32_t i;

	fprintf(g->out, "\n");
	emit_doc(g, srcinfo_doc(nd->info), "");
	fprintf(g->out, "enum %s {\n", nd->cname);
	for (i = 0; i < capnp_list_len(es); i++) {
		if (i < capnp_list_len(members))
			emit_doc(g, member_doc(capnp_elem_struct(members, i)),
			         "\t");
		/* Enumerants are listed in ordinal order: value = index. */
		fprintf(g->out, "\t%s_%s = %u,\n", nd->cname,
		        enumerant_name(capnp_elem_struct(es, i)).str, i);
	}
	fprintf(g->out, "};\n#define %s_TYPE_ID UINT64_C(0x%016" PRIx64 ")\n",
	        nd->cname, nd->id);
}

void
emit_interface(struct gen *g, struct node *nd)
{
	struct capnp_list ms = node_interface_methods(nd->n);
	struct capnp_list sup = node_interface_superclasses(nd->n);
	struct capnp_list members = srcinfo_members(nd->info);
	uint32_t i;

	fprintf(g->out, "\n");
	emit_doc(g, srcinfo_doc(nd->info), "");
	for (i = 0; i < capnp_list_len(sup); i++)
		fprintf(g->out, "/* %s extends %s. */\n", nd->cname,
		        cname(g, superclass_id(capnp_elem_struct(sup, i))));
	fprintf(g->out, "#define %s_TYPE_ID UINT64_C(0x%016" PRIx64 ")\n",
	        nd->cname, nd->id);
	if (capnp_list_len(ms) == 0)
		return;
	fprintf(g->out, "enum %s_method {\n", nd->cname);
	for (i = 0; i < capnp_list_len(ms); i++) {
		struct capnp_struct m = capnp_elem_struct(ms, i);

		if (i < capnp_list_len(members))
			emit_doc(g, member_doc(capnp_elem_struct(members, i)),
			         "\t");
		/* Methods are listed in ordinal order: ordinal = index. */
		fprintf(g->out, "\t%s_METHOD_%s = %u, /* (%s) -> (%s) */\n",
		        nd->cname, method_name(m).str, i,
		        cname(g, method_param_type(m)),
		        cname(g, method_result_type(m)));
	}
	fprintf(g->out, "};\n");
}

static void
emit_scalar_const(struct gen *g, const char *name, struct capnp_struct type,
                  struct capnp_struct value)
{
	enum type_which t = type_which(type);
	uint64_t bits = value_bits(value, t);

	switch (t) {
	case TYPE_BOOL:
		fprintf(g->out, "#define %s %s\n", name,
		        bits ? "true" : "false");
		break;
	case TYPE_INT8:
	case TYPE_INT16:
	case TYPE_INT32:
	case TYPE_INT64: {
		int sh = 64 - type_bits(t);
		/* Sign-extend the stored bits. */
		int64_t v = (int64_t)(bits << sh) >> sh;

		if (v == INT64_MIN)
			fprintf(g->out,
			        "#define %s (-INT64_C(%" PRId64 ") - 1)\n",
			        name, INT64_MAX);
		else
			fprintf(g->out,
			        "#define %s ((%s)INT64_C(%" PRId64 "))\n", name,
			        c_scalar_type(t), v);
		break;
	}
	case TYPE_UINT8:
	case TYPE_UINT16:
	case TYPE_UINT32:
	case TYPE_UINT64:
		fprintf(g->out, "#define %s ((%s)UINT64_C(%" PRIu64 "))\n",
		        name, c_scalar_type(t), bits);
		break;
	case TYPE_FLOAT32:
	case TYPE_FLOAT64:
		fprintf(g->out, "#define %s_BITS ", name);
		emit_literal(g, t, bits);
		fprintf(g->out,
		        "\n#if CAPNP_HAVE_FLOAT\n#define %s "
		        "capnp_%s_from_bits(%s_BITS)\n#endif\n",
		        name, t == TYPE_FLOAT32 ? "f32" : "f64", name);
		break;
	case TYPE_ENUM:
		fprintf(g->out, "#define %s ((enum %s)%" PRIu64 ")\n", name,
		        cname(g, type_type_id(type)), bits);
		break;
	default:
		break;
	}
}

/*
 * Struct and list constants are compiled in as a one-segment message; the
 * accessor points the caller's capnp_msg at it and returns the value.
 */
static void
emit_pointer_const(struct gen *g, const char *name, struct capnp_struct type,
                   struct capnp_struct value)
{
	enum type_which t = type_which(type);
	uint64_t *w;
	size_t n;

	if (t == TYPE_TEXT) {
		struct capnp_text s = capnp_ref_text(value_pointer(value));

		fprintf(g->out, "#define %s ", name);
		emit_c_string(g->out, s.str, s.len);
		fprintf(g->out, "\n");
		return;
	}
	if (t == TYPE_DATA) {
		struct capnp_data d = capnp_ref_data(value_pointer(value));
		uint32_t i;

		fprintf(g->out,
		        "static inline struct capnp_data\n%s(void)\n{\n"
		        "\tstatic const uint8_t d[%u] = {",
		        name, d.len ? d.len : 1);
		for (i = 0; i < d.len; i++)
			fprintf(g->out, "%s0x%02x,", i % 8 ? " " : "\n\t\t",
			        d.ptr[i]);
		fprintf(g->out,
		        "\n\t};\n\tstruct capnp_data v = {d, %u};\n\n"
		        "\treturn v;\n}\n",
		        d.len);
		return;
	}
	if (t != TYPE_STRUCT && t != TYPE_LIST) {
		fprintf(g->out,
		        "/* %s: constant of this type not supported */\n",
		        name);
		return;
	}
	if (t == TYPE_STRUCT)
		fprintf(g->out, "static inline %s_reader\n",
		        cname(g, type_type_id(type)));
	else
		fprintf(g->out, "static inline struct capnp_list\n");
	fprintf(g->out, "%s(struct capnp_msg *m)\n{\n", name);
	n = flatten_pointer(value_pointer(value), &w);
	if (n == 0)
		die("constant %s has no value", name);
	emit_words(g, "words", w, n, "\t");
	free(w);
	fprintf(g->out,
	        "\n\tcapnp_msg_init_segment(m, words, sizeof(words));\n");
	if (t == TYPE_STRUCT) {
		fprintf(g->out,
		        "\t%s_reader v = {capnp_msg_root(m)};\n\n\treturn v;\n",
		        cname(g, type_type_id(type)));
	} else {
		fprintf(g->out,
		        "\treturn capnp_ref_list(capnp_msg_root_ref(m), %s);\n",
		        esize_name(list_esize(type_list_element(type))));
	}
	fprintf(g->out, "}\n");
}

void
emit_const(struct gen *g, struct node *nd)
{
	struct capnp_struct type = node_const_type(nd->n);
	struct capnp_struct value = node_const_value(nd->n);

	fprintf(g->out, "\n");
	emit_doc(g, srcinfo_doc(nd->info), "");
	fprintf(g->out, "#define %s_CONST_ID UINT64_C(0x%016" PRIx64 ")\n",
	        nd->cname, nd->id);
	if (type_bits(type_which(type)) > 0)
		emit_scalar_const(g, nd->cname, type, value);
	else
		emit_pointer_const(g, nd->cname, type, value);
}
