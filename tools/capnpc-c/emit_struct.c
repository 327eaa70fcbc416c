/*
 * capnpc-c: structs, groups and unions — reader/builder types, layout
 * constants, and one getter/setter family per field.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "gen.h"

/* Runtime accessor suffix for a data field of the given width. */
static const char *
width_suffix(int bits)
{
	switch (bits) {
	case 8:
		return "u8";
	case 16:
		return "u16";
	case 32:
		return "u32";
	default:
		return "u64";
	}
}

static struct capnp_text
member_doc_at(struct node *nd, uint32_t i)
{
	struct capnp_list members = srcinfo_members(nd->info);
	struct capnp_text none = {"", 0};

	if (i >= capnp_list_len(members))
		return none;
	return member_doc(capnp_elem_struct(members, i));
}

void
emit_struct_types(struct gen *g, struct node *nd)
{
	const char *p = nd->cname;
	struct capnp_list fields = node_struct_fields(nd->n);
	uint32_t i;

	fprintf(g->out, "\n");
	emit_doc(g, srcinfo_doc(nd->info), "");
	fprintf(g->out,
	        "typedef struct %s_reader {\n\tstruct capnp_struct s;\n} "
	        "%s_reader;\n",
	        p, p);
	fprintf(g->out,
	        "typedef struct %s_builder {\n\tstruct capnp_struct_builder "
	        "s;\n} %s_builder;\n",
	        p, p);
	fprintf(g->out, "#define %s_TYPE_ID UINT64_C(0x%016" PRIx64 ")\n", p,
	        nd->id);
	if (!node_struct_is_group(nd->n)) {
		fprintf(g->out, "#define %s_DATA_WORDS %u\n", p,
		        node_struct_data_words(nd->n));
		fprintf(g->out, "#define %s_POINTERS %u\n", p,
		        node_struct_ptrs(nd->n));
	}
	if (node_struct_discriminant_count(nd->n) == 0)
		return;
	fprintf(g->out, "enum %s_which {\n", p);
	for (i = 0; i < capnp_list_len(fields); i++) {
		struct capnp_struct f = capnp_elem_struct(fields, i);

		if (field_discriminant(f) != FIELD_NO_DISCRIMINANT)
			fprintf(g->out, "\t%s_WHICH_%s = %u,\n", p,
			        field_name(f).str, field_discriminant(f));
	}
	fprintf(g->out, "};\n");
}

/* Writing the union tag, for setters of union members. */
static void
emit_set_discriminant(struct gen *g, struct node *nd, struct capnp_struct f)
{
	if (field_discriminant(f) == FIELD_NO_DISCRIMINANT)
		return;
	fprintf(g->out, "\tcapnp_set_u16(b.s, %u, %u);\n",
	        2 * node_struct_discriminant_offset(nd->n),
	        field_discriminant(f));
}

static void
emit_bool(struct gen *g, struct node *nd, struct capnp_struct f,
          const char *name, uint32_t off, bool def)
{
	const char *p = nd->cname;
	const char *neg = def ? "!" : "";

	fprintf(g->out,
	        "static inline bool\n%s_get_%s(%s_reader r)\n{\n"
	        "\treturn %scapnp_get_bool(r.s, %u);\n}\n\n",
	        p, name, p, neg, off);
	fprintf(g->out,
	        "static inline void\n%s_set_%s(%s_builder b, bool v)\n{\n", p,
	        name, p);
	emit_set_discriminant(g, nd, f);
	fprintf(g->out, "\tcapnp_set_bool(b.s, %u, %sv);\n}\n\n", off, neg);
}

/*
 * Integers, enums and the raw bits of floats.  The stored value is the
 * value XOR the schema default, so a zeroed field reads as the default.
 */
static void
emit_scalar(struct gen *g, struct node *nd, struct capnp_struct f,
            const char *name, const char *ctype, enum type_which t,
            uint32_t off, uint64_t def)
{
	const char *p = nd->cname;
	int bits = type_bits(t);
	const char *w = width_suffix(bits);
	uint32_t byte = off * (uint32_t)(bits / 8);

	fprintf(g->out,
	        "static inline %s\n%s_get_%s(%s_reader r)\n{\n"
	        "\treturn (%s)",
	        ctype, p, name, p, ctype);
	if (def != 0) {
		fprintf(g->out, "(capnp_get_%s(r.s, %u) ^ ", w, byte);
		emit_literal(g, t, def);
		fprintf(g->out, ");\n}\n\n");
	} else {
		fprintf(g->out, "capnp_get_%s(r.s, %u);\n}\n\n", w, byte);
	}
	fprintf(g->out,
	        "static inline void\n%s_set_%s(%s_builder b, %s v)\n{\n", p,
	        name, p, ctype);
	emit_set_discriminant(g, nd, f);
	fprintf(g->out, "\tcapnp_set_%s(b.s, %u, (uint%d_t)", w, byte, bits);
	if (def != 0) {
		fprintf(g->out, "((uint%d_t)v ^ ", bits);
		emit_literal(g, t, def);
		fprintf(g->out, "));\n}\n\n");
	} else {
		fprintf(g->out, "v);\n}\n\n");
	}
}

static void
emit_float(struct gen *g, struct node *nd, struct capnp_struct f,
           const char *name, enum type_which t, uint32_t off, uint64_t def)
{
	const char *p = nd->cname;
	bool single = t == TYPE_FLOAT32;
	char *bits_name = xasprintf("%s_bits", name);

	emit_scalar(g, nd, f, bits_name, single ? "uint32_t" : "uint64_t", t,
	            off, def);
	fprintf(g->out,
	        "#if CAPNP_HAVE_FLOAT\n"
	        "static inline %s\n%s_get_%s(%s_reader r)\n{\n"
	        "\treturn capnp_%s_from_bits(%s_get_%s(r));\n}\n\n"
	        "static inline void\n%s_set_%s(%s_builder b, %s v)\n{\n"
	        "\t%s_set_%s(b, capnp_%s_to_bits(v));\n}\n#endif\n\n",
	        single ? "float" : "double", p, name, p, single ? "f32" : "f64",
	        p, bits_name, p, name, p, single ? "float" : "double", p,
	        bits_name, single ? "f32" : "f64");
	free(bits_name);
}

static void
emit_has(struct gen *g, struct node *nd, const char *name, uint32_t idx)
{
	fprintf(g->out,
	        "static inline bool\n%s_has_%s(%s_reader r)\n{\n"
	        "\treturn !capnp_ref_is_null(capnp_field(r.s, %u));\n}\n\n",
	        nd->cname, name, nd->cname, idx);
}

/* A default pointer value as a static one-segment message, named def. */
static bool
emit_default_segment(struct gen *g, struct capnp_struct value)
{
	uint64_t *w;
	size_t n;

	if (capnp_ref_is_null(value_pointer(value)))
		return false;
	n = flatten_pointer(value_pointer(value), &w);
	emit_words(g, "def_words", w, n, "\t");
	fprintf(g->out,
	        "\tstatic const struct capnp_seg def = {\n"
	        "\t\t(const uint8_t *)def_words, %zu};\n",
	        n);
	free(w);
	return true;
}

static void
emit_text(struct gen *g, struct node *nd, struct capnp_struct f,
          const char *name, uint32_t idx, struct capnp_struct value)
{
	const char *p = nd->cname;
	struct capnp_text def = capnp_ref_text(value_pointer(value));

	emit_has(g, nd, name, idx);
	fprintf(g->out,
	        "static inline struct capnp_text\n%s_get_%s(%s_reader r)\n{\n",
	        p, name, p);
	if (def.len > 0) {
		fprintf(g->out,
		        "\treturn capnp_ref_text_default("
		        "capnp_field(r.s, %u), ",
		        idx);
		emit_c_string(g->out, def.str, def.len);
		fprintf(g->out, ", %u);\n}\n\n", def.len);
	} else {
		fprintf(g->out,
		        "\treturn capnp_ref_text(capnp_field(r.s, %u));\n}\n\n",
		        idx);
	}
	fprintf(g->out,
	        "static inline void\n%s_set_%s(%s_builder b, const char *s, "
	        "size_t len)\n{\n",
	        p, name, p);
	emit_set_discriminant(g, nd, f);
	fprintf(g->out,
	        "\tcapnp_slot_set_text(capnp_bfield(b.s, %u), s, len);\n}\n\n",
	        idx);
}

static void
emit_data(struct gen *g, struct node *nd, struct capnp_struct f,
          const char *name, uint32_t idx, struct capnp_struct value)
{
	const char *p = nd->cname;
	struct capnp_data def = capnp_ref_data(value_pointer(value));
	uint32_t i;

	emit_has(g, nd, name, idx);
	fprintf(g->out,
	        "static inline struct capnp_data\n%s_get_%s(%s_reader r)\n{\n",
	        p, name, p);
	if (def.len > 0) {
		fprintf(g->out, "\tstatic const uint8_t def[%u] = {", def.len);
		for (i = 0; i < def.len; i++)
			fprintf(g->out, "%s0x%02x,", i % 8 ? " " : "\n\t\t",
			        def.ptr[i]);
		fprintf(g->out,
		        "\n\t};\n\n\treturn capnp_ref_data_default("
		        "capnp_field(r.s, %u), def, %u);\n}\n\n",
		        idx, def.len);
	} else {
		fprintf(g->out,
		        "\treturn capnp_ref_data(capnp_field(r.s, %u));\n}\n\n",
		        idx);
	}
	fprintf(g->out,
	        "static inline void\n%s_set_%s(%s_builder b, const void *p, "
	        "size_t len)\n{\n",
	        p, name, p);
	emit_set_discriminant(g, nd, f);
	fprintf(g->out,
	        "\tcapnp_slot_set_data(capnp_bfield(b.s, %u), p, len);\n}\n\n",
	        idx);
}

static void
emit_struct_field(struct gen *g, struct node *nd, struct capnp_struct f,
                  const char *name, uint32_t idx, struct capnp_struct type,
                  struct capnp_struct value)
{
	const char *p = nd->cname;
	const char *t = cname(g, type_type_id(type));

	emit_has(g, nd, name, idx);
	fprintf(g->out, "static inline %s_reader\n%s_get_%s(%s_reader r)\n{\n",
	        t, p, name, p);
	if (emit_default_segment(g, value))
		fprintf(g->out,
		        "\t%s_reader v = {capnp_ref_struct_default("
		        "capnp_field(r.s, %u), &def)};\n\n",
		        t, idx);
	else
		fprintf(g->out,
		        "\t%s_reader v = {capnp_ref_struct(capnp_field(r.s, "
		        "%u))};\n\n",
		        t, idx);
	fprintf(g->out, "\treturn v;\n}\n\n");
	fprintf(g->out,
	        "static inline %s_builder\n%s_init_%s(%s_builder b)\n{\n"
	        "\t%s_builder v;\n\n",
	        t, p, name, p, t);
	emit_set_discriminant(g, nd, f);
	fprintf(g->out,
	        "\tv.s = capnp_slot_init_struct(capnp_bfield(b.s, %u),\n"
	        "\t\t\t\t     %s_DATA_WORDS, %s_POINTERS);\n"
	        "\treturn v;\n}\n\n",
	        idx, t, t);
}

static void
emit_list_field(struct gen *g, struct node *nd, struct capnp_struct f,
                const char *name, uint32_t idx, struct capnp_struct type,
                struct capnp_struct value)
{
	const char *p = nd->cname;
	struct capnp_struct elem = type_list_element(type);
	enum capnp_esize es = list_esize(elem);

	emit_has(g, nd, name, idx);
	fprintf(g->out,
	        "static inline struct capnp_list\n%s_get_%s(%s_reader r)\n{\n",
	        p, name, p);
	if (emit_default_segment(g, value))
		fprintf(g->out,
		        "\n\treturn capnp_ref_list_default(capnp_field(r.s, "
		        "%u), %s, &def);\n}\n\n",
		        idx, esize_name(es));
	else
		fprintf(g->out,
		        "\treturn capnp_ref_list(capnp_field(r.s, %u), %s);\n"
		        "}\n\n",
		        idx, esize_name(es));
	fprintf(g->out,
	        "static inline struct capnp_list_builder\n"
	        "%s_init_%s(%s_builder b, uint32_t n)\n{\n",
	        p, name, p);
	emit_set_discriminant(g, nd, f);
	if (es == CAPNP_ESIZE_COMPOSITE) {
		const char *t = cname(g, type_type_id(elem));

		fprintf(g->out,
		        "\treturn capnp_slot_init_struct_list(capnp_bfield("
		        "b.s, %u), n,\n\t\t\t\t\t   %s_DATA_WORDS, "
		        "%s_POINTERS);\n}\n\n",
		        idx, t, t);
	} else {
		fprintf(g->out,
		        "\treturn capnp_slot_init_list(capnp_bfield(b.s, %u), "
		        "%s, n);\n}\n\n",
		        idx, esize_name(es));
	}
}

static void
emit_pointer_field(struct gen *g, struct node *nd, struct capnp_struct f,
                   const char *name, uint32_t idx, struct capnp_struct type,
                   struct capnp_struct value)
{
	const char *p = nd->cname;

	switch (type_which(type)) {
	case TYPE_TEXT:
		emit_text(g, nd, f, name, idx, value);
		return;
	case TYPE_DATA:
		emit_data(g, nd, f, name, idx, value);
		return;
	case TYPE_STRUCT:
		emit_struct_field(g, nd, f, name, idx, type, value);
		return;
	case TYPE_LIST:
		emit_list_field(g, nd, f, name, idx, type, value);
		return;
	case TYPE_INTERFACE:
		/* A capability: its index in the message's cap table. */
		emit_has(g, nd, name, idx);
		fprintf(g->out,
		        "static inline uint32_t\n%s_get_%s(%s_reader r)\n{\n"
		        "\treturn capnp_ref_cap(capnp_field(r.s, %u));\n}\n\n"
		        "static inline void\n%s_set_%s(%s_builder b, uint32_t "
		        "cap)\n{\n",
		        p, name, p, idx, p, name, p);
		emit_set_discriminant(g, nd, f);
		fprintf(
		    g->out,
		    "\tcapnp_slot_set_cap(capnp_bfield(b.s, %u), cap);\n}\n\n",
		    idx);
		return;
	default:
		/* AnyPointer and generic parameters: the raw pointer. */
		emit_has(g, nd, name, idx);
		fprintf(
		    g->out,
		    "static inline struct capnp_ptr\n%s_get_%s(%s_reader r)\n"
		    "{\n\treturn capnp_ref_any(capnp_field(r.s, %u));\n}\n\n"
		    "static inline struct capnp_slot\n%s_slot_%s(%s_builder "
		    "b)\n{\n",
		    p, name, p, idx, p, name, p);
		emit_set_discriminant(g, nd, f);
		fprintf(g->out, "\treturn capnp_bfield(b.s, %u);\n}\n\n", idx);
		return;
	}
}

static void
emit_slot(struct gen *g, struct node *nd, struct capnp_struct f)
{
	struct capnp_struct type = field_slot_type(f);
	struct capnp_struct value = field_slot_default(f);
	const char *name = field_name(f).str;
	uint32_t off = field_slot_offset(f);
	enum type_which t = type_which(type);

	switch (t) {
	case TYPE_VOID:
		if (field_discriminant(f) == FIELD_NO_DISCRIMINANT)
			return;
		fprintf(g->out,
		        "static inline void\n%s_set_%s(%s_builder b)\n{\n",
		        nd->cname, name, nd->cname);
		emit_set_discriminant(g, nd, f);
		fprintf(g->out, "}\n\n");
		return;
	case TYPE_BOOL:
		emit_bool(g, nd, f, name, off, value_bits(value, t) != 0);
		return;
	case TYPE_INT8:
	case TYPE_INT16:
	case TYPE_INT32:
	case TYPE_INT64:
	case TYPE_UINT8:
	case TYPE_UINT16:
	case TYPE_UINT32:
	case TYPE_UINT64:
		emit_scalar(g, nd, f, name, c_scalar_type(t), t, off,
		            value_bits(value, t));
		return;
	case TYPE_FLOAT32:
	case TYPE_FLOAT64:
		emit_float(g, nd, f, name, t, off, value_bits(value, t));
		return;
	case TYPE_ENUM: {
		char *ctype =
		    xasprintf("enum %s", cname(g, type_type_id(type)));

		emit_scalar(g, nd, f, name, ctype, t, off,
		            value_bits(value, t));
		free(ctype);
		return;
	}
	default:
		emit_pointer_field(g, nd, f, name, off, type, value);
		return;
	}
}

/* A group shares its parent's sections; its reader is the same struct. */
static void
emit_group(struct gen *g, struct node *nd, struct capnp_struct f)
{
	const char *p = nd->cname;
	const char *name = field_name(f).str;
	const char *t = cname(g, field_group_type_id(f));

	fprintf(g->out,
	        "static inline %s_reader\n%s_get_%s(%s_reader r)\n{\n"
	        "\t%s_reader v = {r.s};\n\n\treturn v;\n}\n\n",
	        t, p, name, p, t);
	fprintf(g->out,
	        "static inline %s_builder\n%s_init_%s(%s_builder b)\n{\n"
	        "\t%s_builder v = {b.s};\n\n",
	        t, p, name, p, t);
	emit_set_discriminant(g, nd, f);
	fprintf(g->out, "\treturn v;\n}\n\n");
}

void
emit_struct_accessors(struct gen *g, struct node *nd)
{
	const char *p = nd->cname;
	struct capnp_list fields = node_struct_fields(nd->n);
	uint32_t i;

	fprintf(g->out, "/* %s */\n\n", p);
	if (!node_struct_is_group(nd->n)) {
		fprintf(
		    g->out,
		    "static inline %s_reader\n%s_read_root(struct capnp_msg "
		    "*m)\n{\n\t%s_reader v = {capnp_msg_root(m)};\n\n"
		    "\treturn v;\n}\n\n",
		    p, p, p);
		fprintf(g->out,
		        "static inline %s_builder\n%s_build_root(struct "
		        "capnp_builder *b)\n{\n\t%s_builder v;\n\n"
		        "\tv.s = capnp_builder_init_root(b, %s_DATA_WORDS,\n"
		        "\t\t\t\t      %s_POINTERS);\n\treturn v;\n}\n\n",
		        p, p, p, p, p);
		fprintf(g->out,
		        "static inline %s_reader\n%s_at(struct capnp_list l, "
		        "uint32_t i)\n{\n\t%s_reader v = {capnp_elem_struct(l, "
		        "i)};\n\n\treturn v;\n}\n\n",
		        p, p, p);
		fprintf(g->out,
		        "static inline %s_builder\n%s_build_at(struct "
		        "capnp_list_builder l, uint32_t i)\n{\n"
		        "\t%s_builder v = {capnp_belem_struct(l, i)};\n\n"
		        "\treturn v;\n}\n\n",
		        p, p, p);
	}
	if (node_struct_discriminant_count(nd->n) > 0)
		fprintf(
		    g->out,
		    "static inline enum %s_which\n%s_which(%s_reader r)\n{\n"
		    "\treturn (enum %s_which)capnp_get_u16(r.s, %u);\n}\n\n",
		    p, p, p, p, 2 * node_struct_discriminant_offset(nd->n));
	for (i = 0; i < capnp_list_len(fields); i++) {
		struct capnp_struct f = capnp_elem_struct(fields, i);

		emit_doc(g, member_doc_at(nd, i), "");
		if (field_which(f) == FIELD_GROUP)
			emit_group(g, nd, f);
		else
			emit_slot(g, nd, f);
	}
}
