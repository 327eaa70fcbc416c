/*
 * The ABI as numbers, checked at run time: sizes and offsets of every
 * shared structure (the headers pin them at compile time too; this test
 * keeps the expected values written down a second time, independently),
 * the fixed values of opcodes, error codes and syscall numbers (which may
 * never change once published), and the user address layout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <capos/abi.h>

#define FIELD(type, field, off, size)                                          \
	do {                                                                   \
		assert_int_equal(offsetof(type, field), (off));                \
		assert_int_equal(sizeof(((type *)0)->field), (size));          \
	} while (0)

static void
test_sqe_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct capos_sqe), 64);
	FIELD(struct capos_sqe, opcode, 0, 1);
	FIELD(struct capos_sqe, flags, 1, 1);
	FIELD(struct capos_sqe, method, 2, 2);
	FIELD(struct capos_sqe, cap, 4, 4);
	FIELD(struct capos_sqe, user_data, 8, 8);
	FIELD(struct capos_sqe, params_addr, 16, 8);
	FIELD(struct capos_sqe, params_len, 24, 4);
	FIELD(struct capos_sqe, result_len, 28, 4);
	FIELD(struct capos_sqe, result_addr, 32, 8);
	FIELD(struct capos_sqe, call_id, 40, 8);
	FIELD(struct capos_sqe, interface_id, 40, 8);
	FIELD(struct capos_sqe, word_addr, 16, 8);
	FIELD(struct capos_sqe, park_value, 24, 4);
	FIELD(struct capos_sqe, unpark_count, 24, 4);
	FIELD(struct capos_sqe, timeout_ns, 40, 8);
	FIELD(struct capos_sqe, xfer_addr, 48, 8);
	FIELD(struct capos_sqe, xfer_count, 56, 4);
	FIELD(struct capos_sqe, reserved, 60, 4);
	assert_true(_Alignof(struct capos_sqe) <= 8);
}

static void
test_cqe_layout(void **state)
{
	struct capos_cqe c;

	(void)state;
	assert_int_equal(sizeof(struct capos_cqe), 32);
	FIELD(struct capos_cqe, user_data, 0, 8);
	FIELD(struct capos_cqe, result, 8, 4);
	FIELD(struct capos_cqe, flags, 12, 4);
	FIELD(struct capos_cqe, aux0, 16, 8);
	FIELD(struct capos_cqe, aux1, 24, 8);
	/* result is signed: errors are negative. */
	c.result = CAPOS_E_BAD_OPCODE;
	assert_true(c.result < 0);
}

static void
test_xfer_and_record_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct capos_xfer), 16);
	FIELD(struct capos_xfer, cap, 0, 4);
	FIELD(struct capos_xfer, mode, 4, 4);
	FIELD(struct capos_xfer, reserved, 8, 8);
	assert_int_equal(CAPOS_XFER_COPY, 1);
	assert_int_equal(CAPOS_XFER_MOVE, 2);

	assert_int_equal(sizeof(struct capos_cap_record), 16);
	FIELD(struct capos_cap_record, cap, 0, 4);
	FIELD(struct capos_cap_record, reserved, 4, 4);
	FIELD(struct capos_cap_record, interface_id, 8, 8);

	assert_int_equal(sizeof(struct capos_recv_header), 64);
	FIELD(struct capos_recv_header, call_id, 0, 8);
	FIELD(struct capos_recv_header, session, 8, 16);
	FIELD(struct capos_recv_header, session_epoch, 24, 8);
	FIELD(struct capos_recv_header, method, 32, 2);
	FIELD(struct capos_recv_header, reserved0, 34, 2);
	FIELD(struct capos_recv_header, params_len, 36, 4);
	FIELD(struct capos_recv_header, ncaps, 40, 4);
	FIELD(struct capos_recv_header, caps_offset, 44, 4);
	FIELD(struct capos_recv_header, interface_id, 48, 8);
	FIELD(struct capos_recv_header, badge, 56, 8);
}

static void
test_ring_header_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct capos_ring_header), 256);
	FIELD(struct capos_ring_header, magic, 0, 4);
	FIELD(struct capos_ring_header, abi_major, 4, 2);
	FIELD(struct capos_ring_header, abi_minor, 6, 2);
	FIELD(struct capos_ring_header, sq_entries, 8, 4);
	FIELD(struct capos_ring_header, cq_entries, 12, 4);
	FIELD(struct capos_ring_header, sqe_offset, 16, 4);
	FIELD(struct capos_ring_header, cqe_offset, 20, 4);
	FIELD(struct capos_ring_header, sq_head, 64, 4);
	FIELD(struct capos_ring_header, sq_tail, 128, 4);
	FIELD(struct capos_ring_header, cq_head, 192, 4);
	FIELD(struct capos_ring_header, cq_tail, 196, 4);
	FIELD(struct capos_ring_header, cq_overflow, 200, 4);
	FIELD(struct capos_ring_header, status, 204, 4);
	/* The words each side writes live on different cache lines. */
	assert_int_not_equal(offsetof(struct capos_ring_header, sq_head) / 64,
	                     offsetof(struct capos_ring_header, sq_tail) / 64);
}

static void
test_ring_page_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct capos_ring_page), 4096);
	assert_int_equal(CAPOS_RING_PAGE_SIZE, 4096);
	assert_int_equal(CAPOS_RING_SQ_ENTRIES, 16);
	assert_int_equal(CAPOS_RING_CQ_ENTRIES, 32);
	assert_int_equal(offsetof(struct capos_ring_page, hdr), 0);
	assert_int_equal(offsetof(struct capos_ring_page, sq), 256);
	assert_int_equal(offsetof(struct capos_ring_page, cq), 256 + 16 * 64);
	assert_int_equal(CAPOS_RING_SQE_OFFSET, 256);
	assert_int_equal(CAPOS_RING_CQE_OFFSET, 1280);
	assert_true(CAPOS_RING_USED_SIZE <= 4096);
	assert_int_equal(offsetof(struct capos_ring_page, cq) +
	                     sizeof(((struct capos_ring_page *)0)->cq),
	                 CAPOS_RING_USED_SIZE);
}

static void
test_magics(void **state)
{
	uint32_t m;

	(void)state;
	m = CAPOS_RING_MAGIC;
	assert_memory_equal(&m, "CRNG", 4);
	m = CAPOS_CAPSET_MAGIC;
	assert_memory_equal(&m, "CSET", 4);
	assert_int_equal(CAPOS_RING_MAGIC, 0x474e5243u);
}

/* Published numbers never change; a new one is appended. */
static void
test_fixed_numbers(void **state)
{
	(void)state;
	assert_int_equal(CAPOS_ABI_MAJOR, 4);
	assert_int_equal(CAPOS_ABI_MINOR, 0);

	assert_int_equal(CAPOS_OP_INVALID, 0);
	assert_int_equal(CAPOS_OP_CALL, 1);
	assert_int_equal(CAPOS_OP_RECV, 2);
	assert_int_equal(CAPOS_OP_RETURN, 3);
	assert_int_equal(CAPOS_OP_RELEASE, 4);
	assert_int_equal(CAPOS_OP_NOP, 5);
	assert_int_equal(CAPOS_OP_PARK, 6);
	assert_int_equal(CAPOS_OP_UNPARK, 7);
	assert_int_equal(CAPOS_OP_COUNT, 8);
	assert_int_equal(CAPOS_PARK_WOKEN, 0);
	assert_int_equal(CAPOS_PARK_VALUE_CHANGED, 1);
	assert_true(CAPOS_PARK_NO_TIMEOUT == UINT64_MAX);
	assert_int_equal(CAPOS_PARK_WORD_ALIGN, 4);

	assert_int_equal(CAPOS_SQE_F_EXCEPTION, 1);
	assert_int_equal(CAPOS_SQE_FLAGS_KNOWN, 1);
	assert_int_equal(CAPOS_CQE_FLAGS_KNOWN, 0);
	assert_int_equal(CAPOS_RING_STATUS_SQ_CORRUPT, 1);
	assert_int_equal(CAPOS_RING_STATUS_CQ_CORRUPT, 2);

	assert_int_equal(CAPOS_OK, 0);
	assert_int_equal(CAPOS_E_BAD_OPCODE, -1);
	assert_int_equal(CAPOS_E_RESERVED_OP, -2);
	assert_int_equal(CAPOS_E_BAD_FLAGS, -3);
	assert_int_equal(CAPOS_E_BAD_FIELD, -4);
	assert_int_equal(CAPOS_E_BAD_CAP, -5);
	assert_int_equal(CAPOS_E_BAD_BUFFER, -6);
	assert_int_equal(CAPOS_E_TOO_LONG, -7);
	assert_int_equal(CAPOS_E_NOT_SUPPORTED, -8);
	assert_int_equal(CAPOS_E_BAD_XFER, -9);
	assert_int_equal(CAPOS_E_QUOTA, -10);
	assert_int_equal(CAPOS_E_BAD_CALL_ID, -11);
	assert_int_equal(CAPOS_E_DISCONNECTED, -12);
	assert_int_equal(CAPOS_E_TIMED_OUT, -13);
	assert_int_equal(CAPOS_E_CANCELLED, -14);
	assert_int_equal(CAPOS_E_NOSYS, -15);
	assert_int_equal(CAPOS_E_BAD_ARG, -16);
	assert_int_equal(CAPOS_E_RING_CORRUPT, -17);
	assert_int_equal(CAPOS_E_TRANSPORT_LAST, -63);
	assert_int_equal(CAPOS_E_APP_EXCEPTION, -64);
	assert_int_equal(CAPOS_E_TRUNCATED, -65);

	assert_int_equal(CAPOS_SYS_CAP_ENTER, 1);
	assert_int_equal(CAPOS_SYS_EXIT, 2);
	assert_int_equal(CAPOS_SYS_COUNT, 3);

	assert_int_equal(CAPOS_PARAMS_MAX, 65536);
	assert_int_equal(CAPOS_RESULT_MAX, 65536);
	assert_int_equal(CAPOS_XFER_MAX, 32);
}

static void
test_capid(void **state)
{
	(void)state;
	assert_int_equal(sizeof(capos_capid_t), 4);
	assert_int_equal(CAPOS_CAPID_SLOT_BITS, 12);
	assert_int_equal(CAPOS_CAPID_MAX_SLOTS, 4096);
	assert_int_equal(CAPOS_CAPID_GEN_MAX, 0xfffff);
	assert_int_equal(CAPOS_CAPID_INVALID, 0);
	assert_int_equal(capos_capid_make(1, 1), 0x1001);
}

static void
test_capset_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct capos_capset_page), 4096);
	assert_int_equal(sizeof(struct capos_capset_header), 64);
	FIELD(struct capos_capset_header, magic, 0, 4);
	FIELD(struct capos_capset_header, abi_major, 4, 2);
	FIELD(struct capos_capset_header, abi_minor, 6, 2);
	FIELD(struct capos_capset_header, count, 8, 4);
	FIELD(struct capos_capset_header, entry_size, 12, 4);
	FIELD(struct capos_capset_header, entries_offset, 16, 4);
	FIELD(struct capos_capset_header, reserved, 20, 44);
	assert_int_equal(sizeof(struct capos_capset_entry), 48);
	FIELD(struct capos_capset_entry, name, 0, 32);
	FIELD(struct capos_capset_entry, cap, 32, 4);
	FIELD(struct capos_capset_entry, reserved, 36, 4);
	FIELD(struct capos_capset_entry, interface_id, 40, 8);
	assert_int_equal(offsetof(struct capos_capset_page, entries), 64);
	assert_int_equal(CAPOS_CAPSET_NAME_MAX, 31);
	assert_int_equal(CAPOS_CAPSET_MAX_ENTRIES, 64);
	/* The limit can grow, but only as far as the page allows. */
	assert_true(64 + CAPOS_CAPSET_MAX_ENTRIES * 48 <= 4096);
	assert_true((4096 - 64) / 48 >= CAPOS_CAPSET_MAX_ENTRIES);
}

static void
test_elfnote_layout(void **state)
{
	CAPOS_ELFNOTE_ABI_DEFINE(note);

	(void)state;
	assert_int_equal(sizeof(struct capos_elfnote_abi), 28);
	FIELD(struct capos_elfnote_abi, namesz, 0, 4);
	FIELD(struct capos_elfnote_abi, descsz, 4, 4);
	FIELD(struct capos_elfnote_abi, type, 8, 4);
	FIELD(struct capos_elfnote_abi, name, 12, 8);
	FIELD(struct capos_elfnote_abi, desc, 20, 8);
	assert_int_equal(note.namesz, 6);
	assert_int_equal(note.descsz, 8);
	assert_int_equal(note.type, CAPOS_ELFNOTE_TYPE_ABI);
	assert_memory_equal(note.name, "CAPOS\0\0\0", 8);
	assert_int_equal(note.desc.abi_major, CAPOS_ABI_MAJOR);
	assert_int_equal(note.desc.abi_minor, CAPOS_ABI_MINOR);
}

static void
test_user_layout(void **state)
{
	(void)state;
	assert_int_equal(CAPOS_USER_BASE, 0x400000ull);
	assert_int_equal(CAPOS_USER_END, 0x00007ffffffff000ull);
	assert_int_equal(CAPOS_USER_RING_ADDR, 0x00007ffff0000000ull);
	assert_int_equal(CAPOS_USER_CAPSET_ADDR, 0x00007ffff1000000ull);
	assert_int_equal(CAPOS_USER_STACK_TOP, 0x00007fffffff0000ull);
	assert_int_equal(CAPOS_USER_TLS_BASE, 0x00007fffffe00000ull);
	assert_int_equal(CAPOS_USER_TLS_MAX, 0x100000ull);
	assert_int_equal(CAPOS_KERNEL_BASE, 0xffff800000000000ull);
	assert_int_equal(CAPOS_KERNEL_IMAGE_BASE, 0xffffffff80000000ull);

	/* Regions in order, no overlap, all inside [USER_BASE, USER_END). */
	assert_true(CAPOS_USER_BASE <= CAPOS_USER_IMAGE_BASE);
	assert_true(CAPOS_USER_IMAGE_END <= CAPOS_USER_HEAP_BASE);
	assert_true(CAPOS_USER_HEAP_END <= CAPOS_USER_RING_BASE);
	assert_true(CAPOS_USER_RING_BASE + CAPOS_USER_RING_AREA_SIZE <=
	            CAPOS_USER_CAPSET_ADDR);
	assert_true(CAPOS_USER_CAPSET_ADDR + CAPOS_PAGE_SIZE <=
	            CAPOS_USER_TLS_BASE);
	/* The largest TLS block at page alignment, plus the TCB. */
	assert_true(CAPOS_USER_TLS_MAX + CAPOS_PAGE_SIZE + 16 <=
	            CAPOS_USER_TLS_AREA_SIZE);
	assert_true(CAPOS_USER_TLS_BASE + CAPOS_USER_TLS_AREA_SIZE <=
	            CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE -
	                CAPOS_USER_STACK_GUARD);
	/* TLS and stack share one page table (one 2 MiB region). */
	assert_int_equal(CAPOS_USER_TLS_BASE >> 21,
	                 (CAPOS_USER_STACK_TOP - 1) >> 21);
	assert_true(CAPOS_USER_STACK_TOP < CAPOS_USER_END);
	/* One ring page per possible thread fits the ring area. */
	assert_true(CAPOS_USER_RING_AREA_SIZE / CAPOS_RING_PAGE_SIZE >= 4096);
	/* Thread rings: one page per slot from the base, slot 0 the main
	 * thread's. */
	assert_int_equal(CAPOS_USER_RING_SLOTS, 4096);
	assert_int_equal(CAPOS_USER_RING_SLOT_ADDR(0), 0x00007ffff0000000ull);
	assert_int_equal(CAPOS_USER_RING_SLOT_ADDR(5), 0x00007ffff0005000ull);
}

static void
test_user_range(void **state)
{
	(void)state;
	assert_true(capos_user_range_ok(0, 0));
	assert_false(capos_user_range_ok(CAPOS_USER_BASE, 0));
	assert_false(capos_user_range_ok(0, 1));
	assert_false(capos_user_range_ok(CAPOS_USER_BASE - 1, 1));
	assert_true(capos_user_range_ok(CAPOS_USER_BASE, 1));
	assert_true(capos_user_range_ok(CAPOS_USER_END - 1, 1));
	assert_false(capos_user_range_ok(CAPOS_USER_END - 1, 2));
	assert_false(capos_user_range_ok(CAPOS_USER_END, 1));
	assert_true(capos_user_range_ok(CAPOS_USER_BASE,
	                                CAPOS_USER_END - CAPOS_USER_BASE));
	assert_false(capos_user_range_ok(CAPOS_USER_BASE,
	                                 CAPOS_USER_END - CAPOS_USER_BASE + 1));
	assert_false(capos_user_range_ok(CAPOS_KERNEL_BASE, 16));
	assert_false(capos_user_range_ok(UINT64_MAX, 1));
	assert_false(capos_user_range_ok(CAPOS_USER_BASE, UINT64_MAX));
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sqe_layout),
	    cmocka_unit_test(test_cqe_layout),
	    cmocka_unit_test(test_xfer_and_record_layout),
	    cmocka_unit_test(test_ring_header_layout),
	    cmocka_unit_test(test_ring_page_layout),
	    cmocka_unit_test(test_magics),
	    cmocka_unit_test(test_fixed_numbers),
	    cmocka_unit_test(test_capid),
	    cmocka_unit_test(test_capset_layout),
	    cmocka_unit_test(test_elfnote_layout),
	    cmocka_unit_test(test_user_layout),
	    cmocka_unit_test(test_user_range),
	};

	return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
