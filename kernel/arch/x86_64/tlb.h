/*
 * TLB shootdown (docs/smp.md, "TLB shootdown").  Each CPU records the
 * page-table root it has loaded.  A change that narrows a present user
 * entry flushes it here and, on every other CPU with the same root
 * loaded, through an IPI that the caller waits for, so no CPU can still
 * reach a page once its frame is freed.  A kernel-half entry is flushed
 * on every CPU.  CPUs with another root loaded are not interrupted: a
 * root switch flushes every non-global entry.
 */
#ifndef ARCH_X86_64_TLB_H
#define ARCH_X86_64_TLB_H

#include <stdint.h>

/* This CPU now runs with root loaded (switch_to). */
void tlb_note_root(uint64_t root);
/* The address space with this root is going away: no CPU may keep it
 * loaded (this one switches to the kernel's tables). */
void tlb_forget_root(uint64_t root);
/* A user entry of the address space with this root changed. */
void tlb_flush_user(uint64_t root, uint64_t va);
/* A kernel-half entry changed. */
void tlb_flush_kernel(uint64_t va);
/* Answers a pending request (the IPI handler; the kernel lock's spin). */
void tlb_poll(void);
/* A CPU joins (its APIC id is where its IPIs go). */
void tlb_cpu_online(unsigned cpu, uint32_t apic_id);

#endif
