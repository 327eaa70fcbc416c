/*
 * hostile_server: the server half of hostile_objects.  It holds the owner
 * side of the endpoint "svc" and abuses it: transfers of the
 * non-transferable owner side, Endpoint.client on it with no params,
 * RETURN with bad ids, flags,
 * buffers and descriptors, RECV with bad and too small buffers.  It
 * expects exactly two calls from hostile_objects: the first is answered
 * with an exception, the second with its own params.  Prints KTEST lines
 * ("srv." prefix); exits with the number of failures, which
 * hostile_objects checks through the ProcessHandle.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "fmt/fmt.h"

#define MS 1000000ull

static capos_capid_t owner, console;
static uint8_t buf[4096] __attribute__((aligned(8)));

static struct capos_cqe
recv_into(void *b, uint32_t len)
{
	return ktest_roundtrip((struct capos_sqe){.opcode = CAPOS_OP_RECV,
	                                          .cap = owner,
	                                          .result_addr = (uintptr_t)b,
	                                          .result_len = len});
}

/* Abuse that needs no caller. */
static void
test_owner_side(void)
{
	struct capos_xfer x = {.cap = owner, .mode = CAPOS_XFER_COPY};

	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = console,
	                     .method = capos_Console_METHOD_write,
	                     .interface_id = capos_Console_TYPE_ID,
	                     .xfer_addr = (uintptr_t)&x,
	                     .xfer_count = 1}),
	                 CAPOS_E_BAD_XFER, "owner.copy.bad_xfer");
	x.mode = CAPOS_XFER_MOVE;
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = console,
	                     .method = capos_Console_METHOD_write,
	                     .interface_id = capos_Console_TYPE_ID,
	                     .xfer_addr = (uintptr_t)&x,
	                     .xfer_count = 1}),
	                 CAPOS_E_BAD_XFER, "owner.move.bad_xfer");
	/* The owner side serves Endpoint.client only: empty params ask
	 * for interface id 0. */
	ktest_check_exception(
	    capos_call(&(struct capos_call_desc){.cap = owner,
	                                         .interface_id =
	                                             capos_Endpoint_TYPE_ID,
	                                         .result = buf,
	                                         .result_cap = sizeof(buf)},
	               &(struct capos_reply){0}),
	    capos_ExceptionType_invalidArgument,
	    "owner.call_interface_0.invalid_argument");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = owner, .call_id = 999999}),
	    CAPOS_E_BAD_CALL_ID, "owner.return_unknown_id.bad_call_id");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = owner, .call_id = ~0ull}),
	    CAPOS_E_BAD_CALL_ID, "owner.return_id_max.bad_call_id");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .flags = 0x2,
	                                       .cap = owner,
	                                       .call_id = 1}),
	    CAPOS_E_BAD_FLAGS, "owner.return_flag_bit_1.bad_flags");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV,
	                     .cap = owner,
	                     .result_addr = 0xffff800000000000ull,
	                     .result_len = 256}),
	                 CAPOS_E_BAD_BUFFER,
	                 "owner.recv_kernel_buffer.bad_buffer");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RECV, .cap = owner, .result_len = 256}),
	    CAPOS_E_BAD_BUFFER, "owner.recv_null_buffer.bad_buffer");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV,
	                     .cap = owner,
	                     .result_addr = (uintptr_t)buf,
	                     .result_len = CAPOS_RESULT_MAX + 1}),
	                 CAPOS_E_TOO_LONG, "owner.recv_too_long.too_long");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RECV,
	                                       .cap = owner,
	                                       .method = 1,
	                                       .result_addr = (uintptr_t)buf,
	                                       .result_len = 256}),
	    CAPOS_E_BAD_FIELD, "owner.recv_method_set.bad_field");
}

/* RETURN abuse on a call in flight; the call survives all of it. */
static void
test_return(uint64_t id)
{
	struct capos_xfer x[2] = {{.cap = owner, .mode = CAPOS_XFER_COPY}};
	struct capos_msgbuf mb;
	capos_CapException_builder e;

	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .cap = owner,
	                     .call_id = id,
	                     .params_addr = (uintptr_t)buf,
	                     .params_len = CAPOS_PARAMS_MAX + 1}),
	                 CAPOS_E_TOO_LONG, "return.params_too_long.too_long");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .cap = owner,
	                     .call_id = id,
	                     .params_addr = 0xffffffff80000000ull,
	                     .params_len = 16}),
	                 CAPOS_E_BAD_BUFFER, "return.params_kernel.bad_buffer");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .cap = owner,
	                     .call_id = id,
	                     .params_addr = CAPOS_USER_HEAP_BASE,
	                     .params_len = 16}),
	                 CAPOS_E_BAD_BUFFER,
	                 "return.params_unmapped.bad_buffer");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .cap = owner,
	                                       .call_id = id,
	                                       .xfer_addr = (uintptr_t)x,
	                                       .xfer_count = 1}),
	    CAPOS_E_BAD_XFER, "return.xfer_owner_side.bad_xfer");
	x[0] = (struct capos_xfer){.cap = console, .mode = CAPOS_XFER_COPY};
	x[1] = x[0];
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .cap = owner,
	                                       .call_id = id,
	                                       .xfer_addr = (uintptr_t)x,
	                                       .xfer_count = 2}),
	    CAPOS_E_BAD_XFER, "return.xfer_twice.bad_xfer");
	x[0].mode = 9;
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .cap = owner,
	                                       .call_id = id,
	                                       .xfer_addr = (uintptr_t)x,
	                                       .xfer_count = 1}),
	    CAPOS_E_BAD_XFER, "return.xfer_bad_mode.bad_xfer");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = owner, .call_id = id + 1000}),
	    CAPOS_E_BAD_CALL_ID, "return.other_id.bad_call_id");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .cap = owner,
	                                       .call_id = id,
	                                       .result_addr = (uintptr_t)buf,
	                                       .result_len = 8}),
	    CAPOS_E_BAD_FIELD, "return.result_set.bad_field");

	/* Still in flight: an exception answers it, once. */
	capos_msg_begin(&mb);
	e = capos_CapException_build_root(&mb.b);
	capos_CapException_set_type(e, capos_ExceptionType_failed);
	capos_CapException_set_message(e, "hostile_server refuses", 22);
	capos_msg_end(&mb);
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .flags = CAPOS_SQE_F_EXCEPTION,
	                     .cap = owner,
	                     .call_id = id,
	                     .params_addr = (uintptr_t)mb.framed,
	                     .params_len = mb.framed_len}),
	                 0, "return.exception_after_abuse.ok");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = owner, .call_id = id}),
	    CAPOS_E_BAD_CALL_ID, "return.answered_twice.bad_call_id");
}

int
main(void)
{
	struct capos_recv_header *h = (void *)buf;
	struct capos_cqe cqe;
	uint8_t tiny[16] __attribute__((aligned(8)));
	uint64_t id;

	ktest_prefix("srv.");
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console))
		return 100;
	test_owner_side();

	/* Call 1: answered with an exception after the abuse. */
	cqe = recv_into(buf, sizeof(buf));
	ktest_check(cqe.result >= (int32_t)sizeof(*h) && h->call_id == cqe.aux0,
	            "recv.first_call.delivered", "result %d", cqe.result);
	if (cqe.result < 0)
		return ktest_failures();
	id = h->call_id;
	test_return(id);

	/* Call 2 is queued by now (the client sent both at once): a buffer
	 * too small says how much it needs, and the call stays queued. */
	cqe = recv_into(tiny, sizeof(tiny));
	ktest_check(cqe.result == CAPOS_E_TRUNCATED &&
	                cqe.aux0 == ((sizeof(*h) + 40 + 7) & ~7ull),
	            "recv.queued_call_tiny_buffer.truncated_with_size",
	            "result %d aux0 %lu", cqe.result, (unsigned long)cqe.aux0);
	cqe = recv_into(buf, sizeof(buf));
	ktest_check(cqe.result > 0 && h->params_len == 40 && h->method == 7,
	            "recv.after_truncated.call_still_queued",
	            "result %d params %u method %u", cqe.result, h->params_len,
	            h->method);
	if (cqe.result < 0)
		return ktest_failures();
	/* Echo the params back. */
	ktest_check_code(capos_return(owner, h->call_id, capos_recv_params(h),
	                              h->params_len, NULL, 0),
	                 0, "return.echo.ok");
	return ktest_failures();
}
