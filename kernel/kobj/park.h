#ifndef KOBJ_PARK_H
#define KOBJ_PARK_H

#include <stdint.h>

#include <capos/ring.h>

struct process;

/* The PARK and UNPARK ring operations of process p (interrupts off): a
 * result or kind for the CQE at once, or KCALL_PENDING for a PARK that
 * waits. */
int32_t park_op(struct process *p, const struct capos_sqe *sqe);
int32_t unpark_op(struct process *p, const struct capos_sqe *sqe);

/* Timer interrupt (interrupts off): ends every park whose timeout is due. */
void park_object_tick(void);

#endif
