/*
 * credtest: the client of the credential service (user/services/
 * credentials.c) in the services suite, under two manifests that differ
 * in their accounts; the hostname says which one booted:
 *
 *   cred-accounts  system/tests/credentials.capnp: the account
 *                  "operator" whose verifier the build made from the
 *                  fixture password system/tests/operator.password
 *   cred-empty     system/tests/credentials_empty.capnp: no account
 *
 * It checks CredentialStore's answers, that a failed verify takes its
 * second (Timer) plus a verification, for an unknown user too, and the
 * audit records the service wrote (AuditLog).  KTEST ipc.cred.* lines;
 * exits with the number of failed checks.  No password is ever printed.
 */
#include "capos.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"

/* The fixture (system/tests/operator.password). */
#define OPERATOR_PASSWORD "capos-operator-1"
#define WRONG             "incorrect username or password"
/* The delay of a failed verify, plus the least a verification at the
 * build's costs takes under emulation (docs/crypto.md measures 300 ms
 * and more): an answer sooner than this skipped the verification. */
#define FAILED_MIN_NS (1100ull * 1000000ull)
#define SECOND_NS     (1000ull * 1000000ull)

static struct capos_call c;
static capos_capid_t creds, timer, audit;

static uint64_t
now(void)
{
	uint64_t ns = 0;

	capos_timer_now(timer, &ns);
	return ns;
}

static const char *
why(int err)
{
	return err == CAPOS_E_APP_EXCEPTION ? capos_last_exception()->message
	                                    : capos_strerror(err);
}

/* verify(user, password): 0 with the profile in profile[], or the error;
 * *took the time the answer took. */
static int
verify(const char *user, const char *password, size_t password_len,
       char *profile, size_t size, uint64_t *took)
{
	capos_CredentialStore_verify_Params_builder p;
	struct capnp_text t;
	uint64_t t0;
	int err;

	p = capos_CredentialStore_verify_begin(&c);
	capos_CredentialStore_verify_Params_set_user(p, user, strlen(user));
	capos_CredentialStore_verify_Params_set_password(p, password,
	                                                 password_len);
	t0 = now();
	err = capos_CredentialStore_verify_send(&c, creds);
	if (took)
		*took = now() - t0;
	profile[0] = '\0';
	if (err == 0) {
		t = capos_CredentialStore_verify_Results_get_profile(
		    capos_CredentialStore_verify_results(&c));
		if (t.str && t.len < size) {
			memcpy(profile, t.str, t.len);
			profile[t.len] = '\0';
		}
	}
	return err;
}

static int
has_accounts(bool *any)
{
	int err;

	capos_CredentialStore_hasAccounts_begin(&c);
	err = capos_CredentialStore_hasAccounts_send(&c, creds);
	*any = err == 0 && capos_CredentialStore_hasAccounts_Results_get_any(
	                       capos_CredentialStore_hasAccounts_results(&c));
	return err;
}

static int
setup(const char *user, const char *password)
{
	capos_CredentialStore_setup_Params_builder p;

	p = capos_CredentialStore_setup_begin(&c);
	capos_CredentialStore_setup_Params_set_user(p, user, strlen(user));
	capos_CredentialStore_setup_Params_set_password(p, password,
	                                                strlen(password));
	return capos_CredentialStore_setup_send(&c, creds);
}

static bool
is_exception(int err, int type)
{
	return err == CAPOS_E_APP_EXCEPTION &&
	       capos_last_exception()->type == type;
}

/* A right password: the profile, at once. */
static void
check_right(const char *name, const char *user, const char *password,
            const char *want)
{
	char profile[64];
	int err = verify(user, password, strlen(password), profile,
	                 sizeof(profile), NULL);

	ktest_check(err == 0 && strcmp(profile, want) == 0, name,
	            "%s, profile \"%s\"", err ? why(err) : "answered", profile);
}

/* A wrong password or an unknown user: `failed` with the one message,
 * after the delay and a verification. */
static void
check_wrong(const char *name, const char *user, const char *password)
{
	char profile[64], timed[96];
	uint64_t took;
	int err = verify(user, password, strlen(password), profile,
	                 sizeof(profile), &took);

	ktest_check(is_exception(err, capos_ExceptionType_failed) &&
	                strcmp(capos_last_exception()->message, WRONG) == 0,
	            name, "%s", err ? why(err) : "accepted");
	fmt_snprintf(timed, sizeof(timed), "%s.took_delay_and_verification",
	             name);
	ktest_check(took >= FAILED_MIN_NS, timed, "answered after %lu ms",
	            (unsigned long)(took / 1000000));
	printf("credtest: %s answered after %lu ms\n", name,
	       (unsigned long)(took / 1000000));
}

/* Refused as an invalid argument, without a verification or a delay. */
static void
check_invalid(const char *name, const char *user, const char *password,
              size_t password_len)
{
	char profile[64];
	uint64_t took;
	int err = verify(user, password, password_len, profile, sizeof(profile),
	                 &took);

	ktest_check(is_exception(err, capos_ExceptionType_invalidArgument) &&
	                took < SECOND_NS,
	            name, "%s after %lu ms", err ? why(err) : "accepted",
	            (unsigned long)(took / 1000000));
}

/* The audit trail holds a record of event with exactly this detail,
 * written by the credential service; and no record holds a password. */
static struct capos_log_record recs[CAPOS_LOG_READ_MAX];

static bool
audited(int event, const char *detail)
{
	uint64_t cursor = 0, next, lost;
	uint32_t n, i;
	bool found = false;

	for (;;) {
		if (capos_audit_read(audit, cursor, CAPOS_LOG_READ_MAX, recs,
		                     &n, &next, &lost) ||
		    n == 0)
			return found;
		for (i = 0; i < n; i++)
			if (recs[i].kind == event &&
			    strcmp(recs[i].text, detail) == 0 &&
			    strcmp(recs[i].source, "credentials") == 0)
				found = true;
		cursor = next;
	}
}

static bool
contains(const char *s, const char *text)
{
	size_t n = strlen(text);

	for (; *s; s++)
		if (strncmp(s, text, n) == 0)
			return true;
	return false;
}

static bool
audit_mentions(const char *text)
{
	uint64_t cursor = 0, next, lost;
	uint32_t n, i;

	for (;;) {
		if (capos_audit_read(audit, cursor, CAPOS_LOG_READ_MAX, recs,
		                     &n, &next, &lost) ||
		    n == 0)
			return false;
		for (i = 0; i < n; i++)
			if (contains(recs[i].text, text))
				return true;
		cursor = next;
	}
}

static void
check_audited(const char *name, int event, const char *detail)
{
	ktest_check(audited(event, detail), name, "no record \"%s\"", detail);
}

/* The manifest with the fixture account. */
static void
with_accounts(void)
{
	static char long_password[130];
	bool any = false;
	int err;

	err = has_accounts(&any);
	ktest_check(err == 0 && any, "accounts.has_accounts", "%s, any %d",
	            err ? why(err) : "answered", any);
	check_right("accounts.right_password", "operator", OPERATOR_PASSWORD,
	            "operator");
	check_wrong("accounts.wrong_password", "operator", "capos-operator-2");
	check_wrong("accounts.unknown_user", "nobody", OPERATOR_PASSWORD);
	check_wrong("accounts.empty_password", "operator", "");
	check_invalid("accounts.bad_username", "Operator", OPERATOR_PASSWORD,
	              strlen(OPERATOR_PASSWORD));
	check_invalid("accounts.anonymous_username", "anonymous",
	              OPERATOR_PASSWORD, strlen(OPERATOR_PASSWORD));
	memset(long_password, 'x', sizeof(long_password));
	check_invalid("accounts.password_over_128", "operator", long_password,
	              129);
	err = setup("admin", "setup-password-1");
	ktest_check(is_exception(err, capos_ExceptionType_failed),
	            "accounts.setup_refused", "%s",
	            err ? why(err) : "accepted");
	/* Nothing above disturbed the account. */
	check_right("accounts.right_password_again", "operator",
	            OPERATOR_PASSWORD, "operator");
	check_audited("accounts.audit_success", capos_AuditEvent_loginSuccess,
	              "user=operator");
	check_audited("accounts.audit_failure", capos_AuditEvent_loginFailure,
	              "user=operator");
	check_audited("accounts.audit_unknown_user",
	              capos_AuditEvent_loginFailure, "user=nobody");
	check_audited("accounts.audit_setup_refused",
	              capos_AuditEvent_loginFailure,
	              "setup user=admin refused: accounts exist");
	ktest_check(!audit_mentions(OPERATOR_PASSWORD) &&
	                !audit_mentions("capos-operator-2"),
	            "accounts.audit_holds_no_password",
	            "a password in a record");
}

/* The manifest without accounts: setup makes the first one. */
static void
without_accounts(void)
{
	bool any = true;
	int err;

	err = has_accounts(&any);
	ktest_check(err == 0 && !any, "empty.has_no_accounts", "%s, any %d",
	            err ? why(err) : "answered", any);
	check_wrong("empty.verify_fails", "operator", OPERATOR_PASSWORD);
	err = setup("admin", "short");
	ktest_check(is_exception(err, capos_ExceptionType_invalidArgument),
	            "empty.setup_short_password_refused", "%s",
	            err ? why(err) : "accepted");
	err = setup("Admin", "setup-password-1");
	ktest_check(is_exception(err, capos_ExceptionType_invalidArgument),
	            "empty.setup_bad_username_refused", "%s",
	            err ? why(err) : "accepted");
	err = has_accounts(&any);
	ktest_check(err == 0 && !any, "empty.still_no_accounts", "%s, any %d",
	            err ? why(err) : "answered", any);
	err = setup("admin", "setup-password-1");
	ktest_check(err == 0, "empty.setup_accepted", "%s",
	            err ? why(err) : "");
	err = has_accounts(&any);
	ktest_check(err == 0 && any, "empty.has_accounts_after_setup",
	            "%s, any %d", err ? why(err) : "answered", any);
	check_right("empty.verify_after_setup", "admin", "setup-password-1",
	            "operator");
	check_wrong("empty.wrong_after_setup", "admin", "setup-password-2");
	err = setup("second", "another-password");
	ktest_check(is_exception(err, capos_ExceptionType_failed),
	            "empty.second_setup_refused", "%s",
	            err ? why(err) : "accepted");
	check_right("empty.first_account_kept", "admin", "setup-password-1",
	            "operator");
	check_audited("empty.audit_account_created",
	              capos_AuditEvent_accountCreated,
	              "user=admin profile=operator");
	check_audited("empty.audit_success", capos_AuditEvent_loginSuccess,
	              "user=admin");
	check_audited("empty.audit_short_password",
	              capos_AuditEvent_loginFailure,
	              "setup user=admin refused: password length");
	ktest_check(!audit_mentions("setup-password"),
	            "empty.audit_holds_no_password", "a password in a record");
}

int
main(void)
{
	capos_capid_t sysinfo;
	char host[64];

	ktest_prefix("ipc.cred.");
	if (capos_CredentialStore_find("credentials", &creds) ||
	    capos_Timer_find("timer", &timer) ||
	    capos_AuditLog_find("audit", &audit) ||
	    capos_SystemInfo_find("sysinfo", &sysinfo) ||
	    capos_sysinfo_hostname(sysinfo, host, sizeof(host)))
		return 100;
	if (strcmp(host, "cred-accounts") == 0)
		with_accounts();
	else if (strcmp(host, "cred-empty") == 0)
		without_accounts();
	else
		ktest_check(false, "manifest_known", "hostname \"%s\"", host);
	printf("credtest: %d failures\n", ktest_failures());
	return ktest_failures();
}
