/*
 * The 8254 PIT, used only as a reference clock while calibrating: channel
 * 2 counts down once with its gate held through port 0x61 and no interrupt
 * involved, so calibration works before interrupts are set up.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pit.h"

#define PIT_HZ         1193182u
#define PIT_CH2        0x42
#define PIT_CMD        0x43
#define PORT_B         0x61
#define PORT_B_GATE2   0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2    0x20

uint32_t
pit_oneshot_start(uint32_t us)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);
	uint8_t b;

	if (count > 0xffff)
		count = 0xffff;
	if (count == 0)
		count = 1;
	b = inb(PORT_B);
	b = (b & ~PORT_B_SPEAKER) & ~PORT_B_GATE2;
	outb(PORT_B, b);
	/* Channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count). */
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	outb(PORT_B, b | PORT_B_GATE2); /* the count starts now */
	return (uint32_t)((uint64_t)count * 1000000000 / PIT_HZ);
}

bool
pit_oneshot_done(void)
{
	return inb(PORT_B) & PORT_B_OUT2;
}
