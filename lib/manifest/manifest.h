/*
 * The boot manifest as init sees it: the whole service graph, read into a
 * fixed-size model and checked before anything is spawned.
 *
 * manifest_read() copies the message's shape into struct manifest (names
 * stay pointers into the caller's buffer, which must outlive the model);
 * manifest_validate() checks the graph: every binary, interface, kernel
 * cap and import resolves, imports only point backwards (a cycle or a
 * forward reference is refused), names are unique and fit a CapSet, and
 * no service needs more than one spawn call can carry; accounts have
 * valid usernames, Argon2id verifiers and profiles that exist, and
 * profiles unique names and bundles.  The first problem
 * found, in manifest order, is reported with its own message naming the
 * service and what is wrong (docs/services.md lists them).
 *
 * Pure and freestanding: no allocation, used by init, the host tool that
 * checks manifests at build time, and the host tests.
 */
#ifndef MANIFEST_MANIFEST_H
#define MANIFEST_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capnp/read.h"

/* The SystemManifest.schemaVersion this code reads (also the kernel's). */
#define MANIFEST_SCHEMA_VERSION 1

/* Sizes of the model; a manifest beyond them is refused by name. */
#define MANIFEST_MAX_BINARIES 32
#define MANIFEST_MAX_SERVICES 32
#define MANIFEST_MAX_INIT_CAPS                                                 \
	24 /* the registry's on-request caps, with room */
/* Kernel and import grants ride as transfer descriptors on one spawn
 * CALL, at most CAPOS_XFER_MAX (32) of them. */
#define MANIFEST_MAX_GRANTS  32
#define MANIFEST_MAX_EXPORTS 8
/* Endpoints one spawn creates (exports plus endpoint grants): the spawn's
 * result carries the handle and one client facet each, at most 9 caps. */
#define MANIFEST_MAX_ENDPOINTS 8
/* The endpoint an awaitReady service reports ready on, in its CapSet
 * (libcapos's CAPOS_SERVICE_READY_NAME). */
#define MANIFEST_READY_NAME "ready"
/* CapSet entry names are at most 31 bytes; service and binary names are
 * held to the same bound. */
#define MANIFEST_NAME_MAX 31
/* Boot module names (the kernel looks them up in a 64-byte buffer). */
#define MANIFEST_MODULE_MAX 63
#define MANIFEST_ERROR_MAX  512
/* kernelParams.hostname and .motd, in bytes; the kernel refuses longer
 * ones at boot (kernel/core/manifest.h keeps the same numbers). */
#define MANIFEST_HOSTNAME_MAX 63
#define MANIFEST_MOTD_MAX     1023
/* Accounts and session profiles (SystemManifest.accounts, .profiles;
 * docs/sessions.md).  A username is 1 to 32 bytes of [a-z0-9_-]; a
 * verifier is an Argon2id string of at most 127 bytes, which with its NUL
 * fills libsodium's crypto_pwhash_STRBYTES (128): crypto_pwhash_str_verify
 * refuses any longer one; a profile's bundle is at most CAPOS_XFER_MAX
 * caps, so one call can hand it over. */
#define MANIFEST_MAX_ACCOUNTS     16
#define MANIFEST_MAX_PROFILES     8
#define MANIFEST_ACCOUNT_NAME_MAX 32
#define MANIFEST_VERIFIER_MAX     127
#define MANIFEST_VERIFIER_PREFIX  "$argon2id$"
#define MANIFEST_MAX_PROFILE_CAPS 32
/* The user of a session nobody logged in to (Session.info): no account
 * may be called that. */
#define MANIFEST_ANONYMOUS "anonymous"
/* Reading the model walks each object once; this bounds a hostile one. */
#define MANIFEST_TRAVERSAL_WORDS (1u << 20)
#define MANIFEST_NESTING         16

enum manifest_err {
	MANIFEST_OK = 0,
	MANIFEST_E_MALFORMED,  /* not a readable SystemManifest */
	MANIFEST_E_LIMIT,      /* more of something than the model holds */
	MANIFEST_E_VERSION,    /* schemaVersion is not ours */
	MANIFEST_E_NAME,       /* a name is missing, too long or not text */
	MANIFEST_E_DUPLICATE,  /* a name is used twice where it must not */
	MANIFEST_E_BINARY,     /* a binary reference does not resolve */
	MANIFEST_E_INTERFACE,  /* an interface name is not in the schema */
	MANIFEST_E_KERNEL_CAP, /* a kernel cap init does not hold */
	MANIFEST_E_IMPORT,     /* no such service or export */
	MANIFEST_E_FORWARD,    /* import of a service not started before */
	MANIFEST_E_CYCLE,      /* imports that lead back to the importer */
	MANIFEST_E_MISMATCH,   /* interfaces of the two ends differ */
	MANIFEST_E_VALUE,      /* an enum or union value we do not know,
	                        * or a verifier that is not Argon2id */
	MANIFEST_E_PROFILE,    /* an account's profile does not exist */
};

enum manifest_source {
	MANIFEST_SRC_KERNEL,
	MANIFEST_SRC_IMPORT,
	MANIFEST_SRC_ENDPOINT,
	MANIFEST_SRC_LAUNCHER,
};

struct manifest_grant {
	struct capnp_text name;
	struct capnp_text interface;
	uint64_t interface_id; /* set by manifest_validate */
	enum manifest_source source;
	uint32_t source_raw;      /* the union discriminant as read */
	struct capnp_text kernel; /* MANIFEST_SRC_KERNEL */
	struct capnp_text import_service, import_export; /* _IMPORT */
	struct capnp_list launcher; /* MANIFEST_SRC_LAUNCHER: binary names */
	/* MANIFEST_SRC_IMPORT, set by manifest_validate: the exporting
	 * service's index and the export's index in it. */
	uint32_t from_service, from_export;
};

struct manifest_export {
	struct capnp_text name;
	struct capnp_text interface;
	uint64_t interface_id; /* set by manifest_validate */
};

struct manifest_limits {
	uint32_t cap_slots, outstanding_calls, endpoint_queue, frames, threads,
	    virtual_pages;
};

struct manifest_service {
	struct capnp_text name;
	struct capnp_text binary;
	struct manifest_grant grants[MANIFEST_MAX_GRANTS];
	uint32_t ngrants;
	struct manifest_export exports[MANIFEST_MAX_EXPORTS];
	uint32_t nexports;
	uint32_t restart; /* enum capos_RestartPolicy */
	int32_t expect_exit;
	bool await_ready;          /* reports ready (docs/services.md) */
	uint32_t ready_timeout_ms; /* 0: init's default */
	struct manifest_limits limits;
};

struct manifest_account {
	struct capnp_text name;
	struct capnp_text verifier;
	struct capnp_text profile;
	uint32_t profile_index; /* set by manifest_validate */
};

struct manifest_profile_cap {
	struct capnp_text name;
	struct capnp_text source;
};

struct manifest_profile {
	struct capnp_text name;
	struct manifest_profile_cap caps[MANIFEST_MAX_PROFILE_CAPS];
	uint32_t ncaps;
};

/* BinaryEntry.expects: at most this many caps a binary looks up. */
#define MANIFEST_MAX_EXPECTS 16

struct manifest_binary {
	struct capnp_text name;
	struct capnp_text module;
	struct capnp_list expects; /* of ExpectedCap */
};

struct manifest {
	struct capnp_msg msg; /* the names point into its segments */
	uint32_t schema_version;
	struct manifest_binary binaries[MANIFEST_MAX_BINARIES];
	uint32_t nbinaries;
	struct capnp_text init;
	struct capnp_text init_caps[MANIFEST_MAX_INIT_CAPS];
	uint32_t ninit_caps;
	struct manifest_service services[MANIFEST_MAX_SERVICES];
	uint32_t nservices;
	struct manifest_limits default_limits;
	struct manifest_account accounts[MANIFEST_MAX_ACCOUNTS];
	uint32_t naccounts;
	struct manifest_profile profiles[MANIFEST_MAX_PROFILES];
	uint32_t nprofiles;
};

struct manifest_error {
	enum manifest_err code;
	char msg[MANIFEST_ERROR_MAX];
};

/*
 * Reads the framed SystemManifest in buf[0, len) into mf.  Returns 0, or
 * a MANIFEST_E_* code with err->msg saying why (malformed message, more
 * binaries, services, grants, exports, accounts, profiles or profile caps
 * than the model holds).
 */
int manifest_read(struct manifest *mf, const void *buf, size_t len,
                  struct manifest_error *err);

/* Checks the whole graph of a manifest_read model; 0 or MANIFEST_E_*. */
int manifest_validate(struct manifest *mf, struct manifest_error *err);

/* manifest_read, then manifest_validate. */
int manifest_check(struct manifest *mf, const void *buf, size_t len,
                   struct manifest_error *err);

/* The interface id of a schema interface name ("Console"), 0 if none. */
uint64_t manifest_interface_id(struct capnp_text name);
/* The schema name of an interface id, or NULL. */
const char *manifest_interface_name(uint64_t id);

/* The interface of the kernel cap init holds under name, 0 if none. */
uint64_t manifest_kernel_cap_interface(struct capnp_text name);

/* Index of the binary called name, or -1. */
int manifest_find_binary(const struct manifest *mf, struct capnp_text name);

/* Whether name[0, len) is a username an account may have: 1 to
 * MANIFEST_ACCOUNT_NAME_MAX bytes of [a-z0-9_-], not MANIFEST_ANONYMOUS.
 * The credential service checks setup's names with it too. */
bool manifest_account_name_ok(const char *name, size_t len);

/* Index of the profile called name, or -1. */
int manifest_find_profile(const struct manifest *mf, struct capnp_text name);

/* True when t holds exactly the NUL-terminated string s. */
bool manifest_text_is(struct capnp_text t, const char *s);

#endif
