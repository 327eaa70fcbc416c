/*
 * Clients for BootPackage, ProcessSpawner and ProcessHandle.  The
 * synchronous ones share one call structure (capos_call.h) under a mutex:
 * none of them calls another or waits for another thread.  The waits
 * (ProcessHandle.wait) use buffers of their own.
 */
#include "capos.h"

#include "capos.capnp.client.h"

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

static int
capos_bootpkg_read_manifest_locked(capos_capid_t bootpkg, void **out,
                                   size_t *len)
{
	uint64_t size, off = 0;
	uint8_t *buf;
	int err;

	capos_BootPackage_manifestSize_begin(&call);
	err = capos_BootPackage_manifestSize_send(&call, bootpkg);
	if (err)
		return err;
	size = capos_BootPackage_manifestSize_Results_get_size(
	    capos_BootPackage_manifestSize_results(&call));
	if (capnp_msg_error(&call.result_msg))
		return CAPOS_E_BAD_FIELD;
	if (size == 0 || size > CAPOS_BOOTPKG_MANIFEST_MAX)
		return CAPOS_E_TOO_LONG;
	buf = malloc(size);
	if (!buf)
		return CAPOS_E_QUOTA;
	while (off < size) {
		uint32_t want = size - off > CAPOS_BOOTPKG_CHUNK
		                    ? CAPOS_BOOTPKG_CHUNK
		                    : (uint32_t)(size - off);
		capos_BootPackage_readManifest_Params_builder p =
		    capos_BootPackage_readManifest_begin(&call);
		struct capnp_data d;

		capos_BootPackage_readManifest_Params_set_offset(p, off);
		capos_BootPackage_readManifest_Params_set_length(p, want);
		err = capos_BootPackage_readManifest_send(&call, bootpkg);
		if (err)
			goto fail;
		d = capos_BootPackage_readManifest_Results_get_data(
		    capos_BootPackage_readManifest_results(&call));
		/* A short or empty chunk would leave a hole or loop forever. */
		if (capnp_msg_error(&call.result_msg) || d.len != want) {
			err = CAPOS_E_BAD_FIELD;
			goto fail;
		}
		memcpy(buf + off, d.ptr, d.len);
		off += d.len;
	}
	*out = buf;
	*len = size;
	return 0;
fail:
	free(buf);
	return err;
}

static int
capos_bootpkg_binary_size_locked(capos_capid_t bootpkg, const char *name,
                                 uint64_t *size, bool *found)
{
	capos_BinaryLookup_reader r;
	int err;

	capos_BootPackage_binarySize_Params_set_name(
	    capos_BootPackage_binarySize_begin(&call), name, strlen(name));
	err = capos_BootPackage_binarySize_send(&call, bootpkg);
	if (err)
		return err;
	r = capos_BootPackage_binarySize_results(&call);
	*size = 0;
	switch (capos_BinaryLookup_which(r)) {
	case capos_BinaryLookup_WHICH_notFound:
		*found = false;
		break;
	case capos_BinaryLookup_WHICH_size:
		*found = true;
		*size = capos_BinaryLookup_get_size(r);
		break;
	default: /* a variant newer than this program */
		return CAPOS_E_BAD_FIELD;
	}
	return capnp_msg_error(&call.result_msg) ? CAPOS_E_BAD_FIELD : 0;
}

/* The xfer index of cap, attaching it (COPY) the first time: one SQE may
 * name a cap only once. */
static uint32_t
attach_once(capos_capid_t cap)
{
	uint32_t i;

	for (i = 0; i < call.nxfer; i++)
		if (call.xfer[i].cap == cap)
			return i;
	return capos_call_add_cap(&call, cap, CAPOS_XFER_COPY);
}

static int
capos_spawn_locked(capos_capid_t spawner, const char *name, const char *binary,
                   const struct capos_spawn_grant *grants, uint32_t ngrants,
                   const struct capos_spawn_endpoint *eps, uint32_t neps,
                   const struct capos_spawn_limits *limits,
                   capos_capid_t *handle, capos_capid_t *clients)
{
	capos_ProcessSpawner_spawn_Params_builder p =
	    capos_ProcessSpawner_spawn_begin(&call);
	capos_ProcessSpawner_spawn_Results_reader r;
	struct capnp_list_builder gl, el;
	struct capnp_list cl;
	uint64_t iid;
	uint32_t i, idx;
	int err;

	capos_ProcessSpawner_spawn_Params_set_name(p, name, strlen(name));
	capos_ProcessSpawner_spawn_Params_set_binary(p, binary, strlen(binary));
	gl = capos_ProcessSpawner_spawn_Params_init_grants(p, ngrants);
	for (i = 0; i < ngrants; i++) {
		capos_SpawnGrant_builder g = capos_SpawnGrant_build_at(gl, i);

		idx = attach_once(grants[i].cap);
		if (idx == UINT32_MAX)
			return CAPOS_E_BAD_XFER; /* > CAPOS_XFER_MAX caps */
		capos_SpawnGrant_set_name(g, grants[i].name,
		                          strlen(grants[i].name));
		capnp_slot_set_cap(capos_SpawnGrant_slot_cap(g), idx);
	}
	el = capos_ProcessSpawner_spawn_Params_init_endpoints(p, neps);
	for (i = 0; i < neps; i++) {
		capos_EndpointSpec_builder e =
		    capos_EndpointSpec_build_at(el, i);

		capos_EndpointSpec_set_name(e, eps[i].name,
		                            strlen(eps[i].name));
		capos_EndpointSpec_set_interfaceId(e, eps[i].interface_id);
	}
	if (limits) {
		capos_ResourceLimits_builder l =
		    capos_ProcessSpawner_spawn_Params_init_limits(p);

		capos_ResourceLimits_set_capSlots(l, limits->cap_slots);
		capos_ResourceLimits_set_outstandingCalls(
		    l, limits->outstanding_calls);
		capos_ResourceLimits_set_endpointQueue(l,
		                                       limits->endpoint_queue);
		capos_ResourceLimits_set_frames(l, limits->frames);
		capos_ResourceLimits_set_threads(l, limits->threads);
		capos_ResourceLimits_set_virtualPages(l, limits->virtual_pages);
	}
	err = capos_ProcessSpawner_spawn_send(&call, spawner);
	if (err)
		return err;

	/* The answer names its caps by record index. */
	r = capos_ProcessSpawner_spawn_results(&call);
	*handle = capos_call_result_cap(
	    &call, capos_ProcessSpawner_spawn_Results_get_handle(r), &iid);
	if (!*handle || iid != capos_ProcessHandle_TYPE_ID)
		return CAPOS_E_BAD_FIELD;
	cl = capos_ProcessSpawner_spawn_Results_get_clients(r);
	if (capnp_list_len(cl) != neps)
		return CAPOS_E_BAD_FIELD;
	for (i = 0; i < neps; i++) {
		clients[i] = capos_call_result_cap(
		    &call, capnp_ref_cap(capnp_elem(cl, i)), &iid);
		if (!clients[i] || iid != eps[i].interface_id)
			return CAPOS_E_BAD_FIELD;
	}
	return capnp_msg_error(&call.result_msg) ? CAPOS_E_BAD_FIELD : 0;
}

int
capos_bootpkg_read_manifest(capos_capid_t bootpkg, void **out, size_t *len)
{
	int err;

	capos_mutex_lock(&call_lock);
	err = capos_bootpkg_read_manifest_locked(bootpkg, out, len);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_bootpkg_binary_size(capos_capid_t bootpkg, const char *name,
                          uint64_t *size, bool *found)
{
	int err;

	capos_mutex_lock(&call_lock);
	err = capos_bootpkg_binary_size_locked(bootpkg, name, size, found);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_spawn(capos_capid_t spawner, const char *name, const char *binary,
            const struct capos_spawn_grant *grants, uint32_t ngrants,
            const struct capos_spawn_endpoint *eps, uint32_t neps,
            const struct capos_spawn_limits *limits, capos_capid_t *handle,
            capos_capid_t *clients)
{
	int err;

	capos_mutex_lock(&call_lock);
	err = capos_spawn_locked(spawner, name, binary, grants, ngrants, eps,
	                         neps, limits, handle, clients);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_handle_wait_submit(struct capos_call_desc *d, capos_capid_t handle,
                         void *buf, uint32_t len, uint64_t user_data)
{
	*d = (struct capos_call_desc){
	    .cap = handle,
	    .method = capos_ProcessHandle_METHOD_wait,
	    .interface_id = capos_ProcessHandle_TYPE_ID,
	    .result = buf,
	    .result_cap = len,
	};
	return capos_call_submit(d, user_data);
}

int
capos_handle_wait_complete(const struct capos_call_desc *d,
                           const struct capos_cqe *cqe, int32_t *exit_code)
{
	struct capos_reply r;
	struct capnp_msg m;
	int err = capos_call_complete(d, cqe, &r);

	if (err)
		return err;
	if (capos_msg_read(&m, d->result, r.len))
		return CAPOS_E_BAD_FIELD;
	*exit_code = capos_ProcessHandle_wait_Results_get_exitCode(
	    capos_ProcessHandle_wait_Results_read_root(&m));
	return capnp_msg_error(&m) ? CAPOS_E_BAD_FIELD : 0;
}

int
capos_handle_wait(capos_capid_t handle, int32_t *exit_code)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_call_desc d;
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	int err = capos_handle_wait_submit(&d, handle, buf, sizeof(buf), tag);

	if (!err)
		err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	return err ? err : capos_handle_wait_complete(&d, &cqe, exit_code);
}

int
capos_handle_kill(capos_capid_t handle)
{
	return capos_call_empty(handle, capos_ProcessHandle_TYPE_ID,
	                        capos_ProcessHandle_METHOD_kill);
}

int
capos_timer_sleep_submit(struct capos_call_desc *d, capos_capid_t timer,
                         uint64_t ns, void *buf, uint32_t len,
                         uint64_t user_data)
{
	struct capnp_builder b;
	uint8_t arena[64] __attribute__((aligned(8)));
	size_t framed;

	if (len < CAPOS_SLEEP_BUF_MIN || ((uintptr_t)buf & 7u))
		return CAPOS_E_BAD_ARG;
	capnp_builder_init(&b, arena, sizeof(arena), 0);
	capos_Timer_sleep_Params_set_ns(capos_Timer_sleep_Params_build_root(&b),
	                                ns);
	/* The params live in buf until the kernel has taken them. */
	if (capnp_builder_error(&b) ||
	    capnp_frame_write(&b, buf, CAPOS_SLEEP_PARAMS, &framed))
		return CAPOS_E_TOO_LONG;
	*d = (struct capos_call_desc){
	    .cap = timer,
	    .method = capos_Timer_METHOD_sleep,
	    .interface_id = capos_Timer_TYPE_ID,
	    .params = buf,
	    .params_len = (uint32_t)framed,
	    .result = (uint8_t *)buf + CAPOS_SLEEP_PARAMS,
	    .result_cap = len - CAPOS_SLEEP_PARAMS,
	};
	return capos_call_submit(d, user_data);
}

int
capos_spawner_narrow(capos_capid_t spawner, const char *const *binaries,
                     uint32_t n, capos_capid_t *out)
{
	struct capnp_list_builder l;
	uint64_t iid;
	uint32_t i;
	int err;

	capos_mutex_lock(&call_lock);
	l = capos_ProcessSpawner_narrow_Params_init_binaries(
	    capos_ProcessSpawner_narrow_begin(&call), n);
	for (i = 0; i < n; i++)
		capnp_slot_set_text(capnp_belem(l, i), binaries[i],
		                    strlen(binaries[i]));
	err = capos_ProcessSpawner_narrow_send(&call, spawner);
	if (!err) {
		*out = capos_call_result_cap(
		    &call,
		    capos_ProcessSpawner_narrow_Results_get_spawner(
		        capos_ProcessSpawner_narrow_results(&call)),
		    &iid);
		if (!*out || iid != capos_ProcessSpawner_TYPE_ID ||
		    capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}
