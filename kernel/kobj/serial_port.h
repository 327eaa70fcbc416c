#ifndef KOBJ_SERIAL_PORT_H
#define KOBJ_SERIAL_PORT_H

struct trapframe;

/* Timer interrupt (interrupts off): answers SerialPort's waiting read
 * when input waits or its timeout has passed (kobj/serial_port.c). */
void serial_port_tick(const struct trapframe *tf);

#endif
