/*
 * Sessions.  The shell starts in an anonymous session from the authority
 * broker (CapSet "broker").  `login` and `setup` run the login program in
 * its own process (through the launcher CapSet "login"), handing it the
 * terminal and the broker: the password is typed to that process and
 * checked by the credential service, and only the new Session comes back
 * to the shell.  `logout` (and Ctrl-D) ends the session, which revokes
 * every cap of its bundle wherever copies went, and starts a fresh
 * anonymous one.
 */
#include "shell.h"

#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

static capos_capid_t session = CAPOS_CAPID_INVALID;
static char user[SHELL_NAME_MAX] = "nobody";
static char profile[SHELL_NAME_MAX];
static uint64_t session_id, started_ns;

const char *
session_user(void)
{
	return user;
}

static void
text_copy(char *dst, size_t size, struct capnp_text t)
{
	size_t n = t.len < size - 1 ? t.len : size - 1;

	memcpy(dst, t.str, n);
	dst[n] = 0;
}

/* Makes s the shell's session: reads who it is and takes its bundle. */
static int
adopt(capos_capid_t s)
{
	static struct capos_call c;
	capos_Session_info_Results_reader info;
	struct capnp_list l;
	uint32_t i;
	int err;

	(void)capos_Session_info_begin(&c);
	err = capos_Session_info_send(&c, s);
	if (err)
		return err;
	info = capos_Session_info_results(&c);
	text_copy(user, sizeof(user),
	          capos_Session_info_Results_get_user(info));
	text_copy(profile, sizeof(profile),
	          capos_Session_info_Results_get_profile(info));
	session_id = capos_Session_info_Results_get_id(info);
	started_ns = capos_Session_info_Results_get_startedNs(info);

	(void)capos_Session_caps_begin(&c);
	err = capos_Session_caps_send(&c, s);
	if (err)
		return err;
	l = capos_Session_caps_Results_get_caps(capos_Session_caps_results(&c));
	for (i = 0; i < l.len; i++) {
		capos_BundleCap_reader b = capos_BundleCap_at(l, i);
		char name[SHELL_NAME_MAX];
		uint64_t iface;
		struct capnp_ptr cp = capos_BundleCap_get_cap(b);
		capos_capid_t cap =
		    cp.type == CAPNP_PTR_CAP
		        ? capos_call_result_cap(&c, cp.u.cap, &iface)
		        : CAPOS_CAPID_INVALID;

		if (cap == CAPOS_CAPID_INVALID)
			continue;
		text_copy(name, sizeof(name), capos_BundleCap_get_name(b));
		if (!captab_add(name, cap, iface, ORIGIN_SESSION)) {
			sh_printf("session: no room for cap %s\n", name);
			capos_release(cap);
		}
	}
	session = s;
	return 0;
}

/* Ends the current session (its bundle is revoked everywhere). */
static void
end_session(void)
{
	if (session == CAPOS_CAPID_INVALID)
		return;
	captab_drop(ORIGIN_SESSION);
	(void)capos_call_empty(session, capos_Session_TYPE_ID,
	                       capos_Session_METHOD_end);
	capos_release(session);
	session = CAPOS_CAPID_INVALID;
}

bool
session_start_anonymous(void)
{
	static struct capos_call c;
	capos_capid_t broker =
	    captab_get("broker", capos_AuthorityBroker_TYPE_ID);
	capos_capid_t s;
	int err;

	if (broker == CAPOS_CAPID_INVALID) {
		sh_printf("shell: no broker: this shell has no session\n");
		return false;
	}
	(void)capos_AuthorityBroker_anonymous_begin(&c);
	err = capos_AuthorityBroker_anonymous_send(&c, broker);
	if (!err) {
		s = capos_call_result_cap(
		    &c,
		    capos_AuthorityBroker_anonymous_Results_get_session(
		        capos_AuthorityBroker_anonymous_results(&c)),
		    NULL);
		err = s == CAPOS_CAPID_INVALID ? CAPOS_E_BAD_FIELD : adopt(s);
	}
	if (err) {
		sh_fail("shell", "anonymous session", err);
		return false;
	}
	return true;
}

/* Runs the login program for `login` (setup false) or `setup`. */
static int
login_dialogue(const char *cmd, bool setup)
{
	static struct capos_call c;
	static const struct capos_spawn_endpoint ep = {
	    "shell", capos_LoginOutcome_TYPE_ID};
	struct capos_spawn_grant grants[2];
	capos_capid_t launcher =
	    captab_get("login", capos_ProcessSpawner_TYPE_ID);
	capos_capid_t broker =
	    captab_get("broker", capos_AuthorityBroker_TYPE_ID);
	capos_capid_t handle, outcome, s = CAPOS_CAPID_INVALID;
	int32_t code;
	int err;

	if (launcher == CAPOS_CAPID_INVALID || broker == CAPOS_CAPID_INVALID) {
		sh_printf("%s: this shell cannot start the login program\n",
		          cmd);
		return 1;
	}
	grants[0] = (struct capos_spawn_grant){"terminal", shell_terminal};
	grants[1] = (struct capos_spawn_grant){"broker", broker};
	err = capos_spawn(launcher, "login", "login", grants, 2, &ep, 1, NULL,
	                  &handle, &outcome);
	if (err) {
		sh_fail(cmd, "starting the login program", err);
		return 1;
	}
	if (setup) {
		(void)capos_LoginOutcome_setup_begin(&c);
		err = capos_LoginOutcome_setup_send(&c, outcome);
		if (!err)
			s = capos_call_result_cap(
			    &c,
			    capos_LoginOutcome_setup_Results_get_session(
			        capos_LoginOutcome_setup_results(&c)),
			    NULL);
	} else {
		(void)capos_LoginOutcome_session_begin(&c);
		err = capos_LoginOutcome_session_send(&c, outcome);
		if (!err)
			s = capos_call_result_cap(
			    &c,
			    capos_LoginOutcome_session_Results_get_session(
			        capos_LoginOutcome_session_results(&c)),
			    NULL);
	}
	if (!err && s == CAPOS_CAPID_INVALID)
		err = CAPOS_E_BAD_FIELD;
	if (err)
		sh_fail(cmd, NULL, err);
	(void)capos_handle_wait(handle, &code);
	capos_release(handle);
	capos_release(outcome);
	if (err)
		return 1;
	end_session();
	err = adopt(s);
	if (err) {
		sh_fail(cmd, "reading the new session", err);
		capos_release(s);
		(void)session_start_anonymous();
		return 1;
	}
	sh_printf("logged in as %s (profile %s)\n", user, profile);
	return 0;
}

int
cmd_login(const struct cmdline *cl)
{
	(void)cl;
	return login_dialogue("login", false);
}

int
cmd_setup(const struct cmdline *cl)
{
	(void)cl;
	return login_dialogue("setup", true);
}

int
cmd_logout(const struct cmdline *cl)
{
	(void)cl;
	sh_printf("session of %s ended\n", user);
	end_session();
	return session_start_anonymous() ? 0 : 1;
}

int
cmd_whoami(const struct cmdline *cl)
{
	(void)cl;
	sh_printf("%s\n", user);
	return 0;
}

int
cmd_session(const struct cmdline *cl)
{
	uint64_t now = 0;
	uint32_t i, n = 0;
	capos_capid_t timer = captab_get("timer", capos_Timer_TYPE_ID);

	(void)cl;
	if (session == CAPOS_CAPID_INVALID) {
		sh_printf("session: none\n");
		return 1;
	}
	for (i = 0; i < captab_count(); i++)
		n += captab_at(i)->origin == ORIGIN_SESSION;
	sh_printf("session %016lx: user %s, profile %s, %u caps in its "
	          "bundle\n",
	          (unsigned long)session_id, user, profile, n);
	if (timer != CAPOS_CAPID_INVALID && !capos_timer_now(timer, &now) &&
	    now >= started_ns)
		sh_printf("started %lu s ago\n",
		          (unsigned long)((now - started_ns) / 1000000000ull));
	return 0;
}
