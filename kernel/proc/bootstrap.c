#include "core/kernel.h"
#include "core/bootinfo.h"
#include "core/bootstage.h"
#include "core/clock.h"
#include "core/counters.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/qemu.h"
#include "kobj/kobject.h"
#include "elf/elf.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "proc/bootstrap.h"
#include "core/manifest.h"
#include "ipc/completion.h"
#include "ipc/endpoint.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/spawntrace.h"

#define MAX_PROGRAMS      8
#define SUPERVISE_POLL_NS 5000000ull /* 5 ms */
#define KILL_EXIT_CODE    (-9)

struct baseline {
	uint64_t user, tables, kstacks;
	uint32_t kstack_slots;
	size_t heap_allocs;
};

static struct process *programs[MAX_PROGRAMS];
static unsigned nprograms;
static struct baseline before;

static void
take_baseline(struct baseline *b)
{
	kstack_cache_drain(); /* caches, not leaks */
	aspace_cache_drain();
	process_cache_drain();
	b->user = pmm_outstanding(FRAME_USER);
	b->tables = pmm_outstanding(FRAME_PAGETABLE);
	b->kstacks = pmm_outstanding(FRAME_KSTACK);
	b->kstack_slots = kstack_in_use();
	/* Other CPUs' call buffers are a cache, not a leak. */
	b->heap_allocs = kheap_stats()->allocations - kcall_buffers_held();
}

static void
print_baseline(const char *when, const struct baseline *b)
{
	kprintf("ledgers %s: user frames %lu, page-table frames %lu, "
	        "kernel stack frames %lu, kernel stacks %u, heap "
	        "allocations %lu\n",
	        when, (unsigned long)b->user, (unsigned long)b->tables,
	        (unsigned long)b->kstacks, b->kstack_slots,
	        (unsigned long)b->heap_allocs);
}

static unsigned nchecks, nfailed;

static void
check(bool ok, const char *name, const char *why)
{
	kprintf(ok ? "KTEST ok %s\n" : "KTEST not ok %s: %s\n", name, why);
	nchecks++;
	nfailed += !ok;
}

static int
atoi_signed(const char *s)
{
	int sign = 1, v = 0;

	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

static void
sleep_ns(uint64_t ns)
{
	sched_block(WAIT_SLEEP, clock_ns() + ns);
}

static bool
all_dead(void)
{
	struct process *p;

	TAILQ_FOREACH(p, &all_processes, link)
		if (p->state != PROC_DEAD)
			return false;
	return true;
}

static void
kill_all(void)
{
	struct process *p;

	TAILQ_FOREACH(p, &all_processes, link)
		process_kill(p, KILL_EXIT_CODE);
}

/* The test supervisor: a kernel thread, so it outlives every program. */
static void
supervise(void *arg)
{
	struct baseline after;
	unsigned i;
	int main_code, expected;

	(void)arg;
	while (programs[0]->state != PROC_DEAD)
		sleep_ns(SUPERVISE_POLL_NS);
	main_code = programs[0]->exit_code;
	expected =
	    karg_get("expect_exit") ? atoi_signed(karg_get("expect_exit")) : 0;
	/* Everything else goes: other programs, and services init left. */
	kill_all();
	while (!all_dead())
		sleep_ns(SUPERVISE_POLL_NS);
	/* Let the reaper free the last kernel stacks. */
	sleep_ns(SUPERVISE_POLL_NS);
	for (i = 0; i < nprograms; i++) {
		kprintf("program %s: exit code %d\n", programs[i]->name,
		        programs[i]->exit_code);
		process_free(programs[i]);
	}
	endpoint_cache_drain(); /* a cache, not a leak */
	take_baseline(&after);
	print_baseline("before", &before);
	print_baseline("after", &after);
	check(main_code == expected, "user.main_program_exit_code",
	      "the first program's exit code is not the expected one");
	check(after.user == before.user, "user.frames_returned",
	      "user frames leaked");
	check(after.tables == before.tables, "user.page_tables_returned",
	      "page-table frames leaked");
	check(after.kstacks == before.kstacks &&
	          after.kstack_slots == before.kstack_slots,
	      "user.kernel_stacks_returned", "kernel stacks leaked");
	check(after.heap_allocs == before.heap_allocs, "user.heap_returned",
	      "kernel heap allocations leaked");
	check(completion_audit(true), "user.every_sqe_completed",
	      "SQEs taken != CQEs completed + records waiting");
	counters_print();
	pmm_print_summary();
	kprintf("KTEST done: %u checks, %u failed\n", nchecks, nfailed);
	qemu_exit(nfailed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

static bool
test_mode(void)
{
	const char *t = karg_get("test");

	return t && (strcmp(t, "user") == 0 || strcmp(t, "init") == 0);
}

static struct grant
kcap_grant(const struct kcap_entry *k)
{
	struct kobject *obj = k->object();

	/* The registry and the object's own file name one interface. */
	KASSERT(obj->interface_id == k->interface_id);
	return (struct grant){k->name, obj};
}

static void
start_programs(const struct mb2_info *mb, const char *run)
{
	char list[128];
	char *name, *next;
	struct grant grants[KCAP_COUNT];
	unsigned ngrants = 0, i;

	for (i = 0; i < kcap_registry_count; i++)
		if (kcap_registry[i].grant != CAPOS_KCAP_INIT_ONLY)
			grants[ngrants++] = kcap_grant(&kcap_registry[i]);

	boot_stages_print();
	str_copy(list, run, sizeof(list));
	for (name = list; name && *name; name = next) {
		const struct mb2_module *m;
		struct process *p;
		int err, elf_err;

		next = strchr(name, ',');
		if (next)
			*next++ = '\0';
		m = bootinfo_module(mb, name);
		if (!m)
			panic("program '%s' is not among the boot modules",
			      name);
		if (nprograms == MAX_PROGRAMS)
			panic("more than %d programs to start", MAX_PROGRAMS);
		err = process_spawn(name, phys_to_virt(m->start),
		                    m->end - m->start, grants, ngrants, NULL,
		                    &p, &elf_err);
		if (err == KERR_BAD_ELF)
			panic("program '%s' cannot be loaded: %s", name,
			      elf_strerror(elf_err));
		if (err)
			panic("program '%s' cannot be started (error %d)", name,
			      err);
		kprintf("started %s as process %lu\n", name,
		        (unsigned long)p->pid);
		programs[nprograms++] = p;
	}
}

/* The kernel starts only init; init starts everything else. */
static void
start_init(const struct mb2_info *mb)
{
	const char *which = karg_get("manifest");
	const char *names[MANIFEST_MAX_INIT_CAPS];
	struct grant grants[KCAP_COUNT + MANIFEST_MAX_INIT_CAPS];
	unsigned ngrants = 0;
	char module[64] = "manifest";
	struct proc_limits limits;
	unsigned n, i;
	const void *image;
	size_t size;
	struct process *p;
	int err, elf_err;

	if (which) {
		str_copy(module, "manifest-", sizeof(module));
		str_copy(module + 9, which, sizeof(module) - 9);
	}
	manifest_load(mb, module);
	for (i = 0; i < kcap_registry_count; i++)
		if (kcap_registry[i].grant != CAPOS_KCAP_ON_REQUEST)
			grants[ngrants++] = kcap_grant(&kcap_registry[i]);
	/* The manifest's check allowed only caps on request here. */
	n = manifest_init_caps(names);
	for (i = 0; i < n; i++) {
		const struct kcap_entry *k = kcap_find(names[i]);

		if (!k || k->grant != CAPOS_KCAP_ON_REQUEST)
			panic("boot manifest: initCaps names '%s', which is "
			      "not a kernel cap init can be given",
			      names[i]);
		grants[ngrants++] = kcap_grant(k);
	}
	if (!manifest_binary(manifest_init_name(), strlen(manifest_init_name()),
	                     &image, &size))
		panic("boot manifest: init binary vanished");
	manifest_init_limits(&limits);
	err = process_spawn(manifest_init_name(), image, size, grants, ngrants,
	                    &limits, &p, &elf_err);
	if (err == KERR_BAD_ELF)
		panic("init '%s' cannot be loaded: %s", manifest_init_name(),
		      elf_strerror(elf_err));
	if (err)
		panic("init '%s' cannot be started (error %d)",
		      manifest_init_name(), err);
	boot_stage(BOOT_INIT);
	boot_stages_print();
	kprintf("started init '%s' as process %lu\n", manifest_init_name(),
	        (unsigned long)p->pid);
	programs[nprograms++] = p;
}

void
bootstrap_start(const struct mb2_info *mb)
{
	const char *run = karg_get("run");
	struct thread *supervisor = NULL;

	spawn_trace_init();
	/* The supervisor exists before the baseline, so its own stack does
	 * not count as a leak. */
	if (test_mode()) {
		supervisor =
		    thread_create_kernel("supervisor", supervise, NULL);
		if (!supervisor)
			panic("cannot start the test supervisor");
	}
	take_baseline(&before);
	if (run)
		start_programs(mb, run);
	else
		start_init(mb);
	if (supervisor)
		sched_add(supervisor);
}
