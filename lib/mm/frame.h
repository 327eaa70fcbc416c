/*
 * Physical frame allocator: one bit per 4 KiB frame (1 = in use), plus a
 * ledger that counts the frames each kind of owner holds, so a leak shows
 * up as a count that does not return to its baseline.
 *
 * Pure logic: the caller provides the bitmap storage and decides which
 * ranges are usable; the kernel builds it from the boot memory map.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_SIZE  4096u
#define FRAME_SHIFT 12

/* Who holds a frame; the ledger counts each kind separately. */
enum frame_kind {
	FRAME_KERNEL,    /* kernel heap arena, boot structures */
	FRAME_KSTACK,    /* kernel stacks of threads */
	FRAME_PAGETABLE, /* page-table pages */
	FRAME_USER,      /* memory mapped into a user address space */
	FRAME_TEST,      /* frames taken by self-tests */
	FRAME_KIND_COUNT,
};

enum frame_error {
	FRAME_OK = 0,
	FRAME_E_NOMEM = -1,       /* no free frame */
	FRAME_E_RANGE = -2,       /* frame number outside the allocator */
	FRAME_E_DOUBLE_FREE = -3, /* frame was already free */
	FRAME_E_LEDGER = -4,      /* kind holds no frames: wrong kind freed */
	FRAME_E_KIND = -5,        /* kind out of range */
};

struct frame_alloc {
	uint64_t *bits;
	uint64_t nframes;
	uint64_t free_count;
	uint64_t hint; /* word index where the next search starts */
	uint64_t ledger[FRAME_KIND_COUNT];
};

/* Number of uint64_t words of bitmap storage for nframes frames. */
static inline uint64_t
frame_bitmap_words(uint64_t nframes)
{
	return (nframes + 63) / 64;
}

/* Starts with every frame in use; usable ranges are then released. */
void frame_init(struct frame_alloc *fa, uint64_t *bits, uint64_t nframes);

/* Marks the frames entirely inside [base, base + len) free. */
void frame_mark_free(struct frame_alloc *fa, uint64_t base, uint64_t len);

/* Marks every frame touching [base, base + len) in use (not in a ledger). */
void frame_mark_used(struct frame_alloc *fa, uint64_t base, uint64_t len);

int frame_alloc_one(struct frame_alloc *fa, enum frame_kind kind,
                    uint64_t *pfn);
int frame_free_one(struct frame_alloc *fa, enum frame_kind kind, uint64_t pfn);
bool frame_is_used(const struct frame_alloc *fa, uint64_t pfn);

/* Frames currently held by all ledger kinds together. */
uint64_t frame_outstanding(const struct frame_alloc *fa);

const char *frame_kind_name(enum frame_kind kind);
const char *frame_strerror(int err);

#endif
