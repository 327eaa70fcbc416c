/*
 * spin: runs forever without ever entering the kernel, for the
 * scheduler's tests (tests/boot/run.sh runs it beside cpustate and
 * ringtest: every other process must still run) and for a shell user to
 * try Ctrl-C on.  With "stdio" it first says so; the shell stops it
 * with ProcessHandle.kill.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

static const char banner[] = "spinning; Ctrl-C stops me\n";

int
main(void)
{
	static struct capos_call c;
	volatile uint64_t n = 0;
	capos_capid_t stdio;

	if (capos_StdIO_find("stdio", &stdio) == 0) {
		capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c),
		                                  banner, sizeof(banner) - 1);
		(void)capos_StdIO_write_send(&c, stdio);
	}
	for (;;)
		n++;
}
