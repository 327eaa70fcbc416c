/*
 * The kernel console: kprintf over the serial port, with a timestamp at the
 * start of every line.  Interrupts are held off while a message is written
 * so an interrupt handler's message cannot split a line.
 *
 * Each line the kernel prints also goes to the kernel log ring
 * (core/log.h) as a record of pid 0, "kernel", at its klog level (info
 * for kprintf).  Bytes programs write through the Console cap go to the
 * serial port only: the log's records of programs come from LogSink,
 * under their own names.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "core/log.h"
#include "fmt/fmt.h"

#include "capos.capnp.h"

static bool at_line_start = true;
static enum log_level console_level = LOG_INFO;

/* The kernel's line being printed, for the log ring (cut to fit). */
struct kernel_line {
	char text[LOGRING_TEXT_SIZE];
	size_t len;
	uint16_t level; /* the schema's LogLevel */
};
static struct kernel_line kline = {.level = capos_LogLevel_info};

/* enum log_level in the schema's LogLevel numbering. */
static const uint16_t schema_level[] = {
    [LOG_DEBUG] = capos_LogLevel_debug,
    [LOG_INFO] = capos_LogLevel_info,
    [LOG_WARN] = capos_LogLevel_warn,
    [LOG_ERROR] = capos_LogLevel_error,
};

static void
kernel_line_add(struct kernel_line *l, const char *s, size_t n, bool end)
{
	size_t room = sizeof(l->text) - 1 - l->len;

	memcpy(l->text + l->len, s, MIN(n, room));
	l->len += MIN(n, room);
	if (!end)
		return;
	log_kernel_line(l->level, l->text, l->len);
	l->len = 0;
	l->level = capos_LogLevel_info;
}

/* ctx: the kernel line the bytes belong to, or NULL for a program's. */
static void
console_sink(void *ctx, const char *s, size_t n)
{
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
		if (ctx)
			kernel_line_add(ctx, s, nl ? chunk - 1 : chunk, nl);
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

	fmt_vformat(console_sink, &kline, fmt, ap);
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
	kline.level = schema_level[level];
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
