/*
 * The kernel console: kprintf over the serial port, with a timestamp at the
 * start of every line.  Interrupts are held off while a message is written
 * so an interrupt handler's message cannot split a line.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "fmt/fmt.h"

static bool at_line_start = true;
static enum log_level console_level = LOG_INFO;

static void
console_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t chunk = nl ? (size_t)(nl - s) + 1 : n;

		if (at_line_start) {
			char stamp[24];
			uint64_t ns = clock_ns();
			size_t len;

			len =
			    fmt_snprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ",
			                 (unsigned long)(ns / 1000000000),
			                 (unsigned long)(ns / 1000 % 1000000));
			serial_write(stamp, MIN(len, sizeof(stamp) - 1));
			at_line_start = false;
		}
		serial_write(s, chunk);
		if (nl)
			at_line_start = true;
		s += chunk;
		n -= chunk;
	}
}

void
kvprintf(const char *fmt, va_list ap)
{
	bool irq = irq_save();

	fmt_vformat(console_sink, NULL, fmt, ap);
	irq_restore(irq);
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void
klog(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {"debug: ", "",
	                                     "warning: ", "error: "};
	va_list ap;

	if (level < console_level)
		return;
	if (prefix[level][0])
		kprintf("%s", prefix[level]);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void
console_set_level(enum log_level level)
{
	console_level = level;
}

/* Starts a fresh line, e.g. before a panic message. */
void
console_newline_if_needed(void)
{
	if (!at_line_start)
		kprintf("\n");
}

void
console_write_raw(const char *s, size_t n)
{
	bool irq = irq_save();

	console_sink(NULL, s, n);
	irq_restore(irq);
}
