/*
 * Freestanding memory and string primitives.  The compiler may emit calls to
 * memcpy/memset/memmove/memcmp on its own, so these exist in every
 * freestanding image.
 */
#define BASE_MEM_IMPL /* defines them: no builtin aliases (mem.h) */
#include "base/mem.h"

#include <stdint.h>

/* A word that may sit at any address and alias anything: x86 loads and
 * stores unaligned words at full speed. */
typedef uint64_t __attribute__((may_alias, aligned(1))) uword;

/*
 * Copies and fills go a word at a time, then byte by byte for the tail:
 * the ring copies 64-byte SQEs and 32-byte CQEs on every operation, and a
 * byte loop made those copies most of a NOP's cost.
 */
/* From this size on, the string instructions move a word per step with
 * no loop overhead of our own. */
#define STRING_OP_MIN 256

void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

#if defined(__x86_64__)
	if (n >= STRING_OP_MIN) {
		size_t words = n / 8;

		__asm__ volatile("rep movsq"
		                 : "+D"(d), "+S"(s), "+c"(words)
		                 :
		                 : "memory");
		n &= 7;
	}
#endif
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(uword *)d = *(const uword *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d < (uintptr_t)s) {
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = 0x0101010101010101ull * (unsigned char)c;

#if defined(__x86_64__)
	if (n >= STRING_OP_MIN) {
		size_t words = n / 8;

		__asm__ volatile("rep stosq"
		                 : "+D"(d), "+c"(words)
		                 : "a"(w)
		                 : "memory");
		n &= 7;
	}
#endif
	for (; n >= 8; n -= 8, d += 8)
		*(uword *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
