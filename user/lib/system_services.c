/*
 * Clients for the system services the kernel serves: SystemInfo's facts,
 * WallClock and ClockDiscipline, EntropySource; over the generated
 * stubs, one call structure under a mutex as kernel_clients.c does.
 */
#include "capos.h"

#include "capos.capnp.client.h"

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

/* Copies a text answer into buf, NUL-terminated. */
static int
copy_text(struct capnp_text t, char *buf, size_t len)
{
	size_t n;

	if (capnp_msg_error(&call.result_msg) || len == 0)
		return CAPOS_E_BAD_FIELD;
	n = t.str ? t.len : 0;
	if (n >= len) {
		memcpy(buf, t.str, len - 1);
		buf[len - 1] = '\0';
		return CAPOS_E_TRUNCATED;
	}
	if (n)
		memcpy(buf, t.str, n);
	buf[n] = '\0';
	return 0;
}

/* One SystemInfo text method: begin, send, copy the answer. */
#define SYSINFO_TEXT(method, field)                                            \
	int capos_sysinfo_##method(capos_capid_t si, char *buf, size_t len)    \
	{                                                                      \
		int err;                                                       \
                                                                               \
		capos_mutex_lock(&call_lock);                                  \
		capos_SystemInfo_##method##_begin(&call);                      \
		err = capos_SystemInfo_##method##_send(&call, si);             \
		if (!err)                                                      \
			err = copy_text(                                       \
			    capos_SystemInfo_##method##_Results_get_##field(   \
			        capos_SystemInfo_##method##_results(&call)),   \
			    buf, len);                                         \
		capos_mutex_unlock(&call_lock);                                \
		return err;                                                    \
	}

SYSINFO_TEXT(hostname, hostname)
SYSINFO_TEXT(motd, motd)
SYSINFO_TEXT(version, version)

int
capos_sysinfo_boot_time(capos_capid_t si, int64_t *unix_ns, int *provenance)
{
	capos_SystemInfo_bootTime_Results_reader r;
	int err;

	capos_mutex_lock(&call_lock);
	capos_SystemInfo_bootTime_begin(&call);
	err = capos_SystemInfo_bootTime_send(&call, si);
	if (!err) {
		r = capos_SystemInfo_bootTime_results(&call);
		*unix_ns = capos_SystemInfo_bootTime_Results_get_unixNs(r);
		*provenance =
		    (int)capos_SystemInfo_bootTime_Results_get_provenance(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_wallclock_now(capos_capid_t wallclock, int64_t *unix_ns, int *provenance)
{
	capos_WallClock_now_Results_reader r;
	int err;

	capos_mutex_lock(&call_lock);
	capos_WallClock_now_begin(&call);
	err = capos_WallClock_now_send(&call, wallclock);
	if (!err) {
		r = capos_WallClock_now_results(&call);
		*unix_ns = capos_WallClock_now_Results_get_unixNs(r);
		*provenance =
		    (int)capos_WallClock_now_Results_get_provenance(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_clock_set(capos_capid_t clockset, int64_t unix_ns)
{
	int err;

	capos_mutex_lock(&call_lock);
	capos_ClockDiscipline_set_Params_set_unixNs(
	    capos_ClockDiscipline_set_begin(&call), unix_ns);
	err = capos_ClockDiscipline_set_send(&call, clockset);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_entropy_get(capos_capid_t entropy, void *buf, size_t len)
{
	uint8_t *p = buf;
	struct capnp_data d;
	size_t n;
	int err = 0;

	capos_mutex_lock(&call_lock);
	for (; len && !err; len -= n, p += n) {
		n = len < CAPOS_ENTROPY_CALL_MAX ? len : CAPOS_ENTROPY_CALL_MAX;
		capos_EntropySource_getBytes_Params_set_count(
		    capos_EntropySource_getBytes_begin(&call), (uint32_t)n);
		err = capos_EntropySource_getBytes_send(&call, entropy);
		if (err)
			break;
		d = capos_EntropySource_getBytes_Results_get_data(
		    capos_EntropySource_getBytes_results(&call));
		if (capnp_msg_error(&call.result_msg) || d.len != n)
			err = CAPOS_E_BAD_FIELD;
		else
			memcpy(p, d.ptr, n);
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_entropy_info(capos_capid_t entropy, int *seeded_from, uint64_t *reseeds)
{
	capos_EntropySource_info_Results_reader r;
	int err;

	capos_mutex_lock(&call_lock);
	capos_EntropySource_info_begin(&call);
	err = capos_EntropySource_info_send(&call, entropy);
	if (!err) {
		r = capos_EntropySource_info_results(&call);
		*seeded_from =
		    (int)capos_EntropySource_info_Results_get_seededFrom(r);
		*reseeds = capos_EntropySource_info_Results_get_reseeds(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}
