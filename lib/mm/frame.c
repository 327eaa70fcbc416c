/*
 * Frame bitmap.  Allocation scans 64 frames per word from a rotating hint,
 * so a run of frees and allocations does not rescan the full bitmap.
 */
#include "mm/frame.h"

#include "base/mem.h"

void
frame_init(struct frame_alloc *fa, uint64_t *bits, uint64_t nframes)
{
	memset(fa, 0, sizeof(*fa));
	fa->bits = bits;
	fa->nframes = nframes;
	memset(bits, 0xff, frame_bitmap_words(nframes) * sizeof(uint64_t));
}

/* Set bits in w (no popcount instruction is assumed: the kernel is built
 * for any x86_64, and the library call would be libgcc's). */
static unsigned
bits_set(uint64_t w)
{
	w = w - ((w >> 1) & 0x5555555555555555ull);
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((w * 0x0101010101010101ull) >> 56);
}

/* Marks frames [first, end) used or free a bitmap word at a time (boot
 * marks the whole memory map: tens of thousands of frames), counting
 * only the frames whose state changes. */
static void
mark_range(struct frame_alloc *fa, uint64_t first, uint64_t end, bool used)
{
	while (first < end) {
		uint64_t *w = &fa->bits[first >> 6];
		unsigned lo = first & 63;
		uint64_t n = end - first < 64 - lo ? end - first : 64 - lo;
		uint64_t mask = (n == 64 ? ~0ull : (1ull << n) - 1) << lo;

		if (used) {
			fa->free_count -= bits_set(~*w & mask);
			*w |= mask;
		} else {
			fa->free_count += bits_set(*w & mask);
			*w &= ~mask;
		}
		first += n;
	}
}

void
frame_mark_free(struct frame_alloc *fa, uint64_t base, uint64_t len)
{
	uint64_t first, end;

	if (len == 0 || base + len < base)
		return;
	first = (base + FRAME_SIZE - 1) >> FRAME_SHIFT;
	end = (base + len) >> FRAME_SHIFT;
	if (base + FRAME_SIZE - 1 < base) /* base in the last frame of 2^64 */
		return;
	if (end > fa->nframes)
		end = fa->nframes;
	mark_range(fa, first, end, false);
}

void
frame_mark_used(struct frame_alloc *fa, uint64_t base, uint64_t len)
{
	uint64_t first, end, last;

	if (len == 0)
		return;
	last = base + len - 1;
	if (last < base)
		last = UINT64_MAX;
	first = base >> FRAME_SHIFT;
	end = (last >> FRAME_SHIFT) + 1;
	if (end > fa->nframes || end == 0)
		end = fa->nframes;
	mark_range(fa, first, end, true);
}

int
frame_alloc_one(struct frame_alloc *fa, enum frame_kind kind, uint64_t *pfn)
{
	uint64_t words = frame_bitmap_words(fa->nframes);
	uint64_t i, w;

	if ((unsigned)kind >= FRAME_KIND_COUNT)
		return FRAME_E_KIND;
	if (fa->free_count == 0)
		return FRAME_E_NOMEM;
	for (i = 0; i < words; i++) {
		uint64_t idx = (fa->hint + i) % words;
		uint64_t p;

		w = fa->bits[idx];
		if (w == UINT64_MAX)
			continue;
		p = idx * 64 + (uint64_t)__builtin_ctzll(~w);
		if (p >= fa->nframes)
			continue;
		fa->bits[idx] |= 1ull << (p & 63);
		fa->free_count--;
		fa->ledger[kind]++;
		fa->hint = idx;
		*pfn = p;
		return FRAME_OK;
	}
	return FRAME_E_NOMEM;
}

int
frame_free_one(struct frame_alloc *fa, enum frame_kind kind, uint64_t pfn)
{
	uint64_t bit;

	if ((unsigned)kind >= FRAME_KIND_COUNT)
		return FRAME_E_KIND;
	if (pfn >= fa->nframes)
		return FRAME_E_RANGE;
	bit = 1ull << (pfn & 63);
	if (!(fa->bits[pfn >> 6] & bit))
		return FRAME_E_DOUBLE_FREE;
	if (fa->ledger[kind] == 0)
		return FRAME_E_LEDGER;
	fa->bits[pfn >> 6] &= ~bit;
	fa->free_count++;
	fa->ledger[kind]--;
	return FRAME_OK;
}

bool
frame_is_used(const struct frame_alloc *fa, uint64_t pfn)
{
	if (pfn >= fa->nframes)
		return true;
	return (fa->bits[pfn >> 6] >> (pfn & 63)) & 1;
}

uint64_t
frame_outstanding(const struct frame_alloc *fa)
{
	uint64_t sum = 0;
	int k;

	for (k = 0; k < FRAME_KIND_COUNT; k++)
		sum += fa->ledger[k];
	return sum;
}

const char *
frame_kind_name(enum frame_kind kind)
{
	switch (kind) {
	case FRAME_KERNEL:
		return "kernel";
	case FRAME_KSTACK:
		return "kernel stacks";
	case FRAME_PAGETABLE:
		return "page tables";
	case FRAME_USER:
		return "user";
	case FRAME_TEST:
		return "self-test";
	default:
		return "unknown";
	}
}

const char *
frame_strerror(int err)
{
	switch (err) {
	case FRAME_OK:
		return "ok";
	case FRAME_E_NOMEM:
		return "out of physical memory";
	case FRAME_E_RANGE:
		return "frame number out of range";
	case FRAME_E_DOUBLE_FREE:
		return "frame freed twice";
	case FRAME_E_LEDGER:
		return "ledger underflow: frame freed under the wrong kind";
	case FRAME_E_KIND:
		return "bad frame kind";
	}
	return "unknown error";
}
