/*
 * The audit trail's ring.  Appends run with interrupts off, as the log's
 * do, so a reader (also with interrupts off) never sees half a record.
 */
#include "core/kernel.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/wallclock.h"
#include "arch/x86_64/cpu.h"
#include "proc/process.h"

static struct log_record slots[AUDIT_RING_RECORDS];
static struct logring ring = {slots, AUDIT_RING_RECORDS, 0, 0};

void
audit_append(uint16_t event, const struct process *p, const char *detail,
             size_t len)
{
	enum wallclock_provenance prov;
	bool irq = irq_save();

	logring_append(&ring, event, p->pid, p->name, detail, len, clock_ns(),
	               wallclock_now(&prov));
	irq_restore(irq);
}

const struct logring *
audit_ring(void)
{
	return &ring;
}
