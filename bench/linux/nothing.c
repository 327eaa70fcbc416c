/*
 * nothing: the minimal process for the spawn benchmark.  No C library:
 * its first instruction leads straight to exit_group(0), so fork + exec +
 * wait measures the kernel's work, not a libc's start-up.
 */
__attribute__((noreturn)) void
_start(void)
{
	__asm__ volatile("syscall"
	                 :
	                 : "a"(231), "D"(0)
	                 : "rcx", "r11", "memory");
	__builtin_unreachable();
}
