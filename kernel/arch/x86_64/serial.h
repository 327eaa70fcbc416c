#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COM1_ISA_IRQ 4

void serial_init(void);
void serial_putc(char c);
/* Writes n bytes, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t n);
/* Waits (bounded) until every byte written has left the UART, so a
 * power off or reset loses none of the log. */
void serial_flush(void);
/* The interrupt raised while the transmit holding register is empty: a
 * source that needs no input, so the self-test can check the route from
 * the UART through the I/O APIC. */
void serial_tx_interrupt(bool on);
/* Reads the interrupt identification register (acknowledges it). */
uint8_t serial_interrupt_id(void);

/* Writes n bytes as they are, with no newline translation. */
void serial_write_raw(const uint8_t *s, size_t n);

/*
 * Input.  Bytes the UART receives wait in a ring of SERIAL_RX_RING
 * bytes until a reader takes them.  serial_rx_start routes COM1's
 * receive interrupt through the I/O APIC (once; false when the port or
 * the route is missing); after each interrupt notify runs, with the
 * trapframe of what the interrupt stopped and interrupts off.
 */
#define SERIAL_RX_RING 4096

struct trapframe;
bool serial_rx_start(void (*notify)(const struct trapframe *tf));
/* Takes up to max bytes, oldest first; returns how many.  Safe from
 * interrupt context. */
size_t serial_rx_take(uint8_t *buf, size_t max);
uint32_t serial_rx_buffered(void);
/* Drops every byte waiting. */
void serial_rx_discard(void);
/* Bytes received so far, and bytes the UART lost (overruns). */
void serial_rx_stats(uint64_t *received, uint64_t *overruns);

#endif
