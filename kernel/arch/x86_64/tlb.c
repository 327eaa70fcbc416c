#include "core/kernel.h"
#include "core/counters.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"

/*
 * Per CPU: the root it has loaded, and a request count the sender bumps
 * and the CPU copies to done once it has flushed.  A full flush (a CR3
 * reload, or toggling CR4.PGE when global entries are asked for) answers
 * every request at once, so requests never queue.
 */
struct tlb_cpu {
	uint64_t root;
	uint32_t apic_id;
	bool online;
	uint64_t req, done;
	bool global;
};

static struct tlb_cpu cpus[MAX_CPUS];
static uint64_t online_mask; /* CPUs other than the boot one join it */

void
tlb_cpu_online(unsigned cpu, uint32_t apic_id)
{
	KASSERT(cpu < MAX_CPUS);
	cpus[cpu].apic_id = apic_id;
	cpus[cpu].root = read_cr3() & PTE_ADDR;
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	__atomic_or_fetch(&online_mask, 1ull << cpu, __ATOMIC_RELEASE);
}

void
tlb_note_root(uint64_t root)
{
	cpus[this_cpu()->cpu_id].root = root;
}

void
tlb_forget_root(uint64_t root)
{
	unsigned k;

	if ((read_cr3() & PTE_ADDR) == root) {
		write_cr3(paging_kernel_root());
		tlb_note_root(paging_kernel_root());
	}
	for (k = 0; k < MAX_CPUS; k++)
		KASSERT(!cpus[k].online || cpus[k].root != root);
}

void
tlb_poll(void)
{
	struct tlb_cpu *c = &cpus[this_cpu()->cpu_id];
	uint64_t req = __atomic_load_n(&c->req, __ATOMIC_ACQUIRE);

	if (req == c->done)
		return;
	if (__atomic_exchange_n(&c->global, false, __ATOMIC_ACQ_REL)) {
		uint64_t cr4 = read_cr4();

		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
	__atomic_store_n(&c->done, req, __ATOMIC_RELEASE);
}

/* Asks every CPU in mask to flush and waits until each has. */
static void
shootdown(uint64_t mask, bool global)
{
	uint64_t want[MAX_CPUS];
	unsigned k;

	kcounters.tlb_shootdowns++;
	for (k = 0; k < MAX_CPUS; k++) {
		if (!(mask & (1ull << k)))
			continue;
		if (global)
			__atomic_store_n(&cpus[k].global, true,
			                 __ATOMIC_RELEASE);
		want[k] = __atomic_add_fetch(&cpus[k].req, 1, __ATOMIC_ACQ_REL);
		lapic_send_ipi(cpus[k].apic_id, VEC_IPI_TLB);
	}
	for (k = 0; k < MAX_CPUS; k++) {
		if (!(mask & (1ull << k)))
			continue;
		while (__atomic_load_n(&cpus[k].done, __ATOMIC_ACQUIRE) <
		       want[k]) {
			tlb_poll(); /* never wait on one that waits on us */
			cpu_relax();
		}
	}
}

static uint64_t
others(void)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE) &
	       ~(1ull << this_cpu()->cpu_id);
}

void
tlb_flush_user(uint64_t root, uint64_t va)
{
	uint64_t mask = 0, rest = others();
	unsigned k;

	if ((read_cr3() & PTE_ADDR) == root)
		invlpg(va);
	for (k = 0; rest; k++, rest >>= 1)
		if ((rest & 1) && cpus[k].root == root)
			mask |= 1ull << k;
	if (mask)
		shootdown(mask, false);
}

void
tlb_flush_kernel(uint64_t va)
{
	uint64_t mask = others();

	invlpg(va);
	if (mask)
		shootdown(mask, true);
}
