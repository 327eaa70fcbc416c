/*
 * Memory and string primitives for code shared between the kernel, userspace
 * and host tools.  Hosted builds (host tests, tools) take them from libc;
 * freestanding builds link lib/base/mem.c.
 */
#ifndef BASE_MEM_H
#define BASE_MEM_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
char *strchr(const char *s, int c);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * -ffreestanding turns off the compiler's knowledge of these, so an
 * 8-byte copy (a message word, a root pointer) was a call of twenty
 * instructions.  Through the builtins a copy or fill of a small constant
 * size is a move or two; any other still calls the functions above.
 * mem.c, which defines them, and builds that rename them do without.
 */
#if !defined(BASE_MEM_IMPL) && !defined(memcpy)
#define memcpy(d, s, n) __builtin_memcpy(d, s, n)
#define memset(d, c, n) __builtin_memset(d, c, n)
#endif
#endif

/* Copies at most size - 1 bytes of src and always terminates dst. */
static inline size_t
str_copy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size ? size - 1 : 0);

	if (size) {
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return n;
}

#endif
