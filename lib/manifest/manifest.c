/*
 * Reading and checking the boot manifest (manifest.h).  Reading copies the
 * message's shape into fixed arrays once, so the checks, which compare
 * names across services, never walk the message again and a hostile
 * message costs one bounded traversal.
 */
#include "manifest/manifest.h"
#include "base/mem.h"
#include "fmt/fmt.h"

#include "capos.capnp.h"

#include <capos/kernel_caps.h>

/* Names shown in messages: at most this many bytes, then "...". */
#define SHOW_MAX 40

/* A name as a message can show it: printable, bounded, always a string
 * (a hostile manifest may put control bytes or NULs in names). */
struct shown {
	char s[SHOW_MAX + 4];
};

static struct shown
show(struct capnp_text t)
{
	struct shown out;
	uint32_t i, n = t.str ? t.len : 0;

	if (n > SHOW_MAX)
		n = SHOW_MAX;
	for (i = 0; i < n; i++)
		out.s[i] = t.str[i] >= 0x20 && t.str[i] < 0x7f ? t.str[i] : '?';
	if (t.str && t.len > SHOW_MAX)
		out.s[i++] = '.', out.s[i++] = '.', out.s[i++] = '.';
	out.s[i] = '\0';
	return out;
}

#define S(t) (show(t).s)

/* What a name must be, for messages (with the bound as %u). */
#define PLAIN "1 to %u printable characters, no spaces"

static int __attribute__((format(printf, 3, 4)))
fail(struct manifest_error *err, enum manifest_err code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	fmt_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

bool
manifest_text_is(struct capnp_text t, const char *s)
{
	size_t n = strlen(s);

	return t.str && t.len == n && memcmp(t.str, s, n) == 0;
}

static bool
text_eq(struct capnp_text a, struct capnp_text b)
{
	return a.str && b.str && a.len == b.len &&
	       memcmp(a.str, b.str, a.len) == 0;
}

/* A usable name: 1 to max printable ASCII bytes, no spaces.  Names end
 * up in CapSets, module lists, messages and the console. */
static bool
name_ok(struct capnp_text t, uint32_t max)
{
	uint32_t i;

	if (!t.str || t.len == 0 || t.len > max)
		return false;
	for (i = 0; i < t.len; i++)
		if (t.str[i] <= 0x20 || t.str[i] >= 0x7f)
			return false;
	return true;
}

uint64_t
manifest_interface_id(struct capnp_text name)
{
	size_t i;

	for (i = 0; i < capos_interfaces_COUNT; i++)
		if (manifest_text_is(name, capos_interfaces[i].name))
			return capos_interfaces[i].id;
	return 0;
}

const char *
manifest_interface_name(uint64_t id)
{
	size_t i;

	for (i = 0; i < capos_interfaces_COUNT; i++)
		if (capos_interfaces[i].id == id)
			return capos_interfaces[i].name;
	return NULL;
}

/* The kernel caps there are (<capos/kernel_caps.h>), by the names init's
 * CapSet gives them. */
static const struct {
	const char *name;
	uint64_t interface_id;
	int grant; /* CAPOS_KCAP_* */
} kernel_caps[] = {
#define KCAP_ENTRY(name, iface, grant) {#name, capos_##iface##_TYPE_ID, grant},
    CAPOS_KERNEL_CAPS(KCAP_ENTRY)
#undef KCAP_ENTRY
};
#define NKERNEL_CAPS (sizeof(kernel_caps) / sizeof(kernel_caps[0]))

/* The registry entry init may grant under name, or -1. */
static int
kernel_cap_index(struct capnp_text name)
{
	size_t i;

	for (i = 0; i < NKERNEL_CAPS; i++)
		if (kernel_caps[i].grant != CAPOS_KCAP_INIT_ONLY &&
		    manifest_text_is(name, kernel_caps[i].name))
			return (int)i;
	return -1;
}

uint64_t
manifest_kernel_cap_interface(struct capnp_text name)
{
	int i = kernel_cap_index(name);

	return i < 0 ? 0 : kernel_caps[i].interface_id;
}

/* The names of the kernel caps with one of the grant kinds in mask
 * (1 << CAPOS_KCAP_*), comma-separated, for messages. */
/* Room for every registry name and its ", ": sized by the registry, so a
 * new kernel cap never cuts the list short. */
#define KCAP_NAME_ROOM(name, iface, grant) +sizeof(#name) + 2
enum { KERNEL_CAP_NAMES_MAX = 1 CAPOS_KERNEL_CAPS(KCAP_NAME_ROOM) };

static const char *
kernel_cap_names(unsigned mask)
{
	static char buf[KERNEL_CAP_NAMES_MAX];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NKERNEL_CAPS; i++) {
		if (!(mask & (1u << kernel_caps[i].grant)))
			continue;
		n += (size_t)fmt_snprintf(buf + n, sizeof(buf) - n, "%s%s",
		                          n ? ", " : "", kernel_caps[i].name);
		if (n >= sizeof(buf))
			break;
	}
	return buf;
}

#define GRANTABLE ((1u << CAPOS_KCAP_ALWAYS) | (1u << CAPOS_KCAP_ON_REQUEST))

int
manifest_find_binary(const struct manifest *mf, struct capnp_text name)
{
	uint32_t i;

	for (i = 0; i < mf->nbinaries; i++)
		if (text_eq(mf->binaries[i].name, name))
			return (int)i;
	return -1;
}

static int
find_service(const struct manifest *mf, struct capnp_text name)
{
	uint32_t i;

	for (i = 0; i < mf->nservices; i++)
		if (text_eq(mf->services[i].name, name))
			return (int)i;
	return -1;
}

int
manifest_find_profile(const struct manifest *mf, struct capnp_text name)
{
	uint32_t i;

	for (i = 0; i < mf->nprofiles; i++)
		if (text_eq(mf->profiles[i].name, name))
			return (int)i;
	return -1;
}

static int
find_export(const struct manifest_service *s, struct capnp_text name)
{
	uint32_t i;

	for (i = 0; i < s->nexports; i++)
		if (text_eq(s->exports[i].name, name))
			return (int)i;
	return -1;
}

/* --- reading ------------------------------------------------------------ */

static void
read_limits(capos_ResourceLimits_reader r, struct manifest_limits *out)
{
	out->cap_slots = capos_ResourceLimits_get_capSlots(r);
	out->outstanding_calls = capos_ResourceLimits_get_outstandingCalls(r);
	out->endpoint_queue = capos_ResourceLimits_get_endpointQueue(r);
	out->frames = capos_ResourceLimits_get_frames(r);
	out->threads = capos_ResourceLimits_get_threads(r);
	out->virtual_pages = capos_ResourceLimits_get_virtualPages(r);
}

static void
read_grant(capos_GrantConfig_reader r, struct manifest_grant *g)
{
	capos_GrantConfig_source_reader src = capos_GrantConfig_get_source(r);
	capos_ImportRef_reader imp;

	g->name = capos_GrantConfig_get_name(r);
	g->interface = capos_GrantConfig_get_interface(r);
	g->source_raw = (uint32_t)capos_GrantConfig_source_which(src);
	switch (g->source_raw) {
	case capos_GrantConfig_source_WHICH_kernel:
		g->source = MANIFEST_SRC_KERNEL;
		g->kernel = capos_GrantConfig_source_get_kernel(src);
		break;
	case capos_GrantConfig_source_WHICH_import:
		g->source = MANIFEST_SRC_IMPORT;
		imp = capos_GrantConfig_source_get_import(src);
		g->import_service = capos_ImportRef_get_service(imp);
		g->import_export = capos_ImportRef_get_export(imp);
		break;
	case capos_GrantConfig_source_WHICH_launcher:
		g->source = MANIFEST_SRC_LAUNCHER;
		g->launcher = capos_GrantConfig_source_get_launcher(src);
		break;
	default:
		/* Unknown members are refused by manifest_validate. */
		g->source = MANIFEST_SRC_ENDPOINT;
		break;
	}
}

static int
read_service(capos_ServiceConfig_reader r, struct manifest_service *s,
             struct manifest_error *err)
{
	struct capnp_list grants = capos_ServiceConfig_get_grants(r);
	struct capnp_list exports = capos_ServiceConfig_get_exports(r);
	uint32_t i;

	s->name = capos_ServiceConfig_get_name(r);
	s->binary = capos_ServiceConfig_get_binary(r);
	s->restart = (uint32_t)capos_ServiceConfig_get_restart(r);
	s->expect_exit = capos_ServiceConfig_get_expectExit(r);
	s->await_ready = capos_ServiceConfig_get_awaitReady(r);
	s->ready_timeout_ms = capos_ServiceConfig_get_readyTimeoutMs(r);
	read_limits(capos_ServiceConfig_get_limits(r), &s->limits);
	s->ngrants = capnp_list_len(grants);
	s->nexports = capnp_list_len(exports);
	/* Checked before the arrays are filled: the names are not read yet,
	 * so the message names the service by what it has. */
	if (s->ngrants > MANIFEST_MAX_GRANTS)
		return fail(err, MANIFEST_E_LIMIT,
		            "service \"%s\": too many grants (%u, at most %u)",
		            S(s->name), s->ngrants, MANIFEST_MAX_GRANTS);
	if (s->nexports > MANIFEST_MAX_EXPORTS)
		return fail(err, MANIFEST_E_LIMIT,
		            "service \"%s\": too many exports (%u, at most "
		            "%u)",
		            S(s->name), s->nexports, MANIFEST_MAX_EXPORTS);
	for (i = 0; i < s->ngrants; i++)
		read_grant(capos_GrantConfig_at(grants, i), &s->grants[i]);
	for (i = 0; i < s->nexports; i++) {
		capos_ExportConfig_reader e = capos_ExportConfig_at(exports, i);

		s->exports[i].name = capos_ExportConfig_get_name(e);
		s->exports[i].interface = capos_ExportConfig_get_interface(e);
	}
	return 0;
}

static int
read_accounts(capos_SystemManifest_reader root, struct manifest *mf,
              struct manifest_error *err)
{
	struct capnp_list accts = capos_SystemManifest_get_accounts(root);
	uint32_t i;

	mf->naccounts = capnp_list_len(accts);
	if (mf->naccounts > MANIFEST_MAX_ACCOUNTS)
		return fail(err, MANIFEST_E_LIMIT,
		            "too many accounts (%u, at most %u)", mf->naccounts,
		            MANIFEST_MAX_ACCOUNTS);
	for (i = 0; i < mf->naccounts; i++) {
		capos_Account_reader a = capos_Account_at(accts, i);

		mf->accounts[i].name = capos_Account_get_name(a);
		mf->accounts[i].verifier = capos_Account_get_verifier(a);
		mf->accounts[i].profile = capos_Account_get_profile(a);
	}
	return 0;
}

static int
read_profiles(capos_SystemManifest_reader root, struct manifest *mf,
              struct manifest_error *err)
{
	struct capnp_list profs = capos_SystemManifest_get_profiles(root);
	uint32_t i, j;

	mf->nprofiles = capnp_list_len(profs);
	if (mf->nprofiles > MANIFEST_MAX_PROFILES)
		return fail(err, MANIFEST_E_LIMIT,
		            "too many profiles (%u, at most %u)", mf->nprofiles,
		            MANIFEST_MAX_PROFILES);
	for (i = 0; i < mf->nprofiles; i++) {
		capos_SessionProfile_reader r =
		    capos_SessionProfile_at(profs, i);
		struct manifest_profile *p = &mf->profiles[i];
		struct capnp_list caps = capos_SessionProfile_get_caps(r);

		p->name = capos_SessionProfile_get_name(r);
		p->ncaps = capnp_list_len(caps);
		if (p->ncaps > MANIFEST_MAX_PROFILE_CAPS)
			return fail(
			    err, MANIFEST_E_LIMIT,
			    "profile \"%s\": too many caps (%u, at most "
			    "%u)",
			    S(p->name), p->ncaps, MANIFEST_MAX_PROFILE_CAPS);
		for (j = 0; j < p->ncaps; j++) {
			capos_ProfileCap_reader c =
			    capos_ProfileCap_at(caps, j);

			p->caps[j].name = capos_ProfileCap_get_name(c);
			p->caps[j].source = capos_ProfileCap_get_source(c);
		}
	}
	return 0;
}

/* The texts the kernel copies at boot fit where it copies them. */
static int
check_kernel_texts(capos_KernelParams_reader kp, struct manifest_error *err)
{
	struct capnp_text host = capos_KernelParams_get_hostname(kp);
	struct capnp_text motd = capos_KernelParams_get_motd(kp);

	if (host.str && host.len > MANIFEST_HOSTNAME_MAX)
		return fail(err, MANIFEST_E_LIMIT,
		            "kernelParams.hostname is too long (%u bytes, at "
		            "most %u)",
		            host.len, MANIFEST_HOSTNAME_MAX);
	if (motd.str && motd.len > MANIFEST_MOTD_MAX)
		return fail(err, MANIFEST_E_LIMIT,
		            "kernelParams.motd is too long (%u bytes, at most "
		            "%u)",
		            motd.len, MANIFEST_MOTD_MAX);
	return 0;
}

int
manifest_read(struct manifest *mf, const void *buf, size_t len,
              struct manifest_error *err)
{
	capos_SystemManifest_reader root;
	capos_InitConfig_reader ic;
	struct capnp_list bins, caps, svcs;
	size_t used;
	uint32_t i;
	int e;

	memset(mf, 0, sizeof(*mf));
	err->code = MANIFEST_OK;
	err->msg[0] = '\0';
	if (capnp_msg_init_frame(&mf->msg, buf, len, &used))
		return fail(err, MANIFEST_E_MALFORMED,
		            "the manifest is not a framed Cap'n Proto "
		            "message (%s)",
		            capnp_strerror(capnp_msg_error(&mf->msg)));
	capnp_msg_set_limits(&mf->msg, MANIFEST_TRAVERSAL_WORDS,
	                     MANIFEST_NESTING);
	root = capos_SystemManifest_read_root(&mf->msg);
	mf->schema_version = capos_SystemManifest_get_schemaVersion(root);
	bins = capos_SystemManifest_get_binaries(root);
	ic = capos_SystemManifest_get_initConfig(root);
	caps = capos_InitConfig_get_initCaps(ic);
	svcs = capos_InitConfig_get_services(ic);
	mf->init = capos_InitConfig_get_init(ic);
	read_limits(capos_KernelParams_get_defaultLimits(
	                capos_SystemManifest_get_kernelParams(root)),
	            &mf->default_limits);

	mf->nbinaries = capnp_list_len(bins);
	mf->ninit_caps = capnp_list_len(caps);
	mf->nservices = capnp_list_len(svcs);
	if (mf->nbinaries > MANIFEST_MAX_BINARIES)
		return fail(err, MANIFEST_E_LIMIT,
		            "too many binaries (%u, at most %u)", mf->nbinaries,
		            MANIFEST_MAX_BINARIES);
	if (mf->ninit_caps > MANIFEST_MAX_INIT_CAPS)
		return fail(err, MANIFEST_E_LIMIT,
		            "too many initCaps (%u, at most %u)",
		            mf->ninit_caps, MANIFEST_MAX_INIT_CAPS);
	if (mf->nservices > MANIFEST_MAX_SERVICES)
		return fail(err, MANIFEST_E_LIMIT,
		            "too many services (%u, at most %u)", mf->nservices,
		            MANIFEST_MAX_SERVICES);
	for (i = 0; i < mf->nbinaries; i++) {
		capos_BinaryEntry_reader b = capos_BinaryEntry_at(bins, i);

		mf->binaries[i].name = capos_BinaryEntry_get_name(b);
		mf->binaries[i].module = capos_BinaryEntry_get_module(b);
		mf->binaries[i].expects = capos_BinaryEntry_get_expects(b);
	}
	for (i = 0; i < mf->ninit_caps; i++)
		mf->init_caps[i] = capnp_ref_text(capnp_elem(caps, i));
	for (i = 0; i < mf->nservices; i++) {
		e = read_service(capos_ServiceConfig_at(svcs, i),
		                 &mf->services[i], err);
		if (e)
			return e;
	}
	e = check_kernel_texts(capos_SystemManifest_get_kernelParams(root),
	                       err);
	if (!e)
		e = read_accounts(root, mf, err);
	if (!e)
		e = read_profiles(root, mf, err);
	if (e)
		return e;
	/* Any pointer that did not check out read as a default; say so
	 * rather than validate a partial picture. */
	if (capnp_msg_error(&mf->msg))
		return fail(err, MANIFEST_E_MALFORMED,
		            "the manifest is malformed (%s)",
		            capnp_strerror(capnp_msg_error(&mf->msg)));
	return 0;
}

/* --- checking --------------------------------------------------------- */

static int
check_binaries(struct manifest *mf, struct manifest_error *err)
{
	uint32_t i, j;

	for (i = 0; i < mf->nbinaries; i++) {
		struct manifest_binary *b = &mf->binaries[i];

		if (!name_ok(b->name, MANIFEST_NAME_MAX))
			return fail(err, MANIFEST_E_NAME,
			            "binary #%u: \"%s\" is not a plain name "
			            "(" PLAIN ")",
			            i, S(b->name), MANIFEST_NAME_MAX);
		if (!b->module.str || b->module.len == 0)
			return fail(err, MANIFEST_E_NAME,
			            "binary \"%s\" has no module", S(b->name));
		if (!name_ok(b->module, MANIFEST_MODULE_MAX))
			return fail(err, MANIFEST_E_NAME,
			            "binary \"%s\": module \"%s\" is not a "
			            "plain name (" PLAIN ")",
			            S(b->name), S(b->module),
			            MANIFEST_MODULE_MAX);
		for (j = 0; j < i; j++)
			if (text_eq(mf->binaries[j].name, b->name))
				return fail(err, MANIFEST_E_DUPLICATE,
				            "binary \"%s\" is listed twice",
				            S(b->name));
		if (capnp_list_len(b->expects) > MANIFEST_MAX_EXPECTS)
			return fail(err, MANIFEST_E_LIMIT,
			            "binary \"%s\": too many expects (%u, at "
			            "most %u)",
			            S(b->name), capnp_list_len(b->expects),
			            MANIFEST_MAX_EXPECTS);
		for (j = 0; j < capnp_list_len(b->expects); j++) {
			capos_ExpectedCap_reader x =
			    capos_ExpectedCap_at(b->expects, j);
			struct capnp_text xn = capos_ExpectedCap_get_name(x);
			struct capnp_text xi =
			    capos_ExpectedCap_get_interface(x);

			if (!name_ok(xn, MANIFEST_NAME_MAX))
				return fail(err, MANIFEST_E_NAME,
				            "binary \"%s\": expects #%u has no "
				            "plain name",
				            S(b->name), j);
			if (!manifest_interface_id(xi))
				return fail(err, MANIFEST_E_INTERFACE,
				            "binary \"%s\" expects \"%s\" as "
				            "\"%s\", which is no interface of "
				            "the schema",
				            S(b->name), S(xn), S(xi));
		}
	}
	if (!name_ok(mf->init, MANIFEST_NAME_MAX))
		return fail(err, MANIFEST_E_NAME,
		            "initConfig.init does not name a binary");
	if (manifest_find_binary(mf, mf->init) < 0)
		return fail(err, MANIFEST_E_BINARY,
		            "initConfig.init names binary \"%s\", which is "
		            "not in binaries",
		            S(mf->init));
	return 0;
}

static int
check_init_caps(struct manifest *mf, struct manifest_error *err)
{
	uint32_t i, j;

	for (i = 0; i < mf->ninit_caps; i++) {
		struct capnp_text c = mf->init_caps[i];

		/* Some caps always come with init; initCaps adds the
		 * ones on request. */
		int k = kernel_cap_index(c);

		if (k < 0 || kernel_caps[k].grant != CAPOS_KCAP_ON_REQUEST)
			return fail(
			    err, MANIFEST_E_KERNEL_CAP,
			    "initConfig.initCaps: \"%s\" is not a "
			    "kernel cap init can be given (%s)",
			    S(c),
			    kernel_cap_names(1u << CAPOS_KCAP_ON_REQUEST));
		for (j = 0; j < i; j++)
			if (text_eq(mf->init_caps[j], c))
				return fail(err, MANIFEST_E_DUPLICATE,
				            "initConfig.initCaps lists \"%s\" "
				            "twice",
				            S(c));
	}
	return 0;
}

/* Whether init holds the kernel cap called name. */
static bool
init_holds(const struct manifest *mf, struct capnp_text name)
{
	uint32_t i;
	int k = kernel_cap_index(name);

	if (k >= 0 && kernel_caps[k].grant == CAPOS_KCAP_ALWAYS)
		return true;
	for (i = 0; i < mf->ninit_caps; i++)
		if (text_eq(mf->init_caps[i], name))
			return true;
	return false;
}

/* Service names are checked for every service first: imports look
 * services up by name, which must be unambiguous. */
static int
check_service_names(struct manifest *mf, struct manifest_error *err)
{
	uint32_t i, j;

	for (i = 0; i < mf->nservices; i++) {
		struct manifest_service *s = &mf->services[i];

		if (!name_ok(s->name, MANIFEST_NAME_MAX))
			return fail(err, MANIFEST_E_NAME,
			            "service #%u: \"%s\" is not a plain name "
			            "(" PLAIN ")",
			            i, S(s->name), MANIFEST_NAME_MAX);
		for (j = 0; j < i; j++)
			if (text_eq(mf->services[j].name, s->name))
				return fail(err, MANIFEST_E_DUPLICATE,
				            "service \"%s\" is listed twice",
				            S(s->name));
	}
	return 0;
}

static int
check_exports(struct manifest_service *s, struct manifest_error *err)
{
	uint32_t i, j;

	for (i = 0; i < s->nexports; i++) {
		struct manifest_export *e = &s->exports[i];

		if (!name_ok(e->name, MANIFEST_NAME_MAX))
			return fail(err, MANIFEST_E_NAME,
			            "service \"%s\": export #%u: \"%s\" is "
			            "not a plain name (" PLAIN ")",
			            S(s->name), i, S(e->name),
			            MANIFEST_NAME_MAX);
		for (j = 0; j < i; j++)
			if (text_eq(s->exports[j].name, e->name))
				return fail(err, MANIFEST_E_DUPLICATE,
				            "service \"%s\": export \"%s\" is "
				            "listed twice",
				            S(s->name), S(e->name));
		e->interface_id = manifest_interface_id(e->interface);
		if (!e->interface_id)
			return fail(err, MANIFEST_E_INTERFACE,
			            "service \"%s\": export \"%s\" serves "
			            "unknown interface \"%s\"",
			            S(s->name), S(e->name), S(e->interface));
	}
	return 0;
}

/*
 * Service `from` imports from `to`, which is not started before it.  If
 * `to` (transitively) imports back from `from`, that is a cycle and
 * path[] gets the services on it, from `to` back to `from`; returns its
 * length, or 0 when there is no way back (a forward reference).
 * Breadth-first over import edges with a fixed queue: no recursion, no
 * allocation, each service visited once.
 */
static uint32_t
find_cycle(const struct manifest *mf, uint32_t from, uint32_t to,
           uint32_t path[MANIFEST_MAX_SERVICES + 1])
{
	uint32_t queue[MANIFEST_MAX_SERVICES], parent[MANIFEST_MAX_SERVICES];
	bool seen[MANIFEST_MAX_SERVICES] = {false};
	uint32_t head = 0, tail = 0, i, n, at;

	queue[tail++] = to;
	seen[to] = true;
	parent[to] = to;
	while (head < tail) {
		const struct manifest_service *s;

		at = queue[head++];
		s = &mf->services[at];
		for (i = 0; i < s->ngrants; i++) {
			int next;

			if (s->grants[i].source != MANIFEST_SRC_IMPORT)
				continue;
			next = find_service(mf, s->grants[i].import_service);
			if (next < 0 || seen[next])
				continue;
			seen[next] = true;
			parent[next] = at;
			if ((uint32_t)next == from) {
				/* Walk back from `from` to `to`, then
				 * reverse into path order. */
				n = 0;
				for (at = from; at != to; at = parent[at])
					path[n++] = at;
				path[n++] = to;
				for (i = 0; i < n / 2; i++) {
					uint32_t t = path[i];

					path[i] = path[n - 1 - i];
					path[n - 1 - i] = t;
				}
				return n;
			}
			queue[tail++] = (uint32_t)next;
		}
	}
	return 0;
}

/* "a -> b -> a" for the message. */
static void
cycle_text(const struct manifest *mf, uint32_t from, const uint32_t *path,
           uint32_t n, char *buf, size_t size)
{
	size_t used;
	uint32_t i;

	used = fmt_snprintf(buf, size, "%s", S(mf->services[from].name));
	for (i = 0; i < n && used < size; i++)
		used += fmt_snprintf(buf + used, size - used, " -> %s",
		                     S(mf->services[path[i]].name));
}

static int
check_import(struct manifest *mf, uint32_t si, struct manifest_grant *g,
             struct manifest_error *err)
{
	struct manifest_service *s = &mf->services[si];
	uint32_t path[MANIFEST_MAX_SERVICES + 1], n;
	char cycle[160];
	int from, ex;

	from = find_service(mf, g->import_service);
	if (from < 0)
		return fail(err, MANIFEST_E_IMPORT,
		            "service \"%s\": grant \"%s\" imports \"%s.%s\", "
		            "but there is no service \"%s\"",
		            S(s->name), S(g->name), S(g->import_service),
		            S(g->import_export), S(g->import_service));
	if ((uint32_t)from == si)
		return fail(err, MANIFEST_E_CYCLE,
		            "service \"%s\": grant \"%s\" imports \"%s.%s\" "
		            "from the service itself (import cycle %s -> %s)",
		            S(s->name), S(g->name), S(g->import_service),
		            S(g->import_export), S(s->name), S(s->name));
	if ((uint32_t)from > si) {
		n = find_cycle(mf, si, (uint32_t)from, path);
		if (n) {
			cycle_text(mf, si, path, n, cycle, sizeof(cycle));
			return fail(err, MANIFEST_E_CYCLE,
			            "service \"%s\": grant \"%s\" imports "
			            "\"%s.%s\", but service \"%s\" imports "
			            "back (import cycle %s)",
			            S(s->name), S(g->name),
			            S(g->import_service), S(g->import_export),
			            S(g->import_service), cycle);
		}
		return fail(err, MANIFEST_E_FORWARD,
		            "service \"%s\": grant \"%s\" imports \"%s.%s\", "
		            "but service \"%s\" is not started before it",
		            S(s->name), S(g->name), S(g->import_service),
		            S(g->import_export), S(g->import_service));
	}
	ex = find_export(&mf->services[from], g->import_export);
	if (ex < 0)
		return fail(err, MANIFEST_E_IMPORT,
		            "service \"%s\": grant \"%s\" imports \"%s.%s\", "
		            "but service \"%s\" exports no \"%s\"",
		            S(s->name), S(g->name), S(g->import_service),
		            S(g->import_export), S(g->import_service),
		            S(g->import_export));
	if (mf->services[from].exports[ex].interface_id != g->interface_id)
		return fail(err, MANIFEST_E_MISMATCH,
		            "service \"%s\": grant \"%s\" imports \"%s.%s\" "
		            "as \"%s\", but that export serves \"%s\"",
		            S(s->name), S(g->name), S(g->import_service),
		            S(g->import_export), S(g->interface),
		            S(mf->services[from].exports[ex].interface));
	g->from_service = (uint32_t)from;
	g->from_export = (uint32_t)ex;
	return 0;
}

/* A launcher: init's ProcessSpawner.narrowed to binaries of the
 * manifest (ProcessSpawner.narrow). */
static int
check_launcher(const struct manifest *mf, const struct manifest_service *s,
               const struct manifest_grant *g, struct manifest_error *err)
{
	uint32_t i, n = capnp_list_len(g->launcher);

	if (g->interface_id != capos_ProcessSpawner_TYPE_ID)
		return fail(err, MANIFEST_E_MISMATCH,
		            "service \"%s\": grant \"%s\" is a launcher, so a "
		            "\"ProcessSpawner\", not a \"%s\"",
		            S(s->name), S(g->name), S(g->interface));
	if (n == 0 || n > CAPOS_LAUNCHER_BINARIES_MAX)
		return fail(err, MANIFEST_E_LIMIT,
		            "service \"%s\": launcher \"%s\" names %u "
		            "binaries (1 to %u)",
		            S(s->name), S(g->name), n,
		            CAPOS_LAUNCHER_BINARIES_MAX);
	for (i = 0; i < n; i++) {
		struct capnp_text b =
		    capnp_ref_text(capnp_elem(g->launcher, i));

		if (manifest_find_binary(mf, b) < 0)
			return fail(err, MANIFEST_E_BINARY,
			            "service \"%s\": launcher \"%s\" names "
			            "binary \"%s\", which is not in binaries",
			            S(s->name), S(g->name), S(b));
	}
	return 0;
}

static int
check_grant(struct manifest *mf, uint32_t si, uint32_t gi,
            struct manifest_error *err)
{
	struct manifest_service *s = &mf->services[si];
	struct manifest_grant *g = &s->grants[gi];
	uint64_t have;
	uint32_t j;

	if (!name_ok(g->name, MANIFEST_NAME_MAX))
		return fail(err, MANIFEST_E_NAME,
		            "service \"%s\": grant #%u: \"%s\" is not a "
		            "plain name (" PLAIN ")",
		            S(s->name), gi, S(g->name), MANIFEST_NAME_MAX);
	/* Grants and exports share the service's CapSet. */
	for (j = 0; j < gi; j++)
		if (text_eq(s->grants[j].name, g->name))
			return fail(err, MANIFEST_E_DUPLICATE,
			            "service \"%s\": grant \"%s\" is listed "
			            "twice",
			            S(s->name), S(g->name));
	if (find_export(s, g->name) >= 0)
		return fail(err, MANIFEST_E_DUPLICATE,
		            "service \"%s\": grant \"%s\" has the name of one "
		            "of its exports",
		            S(s->name), S(g->name));
	g->interface_id = manifest_interface_id(g->interface);
	if (!g->interface_id)
		return fail(err, MANIFEST_E_INTERFACE,
		            "service \"%s\": grant \"%s\" names unknown "
		            "interface \"%s\"",
		            S(s->name), S(g->name), S(g->interface));
	switch (g->source_raw) {
	case capos_GrantConfig_source_WHICH_kernel:
		have = manifest_kernel_cap_interface(g->kernel);
		if (!have)
			return fail(err, MANIFEST_E_KERNEL_CAP,
			            "service \"%s\": grant \"%s\" asks for "
			            "kernel cap \"%s\", but there is no such "
			            "kernel cap (%s)",
			            S(s->name), S(g->name), S(g->kernel),
			            kernel_cap_names(GRANTABLE));
		if (!init_holds(mf, g->kernel))
			return fail(err, MANIFEST_E_KERNEL_CAP,
			            "service \"%s\": grant \"%s\" asks for "
			            "kernel cap \"%s\", which init does not "
			            "hold (initConfig.initCaps does not list "
			            "it)",
			            S(s->name), S(g->name), S(g->kernel));
		if (have != g->interface_id)
			return fail(err, MANIFEST_E_MISMATCH,
			            "service \"%s\": grant \"%s\" asks for "
			            "kernel cap \"%s\" as \"%s\", but it is a "
			            "\"%s\"",
			            S(s->name), S(g->name), S(g->kernel),
			            S(g->interface),
			            manifest_interface_name(have));
		return 0;
	case capos_GrantConfig_source_WHICH_import:
		return check_import(mf, si, g, err);
	case capos_GrantConfig_source_WHICH_endpoint:
		/* The service gets the owner side; the interface is what it
		 * serves there (client facets carry it). */
		return 0;
	case capos_GrantConfig_source_WHICH_launcher:
		return check_launcher(mf, s, g, err);
	default:
		return fail(err, MANIFEST_E_VALUE,
		            "service \"%s\": grant \"%s\" has an unknown "
		            "source (union member %u)",
		            S(s->name), S(g->name), g->source_raw);
	}
}

/* An awaitReady service: init needs a clock for its deadline, and the
 * "ready" endpoint's name must be free in its CapSet. */
static int
check_ready(const struct manifest *mf, const struct manifest_service *s,
            struct manifest_error *err)
{
	static const struct capnp_text timer = {"timer", 5};
	static const struct capnp_text ready = {
	    MANIFEST_READY_NAME, sizeof(MANIFEST_READY_NAME) - 1};
	uint32_t i;

	if (!init_holds(mf, timer))
		return fail(err, MANIFEST_E_KERNEL_CAP,
		            "service \"%s\": awaitReady needs a timer, which "
		            "init does not hold (initConfig.initCaps does not "
		            "list \"timer\")",
		            S(s->name));
	for (i = 0; i < s->ngrants; i++)
		if (text_eq(s->grants[i].name, ready))
			goto taken;
	if (find_export(s, ready) >= 0)
		goto taken;
	return 0;
taken:
	return fail(err, MANIFEST_E_DUPLICATE,
	            "service \"%s\": \"%s\" names its readiness endpoint, "
	            "so no grant or export may take it",
	            S(s->name), MANIFEST_READY_NAME);
}

static int
check_service(struct manifest *mf, uint32_t si, struct manifest_error *err)
{
	struct manifest_service *s = &mf->services[si];
	uint32_t i, nendpoints = s->nexports;
	int e;

	if (manifest_find_binary(mf, s->binary) < 0)
		return fail(err, MANIFEST_E_BINARY,
		            "service \"%s\": binary \"%s\" is not in binaries",
		            S(s->name), S(s->binary));
	if (s->restart > capos_RestartPolicy_always)
		return fail(err, MANIFEST_E_VALUE,
		            "service \"%s\": unknown restart policy %u",
		            S(s->name), s->restart);
	e = check_exports(s, err);
	if (e)
		return e;
	for (i = 0; i < s->ngrants; i++) {
		e = check_grant(mf, si, i, err);
		if (e)
			return e;
		nendpoints += s->grants[i].source == MANIFEST_SRC_ENDPOINT;
	}
	if (s->await_ready) {
		e = check_ready(mf, s, err);
		if (e)
			return e;
		nendpoints++;
	}
	if (nendpoints > MANIFEST_MAX_ENDPOINTS)
		return fail(err, MANIFEST_E_LIMIT,
		            "service \"%s\": too many endpoints (%u exports "
		            "and endpoint grants, at most %u)",
		            S(s->name), nendpoints, MANIFEST_MAX_ENDPOINTS);
	return 0;
}

/* --- accounts and profiles ---------------------------------------------- */

/* What a username must be, for messages. */
#define USERNAME "1 to %u bytes of a-z, 0-9, _ and -"

bool
manifest_account_name_ok(const char *name, size_t len)
{
	size_t i;

	if (!name || len == 0 || len > MANIFEST_ACCOUNT_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return !(len == sizeof(MANIFEST_ANONYMOUS) - 1 &&
	         memcmp(name, MANIFEST_ANONYMOUS, len) == 0);
}

/* Profiles first: accounts name them.  Cap names become the bundle's
 * names, sources the broker's own CapSet names, so both are plain. */
static int
check_profiles(struct manifest *mf, struct manifest_error *err)
{
	uint32_t i, j, k;

	for (i = 0; i < mf->nprofiles; i++) {
		struct manifest_profile *p = &mf->profiles[i];

		if (!name_ok(p->name, MANIFEST_NAME_MAX))
			return fail(err, MANIFEST_E_NAME,
			            "profile #%u: \"%s\" is not a plain name "
			            "(" PLAIN ")",
			            i, S(p->name), MANIFEST_NAME_MAX);
		for (j = 0; j < i; j++)
			if (text_eq(mf->profiles[j].name, p->name))
				return fail(err, MANIFEST_E_DUPLICATE,
				            "profile \"%s\" is listed twice",
				            S(p->name));
		for (j = 0; j < p->ncaps; j++) {
			struct manifest_profile_cap *c = &p->caps[j];

			if (!name_ok(c->name, MANIFEST_NAME_MAX))
				return fail(err, MANIFEST_E_NAME,
				            "profile \"%s\": cap #%u: \"%s\" "
				            "is not a plain name (" PLAIN ")",
				            S(p->name), j, S(c->name),
				            MANIFEST_NAME_MAX);
			for (k = 0; k < j; k++)
				if (text_eq(p->caps[k].name, c->name))
					return fail(err, MANIFEST_E_DUPLICATE,
					            "profile \"%s\": cap "
					            "\"%s\" is listed twice",
					            S(p->name), S(c->name));
			if (!c->source.str || c->source.len == 0)
				return fail(err, MANIFEST_E_NAME,
				            "profile \"%s\": cap \"%s\" has no "
				            "source",
				            S(p->name), S(c->name));
			if (!name_ok(c->source, MANIFEST_NAME_MAX))
				return fail(
				    err, MANIFEST_E_NAME,
				    "profile \"%s\": cap \"%s\": source "
				    "\"%s\" is not a plain name (" PLAIN ")",
				    S(p->name), S(c->name), S(c->source),
				    MANIFEST_NAME_MAX);
		}
	}
	return 0;
}

/* A verifier is never shown in a message: only its length. */
static int
check_accounts(struct manifest *mf, struct manifest_error *err)
{
	static const char prefix[] = MANIFEST_VERIFIER_PREFIX;
	uint32_t i, j;
	int p;

	for (i = 0; i < mf->naccounts; i++) {
		struct manifest_account *a = &mf->accounts[i];

		if (manifest_text_is(a->name, MANIFEST_ANONYMOUS))
			return fail(err, MANIFEST_E_NAME,
			            "account \"%s\": that is the user of "
			            "sessions nobody logged in to, not an "
			            "account's",
			            MANIFEST_ANONYMOUS);
		if (!manifest_account_name_ok(a->name.str, a->name.len))
			return fail(err, MANIFEST_E_NAME,
			            "account #%u: \"%s\" is not a username "
			            "(" USERNAME ")",
			            i, S(a->name), MANIFEST_ACCOUNT_NAME_MAX);
		for (j = 0; j < i; j++)
			if (text_eq(mf->accounts[j].name, a->name))
				return fail(err, MANIFEST_E_DUPLICATE,
				            "account \"%s\" is listed twice",
				            S(a->name));
		if (!a->verifier.str || a->verifier.len < sizeof(prefix) - 1 ||
		    memcmp(a->verifier.str, prefix, sizeof(prefix) - 1) != 0)
			return fail(err, MANIFEST_E_VALUE,
			            "account \"%s\": the verifier is not an "
			            "Argon2id verifier (it must begin "
			            "\"%s\")",
			            S(a->name), prefix);
		if (a->verifier.len > MANIFEST_VERIFIER_MAX)
			return fail(err, MANIFEST_E_LIMIT,
			            "account \"%s\": the verifier is too long "
			            "(%u bytes, at most %u)",
			            S(a->name), a->verifier.len,
			            MANIFEST_VERIFIER_MAX);
		p = manifest_find_profile(mf, a->profile);
		if (p < 0)
			return fail(err, MANIFEST_E_PROFILE,
			            "account \"%s\": profile \"%s\" is not in "
			            "profiles",
			            S(a->name), S(a->profile));
		a->profile_index = (uint32_t)p;
	}
	return 0;
}

int
manifest_validate(struct manifest *mf, struct manifest_error *err)
{
	uint32_t i;
	int e;

	err->code = MANIFEST_OK;
	err->msg[0] = '\0';
	if (mf->schema_version != MANIFEST_SCHEMA_VERSION)
		return fail(err, MANIFEST_E_VERSION,
		            "schemaVersion is %u, init reads version %u",
		            mf->schema_version, MANIFEST_SCHEMA_VERSION);
	e = check_binaries(mf, err);
	if (!e)
		e = check_init_caps(mf, err);
	if (!e)
		e = check_service_names(mf, err);
	for (i = 0; !e && i < mf->nservices; i++)
		e = check_service(mf, i, err);
	if (!e)
		e = check_profiles(mf, err);
	if (!e)
		e = check_accounts(mf, err);
	return e;
}

int
manifest_check(struct manifest *mf, const void *buf, size_t len,
               struct manifest_error *err)
{
	int e = manifest_read(mf, buf, len, err);

	return e ? e : manifest_validate(mf, err);
}
