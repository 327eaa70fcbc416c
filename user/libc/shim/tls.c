/*
 * The TLS pointer.  musl gives the main thread a TLS block of its own
 * (its struct pthread sits at the thread pointer), replacing the one the
 * kernel laid out, and calls __set_thread_area to move FS there.
 *
 * The runtime's ring state, capos_rt, is a __thread variable: it lives in
 * the block being left.  So the switch copies it to the same offset in
 * the new block and makes the ThreadControl.setFsBase call by hand
 * (ring_raw.h), reading nothing of capos_rt once the call is queued: the
 * completion is taken in the new block, where the copy is already whole.
 *
 * Programs cannot move FS themselves: arch_prctl(ARCH_SET_FS) would leave
 * the runtime's state behind, so it is refused (EPERM).
 */
/* Linux's arch_prctl codes (musl has no header for them). */
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

#include "capos_call.h"
#include "internal.h"
#include "ring_raw.h"
#include "shim.h"

#include "capos.capnp.h"

/* The call's user_data: one of the runtime's own tags, which no
 * libcapos caller waits for. */
#define SET_FS_TAG (CAPOS_RUNTIME_TAG | 1)

static uintptr_t
thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

int
__set_thread_area(void *tp)
{
	struct capos_ring_page *ring = capos_rt.ring;
	uintptr_t old_tp = thread_pointer();
	struct capos_runtime *dst =
	    (void *)((uintptr_t)tp + ((uintptr_t)&capos_rt - old_tp));
	capos_ThreadControl_setFsBase_Params_builder p;
	struct capos_msgbuf mb;
	capos_capid_t control;
	struct capos_cqe cqe;

	if (capos_capset_find_interface(capos_ThreadControl_TYPE_ID, &control))
		return -ENOSYS;
	capos_msg_begin(&mb);
	p = capos_ThreadControl_setFsBase_Params_build_root(&mb.b);
	capos_ThreadControl_setFsBase_Params_set_base(p, (uintptr_t)tp);
	if (capos_msg_end(&mb))
		return -EINVAL;
	/* Whatever the runtime still has queued or in flight is taken in
	 * the old block, before the copy. */
	if (capos_flush() || capos_rt.in_flight)
		return -EBUSY;
	*dst = capos_rt;
	raw_call(ring, control, capos_ThreadControl_TYPE_ID,
	         capos_ThreadControl_METHOD_setFsBase, SET_FS_TAG, mb.framed,
	         mb.framed_len);
	/* Completions of releases the flush queued may come first: they
	 * are fire-and-forget. */
	do
		cqe = raw_reap(ring);
	while (cqe.user_data != SET_FS_TAG);
	return cqe.result < 0 ? -EINVAL : 0;
}

long
shim_sys_arch_prctl(SHIM_ARGS)
{
	switch (a0) {
	case ARCH_GET_FS:
		if (shim_user_writable(a1, sizeof(uintptr_t)))
			return -EFAULT;
		*(uintptr_t *)a1 = thread_pointer();
		return 0;
	case ARCH_SET_FS:
		return -EPERM;
	default:
		return -EINVAL;
	}
}
