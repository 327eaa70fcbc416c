#ifndef PROC_BOOTSTRAP_H
#define PROC_BOOTSTRAP_H

#include "boot/mb2.h"

/*
 * Starts the system: normally init alone, from the boot manifest (module
 * "manifest", or "manifest-NAME" with the kernel argument manifest=NAME),
 * granted BootPackage, ProcessSpawner, Console and the kernel caps its
 * initConfig names.  For tests, run=NAME[,NAME...] instead starts those
 * boot-module programs, each granted Console, Timer and Null.
 *
 * With test=user or test=init, a supervisor  With test=user, a supervisor
 * waits for the first program to exit, stops the others, checks the first
 * program's exit code (0, or expect_exit=N) and that every frame came
 * back, and ends the run with pass or fail.
 */
void bootstrap_start(const struct mb2_info *mb);

#endif
