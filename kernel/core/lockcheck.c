/*
 * The debug build's spinlock checks (core/lockcheck.h).  The rule itself
 * is lib/lockorder's, host-tested; this file keeps one stack per CPU and
 * turns a refusal into a panic naming the locks.
 *
 * The stacks are indexed by cpu_id in a static array rather than kept
 * in struct percpu, which the SMP bring-up is still reshaping.  A CPU
 * whose GS base is not set yet has no per-CPU block; until then only
 * the boot CPU runs (an application processor sets its GS base before
 * it takes any lock), so it is CPU 0.
 */
#include "core/kernel.h"
#include "core/spinlock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

#if LOCKCHECK

static struct lockorder held[MAX_CPUS];
/* Set before the checker panics: the panic path may take locks of its
 * own (the console's) in any state, and must not be checked again. */
static bool tripped;

static uint32_t
cpu_index(void)
{
	uint32_t id;

	if (rdmsr(MSR_GS_BASE) == 0)
		return 0;
	id = this_cpu()->cpu_id;
	if (id >= MAX_CPUS) {
		tripped = true;
		panic("lockcheck: cpu id %u beyond MAX_CPUS", id);
	}
	return id;
}

static struct lockorder *
here(void)
{
	return &held[cpu_index()];
}

static void __noreturn
refuse(const struct lockorder *s, const struct spinlock *l, const char *what,
       enum lockorder_verdict v)
{
	const struct lockorder_held *top = lockorder_top(s);

	tripped = true;
	if (top && v != LOCKORDER_NOT_HELD)
		panic("spinlock %s (rank %u) %s on cpu %u holding %s (rank "
		      "%u): %s",
		      l->name, l->rank, what, cpu_index(), top->name, top->rank,
		      lockorder_verdict_text(v));
	panic("spinlock %s (rank %u) %s on cpu %u: %s", l->name, l->rank, what,
	      cpu_index(), lockorder_verdict_text(v));
}

void
lockcheck_irqs_off(struct spinlock *l)
{
	if (tripped || !(read_rflags() & RFLAGS_IF))
		return;
	tripped = true;
	panic("spinlock %s (rank %u) taken with interrupts on", l->name,
	      l->rank);
}

void
lockcheck_acquire(struct spinlock *l)
{
	struct lockorder *s;
	enum lockorder_verdict v;

	lockcheck_irqs_off(l);
	if (tripped)
		return;
	s = here();
	v = lockorder_acquire(s, l, l->rank, l->name);
	if (v != LOCKORDER_OK)
		refuse(s, l, "taken", v);
}

void
lockcheck_trylocked(struct spinlock *l)
{
	struct lockorder *s;
	enum lockorder_verdict v;

	if (tripped)
		return;
	s = here();
	v = lockorder_push(s, l, l->rank, l->name);
	if (v != LOCKORDER_OK)
		refuse(s, l, "taken", v);
}

void
lockcheck_release(struct spinlock *l)
{
	struct lockorder *s;
	enum lockorder_verdict v;

	if (tripped)
		return;
	if (read_rflags() & RFLAGS_IF) {
		tripped = true;
		panic("spinlock %s (rank %u) held with interrupts on", l->name,
		      l->rank);
	}
	s = here();
	v = lockorder_release(s, l);
	if (v != LOCKORDER_OK)
		refuse(s, l, "released", v);
}

enum lockorder_verdict
lockcheck_verdict(const struct spinlock *l)
{
	return lockorder_check(here(), l, l->rank);
}

unsigned
lockcheck_depth(void)
{
	return here()->depth;
}

#endif
