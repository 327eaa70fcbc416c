/*
 * A minimal capOS-style executable, built at test time in several
 * variants (see mk/abi.mk) and fed to the ELF parser as real linker
 * output.  It is never run.
 *
 *   TINY_NO_NOTE  leave out the capOS ABI note
 *   TINY_TLS      add initialised and zeroed thread-local data (PT_TLS)
 *   TINY_HOSTED   an ordinary hosted program (dynamically linked)
 */
#ifdef TINY_HOSTED
int
main(void)
{
	return 0;
}
#else
#include <capos/elfnote.h>
#include <capos/syscall.h>

#ifndef TINY_NO_NOTE
CAPOS_ELFNOTE_ABI_DEFINE(tiny_abi_note);
#endif

/* Writable data, so the binary has a separate RW segment. */
static volatile int tiny_data = 42;
static const char tiny_rodata[] = "tiny";

#ifdef TINY_TLS
__thread volatile int tiny_tls_counter = 7;
__thread volatile int tiny_tls_zero;
#endif

void _start(void);

void
_start(void)
{
	int code = tiny_data + tiny_rodata[0];

#ifdef TINY_TLS
	code += tiny_tls_counter + tiny_tls_zero;
#endif
	capos_sys_exit(code);
}
#endif
