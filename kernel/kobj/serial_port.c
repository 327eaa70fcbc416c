/*
 * SerialPort: COM1's raw byte stream for the one process that runs the
 * terminal on it.  One static object.  The input ring is the driver's
 * (arch/x86_64/serial.h); this file decides who may read it and answers
 * reads, at once or later through the read's completion record.
 *
 * The claim: the first process to read owns the input.  The claim is
 * checked when another process reads, not tracked on every release: it
 * still holds while the owner is alive and holds a cap to this object.
 *
 * A waiting read is answered from the receive interrupt or the timer
 * tick.  Answering copies into the reader's memory, which is only done
 * when the interrupt did not stop kernel code of the reader's own process
 * (which might be changing that memory's page tables); otherwise the next
 * tick or interrupt answers it.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "capnp/frame.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "kobj/serial_port.h"
#include "mm/aspace.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

#define SERIAL_READ_MAX  1024
#define SERIAL_WRITE_MAX 4096
/* A framed read answer: segment table, root pointer, the struct's one
 * pointer, then the bytes. */
#define READ_ANSWER_MAX (SERIAL_READ_MAX + 64)

static struct kobject serial_obj;

static uint64_t owner_pid;        /* 0: nobody has claimed the input */
static struct completion *reader; /* the waiting read, or NULL */
static uint32_t reader_max;       /* its max */
static uint8_t answer_arena[READ_ANSWER_MAX] __attribute__((aligned(8)));
static uint8_t answer[READ_ANSWER_MAX] __attribute__((aligned(8)));

static bool
holds_port(struct process *p)
{
	uint32_t cursor = 0;
	capos_capid_t id;
	const struct cap_slot *slot;

	while (cap_next(&p->caps, &cursor, &id, &slot) == CAP_OK)
		if (slot->object == &serial_obj)
			return true;
	return false;
}

/* Whether process pid still owns the input (alive, holding the port). */
static bool
claim_holds(uint64_t pid)
{
	struct process *p;

	TAILQ_FOREACH(p, &all_processes, link)
		if (p->pid == pid)
			return p->state == PROC_ALIVE && holds_port(p);
	return false;
}

/* Frames a read answer of n bytes into answer; returns its length. */
static uint32_t
frame_answer(const uint8_t *data, uint32_t n)
{
	struct capnp_builder b;
	size_t written;

	capnp_builder_init_lazy(&b, answer_arena, sizeof(answer_arena), 0);
	capos_SerialPort_read_Results_set_data(
	    capos_SerialPort_read_Results_build_root(&b), data, n);
	if (capnp_frame_write(&b, answer, sizeof(answer), &written))
		return 0;
	return (uint32_t)written;
}

static void
read_withdraw(struct completion *c)
{
	(void)c;
	reader = NULL;
}

static const struct completion_ops read_ops = {
    .name = "SerialPort.read",
    .withdraw = read_withdraw,
};

/* Answers the waiting read when input waits or its time is up, and
 * copying into the reader is safe here.  Interrupts off. */
static void
serial_port_poll(const struct trapframe *tf)
{
	/* Not on the stack: this runs on whatever kernel stack the
	 * interrupt found, and never twice at once (interrupts off). */
	static uint8_t buf[SERIAL_READ_MAX];
	struct completion *c = reader;
	uint32_t n, len;

	if (!c)
		return;
	if (!serial_rx_buffered() && clock_ns() < c->deadline_ns)
		return;
	if (!(tf->cs & 3) && process_current() == c->proc)
		return;
	reader = NULL;
	n = (uint32_t)serial_rx_take(buf, reader_max);
	len = frame_answer(buf, n);
	if (!len || len > c->result_len ||
	    aspace_copy_out(&c->proc->as, c->result_addr, answer, len))
		completion_post(c, KERR_BAD_BUFFER, 0);
	else
		completion_post(c, (int32_t)len, 0);
}

void
serial_port_tick(const struct trapframe *tf)
{
	if (reader)
		serial_port_poll(tf);
}

static int
port_read(void *self, struct rpc_call *call,
          capos_SerialPort_read_Params_reader p,
          capos_SerialPort_read_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	uint32_t max = capos_SerialPort_read_Params_get_max(p);
	uint64_t timeout = capos_SerialPort_read_Params_get_timeoutNs(p);
	uint64_t pid = c->caller->pid, deadline;
	uint8_t buf[SERIAL_READ_MAX];
	struct completion *rec;
	size_t n;
	bool irq;

	(void)self;
	if (max == 0)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "read: max is 0");
	max = MIN(max, SERIAL_READ_MAX);
	if (owner_pid != pid && owner_pid && claim_holds(owner_pid))
		return rpc_exception(
		    call, RPC_EXC_FAILED,
		    "read: the serial input belongs to another "
		    "process");
	if (reader)
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "read: another read is waiting");
	/* Answered later with up to max bytes: the buffer must hold that.
	 * (No read waits, so the interrupt is not framing one now.) */
	if (kcall_room_for(c, 0, frame_answer(buf, max)) != KERR_OK)
		return KERR_TRUNCATED;
	if (!serial_rx_start(serial_port_poll))
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "read: the serial port has no input");
	if (owner_pid != pid) {
		/* What was typed for the previous owner is not ours to see. */
		if (owner_pid)
			serial_rx_discard();
		owner_pid = pid;
	}
	n = serial_rx_take(buf, max);
	if (n || timeout == 0) {
		capos_SerialPort_read_Results_set_data(r, buf, n);
		return KERR_OK;
	}
	deadline = clock_ns() + timeout;
	if (deadline < timeout)
		deadline = UINT64_MAX;
	irq = irq_save();
	rec = kcall_defer(c, &read_ops, NULL);
	rec->deadline_ns = deadline;
	reader_max = max;
	reader = rec;
	irq_restore(irq);
	return KCALL_PENDING;
}

static int
port_write(void *self, struct rpc_call *call,
           capos_SerialPort_write_Params_reader p,
           capos_SerialPort_write_Results_builder r)
{
	struct capnp_data d = capos_SerialPort_write_Params_get_data(p);

	(void)self;
	(void)r;
	if (capnp_msg_error(&call->params))
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: malformed params");
	if (d.len > SERIAL_WRITE_MAX)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: more than 4096 bytes");
	serial_write_raw(d.ptr, d.len);
	return KERR_OK;
}

static int
port_stats(void *self, struct rpc_call *call,
           capos_SerialPort_stats_Params_reader p,
           capos_SerialPort_stats_Results_builder r)
{
	uint64_t received, overruns;

	(void)self;
	(void)call;
	(void)p;
	serial_rx_stats(&received, &overruns);
	capos_SerialPort_stats_Results_set_received(r, received);
	capos_SerialPort_stats_Results_set_dropped(r, overruns);
	capos_SerialPort_stats_Results_set_buffered(r, serial_rx_buffered());
	capos_SerialPort_stats_Results_set_owner(
	    r, owner_pid && claim_holds(owner_pid) ? owner_pid : 0);
	return KERR_OK;
}

static const struct capos_SerialPort_server port_server = {
    .read = port_read,
    .write = port_write,
    .stats = port_stats,
};

static const struct kobject_ops serial_ops = {
    .name = "SerialPort",
    .interface_id = capos_SerialPort_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_SerialPort_interface,
    .impl = &port_server,
};

static struct kobject serial_obj = {
    .ops = &serial_ops,
    .refs = 1,
    .interface_id = capos_SerialPort_TYPE_ID,
};

struct kobject *
serial_object(void)
{
	return &serial_obj;
}
