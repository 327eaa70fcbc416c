/*
 * printf-style formatting shared by the kernel, userspace and host tests.
 * Output goes to a sink callback, so the same engine serves a serial
 * console, a ring-backed Console client and a bounded buffer.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with the flags '-' '0' '+'
 * ' ' '#', a width and a precision (either may be '*'), and the length
 * modifiers hh h l ll z t j.  Floating point is not supported: the kernel
 * does not use the FPU.  An unknown conversion is printed as is, so a
 * format mistake is visible instead of silently consuming arguments.
 */
#ifndef FMT_FMT_H
#define FMT_FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*fmt_sink_fn)(void *ctx, const char *s, size_t n);

/* Formats into sink; returns the number of characters produced. */
size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);
size_t fmt_format(fmt_sink_fn sink, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Bounded formatting into buf: always NUL-terminates when size > 0 and
 * returns the length the full output would have had (as C99 snprintf).
 */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * A bounded text put together piece by piece, without the format engine,
 * for the few lines on hot paths (a spawn's audit record, a clean exit).
 * buf[size] stays NUL-terminated; what does not fit is cut.
 */
struct fmt_text {
	char *buf;
	size_t size; /* > 0 */
	size_t len;
};

void fmt_put(struct fmt_text *t, const char *s, size_t n);
void fmt_put_str(struct fmt_text *t, const char *s);
void fmt_put_u64(struct fmt_text *t, uint64_t v); /* in decimal */

#endif
