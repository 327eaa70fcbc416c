/*
 * brokertest: the authority broker (user/programs/broker.c) as a client
 * sees it (services suite case broker, manifest system/tests/broker.capnp
 * with the stand-in credential service credstub).  An anonymous session's
 * bundle has the anonymous profile's names and interfaces and works; a
 * wrong password is refused; the right one issues an operator session;
 * a bundle cap handed to a child fails disconnected once the session
 * ends, as do the session's own methods; facets cannot be used for each
 * other's interface; issue and end are audited.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define BUNDLE_MAX CAPOS_XFER_MAX

struct bundle {
	uint32_t n;
	char name[BUNDLE_MAX][32];
	uint64_t iid[BUNDLE_MAX];
	capos_capid_t cap[BUNDLE_MAX];
};

static capos_capid_t console, audit, broker, launcher;
static struct capos_call call;

static bool
exception_is(int err, int type)
{
	return err == CAPOS_E_APP_EXCEPTION &&
	       capos_last_exception()->type == type;
}

static const char *
why(int err)
{
	return err == CAPOS_E_APP_EXCEPTION ? capos_last_exception()->message
	                                    : capos_strerror(err);
}

/* AuthorityBroker.anonymous (user NULL) or login. */
static int
session(const char *user, const char *password, capos_capid_t *s)
{
	uint32_t idx;
	int err;

	*s = 0;
	if (!user) {
		capos_AuthorityBroker_anonymous_begin(&call);
		err = capos_AuthorityBroker_anonymous_send(&call, broker);
		if (err)
			return err;
		idx = capos_AuthorityBroker_anonymous_Results_get_session(
		    capos_AuthorityBroker_anonymous_results(&call));
	} else {
		capos_AuthorityBroker_login_Params_builder p =
		    capos_AuthorityBroker_login_begin(&call);

		capos_AuthorityBroker_login_Params_set_user(p, user,
		                                            strlen(user));
		capos_AuthorityBroker_login_Params_set_password(
		    p, password, strlen(password));
		err = capos_AuthorityBroker_login_send(&call, broker);
		if (err)
			return err;
		idx = capos_AuthorityBroker_login_Results_get_session(
		    capos_AuthorityBroker_login_results(&call));
	}
	*s = capos_call_result_cap(&call, idx, NULL);
	return *s ? 0 : CAPOS_E_BAD_FIELD;
}

static int
info(capos_capid_t s, char *user, char *profile)
{
	capos_Session_info_Results_reader r;
	struct capnp_text t;
	int err;

	capos_Session_info_begin(&call);
	err = capos_Session_info_send(&call, s);
	if (err)
		return err;
	r = capos_Session_info_results(&call);
	t = capos_Session_info_Results_get_user(r);
	str_copy(user, t.str ? t.str : "", t.str ? t.len + 1 : 1);
	t = capos_Session_info_Results_get_profile(r);
	str_copy(profile, t.str ? t.str : "", t.str ? t.len + 1 : 1);
	return 0;
}

static int
caps(capos_capid_t s, struct bundle *b)
{
	struct capnp_list l;
	uint32_t i;
	int err;

	b->n = 0;
	capos_Session_caps_begin(&call);
	err = capos_Session_caps_send(&call, s);
	if (err)
		return err;
	l = capos_Session_caps_Results_get_caps(
	    capos_Session_caps_results(&call));
	for (i = 0; i < capnp_list_len(l) && i < BUNDLE_MAX; i++) {
		capos_BundleCap_reader bc = capos_BundleCap_at(l, i);
		struct capnp_text t = capos_BundleCap_get_name(bc);
		struct capnp_ptr cp = capos_BundleCap_get_cap(bc);
		uint64_t rec_iid = 0;

		str_copy(b->name[i], t.str ? t.str : "",
		         t.str && t.len < 32 ? t.len + 1 : 1);
		b->iid[i] = capos_BundleCap_get_interfaceId(bc);
		b->cap[i] =
		    cp.type == CAPNP_PTR_CAP
		        ? capos_call_result_cap(&call, cp.u.cap, &rec_iid)
		        : 0;
		if (!b->cap[i] || rec_iid != b->iid[i])
			return CAPOS_E_BAD_FIELD;
		b->n++;
	}
	return 0;
}

static void
release_bundle(struct bundle *b)
{
	uint32_t i;

	for (i = 0; i < b->n; i++)
		capos_release_sync(b->cap[i]);
	b->n = 0;
}

static int
end(capos_capid_t s)
{
	return capos_call_empty(s, capos_Session_TYPE_ID,
	                        capos_Session_METHOD_end);
}

static bool
bundle_is(const struct bundle *b, uint32_t n, const char *const *names,
          const uint64_t *iids)
{
	uint32_t i;

	if (b->n != n)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(b->name[i], names[i]) != 0 || b->iid[i] != iids[i])
			return false;
	return true;
}

/* Echo.echo("p") on the child: how its granted "null" answers. */
static int
probe(capos_capid_t child, char *out)
{
	struct capnp_data d;
	int err;

	capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(&call), "p", 1);
	err = capos_Echo_echo_send(&call, child);
	if (err)
		return err;
	d = capos_Echo_echo_Results_get_data(capos_Echo_echo_results(&call));
	if (!d.ptr || d.len != 2)
		return CAPOS_E_BAD_FIELD;
	out[0] = (char)d.ptr[0];
	out[1] = (char)d.ptr[1];
	out[2] = 0;
	return 0;
}

static bool
contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (strncmp(s, part, n) == 0)
			return true;
	return false;
}

/* Whether the audit trail holds an event whose detail contains text. */
static bool
audited(int event, const char *text)
{
	static struct capos_log_record recs[CAPOS_LOG_READ_MAX];
	uint64_t cursor = 0, next, lost;
	uint32_t n, i;

	for (;;) {
		if (capos_audit_read(audit, cursor, CAPOS_LOG_READ_MAX, recs,
		                     &n, &next, &lost) ||
		    n == 0)
			return false;
		for (i = 0; i < n; i++)
			if (recs[i].kind == event &&
			    contains(recs[i].text, text))
				return true;
		cursor = next;
	}
}

static void
anonymous_session(void)
{
	static const char *const names[] = {"info", "null"};
	static const uint64_t iids[] = {capos_SystemInfo_TYPE_ID,
	                                capos_Null_TYPE_ID};
	char user[64], profile[64];
	struct bundle b;
	capos_capid_t s;
	int err;

	err = session(NULL, NULL, &s);
	ktest_check(err == 0, "anonymous_issues_a_session", "%s", why(err));
	if (err)
		return;
	err = info(s, user, profile);
	ktest_check(err == 0 && strcmp(user, "anonymous") == 0 &&
	                strcmp(profile, "anonymous") == 0,
	            "anonymous_session_info", "%s: %s, %s", why(err),
	            err ? "" : user, err ? "" : profile);
	err = caps(s, &b);
	ktest_check(err == 0 && bundle_is(&b, 2, names, iids),
	            "anonymous_bundle_names_and_interfaces", "%s, %u caps",
	            why(err), b.n);
	err = b.n == 2 ? capos_null_ping(b.cap[1]) : CAPOS_E_BAD_CAP;
	ktest_check(err == 0, "a_bundle_cap_works", "%s", why(err));
	err = capos_call_empty(s, capos_AuthorityBroker_TYPE_ID,
	                       capos_AuthorityBroker_METHOD_anonymous);
	ktest_check(exception_is(err, capos_ExceptionType_failed),
	            "a_session_cap_issues_no_sessions", "%s", why(err));
	err = capos_call_empty(broker, capos_Session_TYPE_ID,
	                       capos_Session_METHOD_end);
	ktest_check(exception_is(err, capos_ExceptionType_failed),
	            "the_broker_cap_is_no_session", "%s", why(err));
	err = end(s);
	ktest_check(err == 0 && b.n == 2 &&
	                exception_is(capos_null_ping(b.cap[1]),
	                             capos_ExceptionType_disconnected),
	            "end_revokes_the_anonymous_bundle", "%s", why(err));
	release_bundle(&b);
	capos_release_sync(s);
}

static void
operator_session(void)
{
	static const char *const names[] = {"info", "null", "clock"};
	static const uint64_t iids[] = {
	    capos_SystemInfo_TYPE_ID, capos_Null_TYPE_ID, capos_Timer_TYPE_ID};
	struct capos_spawn_endpoint ep = {"probe", capos_Echo_TYPE_ID};
	capos_capid_t s, handle = 0, child = 0;
	char user[64], profile[64], got[4];
	struct bundle b;
	int32_t code = -1;
	int err;

	err = session("alice", "wrong horse", &s);
	ktest_check(exception_is(err, capos_ExceptionType_failed) &&
	                strcmp(capos_last_exception()->message,
	                       "incorrect username or password") == 0,
	            "login_refuses_a_wrong_password", "%s", why(err));
	err = session("bob", "nobody home", &s);
	ktest_check(exception_is(err, capos_ExceptionType_failed),
	            "login_refuses_a_profile_not_configured", "%s", why(err));
	capos_AuthorityBroker_setup_begin(&call);
	err = capos_AuthorityBroker_setup_send(&call, broker);
	ktest_check(exception_is(err, capos_ExceptionType_failed),
	            "setup_passes_the_refusal_on", "%s", why(err));

	err = session("alice", "correct horse", &s);
	ktest_check(err == 0, "login_accepts_the_right_password", "%s",
	            why(err));
	if (err)
		return;
	err = info(s, user, profile);
	ktest_check(err == 0 && strcmp(user, "alice") == 0 &&
	                strcmp(profile, "operator") == 0,
	            "operator_session_info", "%s: %s, %s", why(err),
	            err ? "" : user, err ? "" : profile);
	err = caps(s, &b);
	ktest_check(err == 0 && bundle_is(&b, 3, names, iids),
	            "operator_bundle_names_and_interfaces", "%s, %u caps",
	            why(err), b.n);
	if (b.n == 3) {
		struct capos_spawn_grant g[] = {{"console", console},
		                                {"null", b.cap[1]},
		                                {"timer", b.cap[2]}};

		err = capos_spawn(launcher, "revoke_child", "revoke_child", g,
		                  3, &ep, 1, NULL, &handle, &child);
	}
	if (!err)
		err = probe(child, got);
	ktest_check(err == 0 && strcmp(got, "o-") == 0,
	            "a_child_uses_a_bundle_cap", "%s", why(err));
	err = end(s);
	ktest_check(err == 0, "end_ends_the_session", "%s", why(err));
	if (child) {
		err = probe(child, got);
		ktest_check(err == 0 && strcmp(got, "d-") == 0,
		            "the_childs_bundle_cap_is_disconnected_after_end",
		            "%s, \"%s\"", why(err), err ? "" : got);
		capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(&call),
		                                "x", 1);
		capos_Echo_echo_send(&call, child);
		err = capos_handle_wait(handle, &code);
		ktest_check(err == 0 && code == 0, "the_child_exits_cleanly",
		            "%s, exit code %d", why(err), code);
		capos_release_sync(child);
		capos_release_sync(handle);
	}
	err = caps(s, &(struct bundle){0});
	ktest_check(exception_is(err, capos_ExceptionType_disconnected),
	            "an_ended_session_gives_no_caps", "%s", why(err));
	err = end(s);
	ktest_check(exception_is(err, capos_ExceptionType_disconnected),
	            "an_ended_session_cannot_end_again", "%s", why(err));
	release_bundle(&b);
	capos_release_sync(s);
	ktest_check(audited(capos_AuditEvent_sessionIssued, "user alice") &&
	                audited(capos_AuditEvent_sessionRevoked, "user alice"),
	            "issue_and_end_are_audited", "no audit record");
}

int
main(void)
{
	ktest_prefix("ipc.broker.");
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("audit", capos_AuditLog_TYPE_ID, &audit) ||
	    capos_capset_find("broker", capos_AuthorityBroker_TYPE_ID,
	                      &broker) ||
	    capos_capset_find("launcher", capos_ProcessSpawner_TYPE_ID,
	                      &launcher)) {
		printf("brokertest: a grant is missing\n");
		return 1;
	}
	anonymous_session();
	operator_session();
	printf("brokertest: %d failures\n", ktest_failures());
	return ktest_failures();
}
