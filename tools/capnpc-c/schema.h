/*
 * The few accessors of the reference schema.capnp (CodeGeneratorRequest,
 * Node, Field, Type, Value, ...) that the generator needs, written by hand
 * over the runtime because the generator cannot generate itself.  Offsets
 * come from /usr/include/capnp/schema.capnp (capnp compile -ocapnp prints
 * them): data fields by byte offset (bools by bit), pointers by index.
 */
#ifndef CAPNPC_C_SCHEMA_H
#define CAPNPC_C_SCHEMA_H

#include "capnp/capnp.h"

/* CodeGeneratorRequest */
static inline struct capnp_list
req_nodes(struct capnp_struct r)
{
	return capnp_ref_list(capnp_field(r, 0), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_list
req_requested_files(struct capnp_struct r)
{
	return capnp_ref_list(capnp_field(r, 1), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_list
req_source_info(struct capnp_struct r)
{
	return capnp_ref_list(capnp_field(r, 3), CAPNP_ESIZE_COMPOSITE);
}

/* CodeGeneratorRequest.RequestedFile and its Import */
static inline uint64_t
rfile_id(struct capnp_struct f)
{
	return capnp_get_u64(f, 0);
}

static inline struct capnp_text
rfile_name(struct capnp_struct f)
{
	return capnp_ref_text(capnp_field(f, 0));
}

static inline struct capnp_list
rfile_imports(struct capnp_struct f)
{
	return capnp_ref_list(capnp_field(f, 1), CAPNP_ESIZE_COMPOSITE);
}

static inline uint64_t
import_id(struct capnp_struct i)
{
	return capnp_get_u64(i, 0);
}

/* Node.SourceInfo and its Member */
static inline uint64_t
srcinfo_id(struct capnp_struct s)
{
	return capnp_get_u64(s, 0);
}

static inline struct capnp_text
srcinfo_doc(struct capnp_struct s)
{
	return capnp_ref_text(capnp_field(s, 0));
}

static inline struct capnp_list
srcinfo_members(struct capnp_struct s)
{
	return capnp_ref_list(capnp_field(s, 1), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_text
member_doc(struct capnp_struct m)
{
	return capnp_ref_text(capnp_field(m, 0));
}

/* Node */
enum node_which {
	NODE_FILE = 0,
	NODE_STRUCT = 1,
	NODE_ENUM = 2,
	NODE_INTERFACE = 3,
	NODE_CONST = 4,
	NODE_ANNOTATION = 5,
};

static inline uint64_t
node_id(struct capnp_struct n)
{
	return capnp_get_u64(n, 0);
}

static inline struct capnp_text
node_display_name(struct capnp_struct n)
{
	return capnp_ref_text(capnp_field(n, 0));
}

static inline uint64_t
node_scope_id(struct capnp_struct n)
{
	return capnp_get_u64(n, 16);
}

static inline struct capnp_list
node_nested(struct capnp_struct n)
{
	return capnp_ref_list(capnp_field(n, 1), CAPNP_ESIZE_COMPOSITE);
}

static inline enum node_which
node_which(struct capnp_struct n)
{
	return (enum node_which)capnp_get_u16(n, 12);
}

static inline uint16_t
node_struct_data_words(struct capnp_struct n)
{
	return capnp_get_u16(n, 14);
}

static inline uint16_t
node_struct_ptrs(struct capnp_struct n)
{
	return capnp_get_u16(n, 24);
}

static inline bool
node_struct_is_group(struct capnp_struct n)
{
	return capnp_get_bool(n, 224);
}

static inline uint16_t
node_struct_discriminant_count(struct capnp_struct n)
{
	return capnp_get_u16(n, 30);
}

/* In units of 16 bits, like every UInt16 field offset. */
static inline uint32_t
node_struct_discriminant_offset(struct capnp_struct n)
{
	return capnp_get_u32(n, 32);
}

static inline struct capnp_list
node_struct_fields(struct capnp_struct n)
{
	return capnp_ref_list(capnp_field(n, 3), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_list
node_enum_enumerants(struct capnp_struct n)
{
	return capnp_ref_list(capnp_field(n, 3), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_list
node_interface_methods(struct capnp_struct n)
{
	return capnp_ref_list(capnp_field(n, 3), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_list
node_interface_superclasses(struct capnp_struct n)
{
	return capnp_ref_list(capnp_field(n, 4), CAPNP_ESIZE_COMPOSITE);
}

static inline struct capnp_struct
node_const_type(struct capnp_struct n)
{
	return capnp_ref_struct(capnp_field(n, 3));
}

static inline struct capnp_struct
node_const_value(struct capnp_struct n)
{
	return capnp_ref_struct(capnp_field(n, 4));
}

/* Node.NestedNode */
static inline struct capnp_text
nested_name(struct capnp_struct n)
{
	return capnp_ref_text(capnp_field(n, 0));
}

static inline uint64_t
nested_id(struct capnp_struct n)
{
	return capnp_get_u64(n, 0);
}

/* Superclass */
static inline uint64_t
superclass_id(struct capnp_struct s)
{
	return capnp_get_u64(s, 0);
}

/* Field */
#define FIELD_NO_DISCRIMINANT 0xffff

enum field_which {
	FIELD_SLOT = 0,
	FIELD_GROUP = 1,
};

static inline struct capnp_text
field_name(struct capnp_struct f)
{
	return capnp_ref_text(capnp_field(f, 0));
}

/* Stored XOR its schema default, 0xffff (no discriminant). */
static inline uint16_t
field_discriminant(struct capnp_struct f)
{
	return capnp_get_u16(f, 2) ^ FIELD_NO_DISCRIMINANT;
}

static inline enum field_which
field_which(struct capnp_struct f)
{
	return (enum field_which)capnp_get_u16(f, 8);
}

static inline uint32_t
field_slot_offset(struct capnp_struct f)
{
	return capnp_get_u32(f, 4);
}

static inline struct capnp_struct
field_slot_type(struct capnp_struct f)
{
	return capnp_ref_struct(capnp_field(f, 2));
}

static inline struct capnp_struct
field_slot_default(struct capnp_struct f)
{
	return capnp_ref_struct(capnp_field(f, 3));
}

static inline bool
field_slot_had_explicit_default(struct capnp_struct f)
{
	return capnp_get_bool(f, 128);
}

static inline uint64_t
field_group_type_id(struct capnp_struct f)
{
	return capnp_get_u64(f, 16);
}

/* Enumerant */
static inline struct capnp_text
enumerant_name(struct capnp_struct e)
{
	return capnp_ref_text(capnp_field(e, 0));
}

/* Method */
static inline struct capnp_text
method_name(struct capnp_struct m)
{
	return capnp_ref_text(capnp_field(m, 0));
}

static inline uint64_t
method_param_type(struct capnp_struct m)
{
	return capnp_get_u64(m, 8);
}

static inline uint64_t
method_result_type(struct capnp_struct m)
{
	return capnp_get_u64(m, 16);
}

/* Type */
enum type_which {
	TYPE_VOID = 0,
	TYPE_BOOL = 1,
	TYPE_INT8 = 2,
	TYPE_INT16 = 3,
	TYPE_INT32 = 4,
	TYPE_INT64 = 5,
	TYPE_UINT8 = 6,
	TYPE_UINT16 = 7,
	TYPE_UINT32 = 8,
	TYPE_UINT64 = 9,
	TYPE_FLOAT32 = 10,
	TYPE_FLOAT64 = 11,
	TYPE_TEXT = 12,
	TYPE_DATA = 13,
	TYPE_LIST = 14,
	TYPE_ENUM = 15,
	TYPE_STRUCT = 16,
	TYPE_INTERFACE = 17,
	TYPE_ANY_POINTER = 18,
};

static inline enum type_which
type_which(struct capnp_struct t)
{
	return (enum type_which)capnp_get_u16(t, 0);
}

static inline struct capnp_struct
type_list_element(struct capnp_struct t)
{
	return capnp_ref_struct(capnp_field(t, 0));
}

/* For enum, struct and interface types alike. */
static inline uint64_t
type_type_id(struct capnp_struct t)
{
	return capnp_get_u64(t, 8);
}

/* Value: the union tag selects which field of the data section is live. */
static inline enum type_which
value_which(struct capnp_struct v)
{
	return (enum type_which)capnp_get_u16(v, 0);
}

static inline struct capnp_ref
value_pointer(struct capnp_struct v)
{
	return capnp_field(v, 0);
}

#endif
