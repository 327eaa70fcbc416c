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

#endif
