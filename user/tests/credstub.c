/*
 * credstub: a stand-in CredentialStore for the broker's tests (services
 * suite case broker).  Serves "credentials" with one fixed account,
 * alice / "correct horse" of profile "operator", and bob / "nobody home"
 * of profile "ghost", which the manifest does not define; every other
 * pair is refused as the real service refuses it (without its delay).
 * There are accounts, so setup is refused.
 */
#include "capos.h"
#include "capos_serve.h"

#include "capos.capnp.h"

static uint8_t buf[4096] __attribute__((aligned(8)));

static bool
is(struct capnp_text t, const char *s)
{
	return t.str && t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

static int
do_verify(void *self, struct rpc_call *call,
          capos_CredentialStore_verify_Params_reader p,
          capos_CredentialStore_verify_Results_builder r)
{
	struct capnp_text u = capos_CredentialStore_verify_Params_get_user(p);
	struct capnp_text pw =
	    capos_CredentialStore_verify_Params_get_password(p);

	(void)self;
	if (is(u, "alice") && is(pw, "correct horse")) {
		capos_CredentialStore_verify_Results_set_profile(r, "operator",
		                                                 8);
		return RPC_OK;
	}
	if (is(u, "bob") && is(pw, "nobody home")) {
		capos_CredentialStore_verify_Results_set_profile(r, "ghost", 5);
		return RPC_OK;
	}
	return rpc_exception(call, RPC_EXC_FAILED,
	                     "incorrect username or password");
}

static int
do_has_accounts(void *self, struct rpc_call *call,
                capos_CredentialStore_hasAccounts_Params_reader p,
                capos_CredentialStore_hasAccounts_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_CredentialStore_hasAccounts_Results_set_any(r, true);
	return RPC_OK;
}

static int
do_setup(void *self, struct rpc_call *call,
         capos_CredentialStore_setup_Params_reader p,
         capos_CredentialStore_setup_Results_builder r)
{
	(void)self;
	(void)p;
	(void)r;
	return rpc_exception(call, RPC_EXC_FAILED, "an account exists already");
}

static const struct capos_CredentialStore_server store = {
    .verify = do_verify,
    .hasAccounts = do_has_accounts,
    .setup = do_setup,
};

int
main(void)
{
	capos_capid_t owner;

	if (capos_capset_find("credentials", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	for (;;)
		if (capos_serve_one(owner, &capos_CredentialStore_interface,
		                    &store, NULL, buf, sizeof(buf)) < 0)
			return 3;
}
