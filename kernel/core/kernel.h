/*
 * What every kernel file needs: the console printf, panic, assertions and
 * a few helpers.  Included first by every kernel source file.
 */
#ifndef CORE_KERNEL_H
#define CORE_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* For powers of two only. */
#define ALIGN_UP(v, a)   (((v) + (a)-1) & ~((__typeof__(v))(a)-1))
#define ALIGN_DOWN(v, a) ((v) & ~((__typeof__(v))(a)-1))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#define __noreturn     __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __unused       __attribute__((unused))

/* Log levels: messages below the console level are not printed. */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/*
 * Console output.  Every line starts with a timestamp (seconds since boot
 * from the monotonic clock); kprintf continues the current line.
 */
void kprintf(const char *fmt, ...) __printf(1, 2);
void kvprintf(const char *fmt, va_list ap);
void klog(enum log_level level, const char *fmt, ...) __printf(2, 3);
void console_set_level(enum log_level level);
void console_newline_if_needed(void);
/* Writes bytes as they are (timestamps still start each line). */
void console_write_raw(const char *s, size_t n);

struct trapframe;

/*
 * Stops the machine: prints the reason, the registers (from tf when the
 * panic comes from an exception), a backtrace with symbol names, and ends
 * the run with the panic exit code under QEMU.
 */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void panic_trap(struct trapframe *tf, const char *fmt, ...)
    __printf(2, 3) __noreturn;

#define KASSERT(cond)                                                          \
	do {                                                                   \
		if (__builtin_expect(!(cond), 0))                              \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, \
			      __LINE__);                                       \
	} while (0)

/* Kernel arguments ("key=value key2 ..."), from the loader and QEMU. */
const char *karg_get(const char *key);
bool karg_flag(const char *key);

#endif
