/*
 * libcbench: the C library rows of make bench, one source for both
 * systems, linked with the same musl: with capos-cc on capOS (spawned by
 * ringbench, its system calls answered by the shim) and with Debian's
 * musl-gcc -static on Linux (run by linuxbench from the initramfs).  So
 * the two columns differ only in what is under musl.
 *
 *   libc_printf    printf of one line to stdout (a terminal: line
 *                  buffered, so one write per line)
 *   libc_write     write(1) of one line: the system call printf ends in
 *                  (capOS: Console.write; Linux: the serial tty), so
 *                  printf minus this is musl's formatting and stdio
 *   libc_malloc32  malloc of 32 bytes and its free, sixteen blocks live
 *                  at a time
 *
 * Prints BENCH lines (bench/bench.h); exits 1 when a row failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../bench.h"

#define LINE_ITERS   64
#define MALLOC_ITERS 500
#define MALLOC_LIVE  16
#define MALLOC_SIZE  32

static const char line[] = "libcbench: a line of output, 38 bytes\n";

static unsigned long
printf_line(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += bench_check(printf("libcbench: printf line %6lu\n", i) ==
		                       30,
		                   "printf did not print the whole line");
	return bad;
}

static unsigned long
write_line(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += bench_check(write(1, line, sizeof(line) - 1) ==
		                       (ssize_t)sizeof(line) - 1,
		                   "write did not write the whole line");
	return bad;
}

static unsigned long
malloc_free(unsigned long iters)
{
	volatile unsigned char *p[MALLOC_LIVE];
	unsigned long i, bad = 0;
	int j;

	for (i = 0; i < iters; i++) {
		for (j = 0; j < MALLOC_LIVE; j++) {
			p[j] = malloc(MALLOC_SIZE);
			if (bench_check(p[j] != NULL, "malloc failed"))
				return bad + 1;
			p[j][0] = (unsigned char)j;
			p[j][MALLOC_SIZE - 1] = (unsigned char)j;
		}
		for (j = 0; j < MALLOC_LIVE; j++) {
			bad += bench_check(p[j][0] == (unsigned char)j &&
			                       p[j][MALLOC_SIZE - 1] ==
			                           (unsigned char)j,
			                   "a block lost what was written");
			free((void *)p[j]);
		}
	}
	return bad;
}

int
main(void)
{
	int failed = 0;

	failed |= bench_run("libc_printf", printf_line, LINE_ITERS, 1);
	failed |= bench_run("libc_write", write_line, LINE_ITERS, 1);
	failed |=
	    bench_run("libc_malloc32", malloc_free, MALLOC_ITERS, MALLOC_LIVE);
	return failed ? 1 : 0;
}
