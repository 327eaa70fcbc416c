/*
 * QEMU-specific hooks: the isa-debug-exit device that ends a test run
 * with a status, and the fw_cfg interface through which the test harness
 * passes extra kernel arguments.  On other machines the port writes go
 * nowhere and qemu_exit() just halts.
 */
#ifndef ARCH_X86_64_QEMU_H
#define ARCH_X86_64_QEMU_H

#include <stddef.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4
/* QEMU exits with status (code << 1) | 1: pass 33, fail 35, panic 37. */
#define QEMU_EXIT_PASS  0x10
#define QEMU_EXIT_FAIL  0x11
#define QEMU_EXIT_PANIC 0x12

void qemu_exit(unsigned code) __attribute__((noreturn));

/*
 * Copies the fw_cfg file opt/capos/cmdline into buf (NUL-terminated) and
 * returns its length, or 0 when there is no such file or no fw_cfg.
 */
size_t qemu_fwcfg_cmdline(char *buf, size_t size);

#endif
