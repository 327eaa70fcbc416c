/*
 * panic: the end of the line for a broken invariant or a kernel exception.
 * Prints the reason, the registers, and a frame-pointer backtrace with
 * symbol names, then ends the QEMU run with the panic exit code (on other
 * machines it halts).  A panic during a panic only prints its reason.
 */
#include "core/kernel.h"
#include "core/ksyms.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/trap.h"

#define BACKTRACE_MAX 24

static int panicking;

static void
print_frame(int depth, uint64_t rip)
{
	uint64_t off;
	const char *name = ksym_lookup(rip, &off);

	if (name)
		kprintf("  #%-2d 0x%016lx %s+%#lx\n", depth, (unsigned long)rip,
		        name, (unsigned long)off);
	else
		kprintf("  #%-2d 0x%016lx ?\n", depth, (unsigned long)rip);
}

/*
 * Follows saved frame pointers: [rbp] is the caller's rbp and [rbp + 8]
 * the return address.  Stops at a null, misaligned or non-kernel frame
 * pointer, so a corrupted stack ends the trace instead of faulting.
 */
static void
backtrace(uint64_t rip, uint64_t rbp)
{
	int depth = 0;

	kprintf("backtrace:\n");
	print_frame(depth++, rip);
	while (depth < BACKTRACE_MAX && rbp && (rbp & 7) == 0 &&
	       rbp >= 0xffff800000000000ull && rbp < 0xfffffffffffff000ull) {
		uint64_t ret = ((uint64_t *)rbp)[1];

		if (ret == 0)
			break;
		/* The return address points after the call. */
		print_frame(depth++, ret - 1);
		rbp = ((uint64_t *)rbp)[0];
	}
}

static void
dump_registers(const struct trapframe *tf)
{
	kprintf(
	    "  rip 0x%016lx  cs %#lx  rflags %#lx  vector %lu  error %#lx\n",
	    (unsigned long)tf->rip, (unsigned long)tf->cs,
	    (unsigned long)tf->rflags, (unsigned long)tf->vector,
	    (unsigned long)tf->error);
	kprintf("  rsp 0x%016lx  ss %#lx\n", (unsigned long)tf->rsp,
	        (unsigned long)tf->ss);
	kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n",
	        (unsigned long)tf->rax, (unsigned long)tf->rbx,
	        (unsigned long)tf->rcx);
	kprintf("  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n",
	        (unsigned long)tf->rdx, (unsigned long)tf->rsi,
	        (unsigned long)tf->rdi);
	kprintf("  rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n",
	        (unsigned long)tf->rbp, (unsigned long)tf->r8,
	        (unsigned long)tf->r9);
	kprintf("  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n",
	        (unsigned long)tf->r10, (unsigned long)tf->r11,
	        (unsigned long)tf->r12);
	kprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n",
	        (unsigned long)tf->r13, (unsigned long)tf->r14,
	        (unsigned long)tf->r15);
	kprintf("  cr0 0x%016lx  cr2 0x%016lx  cr3 0x%016lx  cr4 %#lx\n",
	        (unsigned long)read_cr0(), (unsigned long)read_cr2(),
	        (unsigned long)read_cr3(), (unsigned long)read_cr4());
}

static void __noreturn
vpanic(struct trapframe *tf, const char *fmt, va_list ap)
{
	cli();
	if (panicking++) {
		console_newline_if_needed();
		kprintf("PANIC (nested): ");
		kvprintf(fmt, ap);
		kprintf("\n");
		qemu_exit(QEMU_EXIT_PANIC);
	}
	console_newline_if_needed();
	kprintf("PANIC: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	if (tf) {
		kprintf("registers:\n");
		dump_registers(tf);
		backtrace(tf->rip, tf->rbp);
	} else {
		backtrace((uint64_t)(uintptr_t)vpanic, read_rbp());
	}
	kprintf("capOS halted.\n");
	qemu_exit(QEMU_EXIT_PANIC);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(NULL, fmt, ap);
}

void
panic_trap(struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(tf, fmt, ap);
}
