/*
 * The formatting engine.  Numbers are converted right to left into a small
 * local buffer, then padded; nothing allocates and nothing reads past the
 * format string or the arguments it names.
 */
#include "fmt/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"

enum {
	F_LEFT = 1 << 0,  /* '-': pad on the right */
	F_ZERO = 1 << 1,  /* '0': pad numbers with zeros */
	F_PLUS = 1 << 2,  /* '+': always print a sign */
	F_SPACE = 1 << 3, /* ' ': space where a '+' would go */
	F_ALT = 1 << 4,   /* '#': 0x prefix for hex, 0 for octal */
};

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;
};

static void
emit(struct out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	o->sink(o->ctx, s, n);
	o->count += n;
}

static void
emit_repeat(struct out *o, char c, int n)
{
	char chunk[16];
	int k;

	if (n <= 0)
		return;
	memset(chunk, c, sizeof(chunk));
	while (n > 0) {
		k = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);
		emit(o, chunk, (size_t)k);
		n -= k;
	}
}

/* Writes a string padded to width; precision (>= 0) limits its length. */
static void
emit_str(struct out *o, const char *s, int width, int prec, int flags)
{
	size_t len;

	if (!s)
		s = "(null)";
	len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
	if (!(flags & F_LEFT))
		emit_repeat(o, ' ', width - (int)len);
	emit(o, s, len);
	if (flags & F_LEFT)
		emit_repeat(o, ' ', width - (int)len);
}

static void
emit_num(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
         int width, int prec, int flags)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24]; /* 22 octal digits hold 2^64 - 1 */
	char prefix[3];
	int len = 0, plen = 0, zeros, total;
	bool is_zero = v == 0;

	while (v) {
		buf[sizeof(buf) - 1 - len++] = digits[v % base];
		v /= base;
	}
	/* A precision of 0 prints no digits for 0, as C requires. */
	if (len == 0 && prec != 0)
		buf[sizeof(buf) - 1 - len++] = '0';

	if (neg)
		prefix[plen++] = '-';
	else if (flags & F_PLUS)
		prefix[plen++] = '+';
	else if (flags & F_SPACE)
		prefix[plen++] = ' ';
	if ((flags & F_ALT) && base == 16 && !is_zero) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	}
	if ((flags & F_ALT) && base == 8 && (is_zero ? len == 0 : prec <= len))
		prefix[plen++] = '0';

	zeros = prec > len ? prec - len : 0;
	/* '0' pads to the width only when no precision was given. */
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0 &&
	    width > plen + len)
		zeros = width - plen - len;
	total = plen + zeros + len;

	if (!(flags & F_LEFT))
		emit_repeat(o, ' ', width - total);
	emit(o, prefix, (size_t)plen);
	emit_repeat(o, '0', zeros);
	emit(o, buf + sizeof(buf) - len, (size_t)len);
	if (flags & F_LEFT)
		emit_repeat(o, ' ', width - total);
}

static uint64_t
fetch_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t
fetch_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

size_t
fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap_in)
{
	struct out o = {sink, ctx, 0};
	const char *start;
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		int flags = 0, width = 0, prec = -1;
		enum length len = LEN_INT;
		int64_t sv;
		uint64_t uv;
		char c;

		start = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		emit(&o, start, (size_t)(fmt - start));
		if (!*fmt)
			break;
		start = fmt++; /* start points at '%' for error echoing */

		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9' && width < 10000)
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9' &&
				       prec < 10000)
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		switch (*fmt) {
		case 'h':
			len = LEN_SHORT;
			if (*++fmt == 'h') {
				len = LEN_CHAR;
				fmt++;
			}
			break;
		case 'l':
			len = LEN_LONG;
			if (*++fmt == 'l') {
				len = LEN_LLONG;
				fmt++;
			}
			break;
		case 'z':
		case 't':
			len = LEN_SIZE;
			fmt++;
			break;
		case 'j':
			len = LEN_LLONG;
			fmt++;
			break;
		}

		switch (c = *fmt) {
		case 'd':
		case 'i':
			sv = fetch_signed(&ap, len);
			uv = sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv;
			emit_num(&o, uv, sv < 0, 10, false, width, prec, flags);
			break;
		case 'u':
			uv = fetch_unsigned(&ap, len);
			emit_num(&o, uv, false, 10, false, width, prec, flags);
			break;
		case 'x':
		case 'X':
			uv = fetch_unsigned(&ap, len);
			emit_num(&o, uv, false, 16, c == 'X', width, prec,
			         flags);
			break;
		case 'o':
			uv = fetch_unsigned(&ap, len);
			emit_num(&o, uv, false, 8, false, width, prec, flags);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			emit_num(&o, uv, false, 16, false, width, prec,
			         flags | F_ALT);
			break;
		case 's':
			emit_str(&o, va_arg(ap, const char *), width, prec,
			         flags);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				emit_repeat(&o, ' ', width - 1);
			emit(&o, &ch, 1);
			if (flags & F_LEFT)
				emit_repeat(&o, ' ', width - 1);
			break;
		}
		case '%':
			emit(&o, "%", 1);
			break;
		case '\0':
			/* A lone '%' at the end: show it rather than drop it. */
			emit(&o, start, (size_t)(fmt - start));
			continue;
		default:
			emit(&o, start, (size_t)(fmt + 1 - start));
			break;
		}
		fmt++;
	}
	va_end(ap);
	return o.count;
}

size_t
fmt_format(fmt_sink_fn sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vformat(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

struct bounded {
	char *buf;
	size_t size;
	size_t used;
};

static void
bounded_sink(void *ctx, const char *s, size_t n)
{
	struct bounded *b = ctx;
	size_t room;

	if (b->used + 1 >= b->size) {
		b->used += n;
		return;
	}
	room = b->size - 1 - b->used;
	memcpy(b->buf + b->used, s, n < room ? n : room);
	b->used += n;
}

size_t
fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bounded b = {buf, size, 0};
	size_t n;

	n = fmt_vformat(bounded_sink, &b, fmt, ap);
	if (size > 0)
		buf[n < size - 1 ? n : size - 1] = '\0';
	return n;
}

size_t
fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void
fmt_put(struct fmt_text *t, const char *s, size_t n)
{
	if (t->len + 1 >= t->size)
		return;
	if (n > t->size - 1 - t->len)
		n = t->size - 1 - t->len;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void
fmt_put_str(struct fmt_text *t, const char *s)
{
	fmt_put(t, s, strlen(s));
}

void
fmt_put_u64(struct fmt_text *t, uint64_t v)
{
	char digits[20];
	size_t nd = 0;

	do
		digits[sizeof(digits) - 1 - nd++] = (char)('0' + v % 10);
	while ((v /= 10) && nd < sizeof(digits));
	fmt_put(t, digits + sizeof(digits) - nd, nd);
}
