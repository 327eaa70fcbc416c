/*
 * serialtest: SerialPort's own rules, with nobody typing (run=serialtest;
 * the terminal run of the services suite types).  Checks are KTEST lines
 * (prefix "serial.").
 *
 *   - max 0 is invalidArgument; a read with timeout 0 answers at once
 *     with nothing, and claims the input (stats names an owner);
 *   - a read with a timeout answers with nothing, no earlier than asked;
 *   - a result buffer too small for max bytes is CAPOS_E_TRUNCATED;
 *   - writes: 4096 bytes pass, 4097 are invalidArgument;
 *   - a waiting read: a second one is overloaded; releasing the cap
 *     cancels the first (CAPOS_E_CANCELLED).
 */
#include "capos.h"
#include "capnp/frame.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define MS       1000000ull
#define SHORT_NS (20 * MS)
#define LONG_NS  (60000 * MS)

static struct capos_call c;
static capos_capid_t serial;

/* SerialPort.read through the stubs: the error, and the bytes in *len. */
static int
read_port(uint32_t max, uint64_t timeout_ns, size_t *len)
{
	capos_SerialPort_read_Params_builder p =
	    capos_SerialPort_read_begin(&c);
	int err;

	capos_SerialPort_read_Params_set_max(p, max);
	capos_SerialPort_read_Params_set_timeoutNs(p, timeout_ns);
	err = capos_SerialPort_read_send(&c, serial);
	*len = err ? 0
	           : capos_SerialPort_read_Results_get_data(
	                 capos_SerialPort_read_results(&c))
	                 .len;
	return err;
}

/* A read through a raw call description, submitted under tag. */
struct raw_read {
	struct capos_msgbuf mb;
	struct capos_call_desc d;
	uint8_t result[2048] __attribute__((aligned(8)));
};

static int
raw_read_begin(struct raw_read *r, uint32_t max, uint64_t timeout_ns,
               uint32_t result_cap)
{
	capos_SerialPort_read_Params_builder p;

	capos_msg_begin(&r->mb);
	p = capos_SerialPort_read_Params_build_root(&r->mb.b);
	capos_SerialPort_read_Params_set_max(p, max);
	capos_SerialPort_read_Params_set_timeoutNs(p, timeout_ns);
	if (capos_msg_end(&r->mb))
		return -1;
	r->d = (struct capos_call_desc){
	    .cap = serial,
	    .interface_id = capos_SerialPort_TYPE_ID,
	    .method = capos_SerialPort_METHOD_read,
	    .params = r->mb.framed,
	    .params_len = r->mb.framed_len,
	    .result = r->result,
	    .result_cap = result_cap,
	};
	return 0;
}

static void
check_reads(capos_capid_t timer)
{
	static struct raw_read small;
	struct capos_reply reply;
	uint64_t t0 = 0, t1 = 0;
	size_t len;
	int err;

	err = read_port(0, 0, &len);
	ktest_check_exception(err, capos_ExceptionType_invalidArgument,
	                      "max_0_refused");
	err = read_port(64, 0, &len);
	ktest_check(err == 0 && len == 0, "timeout_0_answers_at_once",
	            "%s, %u bytes", capos_strerror(err), (unsigned)len);
	capos_SerialPort_stats_begin(&c);
	err = capos_SerialPort_stats_send(&c, serial);
	ktest_check(err == 0 && capos_SerialPort_stats_Results_get_owner(
	                            capos_SerialPort_stats_results(&c)) != 0,
	            "first_reader_owns", "%s", capos_strerror(err));

	capos_timer_now(timer, &t0);
	err = read_port(64, SHORT_NS, &len);
	capos_timer_now(timer, &t1);
	ktest_check(err == 0 && len == 0 && t1 - t0 >= SHORT_NS,
	            "timeout_answers_empty", "%s, %u bytes after %lu ns",
	            capos_strerror(err), (unsigned)len,
	            (unsigned long)(t1 - t0));

	/* 1024 bytes of data do not fit 64 bytes of result. */
	err = raw_read_begin(&small, 1024, 0, 64);
	if (!err)
		err = capos_call(&small.d, &reply);
	ktest_check_code(err, CAPOS_E_TRUNCATED, "small_buffer_truncated");
}

/* SerialPort.write of n bytes, framed here: the stubs' params buffer
 * holds less than the port's bound. */
static int
write_port(const char *data, uint32_t n)
{
	static uint8_t arena[8192] __attribute__((aligned(8)));
	static uint8_t framed[8192 + 64] __attribute__((aligned(8)));
	static uint8_t result[256] __attribute__((aligned(8)));
	struct capos_call_desc d;
	struct capnp_builder b;
	struct capos_reply reply;
	size_t len;

	capnp_builder_init_lazy(&b, arena, sizeof(arena), 0);
	capos_SerialPort_write_Params_set_data(
	    capos_SerialPort_write_Params_build_root(&b), data, n);
	if (capnp_frame_write(&b, framed, sizeof(framed), &len))
		return -1;
	d = (struct capos_call_desc){
	    .cap = serial,
	    .interface_id = capos_SerialPort_TYPE_ID,
	    .method = capos_SerialPort_METHOD_write,
	    .params = framed,
	    .params_len = (uint32_t)len,
	    .result = result,
	    .result_cap = sizeof(result),
	};
	return capos_call(&d, &reply);
}

static void
check_writes(void)
{
	static char big[4097];
	int err;

	memset(big, '.', sizeof(big));
	big[0] = '\r';
	big[4095] = '\n';
	err = write_port(big, 4096);
	ktest_check(err == 0, "write_4096", "%s", capos_strerror(err));
	err = write_port(big, 4097);
	ktest_check_exception(err, capos_ExceptionType_invalidArgument,
	                      "write_4097_refused");
}

static void
check_waiting_read(void)
{
	static struct raw_read waiting;
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	size_t len;
	int err;

	err = raw_read_begin(&waiting, 16, LONG_NS, sizeof(waiting.result));
	if (!err)
		err = capos_call_submit(&waiting.d, tag);
	ktest_check(err == 0, "read_waits", "%s", capos_strerror(err));
	err = read_port(16, 0, &len);
	ktest_check_exception(err, capos_ExceptionType_overloaded,
	                      "second_read_overloaded");
	err = capos_release_sync(serial);
	ktest_check(err == 0, "released", "%s", capos_strerror(err));
	err = capos_wait(tag, 5000 * MS, &cqe);
	ktest_check(err == 0 && cqe.result == CAPOS_E_CANCELLED,
	            "release_cancels_read", "%s, CQE result %d",
	            capos_strerror(err), err ? 0 : cqe.result);
}

int
main(void)
{
	capos_capid_t timer;

	ktest_prefix("serial.");
	if (capos_SerialPort_find("serial", &serial) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		ktest_check(false, "caps_found", "no serial or timer cap");
		return 1;
	}
	check_reads(timer);
	check_writes();
	check_waiting_read();
	printf("serialtest: %d failures\n", ktest_failures());
	return ktest_failures();
}
