/*
 * BootPackage: what the boot loader delivered, for init.  It serves the
 * manifest in bounded chunks and looks binaries up by name; the
 * binaries themselves are only ever loaded by ProcessSpawner.
 */
#include "core/kernel.h"
#include "core/manifest.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

#define BOOTPKG_CHUNK 4096

static int
manifest_size(void *self, struct rpc_call *call,
              capos_BootPackage_manifestSize_Params_reader p,
              capos_BootPackage_manifestSize_Results_builder r)
{
	size_t len;

	(void)self;
	(void)call;
	(void)p;
	manifest_bytes(&len);
	capos_BootPackage_manifestSize_Results_set_size(r, len);
	return KERR_OK;
}

static int
read_manifest(void *self, struct rpc_call *call,
              capos_BootPackage_readManifest_Params_reader p,
              capos_BootPackage_readManifest_Results_builder r)
{
	uint64_t off = capos_BootPackage_readManifest_Params_get_offset(p);
	uint32_t n = capos_BootPackage_readManifest_Params_get_length(p);
	size_t len;
	const uint8_t *bytes = manifest_bytes(&len);

	(void)self;
	if (n > BOOTPKG_CHUNK)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "readManifest: at most 4096 bytes per "
		                     "call");
	if (off > len)
		off = len;
	if (n > len - off)
		n = (uint32_t)(len - off);
	capos_BootPackage_readManifest_Results_set_data(r, bytes + off, n);
	return KERR_OK;
}

static int
binary_size(void *self, struct rpc_call *call,
            capos_BootPackage_binarySize_Params_reader p,
            capos_BinaryLookup_builder r)
{
	struct capnp_text name =
	    capos_BootPackage_binarySize_Params_get_name(p);
	const void *image;
	size_t size;

	(void)self;
	if (capnp_msg_error(&call->params) || !name.str)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "binarySize: malformed params");
	/* An absent name is an answer, not a failure. */
	if (manifest_binary(name.str, name.len, &image, &size))
		capos_BinaryLookup_set_size(r, size);
	else
		capos_BinaryLookup_set_notFound(r);
	return KERR_OK;
}

static const struct capos_BootPackage_server bootpkg_server = {
    .manifestSize = manifest_size,
    .readManifest = read_manifest,
    .binarySize = binary_size,
};

static const struct kobject_ops bootpkg_ops = {
    .name = "BootPackage",
    .interface_id = capos_BootPackage_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_BootPackage_interface,
    .impl = &bootpkg_server,
};

static struct kobject bootpkg_obj = {
    .ops = &bootpkg_ops,
    .refs = 1,
    .interface_id = capos_BootPackage_TYPE_ID,
};

struct kobject *
bootpkg_object(void)
{
	return &bootpkg_obj;
}
