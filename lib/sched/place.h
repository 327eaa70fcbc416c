/*
 * Where runnable threads go on a machine of several CPUs: the pure part
 * of the scheduler's decisions (kernel/proc/sched.c keeps the summary
 * below per CPU, under the kernel lock), host-tested.
 */
#ifndef SCHED_PLACE_H
#define SCHED_PLACE_H

#include <stdbool.h>

struct place_cpu {
	bool online;
	bool idle;      /* running its idle thread */
	bool handoff;   /* a thread waits in its handoff slot */
	unsigned nrunq; /* threads on its run queue */
};

/* Nothing to run and nothing queued: a CPU that can take work now. */
static inline bool
place_free(const struct place_cpu *c)
{
	return c->online && c->idle && !c->handoff && c->nrunq == 0;
}

/*
 * The CPU a thread that becomes runnable is queued on: last (the one it
 * ran on; its cache is there) when that one is free, else the lowest free
 * one, else last.  A last that is out of range or offline means self.
 */
unsigned place_wake(const struct place_cpu *cpus, unsigned n, unsigned last,
                    unsigned self);

/*
 * The CPU whose run queue self, about to idle, takes a thread from: the
 * busy one (running a thread, not idle) with the longest queue; the
 * lowest index among equals.  n when there is none.  An idle CPU keeps
 * its queue: it runs it as soon as it wakes.
 */
unsigned place_victim(const struct place_cpu *cpus, unsigned n, unsigned self);

#endif
