/*
 * The spawn trace (proc/spawntrace.h): a cycle's stamps, printed when
 * the next spawn begins.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "proc/spawntrace.h"

bool spawn_trace_on;

static const char *const stage_name[ST_COUNT] = {
    [ST_ENTER] = "enter",
    [ST_CHECKED] = "checked",
    [ST_PARSED] = "parsed",
    [ST_ASPACE] = "aspace",
    [ST_SEGMENTS] = "segments",
    [ST_TLS] = "tls",
    [ST_STACK_CAPSET] = "stack+capset",
    [ST_CAPS] = "caps",
    [ST_RING] = "ring",
    [ST_THREAD] = "thread",
    [ST_HANDLE] = "handle",
    [ST_SPAWNED] = "spawned",
    [ST_WAIT] = "wait",
    [ST_WAITING] = "waiting",
    [ST_CHILD_RUNS] = "child-runs",
    [ST_CHILD_EXIT] = "child-exit",
    [ST_REAP] = "reap",
    [ST_RING_GONE] = "ring-gone",
    [ST_CAPS_GONE] = "caps-gone",
    [ST_MEM_GONE] = "mem-gone",
    [ST_LOGGED] = "logged",
    [ST_POSTED] = "posted",
    [ST_THREAD_GONE] = "thread-gone",
    [ST_RELEASED] = "released",
};

/* The stamps of the current cycle in the order they were taken. */
#define TRACE_MAX (2 * ST_COUNT)
static struct {
	enum spawn_stage stage;
	uint64_t tsc;
} marks[TRACE_MAX];
static unsigned nmarks;

void
spawn_trace_init(void)
{
	spawn_trace_on = karg_flag("spawntrace");
}

static void
print_cycle(uint64_t now)
{
	unsigned i;

	kprintf("spawntrace:");
	for (i = 0; i < nmarks; i++)
		kprintf(" %s +%lu", stage_name[marks[i].stage],
		        i ? (unsigned long)(marks[i].tsc - marks[i - 1].tsc)
		          : 0ul);
	kprintf(" loop +%lu total %lu\n",
	        (unsigned long)(now - marks[nmarks - 1].tsc),
	        (unsigned long)(now - marks[0].tsc));
}

void
spawn_trace_stamp(enum spawn_stage s)
{
	uint64_t now = rdtsc();
	bool irq = irq_save();

	if (s == ST_ENTER) {
		if (nmarks)
			print_cycle(now);
		nmarks = 0;
		now = rdtsc(); /* the printing counts nowhere */
	}
	if (nmarks < TRACE_MAX)
		marks[nmarks++] = (typeof(marks[0])){s, now};
	irq_restore(irq);
}
