#ifndef KOBJ_TIMER_H
#define KOBJ_TIMER_H

/* Completes the sleeps that are due; called from the timer interrupt. */
void timer_object_tick(void);

#endif
