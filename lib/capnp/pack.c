/*
 * The packed encoding (see pack.h).  The packer takes one word at a time
 * and keeps at most one run open: a run of zero words after a 0x00 tag,
 * or a literal run after a 0xff tag, which goes on while the next word
 * has at most one zero byte (from two zero bytes on, a tag is cheaper).
 * Its count byte is written when the run opens and raised as it grows,
 * so the output is produced in one pass with no lookahead.
 */
#include "capnp/pack.h"
#include "capnp/wire.h"

#define RUN_MAX 255

enum run { RUN_NONE, RUN_ZERO, RUN_LITERAL };

struct packer {
	uint8_t *out; /* NULL: only count */
	size_t cap;
	size_t len;    /* bytes produced, including any past cap */
	size_t run_at; /* offset of the open run's count byte */
	enum run run;
	unsigned count;
};

static void
put(struct packer *pk, uint8_t c)
{
	if (pk->out != NULL && pk->len < pk->cap)
		pk->out[pk->len] = c;
	pk->len++;
}

static void
run_grow(struct packer *pk)
{
	pk->count++;
	if (pk->out != NULL && pk->run_at < pk->cap)
		pk->out[pk->run_at] = (uint8_t)pk->count;
}

static void
run_open(struct packer *pk, enum run run)
{
	pk->run = run;
	pk->count = 0;
	pk->run_at = pk->len;
	put(pk, 0);
}

static void
pack_word(struct packer *pk, uint64_t w)
{
	unsigned tag = 0, zeros = 0, i;
	uint8_t b[8];

	capnp_store64(b, w);
	for (i = 0; i < 8; i++) {
		if (b[i] != 0)
			tag |= 1u << i;
		else
			zeros++;
	}
	if (pk->run == RUN_ZERO && w == 0 && pk->count < RUN_MAX) {
		run_grow(pk);
		return;
	}
	if (pk->run == RUN_LITERAL && zeros <= 1 && pk->count < RUN_MAX) {
		run_grow(pk);
		for (i = 0; i < 8; i++)
			put(pk, b[i]);
		return;
	}
	pk->run = RUN_NONE;
	put(pk, (uint8_t)tag);
	for (i = 0; i < 8; i++) {
		if (b[i] != 0)
			put(pk, b[i]);
	}
	if (tag == 0)
		run_open(pk, RUN_ZERO);
	else if (tag == 0xff)
		run_open(pk, RUN_LITERAL);
}

static int
pack_done(const struct packer *pk, size_t *written)
{
	if (written != NULL)
		*written = pk->len;
	if (pk->out != NULL && pk->len > pk->cap)
		return CAPNP_ERR_NOSPACE;
	return CAPNP_OK;
}

int
capnp_pack(const void *in, size_t bytes, void *out, size_t len, size_t *written)
{
	struct packer pk = {out, len, 0, 0, RUN_NONE, 0};
	const uint8_t *p = in;
	size_t i;

	if (bytes % 8 != 0)
		return CAPNP_ERR_RANGE;
	for (i = 0; i < bytes; i += 8)
		pack_word(&pk, capnp_load64(p + i));
	return pack_done(&pk, written);
}

/* u32 number j of the segment table: count - 1, then the sizes. */
static uint32_t
table_u32(const struct capnp_builder *b, uint32_t j)
{
	if (j == 0)
		return b->nseg - 1;
	if (j - 1 < b->nseg)
		return capnp_builder_segment(b, j - 1).words;
	return 0; /* padding to a word */
}

int
capnp_frame_write_packed(const struct capnp_builder *b, void *out, size_t len,
                         size_t *written)
{
	struct packer pk = {out, len, 0, 0, RUN_NONE, 0};
	struct capnp_seg seg;
	uint32_t j, i, k;

	if (b->err != CAPNP_OK)
		return b->err;
	if (b->nseg == 0)
		return CAPNP_ERR_RANGE;
	for (j = 0; j < b->nseg + 1; j += 2)
		pack_word(&pk, table_u32(b, j) | (uint64_t)table_u32(b, j + 1)
		                                     << 32);
	for (i = 0; i < b->nseg; i++) {
		seg = capnp_builder_segment(b, i);
		for (k = 0; k < seg.words; k++)
			pack_word(&pk, capnp_load64(seg.base + (size_t)k * 8));
	}
	return pack_done(&pk, written);
}

/* Appends n bytes (or zeros, for src NULL) within cap. */
static bool
emit(uint8_t *out, size_t cap, size_t *at, const uint8_t *src, size_t n)
{
	if (out != NULL) {
		if (cap - *at < n)
			return false;
		if (src != NULL)
			memcpy(out + *at, src, n);
		else
			memset(out + *at, 0, n);
	}
	*at += n;
	return true;
}

int
capnp_unpack(const void *in, size_t len, void *out, size_t cap, size_t *written)
{
	const uint8_t *p = in;
	size_t i = 0, at = 0, n;
	uint8_t word[8];
	unsigned tag, k;
	int err = CAPNP_OK;

	while (i < len && err == CAPNP_OK) {
		tag = p[i++];
		for (k = 0; k < 8; k++) {
			word[k] = 0;
			if ((tag >> k & 1) == 0)
				continue;
			if (i == len)
				break;
			word[k] = p[i++];
		}
		if (k < 8) {
			err = CAPNP_ERR_PACKED;
			break;
		}
		if (!emit(out, cap, &at, word, 8)) {
			err = CAPNP_ERR_NOSPACE;
			break;
		}
		if (tag != 0 && tag != 0xff)
			continue;
		if (i == len) {
			err = CAPNP_ERR_PACKED;
			break;
		}
		n = (size_t)p[i++] * 8;
		if (tag == 0xff && len - i < n)
			err = CAPNP_ERR_PACKED;
		else if (!emit(out, cap, &at, tag == 0 ? NULL : p + i, n))
			err = CAPNP_ERR_NOSPACE;
		else if (tag == 0xff)
			i += n;
	}
	if (written != NULL)
		*written = at;
	return err;
}

int
capnp_msg_init_packed(struct capnp_msg *m, const void *in, size_t len,
                      void *buf, size_t cap)
{
	size_t n, used = 0;
	int err;

	err = capnp_unpack(in, len, buf, cap, &n);
	if (err == CAPNP_OK)
		err = capnp_msg_init_frame(m, buf, n, &used);
	if (err == CAPNP_OK && used != n)
		err = CAPNP_ERR_FRAME;
	if (err != CAPNP_OK) {
		capnp_msg_reset(m);
		capnp_msg_set_limits(m, 0, 0);
		m->err = err;
	}
	return err;
}
