/*
 * flood_client: submits FLOOD echo calls without waiting, more than the
 * server's endpoint queue holds (system/tests/flood.capnp gives
 * echo_server endpointQueue = 2).  Every call must end either answered
 * with its own data or refused with CAPOS_E_QUOTA before any side effect,
 * at least one must be refused, and the server must go on serving.  KTEST
 * lines; exits with the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "fmt/fmt.h"

#define FLOOD 12

static struct capos_msgbuf params[FLOOD];
static struct capos_call_desc calls[FLOOD];
static uint64_t tags[FLOOD];
static uint8_t results[FLOOD][256] __attribute__((aligned(8)));

/* Call i echoes "call i". */
static uint32_t
text_of(int i, char *buf, size_t size)
{
	return (uint32_t)fmt_snprintf(buf, size, "call %d", i);
}

/* Whether a call that returned err with reply r in buf echoes call i. */
static bool
echoes(int err, const struct capos_reply *r, const void *buf, int i)
{
	struct capnp_msg m;
	struct capnp_data d;
	char want[16];
	uint32_t len = text_of(i, want, sizeof(want));

	if (err || capos_msg_read(&m, buf, r->len))
		return false;
	d = capos_Echo_echo_Results_get_data(
	    capos_Echo_echo_Results_read_root(&m));
	return !capnp_msg_error(&m) && d.len == len &&
	       memcmp(d.ptr, want, len) == 0;
}

int
main(void)
{
	capos_capid_t echo;
	struct capos_reply rep;
	struct capos_cqe cqe;
	int i, r, answered = 0, refused = 0, wrong = 0;
	char text[16];

	ktest_prefix("ipc.");
	if (capos_capset_find("echo", capos_Echo_TYPE_ID, &echo))
		return 100;
	/* All submitted before the kernel sees any, so one cap_enter
	 * takes them as a batch while the server has not run yet. */
	for (i = 0; i < FLOOD; i++) {
		capos_msg_begin(&params[i]);
		capos_Echo_echo_Params_set_data(
		    capos_Echo_echo_Params_build_root(&params[i].b), text,
		    text_of(i, text, sizeof(text)));
		capos_msg_end(&params[i]);
		calls[i] = (struct capos_call_desc){
		    .cap = echo,
		    .method = capos_Echo_METHOD_echo,
		    .interface_id = capos_Echo_TYPE_ID,
		    .params = params[i].framed,
		    .params_len = params[i].framed_len,
		    .result = results[i],
		    .result_cap = sizeof(results[i]),
		};
		tags[i] = capos_next_tag();
		r = capos_call_submit(&calls[i], tags[i]);
		if (r) {
			ktest_check(false, "flood.submit", "call %d: %s", i,
			            capos_strerror(r));
			return ktest_failures();
		}
	}
	for (i = 0; i < FLOOD; i++) {
		r = capos_wait(tags[i], CAPOS_TIMEOUT_INFINITE, &cqe);
		if (!r)
			r = capos_call_complete(&calls[i], &cqe, &rep);
		if (r == CAPOS_E_QUOTA)
			refused++;
		else if (echoes(r, &rep, results[i], i))
			answered++;
		else
			wrong++;
	}
	ktest_check(refused > 0, "flood.queue_bounded",
	            "all %d calls were queued", FLOOD);
	ktest_check(wrong == 0 && answered + refused == FLOOD,
	            "flood.answered_or_refused",
	            "%d answered, %d refused, %d wrong", answered, refused,
	            wrong);
	ktest_check(answered > 0, "flood.some_answered", "none answered");

	/* The server is unharmed: a call after the flood is answered. */
	r = capos_call(&calls[0], &rep);
	ktest_check(echoes(r, &rep, results[0], 0), "flood.server_survives",
	            "%s", capos_strerror(r));
	printf("flood_client: %d answered, %d refused with CAPOS_E_QUOTA\n",
	       answered, refused);
	return ktest_failures();
}
