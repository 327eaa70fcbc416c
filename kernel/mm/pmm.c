/*
 * Builds the frame allocator from the Multiboot2 memory map.  Order
 * matters: everything starts in use, available ranges are released, and
 * then everything that must never be handed out is reserved again — the
 * first megabyte (frame 0, BIOS data, future AP start-up code), the kernel
 * image, the bitmap itself, the boot information, the boot modules, and
 * any range a firmware map lists as both available and reserved.
 */
#include "core/kernel.h"
#include "arch/x86_64/layout.h"
#include "mm/pmm.h"

#define LOW_MEMORY_END 0x100000ull
#define EARLY_MAP_END  (4ull << 30) /* what boot.S maps */

extern char __boot_start[], __kernel_end[];

static struct frame_alloc frames;
static uint64_t phys_end;
static bool ap_page_ok;

struct range {
	uint64_t start, end;
};

static bool
overlaps(uint64_t s, uint64_t e, const struct range *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s < r[i].end && r[i].start < e)
			return true;
	return false;
}

/* First page-aligned spot of len bytes in available memory avoiding r. */
static uint64_t
find_bitmap_home(const struct mb2_info *mb, uint64_t len, const struct range *r,
                 int n)
{
	uint32_t i;

	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);
		uint64_t s, end;

		if (e.type != MB2_MEM_AVAILABLE || e.base + e.len < e.base)
			continue;
		end = MIN(e.base + e.len, EARLY_MAP_END);
		s = ALIGN_UP(MAX(e.base, LOW_MEMORY_END), FRAME_SIZE);
		while (s + len <= end) {
			if (!overlaps(s, s + len, r, n))
				return s;
			s += FRAME_SIZE;
		}
	}
	return 0;
}

/*
 * The application processors' start-up page (AP_TRAMPOLINE_PHYS, in the
 * first megabyte, which is never handed out) may be used only if the map
 * says it is RAM and nothing the loader left (boot information, modules)
 * is on it.
 */
static bool
ap_page_free(const struct mb2_info *mb, const struct range *r, int n)
{
	uint64_t s = AP_TRAMPOLINE_PHYS, e = s + AP_TRAMPOLINE_SIZE;
	bool in_ram = false;
	uint32_t i;

	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry m = mb2_mmap_get(mb, i);

		if (m.type == MB2_MEM_AVAILABLE && m.base <= s &&
		    e <= m.base + m.len)
			in_ram = true;
		else if (m.type != MB2_MEM_AVAILABLE && s < m.base + m.len &&
		         m.base < e)
			return false;
	}
	return in_ram && !overlaps(s, e, r, n);
}

bool
pmm_ap_page_usable(void)
{
	return ap_page_ok;
}

void
pmm_init(const struct mb2_info *mb, uint64_t info_phys)
{
	struct range reserved[MB2_MAX_MODULES + 3];
	uint64_t usable = 0, nframes, bitmap_bytes, bitmap_pa;
	int nres = 0;
	uint32_t i;

	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);

		if (e.type != MB2_MEM_AVAILABLE || e.len == 0)
			continue;
		if (e.base + e.len < e.base)
			panic("memory map unusable: entry %u wraps around "
			      "(base %#lx, length %#lx)",
			      i, (unsigned long)e.base, (unsigned long)e.len);
		phys_end = MAX(phys_end, e.base + e.len);
		if (e.base + e.len > LOW_MEMORY_END)
			usable += e.base + e.len - MAX(e.base, LOW_MEMORY_END);
	}
	if (usable < PMM_MIN_FREE_BYTES)
		panic("memory map unusable: %lu KiB available above 1 MiB, "
		      "capOS needs at least %llu KiB",
		      (unsigned long)(usable >> 10), PMM_MIN_FREE_BYTES >> 10);

	/* The boot section is linked at its physical address. */
	reserved[nres++] = (struct range){(uint64_t)(uintptr_t)__boot_start,
	                                  kimage_to_phys(__kernel_end)};
	reserved[nres++] =
	    (struct range){info_phys, info_phys + mb->total_size};
	for (i = 0; i < mb->module_count; i++)
		reserved[nres++] =
		    (struct range){mb->modules[i].start, mb->modules[i].end};

	nframes = phys_end >> FRAME_SHIFT;
	bitmap_bytes = ALIGN_UP(frame_bitmap_words(nframes) * 8, FRAME_SIZE);
	bitmap_pa = find_bitmap_home(mb, bitmap_bytes, reserved, nres);
	if (!bitmap_pa)
		panic("memory map unusable: no room for the %lu KiB frame "
		      "bitmap below 4 GiB",
		      (unsigned long)(bitmap_bytes >> 10));
	reserved[nres++] = (struct range){bitmap_pa, bitmap_pa + bitmap_bytes};

	frame_init(&frames, phys_to_virt(bitmap_pa), nframes);
	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);

		if (e.type == MB2_MEM_AVAILABLE)
			frame_mark_free(&frames, e.base, e.len);
	}
	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);

		if (e.type != MB2_MEM_AVAILABLE)
			frame_mark_used(&frames, e.base, e.len);
	}
	frame_mark_used(&frames, 0, LOW_MEMORY_END);
	ap_page_ok = ap_page_free(mb, reserved, nres);
	for (i = 0; i < (uint32_t)nres; i++)
		frame_mark_used(&frames, reserved[i].start,
		                reserved[i].end - reserved[i].start);
	if (frames.free_count * FRAME_SIZE < PMM_MIN_FREE_BYTES)
		panic("memory map unusable: only %lu free frames after "
		      "reservations",
		      (unsigned long)frames.free_count);
}

/* Every new frame is zeroed: one string store of 512 words. */
static inline void
zero_frame(void *p)
{
	uint64_t n = FRAME_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(0ull) : "memory");
}

enum kerr
pmm_alloc(enum frame_kind kind, uint64_t *pa)
{
	uint64_t pfn;

	/* The allocator's finer codes (lib/mm/frame.h) all mean the same
	 * here: no frame of that kind can be had. */
	if (frame_alloc_one(&frames, kind, &pfn))
		return KERR_NOMEM;
	*pa = pfn << FRAME_SHIFT;
	zero_frame(phys_to_virt(*pa));
	return KERR_OK;
}

void
pmm_free(enum frame_kind kind, uint64_t pa)
{
	int err;

	if (pa & (FRAME_SIZE - 1))
		panic("pmm_free: unaligned frame address %#lx",
		      (unsigned long)pa);
	err = frame_free_one(&frames, kind, pa >> FRAME_SHIFT);
	if (err)
		panic("pmm_free(%s, %#lx): %s", frame_kind_name(kind),
		      (unsigned long)pa, frame_strerror(err));
}

uint64_t
pmm_free_frames(void)
{
	return frames.free_count;
}

uint64_t
pmm_total_frames(void)
{
	return frames.nframes;
}

uint64_t
pmm_outstanding(enum frame_kind kind)
{
	return frames.ledger[kind];
}

uint64_t
pmm_phys_end(void)
{
	return phys_end;
}

void
pmm_print_summary(void)
{
	int k;

	kprintf("frames: %lu free, %lu in use, of %lu (%lu MiB free)\n",
	        (unsigned long)frames.free_count,
	        (unsigned long)(frames.nframes - frames.free_count),
	        (unsigned long)frames.nframes,
	        (unsigned long)(frames.free_count >> (20 - FRAME_SHIFT)));
	kprintf("frame ledger:");
	for (k = 0; k < FRAME_KIND_COUNT; k++)
		kprintf(" %s %lu%s", frame_kind_name(k),
		        (unsigned long)frames.ledger[k],
		        k + 1 < FRAME_KIND_COUNT ? "," : "");
	kprintf("\n");
}
