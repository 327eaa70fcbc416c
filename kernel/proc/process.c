/*
 * Process creation and teardown.  process_spawn builds everything before
 * the process can run and undoes everything on any failure; teardown runs
 * when the last thread is gone and returns every frame (the frame ledger
 * shows it).
 */
#include "core/kernel.h"
#include "core/log.h"
#include "fmt/fmt.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "ipc/endpoint.h"
#include "ipc/ring.h"
#include "ipc/session.h"
#include "ipc/transfer.h"
#include "kobj/kobject.h"
#include "elf/elf.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/vmspace.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/spawntrace.h"

#include <capos/capset.h>
#include <capos/layout.h>
#include <capos/version.h>

#include "capos.capnp.h"

struct process_list all_processes = TAILQ_HEAD_INITIALIZER(all_processes);
static uint64_t next_pid = 1;

uint64_t
process_root(const struct process *p)
{
	return p->as.root;
}

static unsigned
elf_vm_flags(uint32_t seg_flags)
{
	unsigned f = 0;

	if (seg_flags & ELF_SEG_W)
		f |= VM_WRITE;
	if (seg_flags & ELF_SEG_X)
		f |= VM_EXEC;
	return f;
}

static enum kerr
load_segments(struct process *p, const uint8_t *image, size_t size,
              const struct elf_image *img)
{
	/* Boot modules live in the direct map; other images are copied.  A
	 * module that does not start on a page boundary is copied too: its
	 * first page would show the bytes of whatever lies before it. */
	uint64_t image_pa = (uint64_t)(uintptr_t)image >= PHYS_MAP_BASE &&
	                            (uint64_t)(uintptr_t)image < KHEAP_BASE
	                        ? virt_to_phys_direct(image)
	                        : 0;

	if (image_pa & (PAGE_SIZE - 1))
		image_pa = 0;
	uint32_t i;

	for (i = 0; i < img->nload; i++) {
		const struct elf_segment *s = &img->load[i];
		uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uint64_t file_end = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);
		uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		int err;

		/* A read-only segment without bss whose file offset lines up
		 * with its address is mapped straight from the boot module:
		 * every process of this binary shares those frames (boot
		 * modules are never freed).  Its first and last page may
		 * show neighbouring bytes of the same file, read-only. */
		if (!(s->flags & ELF_SEG_W) && s->filesz == s->memsz &&
		    image_pa &&
		    ((image_pa + s->offset) & (PAGE_SIZE - 1)) ==
		        (s->vaddr & (PAGE_SIZE - 1)) &&
		    /* Whole pages of this file only: never memory past it. */
		    s->offset - (s->vaddr - start) + (end - start) <= size) {
			err = aspace_map_shared(
			    &p->as, uaddr(start),
			    image_pa + s->offset - (s->vaddr - start),
			    (end - start) / PAGE_SIZE, elf_vm_flags(s->flags));
			if (err)
				return KERR_NOMEM;
			continue;
		}
		/* Pages with file bytes are mapped and filled now (fresh
		 * frames are zero, which covers a partial bss page); pages of
		 * pure bss are demand-zero. */
		if (file_end > start) {
			err = aspace_map_anon(&p->as, uaddr(start),
			                      (file_end - start) / PAGE_SIZE,
			                      elf_vm_flags(s->flags));
			/* The frame limit stays what it is (the spawner says
			 * so); any other failure is memory. */
			if (err)
				return err == KERR_QUOTA ? KERR_QUOTA
				                         : KERR_NOMEM;
			if (aspace_fill(&p->as, uaddr(s->vaddr),
			                image + s->offset, s->filesz))
				return KERR_NOMEM;
		}
		if (end > file_end &&
		    aspace_reserve_lazy(&p->as, uaddr(MAX(file_end, start)),
		                        (end - MAX(file_end, start)) /
		                            PAGE_SIZE,
		                        elf_vm_flags(s->flags)))
			return KERR_NOMEM;
	}
	return KERR_OK;
}

/*
 * x86_64 TLS, variant II: the block (template data, then zeroed bss) sits
 * right below the thread control block, whose first word points at
 * itself; FS holds the TCB's address.
 */
static enum kerr
load_tls(struct process *p, const uint8_t *image, const struct elf_image *img,
         uint64_t *fs_base)
{
	const struct elf_segment *t = &img->tls;
	uint64_t align = t->align ? t->align : 1;
	uint64_t size, block, tcb, npages;

	*fs_base = 0;
	if (!img->has_tls)
		return KERR_OK;
	if (t->memsz > CAPOS_USER_TLS_MAX || align > PAGE_SIZE)
		return KERR_BAD_ELF;
	/* The linker placed each variable at offset - size from the TCB,
	 * with size rounded to the segment's own alignment. */
	size = ALIGN_UP(t->memsz, align);
	tcb = ALIGN_UP(CAPOS_USER_TLS_BASE + size, MAX(align, 16));
	block = tcb - size;
	npages =
	    ALIGN_UP(tcb + 16 - CAPOS_USER_TLS_BASE, PAGE_SIZE) / PAGE_SIZE;
	if (aspace_map_anon(&p->as, uaddr(CAPOS_USER_TLS_BASE), npages,
	                    VM_WRITE))
		return KERR_NOMEM;
	if (aspace_fill(&p->as, uaddr(block), image + t->offset, t->filesz) ||
	    aspace_fill(&p->as, uaddr(tcb), &tcb, sizeof(tcb)))
		return KERR_NOMEM;
	*fs_base = tcb;
	return KERR_OK;
}

static void
capset_init(struct process *p)
{
	struct capos_capset_page *cs = phys_to_virt(p->capset_pa);

	cs->hdr.magic = CAPOS_CAPSET_MAGIC;
	cs->hdr.abi_major = CAPOS_ABI_MAJOR;
	cs->hdr.abi_minor = CAPOS_ABI_MINOR;
	cs->hdr.entry_size = CAPOS_CAPSET_ENTRY_SIZE;
	cs->hdr.entries_offset = CAPOS_CAPSET_ENTRIES_OFFSET;
}

enum kerr
process_capset_add(struct process *p, const char *name, capos_capid_t id,
                   uint64_t interface_id)
{
	struct capos_capset_page *cs = phys_to_virt(p->capset_pa);
	struct capos_capset_entry *e;

	if (cs->hdr.count >= CAPOS_CAPSET_MAX_ENTRIES ||
	    strnlen(name, CAPOS_CAPSET_NAME_SIZE) > CAPOS_CAPSET_NAME_MAX ||
	    name[0] == '\0')
		return KERR_BAD_ARG;
	e = &cs->entries[cs->hdr.count];
	str_copy(e->name, name, sizeof(e->name));
	e->cap = id;
	e->interface_id = interface_id;
	cs->hdr.count++;
	return KERR_OK;
}

static enum kerr
install_grants(struct process *p, const struct grant *grants, unsigned n)
{
	unsigned i;

	if (n > CAPOS_CAPSET_MAX_ENTRIES)
		return KERR_BAD_ARG;
	for (i = 0; i < n; i++) {
		capos_capid_t id;

		if (strnlen(grants[i].name, CAPOS_CAPSET_NAME_SIZE) >
		    CAPOS_CAPSET_NAME_MAX)
			return KERR_BAD_ARG;
		kobject_get(grants[i].obj);
		if (cap_install_new(p, grants[i].obj, CAP_ORIGIN_SPAWN_GRANT,
		                    &id)) {
			kobject_put(grants[i].obj);
			return KERR_BAD_ARG;
		}
		if (process_capset_add(p, grants[i].name, id,
		                       grants[i].obj->interface_id))
			return KERR_BAD_ARG;
	}
	return KERR_OK;
}

/* Every process holds its ThreadControl, the last entry of its CapSet. */
static enum kerr
install_thread_control(struct process *p)
{
	struct kobject *obj = thread_control_object();
	capos_capid_t id;

	kobject_get(obj);
	if (cap_install_new(p, obj, CAP_ORIGIN_KERNEL, &id)) {
		kobject_put(obj);
		return KERR_QUOTA;
	}
	return process_capset_add(p, PROC_THREAD_CONTROL_NAME, id,
	                          obj->interface_id);
}

void
proc_limits_resolve(struct proc_limits *out, const struct proc_limits *o)
{
	out->cap_slots = PROC_DEFAULT_CAP_SLOTS;
	out->outstanding_calls = PROC_DEFAULT_OUTSTANDING;
	out->endpoint_queue = PROC_DEFAULT_ENDPOINT_QUEUE;
	out->frames = PROC_DEFAULT_FRAMES;
	out->threads = PROC_DEFAULT_THREADS;
	out->virtual_pages = PROC_DEFAULT_VIRTUAL_PAGES;
	if (!o)
		return;
	if (o->cap_slots)
		out->cap_slots = o->cap_slots;
	if (o->outstanding_calls)
		out->outstanding_calls = o->outstanding_calls;
	if (o->endpoint_queue)
		out->endpoint_queue = o->endpoint_queue;
	if (o->frames)
		out->frames = o->frames;
	if (o->threads)
		out->threads = MIN(o->threads, PROC_THREADS_MAX);
	if (o->virtual_pages)
		out->virtual_pages = o->virtual_pages;
}

void
proc_limits_root(struct proc_limits *out, const struct proc_limits *o)
{
	uint64_t free = pmm_free_frames();

	out->cap_slots = PROC_ROOT_CAP_SLOTS;
	out->outstanding_calls = PROC_ROOT_OUTSTANDING;
	out->endpoint_queue = PROC_ROOT_ENDPOINT_QUEUE;
	out->threads = PROC_ROOT_THREADS;
	out->virtual_pages = PROC_ROOT_VIRTUAL_PAGES;
	free -= free / PROC_ROOT_KERNEL_RESERVE;
	out->frames = free > UINT32_MAX ? UINT32_MAX : (uint32_t)free;
	if (!o)
		return;
	if (o->cap_slots)
		out->cap_slots = MIN(o->cap_slots, out->cap_slots);
	if (o->outstanding_calls)
		out->outstanding_calls =
		    MIN(o->outstanding_calls, out->outstanding_calls);
	if (o->endpoint_queue)
		out->endpoint_queue =
		    MIN(o->endpoint_queue, out->endpoint_queue);
	if (o->frames)
		out->frames = MIN(o->frames, out->frames);
	if (o->threads)
		out->threads = MIN(o->threads, out->threads);
	if (o->virtual_pages)
		out->virtual_pages = MIN(o->virtual_pages, out->virtual_pages);
}

/* One field of a child's limits: asked (nonzero) must fit in left; the
 * default takes at most `share` of it. */
static enum kerr
child_field(uint32_t asked, uint32_t dflt, uint64_t left, uint64_t share,
            uint32_t *out)
{
	if (asked) {
		if (asked > left)
			return KERR_QUOTA;
		*out = asked;
		return KERR_OK;
	}
	*out = dflt < share ? dflt : (uint32_t)share;
	return KERR_OK;
}

static uint64_t
left_of(uint64_t budget, uint64_t carved, uint64_t used)
{
	return budget > carved + used ? budget - carved - used : 0;
}

enum kerr
process_child_limits(const struct process *parent,
                     const struct proc_limits *asked,
                     const struct proc_limits *defaults,
                     struct proc_limits *out)
{
	const struct proc_limits *b = &parent->limits, *g = &parent->granted;
	uint64_t frames =
	    left_of(b->frames, g->frames, aspace_frames_used(&parent->as));
	uint64_t slots =
	    left_of(b->cap_slots, g->cap_slots, cap_count(&parent->caps));

	/* A default budget takes at most half of what is left, so children
	 * started with defaults never starve their parent. */
	if (child_field(asked->frames, defaults->frames, frames, frames / 2,
	                &out->frames) ||
	    child_field(asked->cap_slots, defaults->cap_slots, slots, slots / 2,
	                &out->cap_slots) ||
	    child_field(asked->outstanding_calls, defaults->outstanding_calls,
	                b->outstanding_calls, b->outstanding_calls,
	                &out->outstanding_calls) ||
	    child_field(asked->endpoint_queue, defaults->endpoint_queue,
	                b->endpoint_queue, b->endpoint_queue,
	                &out->endpoint_queue) ||
	    child_field(asked->threads, defaults->threads, b->threads,
	                b->threads, &out->threads) ||
	    child_field(asked->virtual_pages, defaults->virtual_pages,
	                b->virtual_pages, b->virtual_pages,
	                &out->virtual_pages))
		return KERR_QUOTA;
	return KERR_OK;
}

/* Moves child's carve from its parent to parent (NULL: none). */
static void
carve(struct process *child, struct process *parent)
{
	struct process *old = child->parent;

	if (old) {
		old->granted.frames -= child->limits.frames;
		old->granted.cap_slots -= child->limits.cap_slots;
		old->as.frame_limit = old->limits.frames - old->granted.frames;
	}
	child->parent = parent;
	if (parent) {
		parent->granted.frames += child->limits.frames;
		parent->granted.cap_slots += child->limits.cap_slots;
		parent->as.frame_limit =
		    parent->limits.frames - parent->granted.frames;
	}
}

/*
 * A process is going away: its carve goes back to its parent, and its
 * live children's carves move to that parent, which now holds them (so
 * nothing returns to a budget while a descendant still uses it).
 */
static void
uncarve(struct process *p)
{
	struct process *q;

	TAILQ_FOREACH(q, &all_processes, link)
		if (q->parent == p)
			carve(q, p->parent);
	carve(p, NULL);
}

/* Frames the process takes at once: the image's file pages, TLS, ring,
 * CapSet and one stack page (bss and the rest of the stack come on first
 * touch, charged against the same limit then). */
static uint64_t
frames_needed(const struct elf_image *img)
{
	uint64_t n = 3;
	uint32_t i;

	for (i = 0; i < img->nload; i++)
		n += (ALIGN_UP(img->load[i].vaddr + img->load[i].filesz,
		               PAGE_SIZE) -
		      ALIGN_DOWN(img->load[i].vaddr, PAGE_SIZE)) /
		     PAGE_SIZE;
	if (img->has_tls)
		n += ALIGN_UP(img->tls.memsz + 64, PAGE_SIZE) / PAGE_SIZE + 1;
	return n;
}

static struct cap_slot *cap_storage_cache[PROC_CAP_STORAGE_CACHE];
static unsigned ncap_storage;

static struct cap_slot *
cap_storage_get(void)
{
	bool irq = irq_save();
	struct cap_slot *s = NULL;

	if (ncap_storage)
		s = cap_storage_cache[--ncap_storage];
	irq_restore(irq);
	/* Slots are written as they are first handed out (captable.h). */
	return s ? s : kmalloc(PROC_CAP_SLOTS * sizeof(struct cap_slot));
}

static void
cap_storage_put(struct cap_slot *s)
{
	bool irq = irq_save();

	if (ncap_storage < PROC_CAP_STORAGE_CACHE) {
		cap_storage_cache[ncap_storage++] = s;
		s = NULL;
	}
	irq_restore(irq);
	kfree(s);
}

void
process_cache_drain(void)
{
	bool irq = irq_save();

	while (ncap_storage)
		kfree(cap_storage_cache[--ncap_storage]);
	irq_restore(irq);
}

static void
release_caps(struct process *p)
{
	uint32_t cursor = 0;
	capos_capid_t id;
	const struct cap_slot *slot;

	if (!p->cap_storage)
		return;
	/* Stop once the table is empty: it fills from its first slots, so
	 * most of a short-lived process's table is never looked at. */
	while (cap_count(&p->caps) &&
	       cap_next(&p->caps, &cursor, &id, &slot) == CAP_OK) {
		struct kobject *obj = slot->object;
		struct cap_slot old;

		if (slot->state == CAP_SLOT_RESERVED)
			cap_rollback(&p->caps, id);
		cap_remove(&p->caps, id, &old);
		kobject_put(obj);
	}
}

/* Frees everything a process owns except its structure. */
static void
teardown(struct process *p)
{
	/* Whoever takes its carve back pays for its objects from now on. */
	struct process *heir = p->parent;

	/* What its threads waited on was cancelled as each was reaped
	 * (ring_destroy), while the caps (reserved MOVE sources of queued
	 * calls among them) were still there to be restored. */
	KASSERT(p->completions_waiting == 0);
	uncarve(p);
	release_caps(p);
	if (p->cap_storage) {
		cap_storage_put(p->cap_storage);
		p->cap_storage = NULL;
	}
	spawn_trace(ST_CAPS_GONE);
	/* The CapSet frame is a mapped user page: the address space
	 * returns it with everything else.  Mapped objects are given back
	 * once no TLB can hold their pages. */
	tlb_forget_root(p->as.root);
	vm_destroy(&p->as, memory_object_drop);
	aspace_destroy(&p->as);
	/* Objects others still hold or map stay paid for. */
	memory_objects_hand_over(p, heir);
	p->state = PROC_DEAD;
	spawn_trace(ST_MEM_GONE);
}

/*
 * The last images parsed.  Every image a process is made from is a boot
 * module (ProcessSpawner's come from the manifest, the kernel's own from
 * the module list), which is never written or freed, so a parse holds for
 * as long as the kernel runs; only images that parsed and carry the
 * right ABI are kept.  Filled in turn.
 */
#define PARSED_IMAGES 4
static struct {
	const void *image;
	size_t size;
	struct elf_image img;
} parsed[PARSED_IMAGES];
static unsigned parsed_next;

/* elf_parse and elf_check_abi of image, or the answer kept from before. */
static int
parse_image(const void *image, size_t size, struct elf_image *img)
{
	unsigned i;
	int err;

	for (i = 0; i < PARSED_IMAGES; i++)
		if (parsed[i].image == image && parsed[i].size == size) {
			*img = parsed[i].img;
			return ELF_OK;
		}
	err = elf_parse(image, size, CAPOS_USER_IMAGE_BASE,
	                CAPOS_USER_IMAGE_END, img);
	if (!err)
		err = elf_check_abi(img, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR);
	if (err)
		return err;
	i = parsed_next++ % PARSED_IMAGES;
	parsed[i].image = image;
	parsed[i].size = size;
	parsed[i].img = *img;
	return ELF_OK;
}

enum kerr
process_create(const char *name, const void *image, size_t size,
               const struct grant *grants, unsigned ngrants,
               const struct proc_limits *limits, struct process *parent,
               struct process **out, int *elf_err)
{
	const uaddr_t ring_va = uaddr(CAPOS_USER_RING_ADDR);
	const uaddr_t capset_va = uaddr(CAPOS_USER_CAPSET_ADDR);
	struct elf_image *img;
	struct process *p;
	struct thread *t;
	struct kring *ring;
	uint64_t fs_base;
	unsigned i;
	int err;

	*out = NULL;
	*elf_err = 0;
	img = kmalloc(sizeof(*img));
	p = kzalloc(sizeof(*p));
	if (p) {
		TAILQ_INIT(&p->threads);
		TAILQ_INIT(&p->paid_objects);
		for (i = 0; i < PROC_PARK_BUCKETS; i++)
			TAILQ_INIT(&p->park_waits[i]);
	}
	if (!img || !p) {
		err = KERR_NOMEM;
		goto fail;
	}
	if (limits)
		p->limits = *limits;
	else
		proc_limits_root(&p->limits, NULL);
	err = parse_image(image, size, img);
	if (err) {
		*elf_err = err;
		err = KERR_BAD_ELF;
		goto fail;
	}
	/* Charged before anything is mapped. */
	if (frames_needed(img) > p->limits.frames) {
		err = KERR_QUOTA;
		goto fail;
	}
	spawn_trace(ST_PARSED);
	p->pid = next_pid++;
	str_copy(p->name, name, sizeof(p->name));
	p->cap_storage = cap_storage_get();
	if (!p->cap_storage || aspace_create(&p->as)) {
		err = KERR_NOMEM;
		goto fail;
	}
	cap_table_init(&p->caps, p->cap_storage, PROC_CAP_SLOTS);
	p->as.frame_limit = p->limits.frames;
	p->as.vm_page_limit = p->limits.virtual_pages;
	spawn_trace(ST_ASPACE);

	err = load_segments(p, image, size, img);
	spawn_trace(ST_SEGMENTS);
	if (!err)
		err = load_tls(p, image, img, &fs_base);
	spawn_trace(ST_TLS);
	if (err)
		goto fail;
	/* The stack is demand-zero; only its top page is mapped now. */
	if (aspace_reserve_lazy(
	        &p->as, uaddr(CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE),
	        CAPOS_USER_STACK_SIZE / PAGE_SIZE, VM_WRITE) ||
	    aspace_fault(&p->as, uaddr(CAPOS_USER_STACK_TOP - PAGE_SIZE)) ||
	    aspace_map_anon(&p->as, capset_va, 1, 0) ||
	    aspace_lookup(&p->as, capset_va, &p->capset_pa)) {
		err = KERR_NOMEM;
		goto fail;
	}
	capset_init(p);
	spawn_trace(ST_STACK_CAPSET);
	err = install_grants(p, grants, ngrants);
	if (!err)
		err = install_thread_control(p);
	if (err)
		goto fail;
	spawn_trace(ST_CAPS);

	/* The main thread's ring is at the fixed address of the entry
	 * ABI. */
	ring = ring_create(p, ring_va);
	if (!ring) {
		err = KERR_NOMEM;
		goto fail;
	}
	spawn_trace(ST_RING);
	t = thread_create_user(p, img->entry, CAPOS_USER_STACK_TOP,
	                       CAPOS_USER_RING_ADDR, p->pid,
	                       CAPOS_USER_CAPSET_ADDR);
	if (!t) {
		ring_destroy(ring);
		err = KERR_NOMEM;
		goto fail;
	}
	t->ring = ring;
	t->ring_slot = 0;
	t->fs_base = fs_base;
	str_copy(t->name, p->name, sizeof(t->name));
	TAILQ_INSERT_TAIL(&p->threads, t, proc_link);
	p->nthreads = 1;
	p->ring_slots[0] = 1;
	p->state = PROC_ALIVE;
	carve(p, parent);
	kfree(img);
	*out = p;
	spawn_trace(ST_THREAD);
	return KERR_OK;

fail:
	if (p) {
		teardown(p);
		kfree(p);
	}
	kfree(img);
	return err;
}

void
process_start(struct process *p)
{
	TAILQ_INSERT_TAIL(&all_processes, p, link);
	sched_add(TAILQ_FIRST(&p->threads));
}

void
process_abort(struct process *p)
{
	struct thread *t = TAILQ_FIRST(&p->threads);

	/* Never ran: its thread can go at once. */
	TAILQ_REMOVE(&p->threads, t, proc_link);
	ring_destroy(t->ring);
	t->state = THREAD_DEAD;
	thread_destroy(t);
	teardown(p);
	kfree(p);
}

enum kerr
process_spawn(const char *name, const void *image, size_t size,
              const struct grant *grants, unsigned ngrants,
              const struct proc_limits *limits, struct process **out,
              int *elf_err)
{
	int err = process_create(name, image, size, grants, ngrants, limits,
	                         NULL, out, elf_err);

	if (!err)
		process_start(*out);
	return err;
}

/* The lowest free ring slot of p, or PROC_THREADS_MAX. */
static unsigned
free_ring_slot(const struct process *p)
{
	unsigned w;

	for (w = 0; w < PROC_THREADS_MAX / 64; w++)
		if (~p->ring_slots[w])
			return w * 64 +
			       (unsigned)__builtin_ctzll(~p->ring_slots[w]);
	return PROC_THREADS_MAX;
}

enum kerr
process_thread_spawn(struct process *p, uint64_t entry, uint64_t arg,
                     uint64_t stack_top, uint64_t tls, struct thread **out)
{
	struct kring *ring;
	struct thread *t;
	unsigned slot;
	uint64_t ring_va;

	*out = NULL;
	if (p->state != PROC_ALIVE)
		return KERR_CANCELLED; /* the caller is leaving too */
	if (p->nthreads >= p->limits.threads)
		return KERR_QUOTA;
	/* Fewer threads than the limit, which is at most PROC_THREADS_MAX:
	 * a slot is free. */
	slot = free_ring_slot(p);
	KASSERT(slot < PROC_THREADS_MAX);
	ring_va = CAPOS_USER_RING_SLOT_ADDR(slot);
	ring = ring_create(p, uaddr(ring_va));
	if (!ring)
		return KERR_NOMEM;
	t = thread_create_user(p, entry, stack_top, ring_va, arg, slot);
	if (!t) {
		ring_destroy(ring);
		return KERR_NOMEM;
	}
	t->ring = ring;
	t->ring_slot = slot;
	t->fs_base = tls;
	str_copy(t->name, p->name, sizeof(t->name));
	p->ring_slots[slot / 64] |= 1ull << (slot % 64);
	TAILQ_INSERT_TAIL(&p->threads, t, proc_link);
	p->nthreads++;
	sched_add(t);
	*out = t;
	return KERR_OK;
}

/* p is ending: every thread of it leaves at its next return to user
 * mode, blocked ones woken to notice (interrupts off). */
static void
end_threads(struct process *p, int code)
{
	struct thread *t;

	p->state = PROC_EXITING;
	p->exit_code = code;
	TAILQ_FOREACH(t, &p->threads, proc_link) {
		t->leave = true;
		sched_wakeup(t);
		sched_kick(t);
	}
}

void
process_exit_current(int code)
{
	struct process *p = process_current();

	KASSERT(p);
	spawn_trace(ST_CHILD_EXIT);
	cli();
	if (p->state == PROC_ALIVE)
		end_threads(p, code);
	sched_exit_current();
}

void
process_kill(struct process *p, int code)
{
	bool irq = irq_save();

	if (p->state == PROC_ALIVE) {
		end_threads(p, code);
		p->killed = true;
	}
	irq_restore(irq);
}

static bool
any_process_alive(void)
{
	struct process *q;

	TAILQ_FOREACH(q, &all_processes, link)
		if (q->state != PROC_DEAD)
			return true;
	return false;
}

/*
 * Every exit is a record of the kernel log ring.  Only the ones worth a
 * look (a nonzero code, a kill) are console lines too, unless the log
 * level is debug: the serial port is slow per byte, and a clean exit is
 * what most processes do (the parent learns it from its handle).
 */
static void
log_exit(const struct process *p)
{
	char line[16 + 20 + PROC_NAME_MAX + 24];
	struct fmt_text t = {line, sizeof(line), 0};

	if (p->exit_code != 0 || p->killed ||
	    log_level() >= capos_LogLevel_debug) {
		klog(LOG_INFO, "process %lu (%s) exited with code %d\n",
		     (unsigned long)p->pid, p->name, p->exit_code);
		return;
	}
	/* Built without the format engine, which cost as much as the rest. */
	fmt_put_str(&t, "process ");
	fmt_put_u64(&t, p->pid);
	fmt_put_str(&t, " (");
	fmt_put(&t, p->name, strnlen(p->name, PROC_NAME_MAX));
	fmt_put_str(&t, ") exited with code 0");
	log_kernel_line(capos_LogLevel_info, line, t.len);
}

void
process_thread_gone(struct process *p, struct thread *t)
{
	spawn_trace(ST_REAP);
	TAILQ_REMOVE(&p->threads, t, proc_link);
	/* What the thread still waits on is cancelled now, while its
	 * process's caps are there; then its ring page goes. */
	ring_destroy(t->ring);
	spawn_trace(ST_RING_GONE);
	t->ring = NULL;
	p->ring_slots[t->ring_slot / 64] &= ~(1ull << (t->ring_slot % 64));
	p->nthreads--;
	/* Counted out first: a joiner may spawn again at once. */
	if (t->handle)
		thread_handle_ended(t);
	if (p->nthreads == 0) {
		teardown(p);
		log_exit(p);
		spawn_trace(ST_LOGGED);
		process_handle_exited(p);
		if (!any_process_alive())
			kprintf("capOS: every process has exited; idle (QEMU: "
			        "Ctrl-A X quits)\n");
	}
}

void
process_free(struct process *p)
{
	KASSERT(p->state == PROC_DEAD);
	KASSERT(!p->handle);
	TAILQ_REMOVE(&all_processes, p, link);
	kfree(p);
}
