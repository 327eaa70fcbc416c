#ifndef PROC_BOOTSTRAP_H
#define PROC_BOOTSTRAP_H

#include "boot/mb2.h"

/*
 * Starts the first user programs from the boot modules named by the
 * kernel argument run=NAME[,NAME...] (default: init), each granted the
 * kernel's Console, Timer and Null objects.  With test=user, a supervisor
 * waits for the first program to exit, stops the others, checks the first
 * program's exit code (0, or expect_exit=N) and that every frame came
 * back, and ends the run with pass or fail.
 */
void bootstrap_start(const struct mb2_info *mb);

#endif
