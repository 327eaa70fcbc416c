#include "core/kernel.h"
#include "core/bootinfo.h"
#include "core/log.h"
#include "core/manifest.h"
#include "arch/x86_64/layout.h"
#include "capnp/read.h"

#include "capos.capnp.h"

/* The manifest is small; a tight traversal budget bounds a hostile one. */
#define MANIFEST_TRAVERSAL_WORDS (256u * 1024)
#define MANIFEST_NESTING         16
#define NAME_MAX                 64

static const struct mb2_info *boot_mb;
static const uint8_t *bytes;
static size_t nbytes;
static struct capnp_msg msg;
static capos_SystemManifest_reader root;
static char init_name[NAME_MAX];
static const char *init_caps[MANIFEST_MAX_INIT_CAPS];
static char init_cap_store[MANIFEST_MAX_INIT_CAPS][NAME_MAX];
static unsigned ninit_caps;
static struct proc_limits default_limits, init_limits;
static char hostname[MANIFEST_HOSTNAME_MAX + 1];
static char motd[MANIFEST_MOTD_MAX + 1];

/*
 * An optional text parameter: absent or empty leaves buf empty; one that
 * does not fit, or holds a NUL, is refused.
 */
static void
text_param(struct capnp_text t, char *buf, size_t size, const char *what)
{
	buf[0] = '\0';
	if (!t.str || t.len == 0)
		return;
	if (t.len >= size)
		panic("boot manifest: kernelParams.%s is longer than %zu bytes",
		      what, size - 1);
	memcpy(buf, t.str, t.len);
	buf[t.len] = '\0';
	if (strlen(buf) != t.len)
		panic("boot manifest: kernelParams.%s holds a NUL byte", what);
}

/* Copies a text field into buf; false when absent, empty or too long. */
static bool
text_copy(struct capnp_text t, char *buf, size_t size)
{
	if (!t.str || t.len == 0 || t.len >= size)
		return false;
	memcpy(buf, t.str, t.len);
	buf[t.len] = '\0';
	return strlen(buf) == t.len; /* no NUL inside */
}

static bool
text_eq(struct capnp_text t, const char *s, size_t n)
{
	return t.str && t.len == n && memcmp(t.str, s, n) == 0;
}

static void
read_limits(capos_ResourceLimits_reader r, struct proc_limits *out)
{
	out->cap_slots = capos_ResourceLimits_get_capSlots(r);
	out->outstanding_calls = capos_ResourceLimits_get_outstandingCalls(r);
	out->endpoint_queue = capos_ResourceLimits_get_endpointQueue(r);
	out->frames = capos_ResourceLimits_get_frames(r);
	out->threads = capos_ResourceLimits_get_threads(r);
	out->virtual_pages = capos_ResourceLimits_get_virtualPages(r);
}

/* A fresh reader per walk: the traversal budget bounds one walk, and an
 * error in one lookup does not poison the next. */
static capos_SystemManifest_reader
fresh_root(struct capnp_msg *m)
{
	size_t used;

	if (capnp_msg_init_frame(m, bytes, nbytes, &used))
		capnp_msg_fail(m, CAPNP_ERR_FRAME);
	capnp_msg_set_limits(m, MANIFEST_TRAVERSAL_WORDS, MANIFEST_NESTING);
	return capos_SystemManifest_read_root(m);
}

/*
 * The last binaries found: the manifest does not change once loaded, and
 * a walk of its list (each name decoded, then the boot module found by
 * name) cost as much as the rest of a spawn's checks.  Filled in turn.
 */
#define BINARY_CACHE 4
static struct {
	char name[NAME_MAX];
	size_t len;
	const void *image;
	size_t size;
} binary_cache[BINARY_CACHE];
static unsigned binary_cache_next;

bool
manifest_binary(const char *name, size_t name_len, const void **image,
                size_t *size)
{
	struct capnp_msg walk;
	struct capnp_list l;
	uint32_t i;

	for (i = 0; i < BINARY_CACHE; i++)
		if (binary_cache[i].len == name_len && name_len &&
		    memcmp(binary_cache[i].name, name, name_len) == 0) {
			*image = binary_cache[i].image;
			*size = binary_cache[i].size;
			return true;
		}
	l = capos_SystemManifest_get_binaries(fresh_root(&walk));

	for (i = 0; i < capnp_list_len(l); i++) {
		capos_BinaryEntry_reader e = capos_BinaryEntry_at(l, i);
		char module[NAME_MAX];
		const struct mb2_module *m;

		if (!text_eq(capos_BinaryEntry_get_name(e), name, name_len))
			continue;
		if (!text_copy(capos_BinaryEntry_get_module(e), module,
		               sizeof(module)) ||
		    capnp_msg_error(&walk))
			return false;
		m = bootinfo_module(boot_mb, module);
		if (!m)
			return false;
		*image = phys_to_virt(m->start);
		*size = m->end - m->start;
		if (name_len < NAME_MAX) {
			i = binary_cache_next++ % BINARY_CACHE;
			memcpy(binary_cache[i].name, name, name_len);
			binary_cache[i].len = name_len;
			binary_cache[i].image = *image;
			binary_cache[i].size = *size;
		}
		return true;
	}
	return false;
}

/* The schema's entry for an interface id, or NULL. */
static const struct rpc_interface_entry *
interface_entry(uint64_t id)
{
	size_t i;

	for (i = 0; i < capos_interfaces_COUNT; i++)
		if (capos_interfaces[i].id == id)
			return &capos_interfaces[i];
	return NULL;
}

/* Whether interface have is want or extends it (the schema's own
 * hierarchy is shallow: a few levels at most). */
static bool
interface_answers(uint64_t have, uint64_t want, unsigned depth)
{
	const struct rpc_interface_entry *e;
	uint16_t i;

	if (have == want)
		return true;
	e = interface_entry(have);
	if (!e || depth == 8)
		return false;
	for (i = 0; i < e->nsupers; i++)
		if (interface_answers(e->supers[i], want, depth + 1))
			return true;
	return false;
}

bool
manifest_grant_fits(const char *name, size_t name_len, const char *grant,
                    uint64_t have, const char **want)
{
	struct capnp_msg walk;
	struct capnp_list l =
	    capos_SystemManifest_get_binaries(fresh_root(&walk));
	uint32_t i, j;
	size_t k;

	for (i = 0; i < capnp_list_len(l); i++) {
		capos_BinaryEntry_reader e = capos_BinaryEntry_at(l, i);
		struct capnp_list x;

		if (!text_eq(capos_BinaryEntry_get_name(e), name, name_len))
			continue;
		x = capos_BinaryEntry_get_expects(e);
		for (j = 0; j < capnp_list_len(x); j++) {
			capos_ExpectedCap_reader c = capos_ExpectedCap_at(x, j);
			struct capnp_text it =
			    capos_ExpectedCap_get_interface(c);

			if (!text_eq(capos_ExpectedCap_get_name(c), grant,
			             strlen(grant)))
				continue;
			/* The build checked every name is the schema's. */
			for (k = 0; k < capos_interfaces_COUNT; k++)
				if (text_eq(it, capos_interfaces[k].name,
				            strlen(capos_interfaces[k].name)))
					break;
			if (k == capos_interfaces_COUNT)
				return true;
			*want = capos_interfaces[k].name;
			return interface_answers(have, capos_interfaces[k].id,
			                         0);
		}
		return true;
	}
	return true;
}

void
manifest_load(const struct mb2_info *mb, const char *module_name)
{
	const struct mb2_module *m = bootinfo_module(mb, module_name);
	capos_InitConfig_reader ic;
	capos_KernelParams_reader kp;
	struct capnp_list caps;
	const void *image;
	size_t used, size;
	uint32_t version, i;
	unsigned level;

	boot_mb = mb;
	memset(binary_cache, 0, sizeof(binary_cache));
	if (!m)
		panic("boot manifest: no boot module named '%s'", module_name);
	bytes = phys_to_virt(m->start);
	nbytes = m->end - m->start;
	if (capnp_msg_init_frame(&msg, bytes, nbytes, &used))
		panic("boot manifest '%s' is not a Cap'n Proto message",
		      module_name);
	capnp_msg_set_limits(&msg, MANIFEST_TRAVERSAL_WORDS, MANIFEST_NESTING);
	root = capos_SystemManifest_read_root(&msg);
	version = capos_SystemManifest_get_schemaVersion(root);
	if (capnp_msg_error(&msg))
		panic("boot manifest '%s' is malformed", module_name);
	if (version != MANIFEST_SCHEMA_VERSION)
		panic("boot manifest: schema version %u, this kernel reads %u",
		      version, MANIFEST_SCHEMA_VERSION);
	ic = capos_SystemManifest_get_initConfig(root);
	if (!text_copy(capos_InitConfig_get_init(ic), init_name,
	               sizeof(init_name)))
		panic("boot manifest: initConfig.init is missing or too long");
	if (!manifest_binary(init_name, strlen(init_name), &image, &size))
		panic("boot manifest: init binary '%s' is not among the "
		      "binaries, or its boot module is missing",
		      init_name);
	caps = capos_InitConfig_get_initCaps(ic);
	if (capnp_list_len(caps) > MANIFEST_MAX_INIT_CAPS)
		panic("boot manifest: more than %d initCaps",
		      MANIFEST_MAX_INIT_CAPS);
	for (i = 0; i < capnp_list_len(caps); i++) {
		struct capnp_text t = capnp_ref_text(capnp_elem(caps, i));

		if (!text_copy(t, init_cap_store[i], NAME_MAX))
			panic("boot manifest: initCaps entry %u is empty", i);
		init_caps[i] = init_cap_store[i];
	}
	ninit_caps = i;
	kp = capos_SystemManifest_get_kernelParams(root);
	read_limits(capos_KernelParams_get_defaultLimits(kp), &default_limits);
	read_limits(capos_KernelParams_get_initLimits(kp), &init_limits);
	text_param(capos_KernelParams_get_hostname(kp), hostname,
	           sizeof(hostname), "hostname");
	text_param(capos_KernelParams_get_motd(kp), motd, sizeof(motd), "motd");
	level = capos_KernelParams_get_logLevel(kp);
	if (level > capos_LogLevel_trace)
		panic("boot manifest: kernelParams.logLevel %u is no LogLevel",
		      level);
	log_set_level((uint16_t)level);
	if (capnp_msg_error(&msg))
		panic("boot manifest '%s' is malformed", module_name);
	kprintf("manifest: %s, %u binaries, init '%s'\n", module_name,
	        capnp_list_len(capos_SystemManifest_get_binaries(root)),
	        init_name);
}

bool
manifest_loaded(void)
{
	return bytes != NULL;
}

const uint8_t *
manifest_bytes(size_t *len)
{
	*len = nbytes;
	return bytes;
}

const char *
manifest_init_name(void)
{
	return init_name;
}

unsigned
manifest_init_caps(const char *names[MANIFEST_MAX_INIT_CAPS])
{
	unsigned i;

	for (i = 0; i < ninit_caps; i++)
		names[i] = init_caps[i];
	return ninit_caps;
}

void
manifest_default_limits(struct proc_limits *out)
{
	struct proc_limits resolved;

	proc_limits_resolve(&resolved, &default_limits);
	*out = resolved;
}

void
manifest_init_limits(struct proc_limits *out)
{
	proc_limits_root(out, &init_limits);
}

const char *
manifest_hostname(void)
{
	return hostname;
}

const char *
manifest_motd(void)
{
	return motd;
}
