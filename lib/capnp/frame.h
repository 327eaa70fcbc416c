/*
 * The standard stream framing: a little-endian u32 segment count minus
 * one, a u32 size in words per segment, padding to a word, then the
 * segments in order.
 */
#ifndef CAPNP_FRAME_H
#define CAPNP_FRAME_H

#include "capnp/build.h"

/*
 * How many bytes the framed message at the start of buf needs in total,
 * judging from the len bytes available: when *need > len, read more and
 * ask again.  Fails only on a segment count over CAPNP_MAX_SEGMENTS.
 */
int capnp_frame_need(const void *buf, size_t len, size_t *need);

/* Bytes capnp_frame_write() produces for the builder's message. */
size_t capnp_frame_size(const struct capnp_builder *b);

/*
 * Writes the framed message to out; fails with the builder's error, or
 * CAPNP_ERR_NOSPACE when len is too small (nothing is written then).
 */
int capnp_frame_write(const struct capnp_builder *b, void *out, size_t len,
                      size_t *written);

#endif
