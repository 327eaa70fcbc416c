/*
 * In-kernel tests, selected with the kernel argument test=NAME by the QEMU
 * boot suite (tests/boot).  A test that checks behaviour prints one line
 * per check ("KTEST ok name" / "KTEST not ok name: why") and ends the run
 * with the pass or fail exit code; a test that provokes a fault expects
 * the panic path to end the run.
 */
#ifndef CORE_SELFTEST_H
#define CORE_SELFTEST_H

#include <stdint.h>

/* Tests that must run before memory management is set up. */
void selftest_early(uint64_t info_phys);
void selftest_run(const char *name) __attribute__((noreturn));

#endif
