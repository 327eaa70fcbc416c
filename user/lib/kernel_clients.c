/*
 * Clients for the kernel's own interfaces: Console, Timer, SystemInfo's
 * memory counts and Null, over the generated stubs (capos.capnp.client.h).
 * One call structure serves them all, under a mutex (none of these waits
 * for another thread, nor calls another).  Null.ping, with neither params
 * nor results, is the plain call.
 */
#include "capos.h"

#include "capos.capnp.client.h"

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

int
capos_console_write(capos_capid_t console, const void *buf, size_t len)
{
	int err;

	capos_mutex_lock(&call_lock);
	capos_Console_write_Params_set_data(capos_Console_write_begin(&call),
	                                    buf, len);
	err = capos_Console_write_send(&call, console);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_console_write_line(capos_capid_t console, const char *text)
{
	int err;

	capos_mutex_lock(&call_lock);
	capos_Console_writeLine_Params_set_text(
	    capos_Console_writeLine_begin(&call), text, strlen(text));
	err = capos_Console_writeLine_send(&call, console);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_timer_now(capos_capid_t timer, uint64_t *ns)
{
	int err;

	capos_mutex_lock(&call_lock);
	capos_Timer_now_begin(&call);
	err = capos_Timer_now_send(&call, timer);
	if (!err) {
		*ns = capos_Timer_now_Results_get_ns(
		    capos_Timer_now_results(&call));
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_timer_sleep(capos_capid_t timer, uint64_t ns)
{
	/* Its own buffers, not the shared call: a sleep must not hold the
	 * mutex other threads' printf needs. */
	uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_call_desc d;
	struct capos_reply r;
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	int err =
	    capos_timer_sleep_submit(&d, timer, ns, buf, sizeof(buf), tag);

	if (!err)
		err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	return err ? err : capos_call_complete(&d, &cqe, &r);
}

int
capos_sysinfo_memory(capos_capid_t sysinfo, uint64_t *total, uint64_t *free)
{
	int err;

	capos_mutex_lock(&call_lock);
	capos_SystemInfo_memory_begin(&call);
	err = capos_SystemInfo_memory_send(&call, sysinfo);
	if (!err) {
		capos_SystemInfo_memory_Results_reader r =
		    capos_SystemInfo_memory_results(&call);

		*total = capos_SystemInfo_memory_Results_get_totalFrames(r);
		*free = capos_SystemInfo_memory_Results_get_freeFrames(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_null_ping(capos_capid_t null)
{
	return capos_call_empty(null, capos_Null_TYPE_ID,
	                        capos_Null_METHOD_ping);
}
