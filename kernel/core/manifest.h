/*
 * The boot manifest as the kernel sees it: only the boot boundary is
 * checked here (the message is well formed, the schema version is ours,
 * init's binary is among the boot modules); init checks the whole service
 * graph.  The kernel keeps the message to look binaries up for
 * ProcessSpawner and to serve BootPackage.
 */
#ifndef CORE_MANIFEST_H
#define CORE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/mb2.h"
#include "proc/process.h"

#define MANIFEST_SCHEMA_VERSION 1
/* The same bound as lib/manifest's (MANIFEST_MAX_INIT_CAPS there). */
#define MANIFEST_MAX_INIT_CAPS 24
/* kernelParams.hostname and .motd, in bytes (a longer one is refused);
 * the same bounds as lib/manifest's check at build time and in init. */
#define MANIFEST_HOSTNAME_MAX 63
#define MANIFEST_MOTD_MAX     1023

/* Parses and checks the manifest module; panics with the reason. */
void manifest_load(const struct mb2_info *mb, const char *module_name);
bool manifest_loaded(void);

const uint8_t *manifest_bytes(size_t *len);
/* The ELF image of the binary a BinaryEntry names, or false. */
bool manifest_binary(const char *name, size_t name_len, const void **image,
                     size_t *size);

/*
 * Whether a cap of interface `have` may be granted under `grant` to the
 * binary named name (BinaryEntry.expects): true when the binary does not
 * list that name, or lists an interface `have` is or extends; otherwise
 * false, with the interface it expects in *want (a schema name).
 */
bool manifest_grant_fits(const char *name, size_t name_len, const char *grant,
                         uint64_t have, const char **want);
/* init's binary name, and the kernel caps it asks for. */
const char *manifest_init_name(void);
unsigned manifest_init_caps(const char *names[MANIFEST_MAX_INIT_CAPS]);
/* kernelParams.defaultLimits. */
void manifest_default_limits(struct proc_limits *out);
/* init's budget: the root budget lowered by kernelParams.initLimits. */
void manifest_init_limits(struct proc_limits *out);
/* kernelParams.hostname and .motd; "" when unset or no manifest was
 * loaded (SystemInfo answers its defaults then). */
const char *manifest_hostname(void);
const char *manifest_motd(void);

#endif
