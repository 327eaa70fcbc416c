/*
 * hostile_objects: malformed calls to every kernel object, run as init of
 * tests/boot/manifests/hostile_objects.capnp (so it holds BootPackage and
 * ProcessSpawner besides Console, Timer and Null).
 *
 *   - Console, Timer, Null, BootPackage, ProcessSpawner, ProcessHandle:
 *     empty params, truncated frames, lying segment tables, pointers out
 *     of bounds or of the wrong kind, unknown method ordinals, oversize
 *     writes, manifest reads past the end, spawns with bad names and
 *     grants; each answer's exception type decoded and checked;
 *   - endpoints: RECV and RETURN through a client facet, a cap reserved
 *     by a queued MOVE (unusable until the call fails and it comes back),
 *     non-transferable ProcessHandles;
 *   - hostile_server, spawned here, abuses the owner side and RETURN and
 *     must exit 0.
 *
 * Prints KTEST lines ("obj." and, from hostile_server, "srv."); exits
 * with the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "fmt/fmt.h"

#define MS 1000000ull

static capos_capid_t bootpkg, spawner, console, timer, null;
static uint8_t res[8192] __attribute__((aligned(8)));

/* --- helpers ------------------------------------------------------------ */

/* A call answered into res: the payload length, or the error. */
static int32_t
call(capos_capid_t cap, uint64_t iface, uint16_t method, const void *p,
     uint32_t len)
{
	struct capos_call_desc d = {
	    .cap = cap,
	    .method = method,
	    .interface_id = iface,
	    .params = p,
	    .params_len = len,
	    .result = res,
	    .result_cap = sizeof(res),
	};
	struct capos_reply r;
	int err = capos_call(&d, &r);

	return err ? err : (int32_t)r.len;
}

/* Raw params: a frame header word (segment count - 1, first segment's
 * words) then the words given. */
static uint64_t raw[64];

static uint32_t
frame(uint32_t nseg_minus_1, uint32_t words0, const uint64_t *w, uint32_t n)
{
	uint32_t i;

	raw[0] = (uint64_t)nseg_minus_1 | ((uint64_t)words0 << 32);
	for (i = 0; i < n; i++)
		raw[1 + i] = w[i];
	return 8 * (1 + n);
}

/* Pointer words. */
static uint64_t
sptr(int32_t off, uint16_t data, uint16_t ptrs)
{
	return ((uint64_t)(uint32_t)(off << 2)) | ((uint64_t)data << 32) |
	       ((uint64_t)ptrs << 48);
}

static uint64_t
lptr(int32_t off, uint32_t elsize, uint32_t count)
{
	return 1 | ((uint64_t)(uint32_t)(off << 2)) | ((uint64_t)elsize << 32) |
	       ((uint64_t)count << 35);
}

/* --- Console --------------------------------------------------------- */

/* Malformed params common to every object that parses its params; name
 * is e.g. "console.write". */
static void
malformed_frames(capos_capid_t cap, uint64_t iface, uint16_t method,
                 const char *obj)
{
	char name[96];
	uint64_t w[4];
	uint32_t len;

#define NAME(s) (fmt_snprintf(name, sizeof(name), "%s.%s", obj, s), name)
	frame(0, 0, NULL, 0);
	ktest_check_exception(call(cap, iface, method, raw, 4),
	                      capos_ExceptionType_invalidArgument,
	                      NAME("frame_4_bytes.invalid_argument"));
	len = frame(0, 2, NULL, 0);
	ktest_check_exception(
	    call(cap, iface, method, raw, len),
	    capos_ExceptionType_invalidArgument,
	    NAME("segment_longer_than_frame.invalid_argument"));
	w[0] = sptr(0, 0, 0);
	len = frame(3, 1, w, 1);
	ktest_check_exception(call(cap, iface, method, raw, len),
	                      capos_ExceptionType_invalidArgument,
	                      NAME("segment_count_lies.invalid_argument"));
	len = frame(0xffffffffu, 1, w, 1);
	ktest_check_exception(call(cap, iface, method, raw, len),
	                      capos_ExceptionType_invalidArgument,
	                      NAME("segment_count_max.invalid_argument"));
	for (len = 0; len < 8; len++) /* 8 words of garbage */
		raw[len] = 0xeeeeeeeeeeeeeeeeull;
	ktest_check_exception(call(cap, iface, method, raw, 64),
	                      capos_ExceptionType_invalidArgument,
	                      NAME("garbage_words.invalid_argument"));
#undef NAME
}

static void
test_console(void)
{
	uint64_t w[4];
	uint32_t len;

	ktest_check_code(call(console, capos_Console_TYPE_ID,
	                      capos_Console_METHOD_write, NULL, 0),
	                 0, "console.write.empty_params.ok");
	malformed_frames(console, capos_Console_TYPE_ID,
	                 capos_Console_METHOD_write, "console.write");
	malformed_frames(console, capos_Console_TYPE_ID,
	                 capos_Console_METHOD_writeLine, "console.writeLine");

	/* The root pointer leaves the segment. */
	w[0] = sptr(100, 0, 1);
	len = frame(0, 1, w, 1);
	ktest_check_exception(
	    call(console, capos_Console_TYPE_ID, capos_Console_METHOD_write,
	         raw, len),
	    capos_ExceptionType_invalidArgument,
	    "console.write.root_out_of_bounds.invalid_argument");
	/* data is a struct pointer, not a byte list. */
	w[0] = sptr(0, 0, 1);
	w[1] = sptr(0, 1, 0);
	w[2] = 0;
	len = frame(0, 3, w, 3);
	ktest_check_exception(call(console, capos_Console_TYPE_ID,
	                           capos_Console_METHOD_write, raw, len),
	                      capos_ExceptionType_invalidArgument,
	                      "console.write.data_is_struct.invalid_argument");
	/* data is a list of 64-bit words. */
	w[1] = lptr(0, 5, 1);
	len = frame(0, 3, w, 3);
	ktest_check_exception(call(console, capos_Console_TYPE_ID,
	                           capos_Console_METHOD_write, raw, len),
	                      capos_ExceptionType_invalidArgument,
	                      "console.write.data_word_list.invalid_argument");
	/* data's bytes run past the segment. */
	w[1] = lptr(0, 2, 1000);
	len = frame(0, 3, w, 3);
	ktest_check_exception(
	    call(console, capos_Console_TYPE_ID, capos_Console_METHOD_write,
	         raw, len),
	    capos_ExceptionType_invalidArgument,
	    "console.write.data_past_segment.invalid_argument");
	/* A far pointer into a segment that does not exist. */
	w[1] = 2 | (7ull << 32);
	len = frame(0, 3, w, 3);
	ktest_check_exception(
	    call(console, capos_Console_TYPE_ID, capos_Console_METHOD_write,
	         raw, len),
	    capos_ExceptionType_invalidArgument,
	    "console.write.far_pointer_no_segment.invalid_argument");
	/* Text whose last byte is not a NUL. */
	w[2] = 0x6362612020202020ull;
	w[1] = lptr(0, 2, 8);
	len = frame(0, 3, w, 3);
	ktest_check_exception(
	    call(console, capos_Console_TYPE_ID, capos_Console_METHOD_writeLine,
	         raw, len),
	    capos_ExceptionType_invalidArgument,
	    "console.writeLine.text_without_nul.invalid_argument");

	/* Oversize writes. */
	{
		/* 4097 bytes do not fit the runtime's 1 KiB message buffer:
		 * frame by hand. */
		static uint64_t big[1 + 3 + 4200 / 8 + 1];
		uint32_t words = 2 + (4097 + 7) / 8;

		big[0] = (uint64_t)words << 32;
		big[1] = sptr(0, 0, 1);
		big[2] = lptr(0, 2, 4097);
		memset(&big[3], '.', 4097);
		ktest_check_exception(
		    call(console, capos_Console_TYPE_ID,
		         capos_Console_METHOD_write, big, 8 * (1 + words)),
		    capos_ExceptionType_invalidArgument,
		    "console.write.4097_bytes.invalid_argument");
		big[2] = lptr(0, 2, 4098);
		((uint8_t *)&big[3])[4097] = 0;
		words = 2 + (4098 + 7) / 8;
		big[0] = (uint64_t)words << 32;
		ktest_check_exception(
		    call(console, capos_Console_TYPE_ID,
		         capos_Console_METHOD_writeLine, big, 8 * (1 + words)),
		    capos_ExceptionType_invalidArgument,
		    "console.writeLine.4097_chars.invalid_argument");
	}

	ktest_check_exception(call(console, capos_Console_TYPE_ID, 2, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "console.method_2.unimplemented");
	ktest_check_exception(
	    call(console, capos_Console_TYPE_ID, 0xffff, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "console.method_65535.unimplemented");
}

/* --- Timer and Null ------------------------------------------------------- */

static void
test_timer_null(void)
{
	uint64_t w[2];
	uint32_t len;

	malformed_frames(timer, capos_Timer_TYPE_ID, capos_Timer_METHOD_now,
	                 "timer.now");
	malformed_frames(timer, capos_Timer_TYPE_ID, capos_Timer_METHOD_sleep,
	                 "timer.sleep");
	/* Empty params: ns defaults to 0, a sleep that is due at once. */
	ktest_check_code(
	    call(timer, capos_Timer_TYPE_ID, capos_Timer_METHOD_sleep, NULL, 0),
	    0, "timer.sleep.empty_params.ok");
	w[0] = sptr(50, 1, 0);
	len = frame(0, 1, w, 1);
	ktest_check_exception(
	    call(timer, capos_Timer_TYPE_ID, capos_Timer_METHOD_sleep, raw,
	         len),
	    capos_ExceptionType_invalidArgument,
	    "timer.sleep.root_out_of_bounds.invalid_argument");
	w[0] = lptr(0, 5, 1);
	w[1] = 1000;
	len = frame(0, 2, w, 2);
	ktest_check_exception(call(timer, capos_Timer_TYPE_ID,
	                           capos_Timer_METHOD_sleep, raw, len),
	                      capos_ExceptionType_invalidArgument,
	                      "timer.sleep.root_is_list.invalid_argument");
	ktest_check_exception(call(timer, capos_Timer_TYPE_ID, 2, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "timer.method_2.unimplemented");
	ktest_check_exception(call(timer, capos_Timer_TYPE_ID, 0xffff, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "timer.method_65535.unimplemented");
	ktest_check_exception(call(null, capos_Null_TYPE_ID, 1, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "null.method_1.unimplemented");
	ktest_check_exception(call(null, capos_Null_TYPE_ID, 0xffff, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "null.method_65535.unimplemented");
	/* A method is named by (interface, ordinal): the right ordinal on
	 * another interface, or on no interface, is refused. */
	ktest_check_exception(
	    call(timer, capos_Console_TYPE_ID, capos_Timer_METHOD_now, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "timer.console_interface.unimplemented");
	ktest_check_exception(call(null, 0, capos_Null_METHOD_ping, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "null.interface_0.unimplemented");
	ktest_check_exception(call(console, capos_Timer_TYPE_ID,
	                           capos_Console_METHOD_write, NULL, 0),
	                      capos_ExceptionType_unimplemented,
	                      "console.timer_interface.unimplemented");
}

/* --- BootPackage ------------------------------------------------------- */

static int32_t
read_manifest(uint64_t off, uint32_t n, uint32_t *got)
{
	struct capos_msgbuf mb;
	capos_BootPackage_readManifest_Params_builder p;
	struct capnp_msg m;
	int32_t r;

	capos_msg_begin(&mb);
	p = capos_BootPackage_readManifest_Params_build_root(&mb.b);
	capos_BootPackage_readManifest_Params_set_offset(p, off);
	capos_BootPackage_readManifest_Params_set_length(p, n);
	capos_msg_end(&mb);
	r = call(bootpkg, capos_BootPackage_TYPE_ID,
	         capos_BootPackage_METHOD_readManifest, mb.framed,
	         mb.framed_len);
	*got = 0xffffffffu;
	if (r >= 0 && capos_msg_read(&m, res, (size_t)r) == 0)
		*got = capos_BootPackage_readManifest_Results_get_data(
		           capos_BootPackage_readManifest_Results_read_root(&m))
		           .len;
	return r;
}

/* The answer of BootPackage.binarySize in res: found (with *size) or
 * not; an answer that does not read says found, which no check wants. */
static bool
lookup_found(int32_t r, uint64_t *size)
{
	struct capnp_msg m;
	capos_BinaryLookup_reader l;

	*size = 0;
	if (r < 0 || capos_msg_read(&m, res, (size_t)r) != 0)
		return true;
	l = capos_BinaryLookup_read_root(&m);
	switch (capos_BinaryLookup_which(l)) {
	case capos_BinaryLookup_WHICH_notFound:
		return capnp_msg_error(&m) != CAPNP_OK;
	case capos_BinaryLookup_WHICH_size:
		*size = capos_BinaryLookup_get_size(l);
		return true;
	}
	return true;
}

static int32_t
binary_size(const char *name, size_t len, bool *found, uint64_t *size)
{
	struct capos_msgbuf mb;
	int32_t r;

	capos_msg_begin(&mb);
	capos_BootPackage_binarySize_Params_set_name(
	    capos_BootPackage_binarySize_Params_build_root(&mb.b), name, len);
	capos_msg_end(&mb);
	r = call(bootpkg, capos_BootPackage_TYPE_ID,
	         capos_BootPackage_METHOD_binarySize, mb.framed, mb.framed_len);
	*found = lookup_found(r, size);
	return r;
}

static void
test_bootpkg(void)
{
	struct capnp_msg m;
	uint64_t size = 0, bsize;
	uint32_t got;
	bool found;
	int32_t r;

	r = call(bootpkg, capos_BootPackage_TYPE_ID,
	         capos_BootPackage_METHOD_manifestSize, NULL, 0);
	if (r >= 0 && capos_msg_read(&m, res, (size_t)r) == 0)
		size = capos_BootPackage_manifestSize_Results_get_size(
		    capos_BootPackage_manifestSize_Results_read_root(&m));
	ktest_check(r > 0 && size > 0, "bootpkg.manifestSize.empty_params.ok",
	            "result %d size %lu", r, (unsigned long)size);
	malformed_frames(bootpkg, capos_BootPackage_TYPE_ID,
	                 capos_BootPackage_METHOD_manifestSize,
	                 "bootpkg.manifestSize");
	malformed_frames(bootpkg, capos_BootPackage_TYPE_ID,
	                 capos_BootPackage_METHOD_readManifest,
	                 "bootpkg.readManifest");
	malformed_frames(bootpkg, capos_BootPackage_TYPE_ID,
	                 capos_BootPackage_METHOD_binarySize,
	                 "bootpkg.binarySize");

	r = read_manifest(size, 16, &got);
	ktest_check(r > 0 && got == 0, "bootpkg.readManifest.at_end.empty",
	            "result %d, %u bytes", r, got);
	r = read_manifest(size + 1, 16, &got);
	ktest_check(r > 0 && got == 0, "bootpkg.readManifest.past_end.empty",
	            "result %d, %u bytes", r, got);
	r = read_manifest(~0ull, 4096, &got);
	ktest_check(r > 0 && got == 0,
	            "bootpkg.readManifest.offset_max_u64.empty",
	            "result %d, %u bytes", r, got);
	r = read_manifest(size - 10, 100, &got);
	ktest_check(r > 0 && got == 10,
	            "bootpkg.readManifest.straddling_end.clamped",
	            "result %d, %u bytes", r, got);
	r = read_manifest(0, 4097, &got);
	ktest_check_exception(
	    r, capos_ExceptionType_invalidArgument,
	    "bootpkg.readManifest.length_4097.invalid_argument");
	r = read_manifest(0, 0xffffffffu, &got);
	ktest_check_exception(
	    r, capos_ExceptionType_invalidArgument,
	    "bootpkg.readManifest.length_max_u32.invalid_argument");
	r = read_manifest(0, 0, &got);
	ktest_check(r > 0 && got == 0, "bootpkg.readManifest.length_0.empty",
	            "result %d, %u bytes", r, got);
	/* Empty params: offset 0, length 0. */
	r = call(bootpkg, capos_BootPackage_TYPE_ID,
	         capos_BootPackage_METHOD_readManifest, NULL, 0);
	ktest_check(r > 0, "bootpkg.readManifest.empty_params.ok", "result %d",
	            r);

	/* Empty params: the name reads as its default, "", which names no
	 * binary: an ordinary answer (the union's notFound), not an
	 * exception. */
	r = call(bootpkg, capos_BootPackage_TYPE_ID,
	         capos_BootPackage_METHOD_binarySize, NULL, 0);
	found = lookup_found(r, &bsize);
	ktest_check(r > 0 && !found,
	            "bootpkg.binarySize.empty_params.not_found",
	            "result %d found %d", r, found);
	r = binary_size("", 0, &found, &bsize);
	ktest_check(r > 0 && !found, "bootpkg.binarySize.empty_name.not_found",
	            "result %d found %d", r, found);
	r = binary_size("no-such-binary", 14, &found, &bsize);
	ktest_check(r > 0 && !found, "bootpkg.binarySize.unknown.not_found",
	            "result %d found %d", r, found);
	r = binary_size("hostile_server\0x", 16, &found, &bsize);
	ktest_check(r > 0 && !found,
	            "bootpkg.binarySize.embedded_nul.not_found",
	            "result %d found %d", r, found);
	r = binary_size("hostile_serve", 13, &found, &bsize);
	ktest_check(r > 0 && !found, "bootpkg.binarySize.prefix.not_found",
	            "result %d found %d", r, found);
	r = binary_size("hostile_server", 14, &found, &bsize);
	ktest_check(
	    r > 0 && found && bsize > 0, "bootpkg.binarySize.present.found",
	    "result %d found %d size %lu", r, found, (unsigned long)bsize);
	ktest_check_exception(
	    call(bootpkg, capos_BootPackage_TYPE_ID, 3, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "bootpkg.method_3.unimplemented");
	ktest_check_exception(
	    call(bootpkg, capos_BootPackage_TYPE_ID, 0xffff, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "bootpkg.method_65535.unimplemented");
}

/* --- ProcessSpawner ---------------------------------------------------- */

struct child {
	capos_capid_t handle, client;
};

/* spawn with one console grant (cap index grant_cap, nsent caps sent)
 * and one endpoint ep (NULL: none).  Returns the call's result. */
static int32_t
spawn_raw(const char *name, size_t name_len, const char *binary,
          const char *grant, uint32_t grant_cap, uint32_t nsent, const char *ep,
          uint32_t neps, struct child *out)
{
	struct capos_msgbuf *mb = malloc(sizeof(*mb));
	capos_ProcessSpawner_spawn_Params_builder p;
	struct capos_xfer x[2] = {{.cap = console, .mode = CAPOS_XFER_COPY},
	                          {.cap = timer, .mode = CAPOS_XFER_COPY}};
	struct capnp_msg m;
	struct capos_call_desc d;
	struct capos_reply rep;
	int32_t r;
	uint32_t i;

	capos_msg_begin(mb);
	p = capos_ProcessSpawner_spawn_Params_build_root(&mb->b);
	if (name)
		capos_ProcessSpawner_spawn_Params_set_name(p, name, name_len);
	if (binary)
		capos_ProcessSpawner_spawn_Params_set_binary(p, binary,
		                                             strlen(binary));
	if (grant) {
		struct capnp_list_builder gl =
		    capos_ProcessSpawner_spawn_Params_init_grants(p, 1);
		capos_SpawnGrant_builder g = capos_SpawnGrant_build_at(gl, 0);

		if (*grant)
			capos_SpawnGrant_set_name(g, grant, strlen(grant));
		if (grant_cap != ~0u)
			capnp_slot_set_cap(capos_SpawnGrant_slot_cap(g),
			                   grant_cap);
	}
	if (neps) {
		struct capnp_list_builder el =
		    capos_ProcessSpawner_spawn_Params_init_endpoints(p, neps);

		for (i = 0; i < neps; i++) {
			capos_EndpointSpec_builder e =
			    capos_EndpointSpec_build_at(el, i);

			if (ep && *ep)
				capos_EndpointSpec_set_name(e, ep, strlen(ep));
			capos_EndpointSpec_set_interfaceId(e,
			                                   capos_Echo_TYPE_ID);
		}
	}
	if (capos_msg_end(mb)) {
		free(mb);
		return 12345;
	}
	d = (struct capos_call_desc){
	    .cap = spawner,
	    .method = capos_ProcessSpawner_METHOD_spawn,
	    .interface_id = capos_ProcessSpawner_TYPE_ID,
	    .params = mb->framed,
	    .params_len = mb->framed_len,
	    .xfer = x,
	    .nxfer = nsent,
	    .result = res,
	    .result_cap = sizeof(res),
	};
	r = capos_call(&d, &rep);
	if (r == 0)
		r = (int32_t)rep.len;
	free(mb);
	if (r >= 0 && out) {
		const struct capos_cap_record *recs = rep.caps;
		capos_ProcessSpawner_spawn_Results_reader rr;

		capos_msg_read(&m, res, rep.len);
		rr = capos_ProcessSpawner_spawn_Results_read_root(&m);
		out->handle =
		    recs[capos_ProcessSpawner_spawn_Results_get_handle(rr)].cap;
		out->client =
		    neps
		        ? recs[capnp_ref_cap(capnp_elem(
		                   capos_ProcessSpawner_spawn_Results_get_clients(
		                       rr),
		                   0))]
		              .cap
		        : 0;
	}
	return r;
}

static void
test_spawner(void)
{
	ktest_check_exception(call(spawner, capos_ProcessSpawner_TYPE_ID,
	                           capos_ProcessSpawner_METHOD_spawn, NULL, 0),
	                      capos_ExceptionType_invalidArgument,
	                      "spawner.spawn.empty_params.invalid_argument");
	malformed_frames(spawner, capos_ProcessSpawner_TYPE_ID,
	                 capos_ProcessSpawner_METHOD_spawn, "spawner.spawn");
	ktest_check_exception(
	    spawn_raw(NULL, 0, "hostile_server", NULL, 0, 0, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.no_name.invalid_argument");
	ktest_check_exception(
	    spawn_raw("", 0, "hostile_server", NULL, 0, 0, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.empty_name.invalid_argument");
	ktest_check_exception(spawn_raw("abcdefghijklmnopqrstuvwxyz012345", 32,
	                                "hostile_server", NULL, 0, 0, NULL, 0,
	                                NULL),
	                      capos_ExceptionType_invalidArgument,
	                      "spawner.spawn.name_32_chars.invalid_argument");
	ktest_check_exception(
	    spawn_raw("ab\0cd", 5, "hostile_server", NULL, 0, 0, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.name_embedded_nul.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, NULL, NULL, 0, 0, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.no_binary.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "no-such-binary", NULL, 0, 0, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.unknown_binary.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server", "", 0, 1, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.grant_without_name.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server", "console", 5, 1, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.grant_cap_index_5_of_1.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server", "console", 0, 0, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.grant_with_no_cap_sent.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server", "console", ~0u, 1, NULL, 0,
	              NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.grant_cap_pointer_null.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server",
	              "a_grant_name_of_thirty_two_chars", 0, 1, NULL, 0, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.grant_name_32_chars.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server", NULL, 0, 0, "svc", 9, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.9_endpoints.invalid_argument");
	ktest_check_exception(
	    spawn_raw("x", 1, "hostile_server", NULL, 0, 0, "", 1, NULL),
	    capos_ExceptionType_invalidArgument,
	    "spawner.spawn.endpoint_without_name.invalid_argument");
	ktest_check_exception(
	    call(spawner, capos_ProcessSpawner_TYPE_ID, 2, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "spawner.method_2.unimplemented");
	ktest_check_exception(
	    call(spawner, capos_ProcessSpawner_TYPE_ID, 0xffff, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "spawner.method_65535.unimplemented");
}

/* --- endpoints, handles, and the server -------------------------------- */

static int32_t
sqe_result(struct capos_sqe q)
{
	struct capos_cqe c;

	q.user_data = capos_next_tag();
	if (capos_submit(&q) || capos_wait(q.user_data, 5000 * MS, &c))
		return 12345;
	return c.result;
}

static int32_t
ping_with(capos_capid_t cap, uint32_t mode)
{
	struct capos_xfer x = {.cap = cap, .mode = mode};

	return sqe_result((struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                                     .cap = null,
	                                     .method = capos_Null_METHOD_ping,
	                                     .interface_id = capos_Null_TYPE_ID,
	                                     .xfer_addr = (uintptr_t)&x,
	                                     .xfer_count = 1});
}

/* Submits d under a fresh *tag. */
static int32_t
submit(const struct capos_call_desc *d, uint64_t *tag)
{
	*tag = capos_next_tag();
	return capos_call_submit(d, *tag);
}

/* Waits for the call submitted under tag: the payload length, the error,
 * or 12345 when no answer came. */
static int32_t
finish(const struct capos_call_desc *d, uint64_t tag)
{
	struct capos_cqe cqe;
	struct capos_reply r;
	int err;

	if (capos_wait(tag, 5000 * MS, &cqe))
		return 12345;
	err = capos_call_complete(d, &cqe, &r);
	return err ? err : (int32_t)r.len;
}

/* hostile_server gets two calls at once: the first is answered with an
 * exception after it abused RETURN, the second echoed after a RECV too
 * small for it. */
static void
test_server(void)
{
	static uint8_t p2[40] __attribute__((aligned(8)));
	static uint8_t b1[256] __attribute__((aligned(8)));
	static uint8_t b2[256] __attribute__((aligned(8)));
	struct capos_call_desc op1 = {.method = 3,
	                              .interface_id = capos_Echo_TYPE_ID,
	                              .result = b1,
	                              .result_cap = sizeof(b1)};
	struct capos_call_desc op2 = {.method = 7,
	                              .interface_id = capos_Echo_TYPE_ID,
	                              .params = p2,
	                              .params_len = sizeof(p2),
	                              .result = b2,
	                              .result_cap = sizeof(b2)};
	uint64_t tag1, tag2;
	struct child s;
	int32_t r, r2, code = 12345;
	uint32_t i;

	r = spawn_raw("hostile_server", 14, "hostile_server", "console", 0, 1,
	              "svc", 1, &s);
	ktest_check(r >= 0, "server.spawned", "result %d", r);
	if (r < 0)
		return;
	ktest_check_code(
	    sqe_result((struct capos_sqe){.opcode = CAPOS_OP_RECV,
	                                  .cap = s.client,
	                                  .result_addr = (uintptr_t)b1,
	                                  .result_len = sizeof(b1)}),
	    CAPOS_E_NOT_SUPPORTED,
	    "endpoint.recv_on_client_facet.not_supported");
	ktest_check_code(
	    sqe_result((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = s.client, .call_id = 1}),
	    CAPOS_E_NOT_SUPPORTED,
	    "endpoint.return_on_client_facet.not_supported");
	ktest_check_code(ping_with(s.handle, CAPOS_XFER_COPY), CAPOS_E_BAD_XFER,
	                 "handle.copy.bad_xfer");
	ktest_check_code(ping_with(s.handle, CAPOS_XFER_MOVE), CAPOS_E_BAD_XFER,
	                 "handle.move.bad_xfer");

	for (i = 0; i < sizeof(p2); i++)
		p2[i] = (uint8_t)(0xa0 + i);
	op1.cap = op2.cap = s.client;
	r = submit(&op1, &tag1);
	r2 = submit(&op2, &tag2);
	if (r || r2) {
		ktest_check(false, "endpoint.two_calls_submitted", "%d %d", r,
		            r2);
		return;
	}
	r = finish(&op1, tag1);
	ktest_check_exception(r, capos_ExceptionType_failed,
	                      "endpoint.exception_after_abused_returns.failed");
	r = finish(&op2, tag2);
	ktest_check(r == (int32_t)sizeof(p2) && memcmp(b2, p2, sizeof(p2)) == 0,
	            "endpoint.call_kept_across_truncated_recv.echoed",
	            "result %d", r);
	ktest_check(capos_handle_wait(s.handle, &code) == 0 && code == 0,
	            "server.exit_code_0", "exit code %d", code);
	/* The process is dead: wait answers at once, again. */
	code = 12345;
	ktest_check(capos_handle_wait(s.handle, &code) == 0 && code == 0,
	            "handle.wait_after_exit.at_once", "exit code %d", code);
	ktest_check_exception(
	    call(s.handle, capos_ProcessHandle_TYPE_ID, 2, NULL, 0),
	    capos_ExceptionType_unimplemented, "handle.method_2.unimplemented");
	ktest_check_exception(
	    call(s.handle, capos_ProcessHandle_TYPE_ID, 0xffff, NULL, 0),
	    capos_ExceptionType_unimplemented,
	    "handle.method_65535.unimplemented");
	ktest_check_exception(call(s.client, capos_Echo_TYPE_ID, 0, NULL, 0),
	                      capos_ExceptionType_disconnected,
	                      "endpoint.call_after_server_exit.disconnected");
	capos_release_sync(s.handle);
	capos_release_sync(s.client);
}

/* A MOVE queued on an endpoint whose server never receives: the source
 * slot stays reserved, unusable, until the call fails and it comes back. */
static void
test_reserved(void)
{
	static uint8_t b[256] __attribute__((aligned(8)));
	static uint8_t w1[256] __attribute__((aligned(8)));
	static uint8_t w2[256] __attribute__((aligned(8)));
	struct capos_xfer x = {.cap = timer, .mode = CAPOS_XFER_MOVE};
	struct capos_call_desc op = {.method = capos_Echo_METHOD_echo,
	                             .interface_id = capos_Echo_TYPE_ID,
	                             .xfer = &x,
	                             .nxfer = 1,
	                             .result = b,
	                             .result_cap = sizeof(b)};
	struct capos_call_desc wait1, wait2;
	struct capos_cqe cqe1 = {.result = 12345};
	uint64_t tag, tag1, tag2;
	struct child s;
	uint64_t ns;
	int32_t r, code = 12345;

	r = spawn_raw("mute", 4, "ipc_echo", NULL, 0, 0, "mute", 1, &s);
	ktest_check(r >= 0, "reserved.mute_server_spawned", "result %d", r);
	if (r < 0)
		return;
	op.cap = s.client;
	r = submit(&op, &tag);
	capos_flush(); /* the kernel takes it: queued, timer reserved */
	ktest_check_code(r, 0, "reserved.move_queued");
	ktest_check_code(capos_timer_now(timer, &ns), CAPOS_E_BAD_CAP,
	                 "reserved.call.bad_cap");
	ktest_check_code(ping_with(timer, CAPOS_XFER_COPY), CAPOS_E_BAD_CAP,
	                 "reserved.copy.bad_cap");
	ktest_check_code(ping_with(timer, CAPOS_XFER_MOVE), CAPOS_E_BAD_CAP,
	                 "reserved.move_again.bad_cap");
	ktest_check_code(capos_release_sync(timer), CAPOS_E_BAD_CAP,
	                 "reserved.release.bad_cap");

	/* ProcessHandle.wait on the live server. */
	tag1 = capos_next_tag();
	r = capos_handle_wait_submit(&wait1, s.handle, w1, 16, tag1);
	if (!r)
		r = capos_wait(tag1, 1000 * MS, &cqe1);
	ktest_check(r == 0 && cqe1.result == CAPOS_E_TRUNCATED &&
	                cqe1.aux0 > 16,
	            "handle.wait_buffer_16.truncated", "result %d aux0 %lu",
	            cqe1.result, (unsigned long)cqe1.aux0);
	/* A spawn whose answer (a handle) would not fit an 8-byte buffer:
	 * TRUNCATED with the bytes needed, before any child exists. */
	{
		static uint8_t tiny[8] __attribute__((aligned(8)));
		struct capos_msgbuf mb;
		capos_ProcessSpawner_spawn_Params_builder sp;
		struct capos_sqe sqe;
		struct capos_cqe cqe = {.result = 12345};

		capos_msg_begin(&mb);
		sp = capos_ProcessSpawner_spawn_Params_build_root(&mb.b);
		capos_ProcessSpawner_spawn_Params_set_name(sp, "tiny", 4);
		capos_ProcessSpawner_spawn_Params_set_binary(sp, "nop", 3);
		capos_msg_end(&mb);
		sqe = (struct capos_sqe){
		    .opcode = CAPOS_OP_CALL,
		    .cap = spawner,
		    .method = capos_ProcessSpawner_METHOD_spawn,
		    .interface_id = capos_ProcessSpawner_TYPE_ID,
		    .user_data = capos_next_tag(),
		    .params_addr = (uintptr_t)mb.framed,
		    .params_len = mb.framed_len,
		    .result_addr = (uintptr_t)tiny,
		    .result_len = sizeof(tiny),
		};
		if (capos_submit(&sqe) == 0)
			capos_wait(sqe.user_data, 1000 * MS, &cqe);
		ktest_check(cqe.result == CAPOS_E_TRUNCATED && cqe.aux0 > 8,
		            "spawner.result_buffer_8.truncated_size_needed",
		            "result %d aux0 %lu", cqe.result,
		            (unsigned long)cqe.aux0);
	}
	tag1 = capos_next_tag();
	r = capos_handle_wait_submit(&wait1, s.handle, w1, sizeof(w1), tag1);
	capos_flush();
	tag2 = capos_next_tag();
	r = capos_handle_wait_submit(&wait2, s.handle, w2, sizeof(w2), tag2);
	ktest_check_exception(r ? r : finish(&wait2, tag2),
	                      capos_ExceptionType_overloaded,
	                      "handle.second_waiter.overloaded");

	ktest_check_code(capos_handle_kill(s.handle), 0, "handle.kill.ok");
	ktest_check_exception(finish(&op, tag),
	                      capos_ExceptionType_disconnected,
	                      "reserved.queued_call.disconnected");
	ktest_check(capos_timer_now(timer, &ns) == 0,
	            "reserved.source_restored", "timer still unusable");
	r = capos_wait(tag1, 5000 * MS, &cqe1);
	ktest_check(r == 0 &&
	                capos_handle_wait_complete(&wait1, &cqe1, &code) == 0 &&
	                code == -9,
	            "handle.pending_wait.killed_minus_9", "code %d", code);
	capos_release_sync(s.handle);
	capos_release_sync(s.client);
}

int
main(void)
{
	ktest_prefix("obj.");
	if (capos_capset_find("bootpkg", capos_BootPackage_TYPE_ID, &bootpkg) ||
	    capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null)) {
		printf("KTEST not ok obj.capset: init caps missing\n");
		return 1;
	}
	test_console();
	test_timer_null();
	test_bootpkg();
	test_spawner();
	test_server();
	test_reserved();
	printf("hostile_objects: %d failures\n", ktest_failures());
	return ktest_failures();
}
