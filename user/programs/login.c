/*
 * login: the login dialogue, in a process of its own (docs/sessions.md).
 * The shell starts it for `login` and `setup` with the terminal
 * ("terminal", TerminalSession) and the broker ("broker",
 * AuthorityBroker), and calls LoginOutcome on the endpoint it serves
 * ("shell").  The username and the hidden password are typed to this
 * process, handed to the broker (which has the credential service check
 * them), and wiped; only the Session comes back to the shell.  One
 * dialogue, then it exits.
 *
 * Exit codes: 0 a session was handed over, 1 the dialogue failed (the
 * shell shows why), 2 a cap is missing, 3 nobody called.
 */
#include "capos.h"
#include "capos_serve.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define FIELD_MAX 129 /* a password of 128 bytes and its NUL */

static capos_capid_t terminal, broker;
static struct capos_call c;
static bool handed_over;

static void
say(const char *s)
{
	capos_TerminalSession_write_Params_set_data(
	    capos_TerminalSession_write_begin(&c), s, strlen(s));
	(void)capos_TerminalSession_write_send(&c, terminal);
}

/* Writes prompt and reads one line into buf; false (with *why) when the
 * person pressed Ctrl-C or Ctrl-D, or the terminal failed. */
static bool
ask(const char *prompt, bool echo, char *buf, size_t size, const char **why)
{
	capos_TerminalSession_readLine_Results_reader r;
	struct capnp_text t;

	say(prompt);
	capos_TerminalSession_readLine_Params_set_echo(
	    capos_TerminalSession_readLine_begin(&c), echo);
	if (capos_TerminalSession_readLine_send(&c, terminal)) {
		*why = "the terminal failed";
		return false;
	}
	r = capos_TerminalSession_readLine_results(&c);
	if (capos_TerminalSession_readLine_Results_get_event(r) !=
	    capos_TerminalEvent_line) {
		*why = "cancelled";
		return false;
	}
	/* A hidden line leaves the cursor where the prompt ended. */
	if (!echo)
		say("\n");
	t = capos_TerminalSession_readLine_Results_get_line(r);
	if (t.len >= size) {
		*why = echo ? "the username is too long"
		            : "the password is too long";
		return false;
	}
	memcpy(buf, t.str, t.len);
	buf[t.len] = 0;
	return true;
}

/* Forgets what was typed: the buffers and every call buffer it went
 * through. */
static void
wipe(char *p_, char *q_)
{
	volatile char *p = p_, *q = q_;
	size_t i;

	for (i = 0; i < FIELD_MAX; i++)
		p[i] = q[i] = 0;
	memset(&c, 0, sizeof(c));
	__asm__ volatile("" ::: "memory");
}

static char user[FIELD_MAX], pass[FIELD_MAX], again[FIELD_MAX];

/* The broker's answer to login or setup: the session's cap, or the
 * reason it failed in why. */
static capos_capid_t
ask_broker(bool setup, char *why, size_t size)
{
	const struct capos_exception *e;
	uint32_t index = UINT32_MAX;
	int err;

	if (setup) {
		capos_AuthorityBroker_setup_Params_builder p =
		    capos_AuthorityBroker_setup_begin(&c);

		capos_AuthorityBroker_setup_Params_set_user(p, user,
		                                            strlen(user));
		capos_AuthorityBroker_setup_Params_set_password(p, pass,
		                                                strlen(pass));
		err = capos_AuthorityBroker_setup_send(&c, broker);
		if (!err)
			index = capos_AuthorityBroker_setup_Results_get_session(
			    capos_AuthorityBroker_setup_results(&c));
	} else {
		capos_AuthorityBroker_login_Params_builder p =
		    capos_AuthorityBroker_login_begin(&c);

		capos_AuthorityBroker_login_Params_set_user(p, user,
		                                            strlen(user));
		capos_AuthorityBroker_login_Params_set_password(p, pass,
		                                                strlen(pass));
		err = capos_AuthorityBroker_login_send(&c, broker);
		if (!err)
			index = capos_AuthorityBroker_login_Results_get_session(
			    capos_AuthorityBroker_login_results(&c));
	}
	if (!err)
		return capos_call_result_cap(&c, index, NULL);
	e = capos_last_exception();
	str_copy(why,
	         err == CAPOS_E_APP_EXCEPTION && e && e->message[0]
	             ? e->message
	             : capos_error_name(err),
	         size);
	return CAPOS_CAPID_INVALID;
}

/* The whole dialogue; the session (moved to the shell through sc), or
 * an exception with the reason. */
static int
dialogue(struct rpc_call *call, bool setup, uint32_t *index)
{
	struct capos_server_call *sc = capos_server_call_of(call);
	const char *why = NULL;
	char reason[128];
	capos_capid_t session;

	if (setup)
		say("Creating the operator account.\n");
	if (!ask(setup ? "new username> " : "username> ", true, user,
	         sizeof(user), &why) ||
	    !ask("password> ", false, pass, sizeof(pass), &why) ||
	    (setup &&
	     !ask("password again> ", false, again, sizeof(again), &why))) {
		wipe(pass, again);
		return rpc_exception(call, RPC_EXC_FAILED, why);
	}
	if (setup && strcmp(pass, again) != 0) {
		wipe(pass, again);
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "the passwords differ");
	}
	session = ask_broker(setup, reason, sizeof(reason));
	wipe(pass, again);
	if (session == CAPOS_CAPID_INVALID)
		return rpc_exception(call, RPC_EXC_FAILED, reason);
	*index = capos_serve_result_cap(sc, session, CAPOS_XFER_MOVE);
	handed_over = true;
	return RPC_OK;
}

static int
do_session(void *self, struct rpc_call *call,
           capos_LoginOutcome_session_Params_reader p,
           capos_LoginOutcome_session_Results_builder r)
{
	uint32_t index;
	int err = dialogue(call, false, &index);

	(void)self;
	(void)p;
	if (err == RPC_OK) {
		capos_LoginOutcome_session_Results_set_session(r, index);
		capos_LoginOutcome_session_Results_set_user(r, user,
		                                            strlen(user));
	}
	return err;
}

static int
do_setup(void *self, struct rpc_call *call,
         capos_LoginOutcome_setup_Params_reader p,
         capos_LoginOutcome_setup_Results_builder r)
{
	uint32_t index;
	int err = dialogue(call, true, &index);

	(void)self;
	(void)p;
	if (err == RPC_OK) {
		capos_LoginOutcome_setup_Results_set_session(r, index);
		capos_LoginOutcome_setup_Results_set_user(r, user,
		                                          strlen(user));
	}
	return err;
}

static const struct capos_LoginOutcome_server outcome_impl = {
    .session = do_session,
    .setup = do_setup,
};

int
main(void)
{
	static uint8_t buf[4096] __attribute__((aligned(8)));
	capos_capid_t owner;

	if (capos_TerminalSession_find("terminal", &terminal) ||
	    capos_AuthorityBroker_find("broker", &broker) ||
	    capos_capset_find("shell", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	if (capos_serve_one(owner, &capos_LoginOutcome_interface, &outcome_impl,
	                    NULL, buf, sizeof(buf)) < 0)
		return 3;
	return handed_over ? 0 : 1;
}
