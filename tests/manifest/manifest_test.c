/*
 * Host tests of lib/manifest: the manifests of tests/manifest/cases.capnp
 * (encoded by the reference tool at test-build time) are accepted or
 * refused, each refusal with its own message; hostile messages built
 * byte by byte (not framed, truncated, unknown enum and union values,
 * control bytes in names, more services than the model holds) and
 * random mutations of a good manifest are refused without a crash; and
 * the reference encoder itself refuses misspelled fields.
 *
 *   manifest_test CASES_DIR UNENCODABLE_DIR SCHEMA_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <capos/kernel_caps.h>

#include "capnp/capnp.h"
#include "capnp/frame.h"
#include "manifest/manifest.h"

#include "capos.capnp.h"

static const char *cases_dir, *unencodable_dir, *schema_dir;
static struct manifest mf;
static struct manifest_error err;

/* Reads CASES_DIR/name.bin into a malloc'd buffer. */
static void *
load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	void *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s.bin", cases_dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* --- the encoded cases -----------------------------------------------------
 */

struct refusal {
	const char *name;
	enum manifest_err code;
	/* "{grantable}" and "{on_request}" stand for the registry's lists
	 * (expected_msg). */
	const char *msg;
};

#define GRANTABLE  ((1u << CAPOS_KCAP_ALWAYS) | (1u << CAPOS_KCAP_ON_REQUEST))
#define ON_REQUEST (1u << CAPOS_KCAP_ON_REQUEST)

/* The registry (<capos/kernel_caps.h>), so that a kernel capability type
 * added there needs no edit here. */
static const struct {
	const char *name;
	int grant;
} registry[] = {
#define KCAP_ENTRY(name, iface, grant) {#name, grant},
    CAPOS_KERNEL_CAPS(KCAP_ENTRY)
#undef KCAP_ENTRY
};

/* The registry's names of the grant kinds in mask, in its order, as the
 * messages list them. */
static const char *
registry_names(unsigned mask)
{
	static char buf[256];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (mask & (1u << registry[i].grant))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
			                      n ? ", " : "", registry[i].name);
	return buf;
}

/* msg with its placeholder (at most one) replaced by the list. */
static const char *
expected_msg(const char *msg)
{
	static char buf[512];
	static const struct {
		const char *mark;
		unsigned mask;
	} marks[] = {{"{grantable}", GRANTABLE}, {"{on_request}", ON_REQUEST}};
	const char *at;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		at = strstr(msg, marks[i].mark);
		if (at == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - msg), msg,
		         registry_names(marks[i].mask),
		         at + strlen(marks[i].mark));
		return buf;
	}
	return msg;
}

/* The lists begin with the kernel caps there have always been. */
static void
test_registry_lists(void **state)
{
	(void)state;
	assert_memory_equal(registry_names(GRANTABLE),
	                    "bootpkg, console, timer, null",
	                    strlen("bootpkg, console, timer, null"));
	assert_memory_equal(registry_names(ON_REQUEST), "timer, null",
	                    strlen("timer, null"));
	assert_null(strstr(registry_names(GRANTABLE), "spawner"));
}

static const struct refusal refusals[] = {
    {"badVersion", MANIFEST_E_VERSION,
     "schemaVersion is 2, init reads version 1"},
    {"noVersion", MANIFEST_E_VERSION,
     "schemaVersion is 0, init reads version 1"},
    {"initMissing", MANIFEST_E_BINARY,
     "initConfig.init names binary \"sbin_init\", which is not in "
     "binaries"},
    {"duplicateBinary", MANIFEST_E_DUPLICATE,
     "binary \"init\" is listed twice"},
    {"binaryNoModule", MANIFEST_E_NAME, "binary \"lonely\" has no module"},
    {"missingBinary", MANIFEST_E_BINARY,
     "service \"ghost\": binary \"no_such_program\" is not in binaries"},
    {"duplicateService", MANIFEST_E_DUPLICATE,
     "service \"server\" is listed twice"},
    {"unnamedService", MANIFEST_E_NAME,
     "service #0: \"\" is not a plain name (1 to 31 printable "
     "characters, no spaces)"},
    {"longName", MANIFEST_E_NAME,
     "service \"client\": grant #0: "
     "\"a_grant_name_that_is_far_too_long\" is not a plain name (1 to 31 "
     "printable characters, no spaces)"},
    {"forwardImport", MANIFEST_E_FORWARD,
     "service \"client\": grant \"echo\" imports \"server.echo\", but "
     "service \"server\" is not started before it"},
    {"cycle", MANIFEST_E_CYCLE,
     "service \"a\": grant \"peer\" imports \"b.echo\", but service "
     "\"b\" imports back (import cycle a -> b -> a)"},
    {"cycle3", MANIFEST_E_CYCLE,
     "service \"a\": grant \"up\" imports \"c.echo\", but service \"c\" "
     "imports back (import cycle a -> c -> b -> a)"},
    {"selfImport", MANIFEST_E_CYCLE,
     "service \"narcissus\": grant \"mirror\" imports \"narcissus.echo\" "
     "from the service itself (import cycle narcissus -> narcissus)"},
    {"noSuchService", MANIFEST_E_IMPORT,
     "service \"client\": grant \"echo\" imports \"nobody.echo\", but "
     "there is no service \"nobody\""},
    {"noSuchExport", MANIFEST_E_IMPORT,
     "service \"client\": grant \"echo\" imports \"server.ehco\", but "
     "service \"server\" exports no \"ehco\""},
    {"wrongInterface", MANIFEST_E_MISMATCH,
     "service \"client\": grant \"echo\" imports \"server.echo\" as "
     "\"Console\", but that export serves \"Echo\""},
    {"kernelWrongInterface", MANIFEST_E_MISMATCH,
     "service \"client\": grant \"clock\" asks for kernel cap \"timer\" "
     "as \"Console\", but it is a \"Timer\""},
    {"unknownInterface", MANIFEST_E_INTERFACE,
     "service \"client\": grant \"fs\" names unknown interface "
     "\"FileSystem\""},
    {"unknownExportInterface", MANIFEST_E_INTERFACE,
     "service \"server\": export \"echo\" serves unknown interface "
     "\"Ecko\""},
    {"unknownKernelCap", MANIFEST_E_KERNEL_CAP,
     "service \"client\": grant \"disk\" asks for kernel cap \"disk\", "
     "but there is no such kernel cap ({grantable})"},
    {"kernelCapNotHeld", MANIFEST_E_KERNEL_CAP,
     "service \"client\": grant \"timer\" asks for kernel cap \"timer\", "
     "which init does not hold (initConfig.initCaps does not list it)"},
    {"badInitCap", MANIFEST_E_KERNEL_CAP,
     "initConfig.initCaps: \"spawner\" is not a kernel cap init can be "
     "given ({on_request})"},
    {"duplicateGrant", MANIFEST_E_DUPLICATE,
     "service \"client\": grant \"console\" is listed twice"},
    {"grantNamedLikeExport", MANIFEST_E_DUPLICATE,
     "service \"server\": grant \"echo\" has the name of one of its "
     "exports"},
    {"duplicateExport", MANIFEST_E_DUPLICATE,
     "service \"server\": export \"echo\" is listed twice"},
    {"tooManyGrants", MANIFEST_E_LIMIT,
     "service \"greedy\": too many grants (33, at most 32)"},
    {"longHostname", MANIFEST_E_LIMIT,
     "kernelParams.hostname is too long (64 bytes, at most 63)"},
    {"longMotd", MANIFEST_E_LIMIT,
     "kernelParams.motd is too long (1024 bytes, at most 1023)"},
    {"readyWithoutTimer", MANIFEST_E_KERNEL_CAP,
     "service \"server\": awaitReady needs a timer, which init does not "
     "hold (initConfig.initCaps does not list \"timer\")"},
    {"tooManyEndpoints", MANIFEST_E_LIMIT,
     "service \"hub\": too many endpoints (9 exports and endpoint grants, "
     "at most 8)"},
    {"launcherNotSpawner", MANIFEST_E_MISMATCH,
     "service \"shell\": grant \"launcher\" is a launcher, so a "
     "\"ProcessSpawner\", not a \"Console\""},
    {"launcherMissingBinary", MANIFEST_E_BINARY,
     "service \"shell\": launcher \"launcher\" names binary \"nope\", which "
     "is not in binaries"},
    {"launcherEmpty", MANIFEST_E_LIMIT,
     "service \"shell\": launcher \"launcher\" names 0 binaries (1 to 16)"},
    {"accountBadName", MANIFEST_E_NAME,
     "account #0: \"Bob\" is not a username (1 to 32 bytes of a-z, 0-9, "
     "_ and -)"},
    {"accountLongName", MANIFEST_E_NAME,
     "account #0: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is not a username "
     "(1 to 32 bytes of a-z, 0-9, _ and -)"},
    {"accountAnonymous", MANIFEST_E_NAME,
     "account \"anonymous\": that is the user of sessions nobody logged "
     "in to, not an account's"},
    {"accountTwice", MANIFEST_E_DUPLICATE,
     "account \"operator\" is listed twice"},
    {"expectsUnknownInterface", MANIFEST_E_INTERFACE,
     "binary \"hello\" expects \"stdio\" as \"StdIo\", which is no "
     "interface of the schema"},
    {"expectsNoName", MANIFEST_E_NAME,
     "binary \"hello\": expects #0 has no plain name"},
    {"accountNotArgon2id", MANIFEST_E_VALUE,
     "account \"operator\": the verifier is not an Argon2id verifier (it "
     "must begin \"$argon2id$\")"},
    {"accountLongVerifier", MANIFEST_E_LIMIT,
     "account \"operator\": the verifier is too long (128 bytes, at most "
     "127)"},
    {"accountNoProfile", MANIFEST_E_PROFILE,
     "account \"operator\": profile \"admin\" is not in profiles"},
    {"tooManyAccounts", MANIFEST_E_LIMIT, "too many accounts (17, at most 16)"},
    {"tooManyProfiles", MANIFEST_E_LIMIT, "too many profiles (9, at most 8)"},
    {"profileTwice", MANIFEST_E_DUPLICATE,
     "profile \"operator\" is listed twice"},
    {"profileUnnamed", MANIFEST_E_NAME,
     "profile #0: \"\" is not a plain name (1 to 31 printable characters, "
     "no spaces)"},
    {"profileCapTwice", MANIFEST_E_DUPLICATE,
     "profile \"operator\": cap \"shutdown\" is listed twice"},
    {"profileCapBadName", MANIFEST_E_NAME,
     "profile \"operator\": cap #0: \"shut down\" is not a plain name (1 "
     "to 31 printable characters, no spaces)"},
    {"profileCapNoSource", MANIFEST_E_NAME,
     "profile \"operator\": cap \"shutdown\" has no source"},
    {"profileCapBadSource", MANIFEST_E_NAME,
     "profile \"operator\": cap \"shutdown\": source \"the shutdown\" is "
     "not a plain name (1 to 31 printable characters, no spaces)"},
    {"profileTooManyCaps", MANIFEST_E_LIMIT,
     "profile \"big\": too many caps (33, at most 32)"},
};

static void
test_refused(void **state)
{
	const struct refusal *r = *state;
	size_t len;
	void *buf = load(r->name, &len);

	assert_int_equal(manifest_check(&mf, buf, len, &err), r->code);
	assert_int_equal(err.code, r->code);
	assert_string_equal(err.msg, expected_msg(r->msg));
	free(buf);
}

/* Every refusal above has a message of its own. */
static void
test_messages_distinct(void **state)
{
	size_t i, j, n = sizeof(refusals) / sizeof(refusals[0]);

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(refusals[i].msg,
			                        refusals[j].msg);
}

static void
test_good(void **state)
{
	size_t len;
	void *buf = load("good", &len);
	const struct manifest_service *client;

	(void)state;
	assert_int_equal(manifest_check(&mf, buf, len, &err), 0);
	assert_int_equal(err.code, MANIFEST_OK);
	assert_string_equal(err.msg, "");
	assert_int_equal(mf.nservices, 3);
	assert_int_equal(mf.ninit_caps, 3);
	assert_true(manifest_text_is(mf.init, "init"));
	assert_int_equal(mf.services[0].restart, capos_RestartPolicy_onFailure);
	assert_int_equal(mf.services[0].exports[0].interface_id,
	                 capos_Echo_TYPE_ID);
	assert_int_equal(mf.services[1].exports[1].interface_id,
	                 capos_Console_TYPE_ID);
	assert_int_equal(mf.services[1].grants[2].source,
	                 MANIFEST_SRC_ENDPOINT);
	client = &mf.services[2];
	assert_true(manifest_text_is(client->name, "client"));
	assert_int_equal(client->expect_exit, 3);
	assert_int_equal(client->ngrants, 7);
	assert_int_equal(client->grants[0].source, MANIFEST_SRC_KERNEL);
	assert_int_equal(client->grants[1].interface_id, capos_Timer_TYPE_ID);
	/* Imports resolve to the exporting service and export. */
	assert_int_equal(client->grants[3].from_service, 0);
	assert_int_equal(client->grants[3].from_export, 0);
	assert_int_equal(client->grants[4].from_service, 1);
	assert_int_equal(client->grants[4].from_export, 0);
	assert_int_equal(client->grants[5].from_service, 1);
	assert_int_equal(client->grants[5].from_export, 1);
	assert_int_equal(client->grants[5].interface_id, capos_Console_TYPE_ID);
	/* A kernel cap granted on request, by its registry name. */
	assert_int_equal(client->grants[6].source, MANIFEST_SRC_KERNEL);
	assert_int_equal(client->grants[6].interface_id,
	                 capos_SystemInfo_TYPE_ID);
	free(buf);
}

static void
test_good_edges(void **state)
{
	static const char *const names[] = {"goodEmpty", "goodEightGrants",
	                                    "goodLongestTexts", "goodLauncher"};
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		void *buf = load(names[i], &len);

		assert_int_equal(manifest_check(&mf, buf, len, &err), 0);
		free(buf);
	}
}

/* Accounts and profiles as init, the credential service and the broker
 * read them: every field, and each account's profile resolved. */
static void
test_good_accounts(void **state)
{
	size_t len;
	void *buf = load("goodAccounts", &len);

	(void)state;
	assert_int_equal(manifest_check(&mf, buf, len, &err), 0);
	assert_int_equal(mf.naccounts, 3);
	assert_int_equal(mf.nprofiles, 3);
	assert_true(manifest_text_is(mf.accounts[0].name, "operator"));
	assert_true(manifest_text_is(mf.accounts[0].profile, "operator"));
	assert_int_equal(mf.accounts[0].profile_index, 1);
	assert_int_equal(mf.accounts[0].verifier.len, 97);
	assert_memory_equal(mf.accounts[0].verifier.str, "$argon2id$v=19$", 15);
	assert_int_equal(mf.accounts[1].name.len, 32);
	assert_int_equal(mf.accounts[1].verifier.len, 127);
	assert_int_equal(mf.accounts[1].profile_index, 2);
	assert_true(manifest_text_is(mf.accounts[2].name, "u_0-9"));
	assert_true(manifest_text_is(mf.profiles[0].name, "anonymous"));
	assert_int_equal(mf.profiles[0].ncaps, 0);
	assert_int_equal(mf.profiles[1].ncaps, 1);
	assert_true(manifest_text_is(mf.profiles[1].caps[0].name, "shutdown"));
	assert_true(
	    manifest_text_is(mf.profiles[1].caps[0].source, "shutdown"));
	assert_int_equal(mf.profiles[2].ncaps, 32);
	assert_true(manifest_text_is(mf.profiles[2].caps[31].name, "c31"));
	free(buf);
}

/* The username rule the credential service applies to setup. */
static void
test_account_names(void **state)
{
	static const char *const good[] = {"a", "operator", "x_y-z09",
	                                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	                                   "anonymous1"};
	static const char *const bad[] = {
	    "",          "Operator",
	    "a b",       "a.b",
	    "a/b",       "é",
	    "anonymous", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(manifest_account_name_ok(good[i], strlen(good[i])));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(manifest_account_name_ok(bad[i], strlen(bad[i])));
	/* Only the bytes counted are looked at; a NUL is not a letter. */
	assert_true(manifest_account_name_ok("abc!", 3));
	assert_false(manifest_account_name_ok("a\0b", 3));
	assert_false(manifest_account_name_ok(NULL, 0));
}

/* The system's own manifests (system/default.capnp and the in-guest test
 * manifests) are covered at build time by tools/manifest-binaries. */

/* --- hostile messages built here ---------------------------------------------
 */

static uint8_t arena[1 << 16] __attribute__((aligned(8)));
static uint8_t framed[(1 << 16) + 64] __attribute__((aligned(8)));

/* A minimal valid manifest with n services named s0, s1, ... */
static capos_InitConfig_builder
build_base(struct capnp_builder *b, uint32_t nservices,
           struct capnp_list_builder *svcs)
{
	capos_SystemManifest_builder root;
	capos_InitConfig_builder ic;
	struct capnp_list_builder bins;
	uint32_t i;

	capnp_builder_init(b, arena, sizeof(arena), 0);
	root = capos_SystemManifest_build_root(b);
	capos_SystemManifest_set_schemaVersion(root, 1);
	bins = capos_SystemManifest_init_binaries(root, 1);
	capos_BinaryEntry_set_name(capos_BinaryEntry_build_at(bins, 0), "init",
	                           4);
	capos_BinaryEntry_set_module(capos_BinaryEntry_build_at(bins, 0),
	                             "init", 4);
	ic = capos_SystemManifest_init_initConfig(root);
	capos_InitConfig_set_init(ic, "init", 4);
	*svcs = capos_InitConfig_init_services(ic, nservices);
	for (i = 0; i < nservices; i++) {
		capos_ServiceConfig_builder s =
		    capos_ServiceConfig_build_at(*svcs, i);
		char name[16];

		snprintf(name, sizeof(name), "s%u", i);
		capos_ServiceConfig_set_name(s, name, strlen(name));
		capos_ServiceConfig_set_binary(s, "init", 4);
	}
	return ic;
}

static size_t
finish(struct capnp_builder *b)
{
	size_t n;

	assert_int_equal(capnp_builder_error(b), 0);
	assert_int_equal(capnp_frame_write(b, framed, sizeof(framed), &n), 0);
	return n;
}

static void
test_built_base_is_good(void **state)
{
	struct capnp_builder b;
	struct capnp_list_builder svcs;

	(void)state;
	build_base(&b, 3, &svcs);
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err), 0);
	assert_int_equal(mf.nservices, 3);
}

static void
test_too_many_services(void **state)
{
	struct capnp_builder b;
	struct capnp_list_builder svcs;

	(void)state;
	build_base(&b, MANIFEST_MAX_SERVICES, &svcs);
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err), 0);
	build_base(&b, MANIFEST_MAX_SERVICES + 1, &svcs);
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err),
	                 MANIFEST_E_LIMIT);
	assert_string_equal(err.msg, "too many services (33, at most 32)");
}

static void
test_not_a_message(void **state)
{
	static const uint8_t junk[] = "this is not a manifest";

	(void)state;
	assert_int_equal(manifest_check(&mf, junk, sizeof(junk), &err),
	                 MANIFEST_E_MALFORMED);
	assert_non_null(strstr(err.msg, "not a framed Cap'n Proto message"));
	assert_int_equal(manifest_check(&mf, junk, 0, &err),
	                 MANIFEST_E_MALFORMED);
}

static void
test_truncated(void **state)
{
	size_t len, cut;
	uint8_t *buf = load("good", &len);

	(void)state;
	/* Every proper prefix is refused, none crashes. */
	for (cut = 0; cut < len; cut++) {
		int e = manifest_check(&mf, buf, cut, &err);

		assert_int_not_equal(e, 0);
		assert_true(err.msg[0] != '\0');
	}
	free(buf);
}

/* A restart policy value the schema does not define (an encoder for a
 * newer schema, or a forged message). */
static void
test_unknown_restart(void **state)
{
	struct capnp_builder b;
	struct capnp_list_builder svcs;

	(void)state;
	build_base(&b, 2, &svcs);
	capos_ServiceConfig_set_restart(capos_ServiceConfig_build_at(svcs, 1),
	                                (enum capos_RestartPolicy)7);
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err),
	                 MANIFEST_E_VALUE);
	assert_string_equal(err.msg,
	                    "service \"s1\": unknown restart policy 7");
}

/* A grant source union member the schema does not define. */
static void
test_unknown_source(void **state)
{
	struct capnp_builder b;
	struct capnp_list_builder svcs, grants;
	capos_GrantConfig_builder g;

	(void)state;
	build_base(&b, 1, &svcs);
	grants = capos_ServiceConfig_init_grants(
	    capos_ServiceConfig_build_at(svcs, 0), 1);
	g = capos_GrantConfig_build_at(grants, 0);
	capos_GrantConfig_set_name(g, "x", 1);
	capos_GrantConfig_set_interface(g, "Console", 7);
	/* GrantConfig has no data section but the union tag (u16 at byte
	 * 0): write a discriminant past the last member. */
	capnp_set_u16(g.s, 0, 9);
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err),
	                 MANIFEST_E_VALUE);
	assert_string_equal(err.msg, "service \"s0\": grant \"x\" has an "
	                             "unknown source (union member 9)");
}

/* Control bytes and NULs in names are never printed raw. */
static void
test_hostile_names(void **state)
{
	struct capnp_builder b;
	struct capnp_list_builder svcs;
	static const char evil[] = "a\033[2Jb\nc";
	static const char nul[] = {'x', '\0', 'y'};

	(void)state;
	build_base(&b, 1, &svcs);
	capos_ServiceConfig_set_binary(capos_ServiceConfig_build_at(svcs, 0),
	                               evil, sizeof(evil) - 1);
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err),
	                 MANIFEST_E_BINARY);
	assert_string_equal(err.msg, "service \"s0\": binary \"a?[2Jb?c\" is "
	                             "not in binaries");

	build_base(&b, 1, &svcs);
	capos_ServiceConfig_set_name(capos_ServiceConfig_build_at(svcs, 0), nul,
	                             sizeof(nul));
	assert_int_equal(manifest_check(&mf, framed, finish(&b), &err),
	                 MANIFEST_E_NAME);
	assert_string_equal(err.msg, "service #0: \"x?y\" is not a plain name "
	                             "(1 to 31 printable characters, no "
	                             "spaces)");
}

/* Random byte flips of a good manifest: refused or accepted, never a
 * crash or a sanitizer report, and a refusal always says something. */
static void
test_mutations(void **state)
{
	size_t len, i;
	uint8_t *orig = load("good", &len);
	uint8_t *buf = malloc(len);
	uint32_t seed = 12345;
	int refused = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		int k, e;

		memcpy(buf, orig, len);
		for (k = 0; k < 1 + (int)(i % 4); k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] ^= (uint8_t)(1u << (seed % 8));
		}
		e = manifest_check(&mf, buf, len, &err);
		if (e) {
			refused++;
			assert_true(err.msg[0] != '\0');
			assert_int_equal(err.code, e);
		}
	}
	assert_true(refused > 0);
	free(buf);
	free(orig);
}

static void
test_interface_names(void **state)
{
	struct capnp_text echo = {"Echo", 4}, nope = {"Ech", 3},
	                  longer = {"Echoes", 6}, null = {NULL, 0};

	(void)state;
	assert_int_equal(manifest_interface_id(echo), capos_Echo_TYPE_ID);
	assert_int_equal(manifest_interface_id(nope), 0);
	assert_int_equal(manifest_interface_id(longer), 0);
	assert_int_equal(manifest_interface_id(null), 0);
	assert_string_equal(manifest_interface_name(capos_Console_TYPE_ID),
	                    "Console");
	assert_null(manifest_interface_name(12345));
}

/* --- the reference encoder refuses what the schema does not have ---------- */

/* Runs capnp eval on FILE; returns its exit status and its stderr. */
static int
capnp_eval(const char *file, char *out, size_t size)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
	         "capnp eval -I '%s' -b '%s/%s' manifest 2>&1 >/dev/null",
	         schema_dir, unencodable_dir, file);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	return pclose(p);
}

static void
test_encoder_misspelled_field(void **state)
{
	char out[4096];

	(void)state;
	assert_int_not_equal(capnp_eval("misspelled.capnp", out, sizeof(out)),
	                     0);
	assert_non_null(strstr(out, "no field named 'binaris'"));
}

static void
test_encoder_unknown_enumerant(void **state)
{
	char out[4096];

	(void)state;
	assert_int_not_equal(capnp_eval("bad_enum.capnp", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "sometimes"));
}

int
main(int argc, char **argv)
{
	struct CMUnitTest tests[96];
	size_t n = 0, i;

	if (argc != 4) {
		fprintf(stderr,
		        "usage: %s CASES_DIR UNENCODABLE_DIR "
		        "SCHEMA_DIR\n",
		        argv[0]);
		return 2;
	}
	cases_dir = argv[1];
	unencodable_dir = argv[2];
	schema_dir = argv[3];
	if (sizeof(refusals) / sizeof(refusals[0]) + 20 >
	    sizeof(tests) / sizeof(tests[0])) {
		fprintf(stderr, "%s: tests[] is too small\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct CMUnitTest t = cmocka_unit_test_prestate(
		    test_refused, (void *)&refusals[i]);

		t.name = refusals[i].name;
		tests[n++] = t;
	}
#define ADD(fn) tests[n++] = (struct CMUnitTest)cmocka_unit_test(fn)
	ADD(test_messages_distinct);
	ADD(test_registry_lists);
	ADD(test_good);
	ADD(test_good_edges);
	ADD(test_good_accounts);
	ADD(test_account_names);
	ADD(test_built_base_is_good);
	ADD(test_too_many_services);
	ADD(test_not_a_message);
	ADD(test_truncated);
	ADD(test_unknown_restart);
	ADD(test_unknown_source);
	ADD(test_hostile_names);
	ADD(test_mutations);
	ADD(test_interface_names);
	ADD(test_encoder_misspelled_field);
	ADD(test_encoder_unknown_enumerant);
#undef ADD
	return _cmocka_run_group_tests("manifest", tests, n, NULL, NULL);
}
