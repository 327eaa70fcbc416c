/*
 * libFuzzer target for init's manifest checks (lib/manifest): the input
 * is a framed SystemManifest, put through manifest_check as init does.
 * The result and the error record must agree, a refusal must say why in
 * a terminated message, and an accepted manifest must satisfy everything
 * manifest.h promises, checked here independently: counts within the
 * model, names plain and unique, every binary and interface resolved,
 * imports only from services started before, each resolved to an export
 * of the same interface.  Checking twice gives the same answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/manifest.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			abort();                                               \
	} while (0)

static struct manifest mf, mf2;
static struct manifest_error err, err2;

static void
check_name(struct capnp_text t)
{
	uint32_t i;

	CHECK(t.str != NULL && t.len >= 1 && t.len <= MANIFEST_NAME_MAX);
	CHECK(t.str[t.len] == '\0');
	for (i = 0; i < t.len; i++)
		CHECK(t.str[i] > 0x20 && t.str[i] < 0x7f);
}

static int
same(struct capnp_text a, struct capnp_text b)
{
	return a.len == b.len && memcmp(a.str, b.str, a.len) == 0;
}

static void
check_service(uint32_t si)
{
	const struct manifest_service *s = &mf.services[si];
	uint32_t i, j, nendpoints = s->nexports;

	check_name(s->name);
	CHECK(manifest_find_binary(&mf, s->binary) >= 0);
	CHECK(s->ngrants <= MANIFEST_MAX_GRANTS);
	CHECK(s->nexports <= MANIFEST_MAX_EXPORTS);
	for (i = 0; i < s->nexports; i++) {
		check_name(s->exports[i].name);
		CHECK(s->exports[i].interface_id ==
		      manifest_interface_id(s->exports[i].interface));
		CHECK(s->exports[i].interface_id != 0);
		for (j = 0; j < i; j++)
			CHECK(!same(s->exports[i].name, s->exports[j].name));
	}
	for (i = 0; i < s->ngrants; i++) {
		const struct manifest_grant *g = &s->grants[i];

		check_name(g->name);
		CHECK(g->interface_id != 0 &&
		      g->interface_id == manifest_interface_id(g->interface));
		for (j = 0; j < i; j++)
			CHECK(!same(g->name, s->grants[j].name));
		for (j = 0; j < s->nexports; j++)
			CHECK(!same(g->name, s->exports[j].name));
		switch (g->source) {
		case MANIFEST_SRC_KERNEL:
			CHECK(manifest_kernel_cap_interface(g->kernel) ==
			      g->interface_id);
			break;
		case MANIFEST_SRC_IMPORT: {
			const struct manifest_service *from;

			CHECK(g->from_service < si);
			from = &mf.services[g->from_service];
			CHECK(same(from->name, g->import_service));
			CHECK(g->from_export < from->nexports);
			CHECK(same(from->exports[g->from_export].name,
			           g->import_export));
			CHECK(from->exports[g->from_export].interface_id ==
			      g->interface_id);
			break;
		}
		case MANIFEST_SRC_ENDPOINT:
			nendpoints++;
			break;
		default:
			CHECK(0);
		}
	}
	CHECK(nendpoints <= MANIFEST_MAX_ENDPOINTS);
}

static void
check_model(void)
{
	uint32_t i, j;

	CHECK(mf.schema_version == MANIFEST_SCHEMA_VERSION);
	CHECK(mf.nbinaries <= MANIFEST_MAX_BINARIES);
	CHECK(mf.nservices <= MANIFEST_MAX_SERVICES);
	CHECK(mf.ninit_caps <= MANIFEST_MAX_INIT_CAPS);
	for (i = 0; i < mf.nbinaries; i++) {
		check_name(mf.binaries[i].name);
		CHECK(manifest_find_binary(&mf, mf.binaries[i].name) == (int)i);
		CHECK(mf.binaries[i].module.str != NULL &&
		      mf.binaries[i].module.len <= MANIFEST_MODULE_MAX);
	}
	CHECK(manifest_find_binary(&mf, mf.init) >= 0);
	for (i = 0; i < mf.ninit_caps; i++)
		CHECK(manifest_kernel_cap_interface(mf.init_caps[i]) != 0);
	for (i = 0; i < mf.nservices; i++) {
		check_service(i);
		for (j = 0; j < i; j++)
			CHECK(!same(mf.services[i].name, mf.services[j].name));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int r, r2;

	r = manifest_check(&mf, data, size, &err);
	CHECK(r >= MANIFEST_OK && r <= MANIFEST_E_VALUE);
	CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (r == MANIFEST_OK) {
		check_model();
	} else {
		CHECK((int)err.code == r);
		CHECK(err.msg[0] != '\0');
	}
	r2 = manifest_check(&mf2, data, size, &err2);
	CHECK(r2 == r && err2.code == err.code &&
	      strcmp(err2.msg, err.msg) == 0);
	return 0;
}
