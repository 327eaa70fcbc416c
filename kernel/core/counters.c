#include "core/kernel.h"
#include "core/counters.h"
#include "ring/ring.h"

struct kcounters kcounters;

void
counters_print(void)
{
	unsigned i;

	kprintf("kernel counters:\n");
	kprintf("  cap_enter %lu (blocked %lu), ring corruptions %lu, "
	        "unknown syscalls %lu, user faults %lu\n",
	        (unsigned long)kcounters.cap_enter_calls,
	        (unsigned long)kcounters.cap_enter_blocks,
	        (unsigned long)kcounters.ring_corruptions,
	        (unsigned long)kcounters.syscalls_unknown,
	        (unsigned long)kcounters.user_faults);
	kprintf("  longest cap_enter stretch with interrupts off: %lu TSC "
	        "cycles\n",
	        (unsigned long)kcounters.irq_off_max);
	kprintf("  IPC fast path: calls %lu, returns %lu; general path: "
	        "transfers %lu, too big %lu, not waiting %lu, buffers %lu, "
	        "other %lu; kept translations stale %lu\n",
	        (unsigned long)kcounters.ipc_path[IPC_FAST_CALL],
	        (unsigned long)kcounters.ipc_path[IPC_FAST_RETURN],
	        (unsigned long)kcounters.ipc_path[IPC_SLOW_XFER],
	        (unsigned long)kcounters.ipc_path[IPC_SLOW_BIG],
	        (unsigned long)kcounters.ipc_path[IPC_SLOW_NOT_WAITING],
	        (unsigned long)kcounters.ipc_path[IPC_SLOW_BUFFER],
	        (unsigned long)kcounters.ipc_path[IPC_SLOW_OTHER],
	        (unsigned long)kcounters.ipc_path[IPC_FAST_STALE]);
	kprintf("  SQEs:");
	for (i = 0; i <= CAPOS_OP_COUNT; i++)
		if (kcounters.sqe_by_opcode[i])
			kprintf(" %s %lu",
			        i < CAPOS_OP_COUNT
			            ? ring_opcode_name((uint8_t)i)
			            : "unknown",
			        (unsigned long)kcounters.sqe_by_opcode[i]);
	kprintf("\n  CQEs: ok %lu", (unsigned long)kcounters.cqe_by_error[0]);
	for (i = 1; i < COUNTER_ERRORS; i++)
		if (kcounters.cqe_by_error[i])
			kprintf(", %s %lu", capos_error_name(-(int)i),
			        (unsigned long)kcounters.cqe_by_error[i]);
	kprintf("\n");
}
