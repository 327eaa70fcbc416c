/*
 * Stream framing: parsing the segment table of a received message and
 * writing one for a built message.  Sizes are checked against the bytes
 * actually present before any segment is trusted.
 */
#include "capnp/frame.h"

static uint32_t
load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static size_t
header_bytes(uint32_t nseg)
{
	return (4 + 4 * (size_t)nseg + 7) & ~(size_t)7;
}

int
capnp_frame_need(const void *buf, size_t len, size_t *need)
{
	const uint8_t *b = buf;
	uint32_t nseg, i;
	size_t hdr, total;

	if (len < 4) {
		*need = 8;
		return CAPNP_OK;
	}
	if (load32(b) >= CAPNP_MAX_SEGMENTS)
		return CAPNP_ERR_SEGMENTS;
	nseg = load32(b) + 1;
	hdr = header_bytes(nseg);
	if (len < hdr) {
		*need = hdr;
		return CAPNP_OK;
	}
	total = hdr;
	for (i = 0; i < nseg; i++)
		total += (size_t)load32(b + 4 + 4 * i) * 8;
	*need = total;
	return CAPNP_OK;
}

static int
frame_fail(struct capnp_msg *m, int err)
{
	capnp_msg_reset(m);
	m->err = err;
	m->budget = 0;
	m->nesting = 0;
	return err;
}

/*
 * The segment table is not copied: the first CAPNP_INLINE_SEGMENTS
 * segments go into the message, later ones are found from the sizes in
 * the frame (see struct capnp_msg), which must therefore stay unchanged
 * like the segments themselves.
 */
int
capnp_msg_init_frame(struct capnp_msg *m, const void *buf, size_t len,
                     size_t *used)
{
	const uint8_t *b = buf;
	uint32_t nseg, words, i;
	size_t hdr, off;

	if (len < 8)
		return frame_fail(m, CAPNP_ERR_FRAME);
	if (load32(b) >= CAPNP_MAX_SEGMENTS)
		return frame_fail(m, CAPNP_ERR_SEGMENTS);
	nseg = load32(b) + 1;
	hdr = header_bytes(nseg);
	if (len < hdr)
		return frame_fail(m, CAPNP_ERR_FRAME);
	capnp_msg_reset(m);
	off = hdr;
	for (i = 0; i < nseg; i++) {
		words = load32(b + 4 + 4 * i);
		if (words > (len - off) / 8)
			return frame_fail(m, CAPNP_ERR_FRAME);
		if (i < CAPNP_INLINE_SEGMENTS) {
			m->seg[i].base = b + off;
			m->seg[i].words = words;
		}
		if (i % CAPNP_INLINE_SEGMENTS == 0)
			m->mark[i / CAPNP_INLINE_SEGMENTS] = (off - hdr) / 8;
		off += (size_t)words * 8;
	}
	/* Checked after the sizes, so that a truncated frame stays FRAME. */
	if (m->seg[0].words == 0)
		return frame_fail(m, CAPNP_ERR_ROOT);
	m->sizes = b + 4;
	m->body = b + hdr;
	m->nseg = nseg;
	if (used != NULL)
		*used = off;
	return CAPNP_OK;
}

size_t
capnp_frame_size(const struct capnp_builder *b)
{
	return header_bytes(b->nseg) + capnp_builder_words(b) * 8;
}

int
capnp_frame_write(const struct capnp_builder *b, void *out, size_t len,
                  size_t *written)
{
	uint8_t *o = out;
	size_t off;
	uint32_t i, v;

	if (b->err != CAPNP_OK)
		return b->err;
	if (b->nseg == 0)
		return CAPNP_ERR_RANGE;
	if (len < capnp_frame_size(b))
		return CAPNP_ERR_NOSPACE;
	off = header_bytes(b->nseg);
	memset(o, 0, off);
	v = b->nseg - 1;
	memcpy(o, &v, 4);
	for (i = 0; i < b->nseg; i++) {
		struct capnp_seg seg = capnp_builder_segment(b, i);

		v = seg.words;
		memcpy(o + 4 + 4 * i, &v, 4);
		memcpy(o + off, seg.base, (size_t)v * 8);
		off += (size_t)v * 8;
	}
	if (written != NULL)
		*written = off;
	return CAPNP_OK;
}
