/*
 * log_flooder: spawned by logtest with a Console and a LogSink while
 * logtest follows the log; writes LOG_FLOOD_WRITES warnings "wflood N",
 * N counting from 0, as fast as it can.  Exit code: failed writes.
 */
#include "capos.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"

#define LOG_FLOOD_WRITES 200

int
main(void)
{
	capos_capid_t sink;
	char text[32];
	int i, failed = 0;

	if (capos_LogSink_find("log", &sink))
		return 1;
	for (i = 0; i < LOG_FLOOD_WRITES; i++) {
		fmt_snprintf(text, sizeof(text), "wflood %d", i);
		if (capos_log_write(sink, capos_LogLevel_warn, text, NULL))
			failed++;
	}
	return failed;
}
