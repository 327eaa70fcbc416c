/*
 * broker: the authority broker (docs/sessions.md, "Authority broker").
 * Issues sessions: each is a bundle of revocable forwarders
 * (CapabilityManager.revocable) of caps the broker itself holds, chosen
 * by the session's profile in the manifest (SystemManifest.profiles),
 * and ending a session revokes every copy of every cap in it.
 *
 * One endpoint, "broker", serves two interfaces.  Its facet of badge 0
 * (the export) serves AuthorityBroker; each session is a facet of the
 * same endpoint minted with Endpoint.client(Session, badge), and the
 * badge every call arrives with (capos_recv_header.badge) names the
 * session.  Only the kernel stamps a badge and only the broker mints
 * facets, so a counter is enough: nobody can call with a badge they
 * were not given, and a badge is never reused, so an ended session's
 * facets find nothing.
 *
 * CapSet: "broker" (the endpoint), "bootpkg" (the manifest's profiles),
 * "capmgr"; "credentials" (CredentialStore) for login and setup,
 * "auditwrite" (AuditWriter) to audit sessionIssued and sessionRevoked,
 * "timer" for a session's start time, all optional; and every cap a
 * profile names as a source.  Besides its CapSet, a profile may name the
 * source "stdio" when the CapSet has a "terminal" (TerminalSession): the
 * StdIO facet the terminal gives (TerminalSession.stdio), made at start,
 * which a session hands its programs as their standard input and output.  Exit codes: 2 a required cap is missing,
 * 3 the profiles are unusable, 4 the endpoint failed.
 */
#include "capos.h"
#include "capos_serve.h"
#include "fmt/fmt.h"
#include "manifest/manifest.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define PROFILES_MAX 16
#define PROFILE_CAPS CAPOS_XFER_MAX /* one Session.caps answer */
#define NAME_SIZE    CAPOS_CAPSET_NAME_SIZE
#define USER_SIZE    33 /* Account.name: at most 32 bytes */
#define SESSIONS_MAX 16
#define TEXT_ARG_MAX 256 /* longest user or password passed on */

struct profile_cap {
	char name[NAME_SIZE];
	capos_capid_t source; /* the broker's own cap */
	uint64_t interface_id;
};

struct profile {
	char name[NAME_SIZE];
	struct profile_cap caps[PROFILE_CAPS];
	uint32_t ncaps;
};

struct session {
	bool live;
	uint64_t badge;
	char user[USER_SIZE];
	const struct profile *profile;
	uint64_t started_ns;
	capos_capid_t fwd[PROFILE_CAPS], rev[PROFILE_CAPS];
};

static struct profile profiles[PROFILES_MAX];
static uint32_t nprofiles;
static struct session sessions[SESSIONS_MAX];
static uint64_t next_badge = 1;
static capos_capid_t owner, capmgr, credentials, auditwrite, timer;
/* The largest RECV buffer there is (CAPOS_RESULT_MAX). */
static uint8_t buf[CAPOS_RESULT_MAX] __attribute__((aligned(8)));
static char message[160]; /* an exception's text, alive until answered */

/* --- profiles, from the manifest ---------------------------------------- */

static bool
copy_text(char *dst, size_t size, struct capnp_text t)
{
	if (!t.str || t.len == 0 || t.len >= size)
		return false;
	memcpy(dst, t.str, t.len);
	dst[t.len] = 0;
	return true;
}

/* The terminal's StdIO facet, the one source made rather than granted. */
static struct capos_capset_entry stdio_source;

static const struct capos_capset_entry *
capset_entry(const char *name)
{
	uint32_t i;

	for (i = 0; i < capos_capset_count(); i++)
		if (strcmp(capos_capset_entry(i)->name, name) == 0)
			return capos_capset_entry(i);
	if (stdio_source.cap && strcmp(name, "stdio") == 0)
		return &stdio_source;
	return NULL;
}

/* Asks the CapSet's "terminal", if any, for the StdIO facet profiles
 * know as "stdio". */
static void
make_stdio_source(void)
{
	static struct capos_call c;
	capos_capid_t terminal, cap;
	int err;

	if (capos_TerminalSession_find("terminal", &terminal))
		return;
	(void)capos_TerminalSession_stdio_begin(&c);
	err = capos_TerminalSession_stdio_send(&c, terminal);
	if (err) {
		printf("broker: the terminal gave no StdIO: %s\n",
		       capos_strerror(err));
		return;
	}
	cap =
	    capos_call_result_cap(&c,
	                          capos_TerminalSession_stdio_Results_get_stdio(
	                              capos_TerminalSession_stdio_results(&c)),
	                          NULL);
	if (cap == CAPOS_CAPID_INVALID)
		return;
	str_copy(stdio_source.name, "stdio", sizeof(stdio_source.name));
	stdio_source.cap = cap;
	stdio_source.interface_id = capos_StdIO_TYPE_ID;
}

/*
 * Reads the manifest's profiles, checked by init's own rules
 * (manifest_check, lib/manifest: plain unique names, at most
 * MANIFEST_MAX_PROFILES of at most MANIFEST_MAX_PROFILE_CAPS caps); each
 * source must also be an entry of our CapSet.
 */
static bool
load_profiles(capos_capid_t bootpkg)
{
	static struct manifest mf;
	struct manifest_error merr;
	size_t len;
	void *mbuf;
	uint32_t i, j;
	bool ok = false;
	int err;

	err = capos_bootpkg_read_manifest(bootpkg, &mbuf, &len);
	if (err) {
		printf("broker: cannot read the manifest: %s\n",
		       capos_strerror(err));
		return false;
	}
	if (manifest_check(&mf, mbuf, len, &merr)) {
		printf("broker: manifest refused: %s\n", merr.msg);
		goto out;
	}
	for (i = 0; i < mf.nprofiles; i++) {
		const struct manifest_profile *mp = &mf.profiles[i];
		struct profile *p = &profiles[i];

		if (!copy_text(p->name, sizeof(p->name), mp->name)) {
			printf("broker: profile %u: name over %u bytes\n", i,
			       NAME_SIZE - 1);
			goto out;
		}
		for (j = 0; j < mp->ncaps; j++) {
			struct profile_cap *c = &p->caps[j];
			const struct capos_capset_entry *e;
			char source[NAME_SIZE];

			if (!copy_text(c->name, sizeof(c->name),
			               mp->caps[j].name) ||
			    !copy_text(source, sizeof(source),
			               mp->caps[j].source)) {
				printf("broker: profile %s: cap %u: name or "
				       "source over %u bytes\n",
				       p->name, j, NAME_SIZE - 1);
				goto out;
			}
			e = capset_entry(source);
			if (!e) {
				printf("broker: profile %s: cap %s: the broker "
				       "holds no \"%s\"\n",
				       p->name, c->name, source);
				goto out;
			}
			c->source = e->cap;
			c->interface_id = e->interface_id;
		}
		p->ncaps = mp->ncaps;
	}
	nprofiles = mf.nprofiles;
	ok = true;
out:
	free(mbuf);
	memset(&mf, 0, sizeof(mf));
	return ok;
}

static const struct profile *
find_profile(const char *name)
{
	uint32_t i;

	for (i = 0; i < nprofiles; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

/* --- sessions ----------------------------------------------------------- */

static void
audit(int event, const struct session *s)
{
	char detail[128];

	if (!auditwrite)
		return;
	fmt_snprintf(detail, sizeof(detail), "session %lu: user %s, profile %s",
	             (unsigned long)s->badge, s->user, s->profile->name);
	capos_audit_record(auditwrite, event, detail);
}

/* Revokes and drops the first n caps of s's bundle. */
static void
drop_bundle(struct session *s, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		capos_revoke(s->rev[i]);
		capos_release(s->rev[i]);
		capos_release(s->fwd[i]);
	}
}

static void
end_session(struct session *s)
{
	drop_bundle(s, s->profile->ncaps);
	printf("broker: session %lu ended (%s)\n", (unsigned long)s->badge,
	       s->user);
	audit(capos_AuditEvent_sessionRevoked, s);
	s->live = false;
}

static int
fail(struct rpc_call *call, int type, const char *fmt, const char *arg, int err)
{
	fmt_snprintf(message, sizeof(message), fmt, arg, capos_strerror(err));
	return rpc_exception(call, type, message);
}

/*
 * A session of profile for user: its bundle, its facet (moved to the
 * caller as result cap *index).  Nothing is left behind on failure.
 */
static int
issue(struct rpc_call *call, const char *user, const char *profile,
      uint32_t *index)
{
	struct capos_server_call *sc = capos_server_call_of(call);
	const struct profile *p = find_profile(profile);
	struct session *s = NULL;
	capos_capid_t facet;
	uint32_t i;
	int err;

	if (!p)
		return fail(call, RPC_EXC_FAILED,
		            "no session profile \"%s\" in the manifest",
		            profile, 0);
	for (i = 0; i < SESSIONS_MAX && !s; i++)
		if (!sessions[i].live)
			s = &sessions[i];
	if (!s)
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "too many sessions at once");
	for (i = 0; i < p->ncaps; i++) {
		err = capos_revocable(capmgr, p->caps[i].source, &s->fwd[i],
		                      &s->rev[i]);
		if (err) {
			drop_bundle(s, i);
			return fail(call, RPC_EXC_OVERLOADED,
			            "cannot issue the bundle's %s: %s",
			            p->caps[i].name, err);
		}
	}
	err = capos_endpoint_client(owner, capos_Session_TYPE_ID, next_badge,
	                            &facet);
	if (err) {
		drop_bundle(s, p->ncaps);
		return fail(call, RPC_EXC_OVERLOADED,
		            "cannot make the session's cap%s: %s", "", err);
	}
	s->live = true;
	s->badge = next_badge++;
	str_copy(s->user, user, sizeof(s->user));
	s->profile = p;
	s->started_ns = 0;
	if (timer)
		capos_timer_now(timer, &s->started_ns);
	*index = capos_serve_result_cap(sc, facet, CAPOS_XFER_MOVE);
	printf("broker: session %lu issued (%s, profile %s, %u caps)\n",
	       (unsigned long)s->badge, s->user, p->name, p->ncaps);
	audit(capos_AuditEvent_sessionIssued, s);
	return RPC_OK;
}

/* Caps sent with a call: the broker takes none. */
static void
drop_sent_caps(struct rpc_call *call)
{
	struct capos_server_call *sc = capos_server_call_of(call);
	uint32_t i;

	for (i = 0; i < sc->hdr->ncaps; i++)
		capos_release(sc->caps[i].cap);
}

static uint64_t
badge_of(struct rpc_call *call)
{
	return capos_server_call_of(call)->hdr->badge;
}

/* --- AuthorityBroker --------------------------------------------------- */

/* The broker's own methods answer only on its facet of badge 0. */
static int
not_broker(struct rpc_call *call)
{
	drop_sent_caps(call);
	if (badge_of(call) == 0)
		return RPC_OK;
	return rpc_exception(call, RPC_EXC_FAILED,
	                     "a session cap does not issue sessions");
}

/* A user or password argument into dst[TEXT_ARG_MAX] (may be empty). */
static bool
text_arg(char *dst, struct capnp_text t)
{
	if (!t.str || t.len >= TEXT_ARG_MAX)
		return false;
	memcpy(dst, t.str, t.len);
	dst[t.len] = 0;
	return true;
}

/* CredentialStore.verify: the profile in profile[], or its failure. */
static int
verify(struct rpc_call *call, const char *user, const char *password,
       char *profile)
{
	static struct capos_call c;
	capos_CredentialStore_verify_Params_builder p;
	int err;

	if (!credentials)
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "no credential service: login is off");
	p = capos_CredentialStore_verify_begin(&c);
	capos_CredentialStore_verify_Params_set_user(p, user, strlen(user));
	capos_CredentialStore_verify_Params_set_password(p, password,
	                                                 strlen(password));
	err = capos_CredentialStore_verify_send(&c, credentials);
	if (err == CAPOS_E_APP_EXCEPTION) {
		str_copy(message, capos_last_exception()->message,
		         sizeof(message));
		return rpc_exception(call, capos_last_exception()->type,
		                     message);
	}
	if (err || !copy_text(profile, NAME_SIZE,
	                      capos_CredentialStore_verify_Results_get_profile(
	                          capos_CredentialStore_verify_results(&c))))
		return fail(call, RPC_EXC_FAILED,
		            "the credential service did not answer%s: %s", "",
		            err ? err : CAPOS_E_BAD_FIELD);
	return RPC_OK;
}

static int
do_anonymous(void *self, struct rpc_call *call,
             capos_AuthorityBroker_anonymous_Params_reader p,
             capos_AuthorityBroker_anonymous_Results_builder r)
{
	uint32_t idx;
	int err;

	(void)self;
	(void)p;
	err = not_broker(call);
	if (err == RPC_OK)
		err = issue(call, "anonymous", "anonymous", &idx);
	if (err == RPC_OK)
		capos_AuthorityBroker_anonymous_Results_set_session(r, idx);
	return err;
}

static int
login(struct rpc_call *call, struct capnp_text u, struct capnp_text pw,
      uint32_t *idx)
{
	char user[TEXT_ARG_MAX], password[TEXT_ARG_MAX], profile[NAME_SIZE];
	int err;

	if (!text_arg(user, u) || !text_arg(password, pw))
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "user and password must be text");
	err = verify(call, user, password, profile);
	memset(password, 0, sizeof(password));
	if (err == RPC_OK)
		err = issue(call, user, profile, idx);
	return err;
}

static int
do_login(void *self, struct rpc_call *call,
         capos_AuthorityBroker_login_Params_reader p,
         capos_AuthorityBroker_login_Results_builder r)
{
	uint32_t idx;
	int err;

	(void)self;
	err = not_broker(call);
	if (err == RPC_OK)
		err = login(
		    call, capos_AuthorityBroker_login_Params_get_user(p),
		    capos_AuthorityBroker_login_Params_get_password(p), &idx);
	if (err == RPC_OK)
		capos_AuthorityBroker_login_Results_set_session(r, idx);
	return err;
}

static int
do_setup(void *self, struct rpc_call *call,
         capos_AuthorityBroker_setup_Params_reader p,
         capos_AuthorityBroker_setup_Results_builder r)
{
	static struct capos_call c;
	struct capnp_text u = capos_AuthorityBroker_setup_Params_get_user(p);
	struct capnp_text pw =
	    capos_AuthorityBroker_setup_Params_get_password(p);
	capos_CredentialStore_setup_Params_builder sp;
	uint32_t idx;
	int err;

	(void)self;
	err = not_broker(call);
	if (err != RPC_OK)
		return err;
	if (!credentials)
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "no credential service: setup is off");
	if (!u.str || !pw.str || u.len >= TEXT_ARG_MAX ||
	    pw.len >= TEXT_ARG_MAX)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "user and password must be text");
	sp = capos_CredentialStore_setup_begin(&c);
	capos_CredentialStore_setup_Params_set_user(sp, u.str, u.len);
	capos_CredentialStore_setup_Params_set_password(sp, pw.str, pw.len);
	err = capos_CredentialStore_setup_send(&c, credentials);
	memset(c.framed, 0, sizeof(c.framed));
	if (err == CAPOS_E_APP_EXCEPTION) {
		str_copy(message, capos_last_exception()->message,
		         sizeof(message));
		return rpc_exception(call, capos_last_exception()->type,
		                     message);
	}
	if (err)
		return fail(call, RPC_EXC_FAILED,
		            "the credential service did not answer%s: %s", "",
		            err);
	err = login(call, u, pw, &idx);
	if (err == RPC_OK)
		capos_AuthorityBroker_setup_Results_set_session(r, idx);
	return err;
}

static const struct capos_AuthorityBroker_server broker_server = {
    .anonymous = do_anonymous,
    .login = do_login,
    .setup = do_setup,
};

/* --- Session ------------------------------------------------------------ */

/* The live session the call's badge names, or NULL with the exception
 * set. */
static struct session *
session_of(struct rpc_call *call)
{
	uint64_t badge = badge_of(call);
	uint32_t i;

	drop_sent_caps(call);
	if (badge == 0) {
		rpc_exception(call, RPC_EXC_FAILED,
		              "the broker's cap is not a session");
		return NULL;
	}
	for (i = 0; i < SESSIONS_MAX; i++)
		if (sessions[i].live && sessions[i].badge == badge)
			return &sessions[i];
	rpc_exception(call, RPC_EXC_DISCONNECTED, "the session has ended");
	return NULL;
}

static int
do_info(void *self, struct rpc_call *call, capos_Session_info_Params_reader p,
        capos_Session_info_Results_builder r)
{
	struct session *s = session_of(call);

	(void)self;
	(void)p;
	if (!s)
		return RPC_EXCEPTION;
	capos_Session_info_Results_set_id(r, s->badge);
	capos_Session_info_Results_set_user(r, s->user, strlen(s->user));
	capos_Session_info_Results_set_profile(r, s->profile->name,
	                                       strlen(s->profile->name));
	capos_Session_info_Results_set_startedNs(r, s->started_ns);
	return RPC_OK;
}

static int
do_caps(void *self, struct rpc_call *call, capos_Session_caps_Params_reader p,
        capos_Session_caps_Results_builder r)
{
	struct capos_server_call *sc = capos_server_call_of(call);
	struct session *s = session_of(call);
	struct capnp_list_builder l;
	uint32_t i;

	(void)self;
	(void)p;
	if (!s)
		return RPC_EXCEPTION;
	l = capos_Session_caps_Results_init_caps(r, s->profile->ncaps);
	for (i = 0; i < s->profile->ncaps; i++) {
		const struct profile_cap *pc = &s->profile->caps[i];
		capos_BundleCap_builder b = capos_BundleCap_build_at(l, i);

		capos_BundleCap_set_name(b, pc->name, strlen(pc->name));
		capos_BundleCap_set_interfaceId(b, pc->interface_id);
		capnp_slot_set_cap(
		    capos_BundleCap_slot_cap(b),
		    capos_serve_result_cap(sc, s->fwd[i], CAPOS_XFER_COPY));
	}
	return RPC_OK;
}

static int
do_end(void *self, struct rpc_call *call, capos_Session_end_Params_reader p,
       capos_Session_end_Results_builder r)
{
	struct session *s = session_of(call);

	(void)self;
	(void)p;
	(void)r;
	if (!s)
		return RPC_EXCEPTION;
	end_session(s);
	return RPC_OK;
}

static const struct capos_Session_server session_server = {
    .info = do_info,
    .caps = do_caps,
    .end = do_end,
};

static void
find_optional(const char *name, uint64_t iid, capos_capid_t *cap)
{
	if (capos_capset_find(name, iid, cap))
		*cap = 0;
}

int
main(void)
{
	static const struct capos_served served[] = {
	    {&capos_AuthorityBroker_interface, &broker_server, NULL},
	    {&capos_Session_interface, &session_server, NULL},
	};
	capos_capid_t bootpkg;
	int r;

	if (capos_capset_find("broker", capos_Endpoint_TYPE_ID, &owner) ||
	    capos_capset_find("bootpkg", capos_BootPackage_TYPE_ID, &bootpkg) ||
	    capos_capset_find("capmgr", capos_CapabilityManager_TYPE_ID,
	                      &capmgr)) {
		printf("broker: needs \"broker\" (Endpoint), \"bootpkg\" and "
		       "\"capmgr\"\n");
		return 2;
	}
	find_optional("credentials", capos_CredentialStore_TYPE_ID,
	              &credentials);
	find_optional("auditwrite", capos_AuditWriter_TYPE_ID, &auditwrite);
	find_optional("timer", capos_Timer_TYPE_ID, &timer);
	make_stdio_source();
	if (!load_profiles(bootpkg))
		return 3;
	capos_release(bootpkg);
	if (!find_profile("anonymous"))
		printf("broker: no \"anonymous\" profile: anonymous() will "
		       "fail\n");
	capos_service_ready();
	for (;;) {
		r = capos_serve_one_of(owner, served, 2, buf, sizeof(buf));
		if (r < 0) {
			printf("broker: the endpoint failed: %s\n",
			       capos_strerror(r));
			return 4;
		}
	}
}
