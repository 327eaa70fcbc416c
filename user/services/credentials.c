/*
 * credentials: the credential service (docs/sessions.md, "Credential
 * service").  It holds the accounts' Argon2id verifiers and checks
 * passwords against them; nobody else ever sees a verifier, and no
 * password is kept, logged or stored.
 *
 * At start it reads SystemManifest.accounts through its BootPackage
 * ("bootpkg"), checks the manifest with init's own rules (lib/manifest),
 * copies the accounts, and lets the BootPackage go.  Then it serves
 * CredentialStore on its export "credentials", one call at a time:
 *
 *   verify(user, password)  the account's profile, or after a 1 s delay
 *                           `failed` "incorrect username or password"
 *   hasAccounts()           whether any account exists
 *   setup(user, password)   the first account, of profile "operator",
 *                           only while none exists
 *
 * Every try is audited through "auditwrite".  Calls are answered in
 * turn, so a failed try holds the service for its delay: guessing is
 * bounded to about one try a second across all callers, at the price of
 * a right password waiting behind a wrong one.
 *
 * Grants: bootpkg, timer (the delay), entropy (libsodium's random bytes:
 * setup's salt), vm (Argon2's 19 MiB), auditwrite; console optional.
 * Exit codes: 2 a cap is missing, 3 the manifest is refused, 4
 * sodium_init failed, 5 the endpoint failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capos.h"
#include "capos_serve.h"
#include "manifest/manifest.h"

#include "capos.capnp.h"

/* The costs of every verifier the system makes (mk/libsodium.mk passes
 * them, as it does to tools/mkverifier). */
#ifndef PWHASH_OPSLIMIT
#error "PWHASH_OPSLIMIT: built by mk/services.mk"
#endif

#define FAIL_DELAY_NS      1000000000ull /* after a failed verify */
#define PASSWORD_MAX       128u
#define SETUP_PASSWORD_MIN 8u
#define SETUP_PROFILE      "operator"
#define WRONG              "incorrect username or password"
#define NOT_A_USERNAME     "not a username (1 to 32 bytes of a-z, 0-9, _ and -)"
#define AUDIT_DETAIL_MAX   119u

_Static_assert(MANIFEST_VERIFIER_MAX < crypto_pwhash_STRBYTES,
               "a manifest's verifier and its NUL fit libsodium's string");

struct account {
	char name[MANIFEST_ACCOUNT_NAME_MAX + 1];
	char verifier[crypto_pwhash_STRBYTES];
	char profile[MANIFEST_NAME_MAX + 1];
};

static struct account accounts[MANIFEST_MAX_ACCOUNTS];
static uint32_t naccounts;
/* What an unknown user's password is checked against, so that the
 * answer takes as long as for a known one (decoy()). */
static char decoy_verifier[crypto_pwhash_STRBYTES];
static capos_capid_t timer, auditw;
static struct manifest mf;
/* Any call fits: a call too large for the buffer would stay queued and
 * stop the service. */
static uint8_t in[CAPOS_PARAMS_MAX] __attribute__((aligned(8)));

static void
copy_text(char *dst, size_t size, struct capnp_text t)
{
	size_t n = t.str ? t.len : 0;

	if (n >= size)
		n = size - 1;
	memcpy(dst, t.str ? t.str : "", n);
	dst[n] = '\0';
}

/* An audit record of event; the detail never holds a password. */
static int __attribute__((format(printf, 2, 3)))
audit(int event, const char *fmt, ...)
{
	char detail[AUDIT_DETAIL_MAX + 1];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	err = capos_audit_record(auditw, event, detail);
	if (err)
		printf("credentials: audit record refused (%s)\n",
		       capos_strerror(err));
	return err;
}

static bool
username_ok(struct capnp_text t)
{
	return manifest_account_name_ok(t.str, t.str ? t.len : 0);
}

static struct account *
find_account(struct capnp_text user)
{
	uint32_t i;

	for (i = 0; i < naccounts; i++)
		if (strlen(accounts[i].name) == user.len &&
		    memcmp(accounts[i].name, user.str, user.len) == 0)
			return &accounts[i];
	return NULL;
}

/*
 * The verifier an unknown user's password is checked against: the first
 * account's, which costs what a real check costs by construction; with
 * no account, one of the build's costs (Argon2 version 19, as libsodium
 * writes) whose salt and hash are zeros, which costs what setup's
 * verifiers cost.  Its answer is never used.
 */
static const char *
decoy(void)
{
	return naccounts ? accounts[0].verifier : decoy_verifier;
}

static const char *
password_of(struct capnp_text pw)
{
	return pw.str ? pw.str : "";
}

static int
do_verify(void *self, struct rpc_call *call,
          capos_CredentialStore_verify_Params_reader p,
          capos_CredentialStore_verify_Results_builder r)
{
	struct capnp_text user =
	    capos_CredentialStore_verify_Params_get_user(p);
	struct capnp_text pw =
	    capos_CredentialStore_verify_Params_get_password(p);
	const struct account *a;
	bool ok;

	(void)self;
	if (!username_ok(user)) {
		audit(capos_AuditEvent_loginFailure,
		      "user=(not a username) refused");
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "verify: " NOT_A_USERNAME);
	}
	if (pw.len > PASSWORD_MAX) {
		audit(capos_AuditEvent_loginFailure,
		      "user=%.*s refused: password over %u bytes",
		      (int)user.len, user.str, PASSWORD_MAX);
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "verify: a password is at most 128 bytes");
	}
	a = find_account(user);
	/* An unknown user costs a verification too, so that the time does
	 * not tell which names exist. */
	ok = crypto_pwhash_str_verify(a ? a->verifier : decoy(),
	                              password_of(pw), pw.len) == 0 &&
	     a != NULL;
	if (ok) {
		/* A login nobody could audit does not happen. */
		if (audit(capos_AuditEvent_loginSuccess, "user=%s", a->name))
			return rpc_exception(call, RPC_EXC_FAILED,
			                     "verify: the audit trail refused "
			                     "the record");
		capos_CredentialStore_verify_Results_set_profile(
		    r, a->profile, strlen(a->profile));
		return RPC_OK;
	}
	audit(capos_AuditEvent_loginFailure, "user=%.*s", (int)user.len,
	      user.str);
	capos_timer_sleep(timer, FAIL_DELAY_NS);
	return rpc_exception(call, RPC_EXC_FAILED, WRONG);
}

static int
do_has_accounts(void *self, struct rpc_call *call,
                capos_CredentialStore_hasAccounts_Params_reader p,
                capos_CredentialStore_hasAccounts_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_CredentialStore_hasAccounts_Results_set_any(r, naccounts > 0);
	return RPC_OK;
}

static int
do_setup(void *self, struct rpc_call *call,
         capos_CredentialStore_setup_Params_reader p,
         capos_CredentialStore_setup_Results_builder r)
{
	struct capnp_text user = capos_CredentialStore_setup_Params_get_user(p);
	struct capnp_text pw =
	    capos_CredentialStore_setup_Params_get_password(p);
	char verifier[crypto_pwhash_STRBYTES];
	struct account *a;

	(void)self;
	(void)r;
	if (!username_ok(user)) {
		audit(capos_AuditEvent_loginFailure,
		      "setup user=(not a username) refused");
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "setup: " NOT_A_USERNAME);
	}
	if (naccounts > 0) {
		audit(capos_AuditEvent_loginFailure,
		      "setup user=%.*s refused: accounts exist", (int)user.len,
		      user.str);
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "setup: an account exists already");
	}
	if (pw.len < SETUP_PASSWORD_MIN || pw.len > PASSWORD_MAX) {
		audit(capos_AuditEvent_loginFailure,
		      "setup user=%.*s refused: password length", (int)user.len,
		      user.str);
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "setup: a password is 8 to 128 bytes");
	}
	if (crypto_pwhash_str(verifier, password_of(pw), pw.len,
	                      PWHASH_OPSLIMIT, PWHASH_MEMLIMIT) != 0)
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "setup: no memory for the verifier");
	a = &accounts[0];
	copy_text(a->name, sizeof(a->name), user);
	memcpy(a->verifier, verifier, sizeof(a->verifier));
	sodium_memzero(verifier, sizeof(verifier));
	snprintf(a->profile, sizeof(a->profile), "%s", SETUP_PROFILE);
	/* An account nobody could audit is not made. */
	if (audit(capos_AuditEvent_accountCreated, "user=%s profile=%s",
	          a->name, a->profile)) {
		sodium_memzero(a, sizeof(*a));
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "setup: the audit trail refused the "
		                     "record");
	}
	naccounts = 1;
	printf("credentials: account \"%s\" made by setup (kept in memory "
	       "only)\n",
	       a->name);
	return RPC_OK;
}

static const struct capos_CredentialStore_server impl = {
    .verify = do_verify,
    .hasAccounts = do_has_accounts,
    .setup = do_setup,
};

/* The manifest's accounts, checked by init's rules; the BootPackage and
 * the manifest's bytes are let go afterwards. */
static int
load_accounts(capos_capid_t bootpkg)
{
	struct manifest_error err;
	void *buf;
	size_t len;
	uint32_t i;
	int e;

	e = capos_bootpkg_read_manifest(bootpkg, &buf, &len);
	if (e) {
		printf("credentials: cannot read the manifest (%s)\n",
		       capos_strerror(e));
		return -1;
	}
	if (manifest_check(&mf, buf, len, &err)) {
		printf("credentials: manifest refused: %s\n", err.msg);
		free(buf);
		return -1;
	}
	for (i = 0; i < mf.naccounts; i++) {
		const struct manifest_account *m = &mf.accounts[i];

		copy_text(accounts[i].name, sizeof(accounts[i].name), m->name);
		copy_text(accounts[i].verifier, sizeof(accounts[i].verifier),
		          m->verifier);
		copy_text(accounts[i].profile, sizeof(accounts[i].profile),
		          m->profile);
	}
	naccounts = mf.naccounts;
	sodium_memzero(buf, len);
	free(buf);
	memset(&mf, 0, sizeof(mf));
	capos_release(bootpkg);
	return 0;
}

int
main(void)
{
	static const char zeros22[] = "AAAAAAAAAAAAAAAAAAAAAA";
	static const char zeros43[] =
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	capos_capid_t bootpkg, owner;
	int err;

	if (capos_capset_find("bootpkg", capos_BootPackage_TYPE_ID, &bootpkg) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("auditwrite", capos_AuditWriter_TYPE_ID,
	                      &auditw) ||
	    capos_capset_find("credentials", capos_Endpoint_TYPE_ID, &owner)) {
		printf("credentials: needs bootpkg, timer, auditwrite and "
		       "the export credentials\n");
		return 2;
	}
	if (sodium_init() < 0) {
		printf("credentials: sodium_init failed\n");
		return 4;
	}
	if (load_accounts(bootpkg))
		return 3;
	snprintf(decoy_verifier, sizeof(decoy_verifier),
	         "$argon2id$v=19$m=%u,t=%u,p=1$%s$%s",
	         (unsigned)(PWHASH_MEMLIMIT / 1024u), (unsigned)PWHASH_OPSLIMIT,
	         zeros22, zeros43);
	printf("credentials: %u account(s), serving\n", naccounts);
	capos_service_ready();
	for (;;) {
		err = capos_serve_one(owner, &capos_CredentialStore_interface,
		                      &impl, NULL, in, sizeof(in));
		/* The call's password was in the buffer. */
		sodium_memzero(in, sizeof(in));
		if (err < 0) {
			printf("credentials: the endpoint failed (%s)\n",
			       capos_strerror(err));
			return 5;
		}
	}
}
