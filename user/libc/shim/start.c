/*
 * Start and end of a program built on the C library.
 *
 * crt0.S calls capos_start with the kernel's entry registers, as for every
 * capOS program.  The runtime's ring state is set up first (musl's start
 * makes system calls), then musl's __libc_start_main gets what a Linux
 * process finds on its stack: argc, argv, an empty environment and an
 * auxiliary vector.  The program headers are not mapped in a capOS image,
 * so AT_PHDR points at one made here: the PT_TLS header, from the bounds
 * user/user.ld exports, which is all musl looks for in a static program.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "capos_libc.h"
#include "fmt/fmt.h"
#include "internal.h"
#include "shim.h"

#include "capos.capnp.h"

int main();
int __libc_start_main(int (*)(), int, char **, void (*)(void), void (*)(void),
                      void (*)(void));

extern const uint8_t __capos_tls_start[], __capos_tdata_end[];
extern const uint8_t __capos_tls_end[], __capos_tls_align[];

/* Optional: a program's own argv (capos_libc.h). */
extern char *const capos_libc_argv[] __attribute__((weak));

#define ARGV_MAX 64

static Elf64_Phdr tls_phdr;
static uint8_t at_random[16];
static char default_name[] = "program";

/* 16 bytes for musl's stack-protector canary and pointer guard: from
 * EntropySource when the process holds one, else the timer and the pid,
 * which are no secret, since nothing better is granted. */
static void
fill_random(void)
{
	capos_capid_t cap;
	uint64_t t = 0;

	if (!capos_capset_find_interface(capos_EntropySource_TYPE_ID, &cap) &&
	    !capos_entropy_get(cap, at_random, sizeof(at_random)))
		return;
	if (!capos_capset_find_interface(capos_Timer_TYPE_ID, &cap))
		capos_timer_now(cap, &t);
	t ^= capos_proc.pid * 0x9e3779b97f4a7c15ull;
	memcpy(at_random, &t, sizeof(t));
	memcpy(at_random + 8, &capos_proc.pid, sizeof(capos_proc.pid));
}

void __attribute__((noreturn))
capos_start(struct capos_ring_page *ring, uint64_t pid,
            const struct capos_capset_page *capset)
{
	/* argv, NULL, envp NULL, then the auxiliary vector. */
	uintptr_t stack[ARGV_MAX + 2 + 2 * 8];
	unsigned argc = 0, n;

	capos_rt.ring = ring;
	capos_proc.pid = pid;
	capos_proc.capset = capset;
	fill_random();

	tls_phdr.p_type = PT_TLS;
	tls_phdr.p_flags = PF_R;
	tls_phdr.p_vaddr = (uintptr_t)__capos_tls_start;
	tls_phdr.p_filesz = (uintptr_t)(__capos_tdata_end - __capos_tls_start);
	tls_phdr.p_memsz = (uintptr_t)(__capos_tls_end - __capos_tls_start);
	tls_phdr.p_align = (uintptr_t)__capos_tls_align;

	if (capos_libc_argv)
		while (argc < ARGV_MAX && capos_libc_argv[argc]) {
			stack[argc] = (uintptr_t)capos_libc_argv[argc];
			argc++;
		}
	if (argc == 0)
		stack[argc++] = (uintptr_t)default_name;
	n = argc;
	stack[n++] = 0; /* end of argv */
	stack[n++] = 0; /* end of the (empty) environment */
	stack[n++] = AT_PHDR;
	stack[n++] = (uintptr_t)&tls_phdr;
	stack[n++] = AT_PHENT;
	stack[n++] = sizeof(tls_phdr);
	stack[n++] = AT_PHNUM;
	stack[n++] = 1;
	stack[n++] = AT_PAGESZ;
	stack[n++] = CAPOS_PAGE_SIZE;
	stack[n++] = AT_RANDOM;
	stack[n++] = (uintptr_t)at_random;
	/* AT_UID == AT_EUID and AT_GID == AT_EGID (all absent, so 0) with
	 * no AT_SECURE: musl skips its set-id program checks. */
	stack[n++] = AT_NULL;
	stack[n++] = 0;
	__libc_start_main(main, (int)argc, (char **)stack, 0, 0, 0);
	capos_sys_exit(127);
}

/* libcapos code that ends the program goes through exit(), so atexit
 * handlers run and stdio is flushed. */
void
capos_exit(int code)
{
	exit(code);
}

/* The system calls a program made that the shim does not know, as one
 * log record (when the process holds a LogSink), so what a port misses
 * shows without touching its output. */
static void
log_unsupported(void)
{
	char line[CAPOS_LOG_TEXT_MAX + 1];
	size_t len = 0, w;
	long n;

	for (n = 0; n <= CAPOS_LIBC_SYSCALLS; n++) {
		unsigned long c = capos_libc_unsupported(n);

		if (!c)
			continue;
		if (len == 0)
			len = fmt_snprintf(line, sizeof(line),
			                   "libc: unsupported system calls "
			                   "(number x count):");
		w = fmt_snprintf(line + len, sizeof(line) - len, " %ld x%lu", n,
		                 c);
		if (w >= sizeof(line) - len) {
			/* Full: one record says as much as fits. */
			line[len] = '\0';
			break;
		}
		len += w;
	}
	if (len)
		capos_log(capos_LogLevel_info, "%s", line);
}

long
shim_sys_exit_group(SHIM_ARGS)
{
	log_unsupported();
	capos_sys_exit((int32_t)a0);
}

/* The kernel's loader refuses a binary without the ABI it was built
 * for. */
CAPOS_ELFNOTE_ABI_DEFINE(capos_libc_abi_note);
