#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_putc(char c);
/* Writes n bytes, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *s, size_t n);
/* Waits (bounded) until every byte written has left the UART, so a
 * power off or reset loses none of the log. */
void serial_flush(void);

#endif
