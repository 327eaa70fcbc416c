/*
 * Trap dispatch: exceptions are decoded and, in the kernel, end in a
 * panic that names the exception; interrupts go to their registered
 * handler and are acknowledged at the local APIC.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "core/counters.h"
#include "core/klock.h"
#include "arch/x86_64/tlb.h"
#include "fmt/fmt.h"
#include "mm/vmspace.h"
#include "proc/process.h"
#include "proc/sched.h"

static irq_handler_fn irq_handlers[NUM_VECTORS];

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization exception",
    "control protection exception",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection exception",
    "VMM communication exception",
    "security exception",
    "reserved (31)",
};

const char *
trap_vector_name(unsigned vector)
{
	if (vector < 32)
		return exception_names[vector];
	if (vector == VEC_TIMER)
		return "timer interrupt";
	if (vector == VEC_SPURIOUS)
		return "spurious interrupt";
	return "interrupt";
}

void
trap_decode_pf_error(uint64_t err, char *buf, unsigned size)
{
	fmt_snprintf(buf, size, "%s, %s, %s mode%s%s%s",
	             err & PF_PRESENT ? "protection violation" : "not present",
	             err & PF_INSTR   ? "instruction fetch"
	             : err & PF_WRITE ? "write"
	                              : "read",
	             err & PF_USER ? "user" : "kernel",
	             err & PF_RESERVED ? ", reserved bit set" : "",
	             err & PF_PKEY ? ", protection key" : "",
	             err & PF_SHADOW_STACK ? ", shadow stack" : "");
}

void
trap_set_irq_handler(unsigned vector, irq_handler_fn fn)
{
	KASSERT(vector >= VEC_IRQ_BASE && vector < NUM_VECTORS);
	irq_handlers[vector] = fn;
}

static void __noreturn
kernel_exception(struct trapframe *tf)
{
	char why[96];

	if (tf->vector == VEC_PAGE_FAULT) {
		trap_decode_pf_error(tf->error, why, sizeof(why));
		panic_trap(tf, "page fault at address %#lx (%s)",
		           (unsigned long)read_cr2(), why);
	}
	if (tf->vector == VEC_GP || tf->vector == 10 || tf->vector == 11 ||
	    tf->vector == 12)
		panic_trap(tf, "%s (error code %#lx)",
		           trap_vector_name((unsigned)tf->vector),
		           (unsigned long)tf->error);
	panic_trap(tf, "%s", trap_vector_name((unsigned)tf->vector));
}

/*
 * An exception in user mode is the process's own fault: it ends the
 * process (exit code 128 + vector, as shells report signals) and is
 * logged; the kernel goes on.
 */
static void __noreturn
user_exception(struct trapframe *tf)
{
	struct process *p = process_current();
	char why[96] = "";
	const char *what = NULL;

	kcounters.user_faults++;
	if (tf->vector == VEC_PAGE_FAULT) {
		trap_decode_pf_error(tf->error, why, sizeof(why));
		/* What the address is to the process: the page fault's own
		 * bits say what was tried, this says what was there. */
		what = vm_describe(&p->as, uaddr(read_cr2()));
	}
	klog(LOG_WARN,
	     "process %lu (%s) killed: %s at rip %#lx%s%#lx%s%s%s%s%s\n",
	     (unsigned long)p->pid, p->name,
	     trap_vector_name((unsigned)tf->vector), (unsigned long)tf->rip,
	     tf->vector == VEC_PAGE_FAULT ? ", address " : ", error ",
	     (unsigned long)(tf->vector == VEC_PAGE_FAULT ? read_cr2()
	                                                  : tf->error),
	     why[0] ? " (" : "", why, why[0] ? ")" : "", what ? ": " : "",
	     what ? what : "");
	sti();
	process_exit_current(128 + (int)tf->vector);
}

/*
 * A frame about to return to user mode with a RIP outside user space
 * (IRETQ would fault in ring 0 on a non-canonical one).  No CPU entry
 * makes such a frame; if kernel code ever did, the process ends, not the
 * kernel.  Called from trap_return with interrupts off.
 */
void __noreturn
trap_bad_user_return(struct trapframe *tf)
{
	struct process *p;

	klock_enter();
	p = process_current();
	KASSERT(p);
	klog(LOG_WARN, "process %lu (%s) killed: return to rip %#lx\n",
	     (unsigned long)p->pid, p->name, (unsigned long)tf->rip);
	sti();
	process_exit_current(128 + VEC_GP);
}

static void
trap_handle(struct trapframe *tf)
{
	unsigned vec = (unsigned)tf->vector;
	bool from_user = tf->cs & 3;

	/* A first touch of a demand-zero page: map it and retry. */
	if (vec == VEC_PAGE_FAULT && from_user && process_current() &&
	    !(tf->error & PF_PRESENT)) {
		struct process *p = process_current();
		int err = aspace_fault(&p->as, uaddr(read_cr2()));

		if (err == KERR_OK)
			return;
		if (err == KERR_QUOTA || err == KERR_NOMEM) {
			klog(LOG_WARN,
			     "process %lu (%s) killed: %s at address %#lx "
			     "(%lu frames in use)\n",
			     (unsigned long)p->pid, p->name,
			     err == KERR_QUOTA ? "frame limit reached"
			                       : "out of physical memory",
			     (unsigned long)read_cr2(),
			     (unsigned long)p->as.user_frames);
			sti();
			process_exit_current(128 + VEC_PAGE_FAULT);
		}
	}
	if (vec < VEC_IRQ_BASE) {
		if (from_user && process_current() && vec != VEC_NMI &&
		    vec != VEC_DOUBLE_FAULT && vec != VEC_MACHINE_CHECK)
			user_exception(tf);
		kernel_exception(tf);
	}
	if (vec == VEC_SPURIOUS)
		return; /* no EOI for spurious interrupts */
	if (irq_handlers[vec])
		irq_handlers[vec](tf);
	else
		klog(LOG_WARN, "unexpected interrupt on vector %u\n", vec);
	lapic_eoi();
	/* Preempt only on the way back to user mode. */
	if (from_user) {
		process_check_killed();
		sched_preempt_point();
	}
}

void
trap_dispatch(struct trapframe *tf)
{
	bool took;

	/* The entry stubs gave the kernel its own flags (vectors.S). */
	KASSERT(!(read_rflags() & RFLAGS_KERNEL_CLEAR));
	/* A shootdown is answered without the kernel lock: its sender holds
	 * it and waits for this CPU. */
	if (tf->vector == VEC_IPI_TLB) {
		tlb_poll();
		lapic_eoi();
		return;
	}
	took = klock_enter();
	trap_handle(tf);
	cli();
	if (tf->cs & 3)
		klock_leave_to_user();
	else if (took)
		klock_release();
}
