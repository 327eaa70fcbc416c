#include "core/kernel.h"
#include "core/bootinfo.h"
#include "core/clock.h"
#include "core/counters.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/qemu.h"
#include "kobj/kobject.h"
#include "elf/elf.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "proc/bootstrap.h"
#include "proc/process.h"
#include "proc/sched.h"

#define MAX_PROGRAMS	  8
#define SUPERVISE_POLL_NS 5000000ull /* 5 ms */
#define KILL_EXIT_CODE	  (-9)

struct baseline {
	uint64_t user, tables, kstacks;
	size_t heap_allocs;
};

static struct process *programs[MAX_PROGRAMS];
static unsigned nprograms;
static struct baseline before;

static void
take_baseline(struct baseline *b)
{
	b->user = pmm_outstanding(FRAME_USER);
	b->tables = pmm_outstanding(FRAME_PAGETABLE);
	b->kstacks = pmm_outstanding(FRAME_KSTACK);
	b->heap_allocs = kheap_stats()->allocations;
}

static void
ktest(bool ok, const char *name, const char *why)
{
	kprintf(ok ? "KTEST ok %s\n" : "KTEST not ok %s: %s\n", name, why);
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
	unsigned i;

	for (i = 0; i < nprograms; i++)
		if (programs[i]->state != PROC_DEAD)
			return false;
	return true;
}

/* The test supervisor: a kernel thread, so it outlives every program. */
static void
supervise(void *arg)
{
	struct baseline after;
	unsigned i, failed = 0;
	int main_code, expected;

	(void)arg;
	while (programs[0]->state != PROC_DEAD)
		sleep_ns(SUPERVISE_POLL_NS);
	main_code = programs[0]->exit_code;
	expected = karg_get("expect_exit") ? atoi_signed(karg_get("expect_exit"))
					   : 0;
	for (i = 1; i < nprograms; i++)
		process_kill(programs[i], KILL_EXIT_CODE);
	while (!all_dead())
		sleep_ns(SUPERVISE_POLL_NS);
	/* Let the reaper free the last kernel stacks. */
	sleep_ns(SUPERVISE_POLL_NS);
	for (i = 0; i < nprograms; i++) {
		kprintf("program %s: exit code %d\n", programs[i]->name,
			programs[i]->exit_code);
		process_free(programs[i]);
	}
	take_baseline(&after);
	ktest(main_code == expected, "user.main_program_exit_code",
	      "the first program's exit code is not the expected one");
	failed += main_code != expected;
	ktest(after.user == before.user, "user.frames_returned",
	      "user frames leaked");
	failed += after.user != before.user;
	ktest(after.tables == before.tables, "user.page_tables_returned",
	      "page-table frames leaked");
	failed += after.tables != before.tables;
	ktest(after.kstacks == before.kstacks, "user.kernel_stacks_returned",
	      "kernel stacks leaked");
	failed += after.kstacks != before.kstacks;
	ktest(after.heap_allocs == before.heap_allocs, "user.heap_returned",
	      "kernel heap allocations leaked");
	failed += after.heap_allocs != before.heap_allocs;
	counters_print();
	pmm_print_summary();
	kprintf("KTEST done: %u checks, %u failed\n", 5u, failed);
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

void
bootstrap_start(const struct mb2_info *mb)
{
	char list[128];
	const char *run = karg_get("run");
	char *name, *next;
	struct grant grants[] = {
		{"console", console_object()},
		{"timer", timer_object()},
		{"null", null_object()},
	};

	struct thread *supervisor = NULL;

	str_copy(list, run ? run : "init", sizeof(list));
	/* The supervisor exists before the baseline, so its own stack does
	 * not count as a leak. */
	if (karg_get("test") && strcmp(karg_get("test"), "user") == 0) {
		supervisor = thread_create_kernel("supervisor", supervise, NULL);
		if (!supervisor)
			panic("cannot start the test supervisor");
	}
	take_baseline(&before);
	for (name = list; name && *name; name = next) {
		const struct mb2_module *m;
		struct process *p;
		int err, elf_err;

		next = strchr(name, ',');
		if (next)
			*next++ = '\0';
		m = bootinfo_module(mb, name);
		if (!m)
			panic("program '%s' is not among the boot modules", name);
		if (nprograms == MAX_PROGRAMS)
			panic("more than %d programs to start", MAX_PROGRAMS);
		err = process_spawn(name, phys_to_virt(m->start),
				    m->end - m->start, grants,
				    ARRAY_SIZE(grants), &p, &elf_err);
		if (err == SPAWN_E_ELF)
			panic("program '%s' cannot be loaded: %s", name,
			      elf_strerror(elf_err));
		if (err)
			panic("program '%s' cannot be started (error %d)", name,
			      err);
		kprintf("started %s as process %lu\n", name,
			(unsigned long)p->pid);
		programs[nprograms++] = p;
	}
	if (supervisor)
		sched_add(supervisor);
}
