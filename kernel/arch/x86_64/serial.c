/*
 * COM1 (16550 UART) at 115200 8N1.  Output is polled, which keeps it
 * usable from panic and from interrupt context.  Input, once started,
 * arrives by the receive interrupt into a bounded ring (serial.h).
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"

#define COM1           0x3f8
#define REG_DATA       0
#define REG_IER        1
#define REG_FCR        2
#define REG_IIR        2 /* read: interrupt identification */
#define REG_LCR        3
#define REG_MCR        4
#define REG_LSR        5
#define LSR_DATA_READY 0x01
#define LSR_OVERRUN    0x02 /* the UART lost a byte: its FIFO was full */
#define LSR_THR_EMPTY  0x20
#define LSR_TX_IDLE    0x40 /* holding and shift registers empty */
#define IER_RX_DATA    0x01
#define IER_TX_EMPTY   0x02
#define LCR_DLAB       0x80
#define SPIN_LIMIT     100000 /* give up on a missing or stuck UART */

static bool serial_present;
static uint8_t ier; /* what the interrupt enable register holds */

/* Input: filled by the receive interrupt, emptied by serial_rx_take.
 * head and tail count bytes forever; the index is their remainder. */
static uint8_t rx_ring[SERIAL_RX_RING];
static uint32_t rx_head, rx_tail;
static uint64_t rx_received, rx_overruns;
static bool rx_started, rx_held; /* held: the ring was full */
static void (*rx_notify)(const struct trapframe *tf);

_Static_assert((SERIAL_RX_RING & (SERIAL_RX_RING - 1)) == 0,
               "the ring's counters wrap at a multiple of its size");

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

static void
set_ier(uint8_t bits, bool on)
{
	ier = on ? ier | bits : ier & ~bits;
	if (serial_present)
		outb(COM1 + REG_IER, ier);
}

void
serial_tx_interrupt(bool on)
{
	set_ier(IER_TX_EMPTY, on);
}

/*
 * Moves what the UART holds into the ring.  With the ring full the bytes
 * stay in the UART and its receive interrupt is off until a reader makes
 * room: the interrupt never waits, and under QEMU the sender is held back
 * instead of losing bytes.  A real UART overruns then, which its line
 * status reports and rx_overruns counts.  Interrupts off.
 */
static void
rx_drain(void)
{
	uint8_t lsr;

	while ((lsr = inb(COM1 + REG_LSR)) & LSR_DATA_READY) {
		if (lsr & LSR_OVERRUN)
			rx_overruns++;
		if (rx_head - rx_tail == SERIAL_RX_RING) {
			rx_held = true;
			set_ier(IER_RX_DATA, false);
			return;
		}
		rx_ring[rx_head++ % SERIAL_RX_RING] = inb(COM1 + REG_DATA);
		rx_received++;
	}
	if (lsr & LSR_OVERRUN)
		rx_overruns++;
}

static void
rx_interrupt(struct trapframe *tf)
{
	(void)inb(COM1 + REG_IIR);
	rx_drain();
	if (rx_notify)
		rx_notify(tf);
}

bool
serial_rx_start(void (*notify)(const struct trapframe *tf))
{
	uint32_t gsi;
	bool irq;

	if (rx_started)
		return true;
	if (!serial_present || !ioapic_route_isa(COM1_ISA_IRQ, VEC_COM1, &gsi))
		return false;
	irq = irq_save();
	rx_notify = notify;
	trap_set_irq_handler(VEC_COM1, rx_interrupt);
	set_ier(IER_RX_DATA, true);
	rx_started = true;
	rx_drain();
	irq_restore(irq);
	kprintf("serial: input on COM1 through ISA IRQ %u (GSI %u), "
	        "%u-byte ring\n",
	        COM1_ISA_IRQ, gsi, SERIAL_RX_RING);
	return true;
}

size_t
serial_rx_take(uint8_t *buf, size_t max)
{
	bool irq = irq_save();
	size_t n = 0;

	while (n < max && rx_tail != rx_head)
		buf[n++] = rx_ring[rx_tail++ % SERIAL_RX_RING];
	if (rx_held && n) {
		/* Room again: take what waited in the UART, listen again. */
		rx_held = false;
		set_ier(IER_RX_DATA, true);
		rx_drain();
	}
	irq_restore(irq);
	return n;
}

uint32_t
serial_rx_buffered(void)
{
	return rx_head - rx_tail;
}

void
serial_rx_discard(void)
{
	bool irq = irq_save();

	rx_tail = rx_head;
	if (rx_held) {
		rx_held = false;
		set_ier(IER_RX_DATA, true);
	}
	irq_restore(irq);
}

void
serial_rx_stats(uint64_t *received, uint64_t *overruns)
{
	*received = rx_received;
	*overruns = rx_overruns;
}

void
serial_write_raw(const uint8_t *s, size_t n)
{
	bool irq = irq_save();

	while (n--)
		serial_putc((char)*s++);
	irq_restore(irq);
}

uint8_t
serial_interrupt_id(void)
{
	return inb(COM1 + REG_IIR);
}
