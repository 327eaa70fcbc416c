/*
 * spin: runs forever, for the scheduler's tests (tests/boot/run.sh runs
 * it beside cpustate and ringtest: every other process must still run)
 * and for a shell user to try Ctrl-C on.  With "stdio" it first says so;
 * the shell stops it with ProcessHandle.kill.
 *
 * Without "timer" it never enters the kernel again.  With "timer" and
 * "stdio" as well it still spins, but every CHECK_NS it writes nothing
 * (an empty StdIO.write) to learn whether its stdio still works, and
 * exits with 3 once it does not: a background spin started from a
 * session ends when logout revokes the session's caps.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define CHECK_NS 500000000ull

static const char banner[] = "spinning; Ctrl-C stops me\n";

static int
stdio_write(capos_capid_t stdio, const char *s, uint32_t n)
{
	static struct capos_call c;

	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c), s, n);
	return capos_StdIO_write_send(&c, stdio);
}

int
main(void)
{
	volatile uint64_t n = 0;
	capos_capid_t stdio, timer;
	uint64_t now, next = 0;
	bool checking;

	checking = capos_StdIO_find("stdio", &stdio) == 0;
	if (checking)
		(void)stdio_write(stdio, banner, sizeof(banner) - 1);
	checking = checking && capos_Timer_find("timer", &timer) == 0;
	for (;;) {
		n++;
		if (!checking || (n & 0xffff))
			continue;
		if (capos_timer_now(timer, &now))
			return 3;
		if (now < next)
			continue;
		if (stdio_write(stdio, "", 0))
			return 3;
		next = now + CHECK_NS;
	}
}
