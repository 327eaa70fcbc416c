/*
 * The packed encoding: a stream of words where each word is written as a
 * tag byte (bit i set: byte i of the word is non-zero) followed by its
 * non-zero bytes.  Two tags carry a count byte after them:
 *
 *   0x00  N      the zero word and N more zero words
 *   0xff  8 bytes  N  then N words copied as they are
 *
 * A packed message is the packing of a whole framed message (segment
 * table included).  Packing and unpacking never write past the caller's
 * output; unpacking refuses truncated input.
 */
#ifndef CAPNP_PACK_H
#define CAPNP_PACK_H

#include "capnp/build.h"

/*
 * Most bytes packing `words` words produces: a word of eight non-zero
 * bytes that opens a literal run costs ten (tag, bytes, count).
 */
#define CAPNP_PACKED_MAX_BYTES(words) ((size_t)(words)*10)

/*
 * Packs bytes (a multiple of 8) from in to out.  *written gets the
 * packed size, also when out is too small (CAPNP_ERR_NOSPACE: out holds
 * a prefix) or NULL (only measures).  CAPNP_ERR_RANGE when bytes is not
 * whole words.
 */
int capnp_pack(const void *in, size_t bytes, void *out, size_t len,
               size_t *written);

/*
 * Unpacks all of in.  *written gets the unpacked size in bytes (whole
 * words); with out NULL it only measures.  CAPNP_ERR_PACKED when in ends
 * inside a word, before a count byte or inside a literal run;
 * CAPNP_ERR_NOSPACE when the words do not fit in cap bytes (*written is
 * then what was unpacked; nothing is written past cap).
 */
int capnp_unpack(const void *in, size_t len, void *out, size_t cap,
                 size_t *written);

/*
 * The builder's message framed and packed, as `capnp convert
 * binary:packed` reads it.  Fails like capnp_frame_write(); with out NULL
 * it only sets *written to the packed size.
 */
int capnp_frame_write_packed(const struct capnp_builder *b, void *out,
                             size_t len, size_t *written);

/*
 * Reads one packed framed message: unpacks in into buf (cap bytes, which
 * must outlive the message) and parses the frame, which must fill it
 * exactly.  Errors as capnp_unpack() and capnp_msg_init_frame().
 */
int capnp_msg_init_packed(struct capnp_msg *m, const void *in, size_t len,
                          void *buf, size_t cap);

#endif
