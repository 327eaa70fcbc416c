/*
 * COM1 (16550 UART) at 115200 8N1, polled.  Output only for now; polling
 * keeps it usable from panic and from interrupt context.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"

#define COM1          0x3f8
#define REG_DATA      0
#define REG_IER       1
#define REG_FCR       2
#define REG_IIR       2 /* read: interrupt identification */
#define REG_LCR       3
#define REG_MCR       4
#define REG_LSR       5
#define LSR_THR_EMPTY 0x20
#define LSR_TX_IDLE   0x40 /* holding and shift registers empty */
#define IER_TX_EMPTY  0x02
#define LCR_DLAB      0x80
#define SPIN_LIMIT    100000 /* give up on a missing or stuck UART */

static bool serial_present;

void
serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, 1); /* divisor 1: 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03); /* 8 bits, no parity, one stop bit */
	outb(COM1 + REG_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + REG_MCR, 0x03); /* DTR, RTS */
	/* A missing UART reads back all ones. */
	serial_present = inb(COM1 + REG_LSR) != 0xff;
}

void
serial_putc(char c)
{
	int spin = SPIN_LIMIT;

	if (!serial_present)
		return;
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY) && --spin)
		cpu_relax();
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void
serial_write(const char *s, size_t n)
{
	while (n--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}

void
serial_flush(void)
{
	int spin = SPIN_LIMIT;

	if (!serial_present)
		return;
	while (!(inb(COM1 + REG_LSR) & LSR_TX_IDLE) && --spin)
		cpu_relax();
}

void
serial_tx_interrupt(bool on)
{
	if (serial_present)
		outb(COM1 + REG_IER, on ? IER_TX_EMPTY : 0);
}

uint8_t
serial_interrupt_id(void)
{
	return inb(COM1 + REG_IIR);
}
