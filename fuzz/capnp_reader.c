/*
 * libFuzzer target for the Cap'n Proto reader (make fuzz).  Each input is
 * read as a framed message and as one raw segment, then:
 *  - walked generically (every pointer, every list element, every data
 *    byte) under small limits, with a digest of everything seen;
 *  - deep-copied into a builder (single- or multi-segment, picked by the
 *    input), and the copy walked again: it must read without error and
 *    give the same digest;
 *  - read through generated accessors of capos.capnp and of the test
 *    schema, which covers defaults, unions, groups and typed lists.
 * Reading the schema defaults (the Defaults struct of an empty message)
 * must not cost the message's traversal budget.
 * The sanitizers catch any out-of-bounds read; the limits bound the work.
 */
#include <stdint.h>
#include <stdlib.h>

#include "capnp/capnp.h"
#include "capos.capnp.h"
#include "conformance.capnp.h"

#define TRAVERSAL_WORDS (1u << 16)
#define NESTING         40
#define COPY_BYTES      (1u << 21)

static uint8_t copy_buf[COPY_BYTES];

static void
mix(uint64_t *h, uint64_t v)
{
	*h = (*h ^ v) * 0x100000001b3ull;
}

static void walk_ptr(struct capnp_ptr p, uint64_t *h);

static void
walk_struct(struct capnp_struct s, uint64_t *h)
{
	uint32_t i;

	mix(h, 1);
	mix(h, s.data_bytes);
	mix(h, s.nptrs);
	for (i = 0; i < s.data_bytes; i++)
		mix(h, s.data[i]);
	for (i = 0; i < s.nptrs; i++)
		walk_ptr(capnp_ref_any(capnp_field(s, i)), h);
}

static void
walk_list(struct capnp_list l, uint64_t *h)
{
	uint32_t i;

	mix(h, 2);
	mix(h, l.esize);
	mix(h, l.len);
	for (i = 0; i < l.len; i++) {
		switch (l.esize) {
		case CAPNP_ESIZE_VOID:
			return;
		case CAPNP_ESIZE_BIT:
			mix(h, capnp_elem_bool(l, i));
			break;
		case CAPNP_ESIZE_BYTE:
			mix(h, capnp_elem_u8(l, i));
			break;
		case CAPNP_ESIZE_2:
			mix(h, capnp_elem_u16(l, i));
			break;
		case CAPNP_ESIZE_4:
			mix(h, capnp_elem_u32(l, i));
			break;
		case CAPNP_ESIZE_8:
			mix(h, capnp_elem_u64(l, i));
			break;
		case CAPNP_ESIZE_POINTER:
			walk_ptr(capnp_ref_any(capnp_elem(l, i)), h);
			break;
		case CAPNP_ESIZE_COMPOSITE:
			walk_struct(capnp_elem_struct(l, i), h);
			break;
		}
	}
}

static void
walk_ptr(struct capnp_ptr p, uint64_t *h)
{
	mix(h, p.type);
	if (p.type == CAPNP_PTR_STRUCT)
		walk_struct(p.u.s, h);
	else if (p.type == CAPNP_PTR_LIST)
		walk_list(p.u.l, h);
	else if (p.type == CAPNP_PTR_CAP)
		mix(h, p.u.cap);
}

static uint64_t
walk_root(struct capnp_msg *m)
{
	uint64_t h = 0xcbf29ce484222325ull;

	walk_ptr(capnp_ref_any(capnp_msg_root_ref(m)), &h);
	return h;
}

/* The copy of a message that reads cleanly must read back the same. */
static void
check_copy(const struct capnp_msg *src, uint64_t digest, uint32_t seg_words)
{
	struct capnp_msg m = *src, c;
	struct capnp_builder b;
	struct capnp_ptr root;

	capnp_msg_set_limits(&m, TRAVERSAL_WORDS, NESTING);
	root = capnp_ref_any(capnp_msg_root_ref(&m));
	if (capnp_builder_init(&b, copy_buf, sizeof(copy_buf), seg_words) !=
	    CAPNP_OK)
		abort();
	capnp_slot_copy(capnp_builder_root(&b), &root);
	if (capnp_msg_error(&m) != CAPNP_OK)
		abort();
	if (capnp_builder_error(&b) != CAPNP_OK)
		return; /* out of segments or space: allowed */
	if (capnp_builder_to_msg(&b, &c) != CAPNP_OK)
		abort();
	/* Landing pads are charged too: give the copy room for them. */
	capnp_msg_set_limits(&c, 4ull * TRAVERSAL_WORDS, NESTING);
	if (walk_root(&c) != digest || capnp_msg_error(&c) != CAPNP_OK)
		abort();
}

static void
read_manifest(struct capnp_msg *m)
{
	capos_SystemManifest_reader r = capos_SystemManifest_read_root(m);
	struct capnp_list bins = capos_SystemManifest_get_binaries(r);
	capos_KernelParams_reader kp = capos_SystemManifest_get_kernelParams(r);
	uint32_t i;

	(void)capos_SystemManifest_get_schemaVersion(r);
	for (i = 0; i < capnp_list_len(bins); i++) {
		capos_BinaryEntry_reader e = capos_BinaryEntry_at(bins, i);

		(void)capos_BinaryEntry_get_name(e);
		(void)capos_BinaryEntry_get_module(e);
	}
	(void)capos_InitConfig_get_init(capos_SystemManifest_get_initConfig(r));
	(void)capos_KernelParams_get_hostname(kp);
	(void)capos_KernelParams_get_motd(kp);
	(void)capos_KernelParams_get_logLevel(kp);
}

static void
read_inner(conformance_Inner_reader in)
{
	(void)conformance_Inner_get_a(in);
	(void)conformance_Inner_get_s(in);
	in = conformance_Inner_get_deeper(in);
	(void)conformance_Inner_get_s(in);
}

static void
read_test_all(struct capnp_msg *m)
{
	conformance_TestAll_reader r = conformance_TestAll_read_root(m);
	struct capnp_list l;
	uint32_t i;

	(void)conformance_TestAll_get_boolField(r);
	(void)conformance_TestAll_get_int64Field(r);
	(void)conformance_TestAll_get_float64Field(r);
	(void)conformance_TestAll_get_textField(r);
	(void)conformance_TestAll_get_dataField(r);
	read_inner(conformance_TestAll_get_structField(r));
	(void)conformance_TestAll_get_enumField(r);
	l = conformance_TestAll_get_boolList(r);
	for (i = 0; i < capnp_list_len(l); i++)
		(void)capnp_elem_bool(l, i);
	l = conformance_TestAll_get_uint16List(r);
	for (i = 0; i < capnp_list_len(l); i++)
		(void)capnp_elem_u16(l, i);
	l = conformance_TestAll_get_float64List(r);
	for (i = 0; i < capnp_list_len(l); i++)
		(void)capnp_elem_u64(l, i);
	l = conformance_TestAll_get_textList(r);
	for (i = 0; i < capnp_list_len(l); i++)
		(void)capnp_ref_text(capnp_elem(l, i));
	l = conformance_TestAll_get_dataList(r);
	for (i = 0; i < capnp_list_len(l); i++)
		(void)capnp_ref_data(capnp_elem(l, i));
	l = conformance_TestAll_get_structList(r);
	for (i = 0; i < capnp_list_len(l); i++)
		read_inner(conformance_Inner_at(l, i));
	l = conformance_TestAll_get_listList(r);
	for (i = 0; i < capnp_list_len(l); i++) {
		struct capnp_list e =
		    capnp_ref_list(capnp_elem(l, i), CAPNP_ESIZE_4);

		if (capnp_list_len(e) > 0)
			(void)capnp_elem_u32(e, capnp_list_len(e) - 1);
	}
	switch (conformance_TestAll_which(r)) {
	case conformance_TestAll_WHICH_str:
		(void)conformance_TestAll_get_str(r);
		break;
	case conformance_TestAll_WHICH_obj:
		read_inner(conformance_TestAll_get_obj(r));
		break;
	default:
		(void)conformance_TestAll_get_num(r);
		break;
	}
	(void)conformance_TestAll_grp_get_y(conformance_TestAll_get_grp(r));
	(void)conformance_TestAll_choice_get_big(
	    conformance_TestAll_get_choice(r));
	(void)conformance_TestAll_get_any(r);
	(void)conformance_TestAll_get_cap(r);
}

static void
read_defaults(struct capnp_msg *m)
{
	conformance_Defaults_reader r = conformance_Defaults_read_root(m);
	struct capnp_list l;
	uint32_t i;

	(void)conformance_Defaults_get_int32Field(r);
	(void)conformance_Defaults_get_textField(r);
	(void)conformance_Defaults_get_dataField(r);
	read_inner(conformance_Defaults_get_structField(r));
	l = conformance_Defaults_get_structList(r);
	for (i = 0; i < capnp_list_len(l); i++)
		read_inner(conformance_Inner_at(l, i));
	l = conformance_Defaults_get_textList(r);
	for (i = 0; i < capnp_list_len(l); i++)
		(void)capnp_ref_text(capnp_elem(l, i));
}

/* Everything one message can be put through. */
static void
exercise(const struct capnp_msg *parsed, uint32_t seg_words)
{
	struct capnp_msg m = *parsed;
	uint64_t digest;

	capnp_msg_set_limits(&m, TRAVERSAL_WORDS, NESTING);
	digest = walk_root(&m);
	if (capnp_msg_error(&m) == CAPNP_OK)
		check_copy(parsed, digest, seg_words);
	m = *parsed;
	capnp_msg_set_limits(&m, TRAVERSAL_WORDS, NESTING);
	read_manifest(&m);
	m = *parsed;
	capnp_msg_set_limits(&m, TRAVERSAL_WORDS, NESTING);
	read_test_all(&m);
	m = *parsed;
	capnp_msg_set_limits(&m, TRAVERSAL_WORDS, NESTING);
	read_defaults(&m);
	/* With a null root everything read is a default: free of charge. */
	m = *parsed;
	if (capnp_ref_is_null(capnp_msg_root_ref(&m))) {
		capnp_msg_set_limits(&m, 1, NESTING);
		read_defaults(&m);
		if (m.budget != 1 || capnp_msg_error(&m) != CAPNP_OK)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct capnp_msg m;
	uint32_t seg_words = size > 0 ? data[size - 1] % 8 : 0;
	size_t used = 0, need = 0;

	if (capnp_msg_init_frame(&m, data, size, &used) == CAPNP_OK) {
		/* Accepted: a root pointer and no more segments than allowed. */
		if (m.nseg == 0 || m.nseg > CAPNP_MAX_SEGMENTS ||
		    m.seg[0].words == 0)
			abort();
		if (used > size ||
		    capnp_frame_need(data, size, &need) != CAPNP_OK ||
		    need != used)
			abort();
		exercise(&m, seg_words);
	}
	if (capnp_msg_init_segment(&m, data, size & ~(size_t)7) == CAPNP_OK)
		exercise(&m, seg_words);
	return 0;
}
