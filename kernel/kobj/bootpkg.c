/*
 * BootPackage: what the boot loader delivered, for init.  It serves the
 * manifest in bounded chunks and says whether a binary is present; the
 * binaries themselves are only ever loaded by ProcessSpawner.
 */
#include "core/kernel.h"
#include "core/manifest.h"
#include "kobj/kobject.h"
#include "kobj/message.h"

#include "capos.capnp.h"

#define BOOTPKG_CHUNK 4096

static int
bootpkg_call(struct kobject *obj, struct kcall *c)
{
	struct capnp_builder b;
	struct capnp_msg m;
	const uint8_t *bytes;
	size_t len;
	int err;

	(void)obj;
	err = kmsg_params(c, &m);
	if (err)
		return err;
	bytes = manifest_bytes(&len);
	switch (c->method) {
	case capos_BootPackage_METHOD_manifestSize:
		kmsg_result_begin(&b);
		capos_BootPackage_manifestSize_Results_set_size(
			capos_BootPackage_manifestSize_Results_build_root(&b),
			len);
		return kmsg_result_end(c, &b);
	case capos_BootPackage_METHOD_readManifest: {
		capos_BootPackage_readManifest_Params_reader r =
			capos_BootPackage_readManifest_Params_read_root(&m);
		uint64_t off = capos_BootPackage_readManifest_Params_get_offset(r);
		uint32_t n = capos_BootPackage_readManifest_Params_get_length(r);

		if (capnp_msg_error(&m))
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "readManifest: malformed params");
		if (n > BOOTPKG_CHUNK)
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "readManifest: at most 4096 "
					       "bytes per call");
		if (off > len)
			off = len;
		if (n > len - off)
			n = (uint32_t)(len - off);
		kmsg_result_begin(&b);
		capos_BootPackage_readManifest_Results_set_data(
			capos_BootPackage_readManifest_Results_build_root(&b),
			bytes + off, n);
		return kmsg_result_end(c, &b);
	}
	case capos_BootPackage_METHOD_binarySize: {
		struct capnp_text name = capos_BootPackage_binarySize_Params_get_name(
			capos_BootPackage_binarySize_Params_read_root(&m));
		capos_BootPackage_binarySize_Results_builder rb;
		const void *image;
		size_t size = 0;
		bool found;

		if (capnp_msg_error(&m) || !name.str)
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "binarySize: malformed params");
		found = manifest_binary(name.str, name.len, &image, &size);
		kmsg_result_begin(&b);
		rb = capos_BootPackage_binarySize_Results_build_root(&b);
		capos_BootPackage_binarySize_Results_set_size(rb, size);
		capos_BootPackage_binarySize_Results_set_found(rb, found);
		return kmsg_result_end(c, &b);
	}
	default:
		return kcall_exception(c, KEXC_UNIMPLEMENTED,
				       "BootPackage has no such method");
	}
}

static const struct kobject_ops bootpkg_ops = {
	.name = "BootPackage",
	.interface_id = capos_BootPackage_TYPE_ID,
	.call = kobject_call,
	.method = bootpkg_call,
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
