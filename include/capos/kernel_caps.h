/*
 * The registry of kernel capability types: every kind of object the
 * kernel itself serves and hands out by name, one line each.
 *
 *   X(name, Interface, grant)
 *
 *   name       the cap's name in manifests and CapSets ("timer"); the
 *              kernel's object for it is name##_object() (kobj/kobject.h),
 *              defined in kernel/kobj/<file>.c
 *   Interface  its interface in schema/capos.capnp (capos_##Interface)
 *   grant      who holds it from boot:
 *              CAPOS_KCAP_INIT_ONLY   init, always; never granted on
 *              CAPOS_KCAP_ALWAYS      init, always; init may grant it
 *              CAPOS_KCAP_ON_REQUEST  init when initConfig.initCaps lists
 *                                     it; init may grant it then
 *
 * The kernel's bootstrap grants, the manifest checks (lib/manifest, run
 * by the build, the kernel and init) and their messages are all expanded
 * from this list, so adding a kernel capability type is: its interface in
 * the schema, its file in kernel/kobj/, and one line here
 * (docs/kernel-objects.md).  Test programs started with the kernel
 * argument run= get every cap that is not INIT_ONLY.
 */
#ifndef CAPOS_KERNEL_CAPS_H
#define CAPOS_KERNEL_CAPS_H

#define CAPOS_KCAP_INIT_ONLY  0
#define CAPOS_KCAP_ALWAYS     1
#define CAPOS_KCAP_ON_REQUEST 2

#define CAPOS_KERNEL_CAPS(X)                                                   \
	X(bootpkg, BootPackage, CAPOS_KCAP_ALWAYS)                             \
	X(spawner, ProcessSpawner, CAPOS_KCAP_INIT_ONLY)                       \
	X(console, Console, CAPOS_KCAP_ALWAYS)                                 \
	X(timer, Timer, CAPOS_KCAP_ON_REQUEST)                                 \
	X(null, Null, CAPOS_KCAP_ON_REQUEST)                                   \
	X(sysinfo, SystemInfo, CAPOS_KCAP_ON_REQUEST)                          \
	X(threads, ThreadSpawner, CAPOS_KCAP_ON_REQUEST)                       \
	X(park, ParkSpace, CAPOS_KCAP_ON_REQUEST)                              \
	X(frames, FrameAllocator, CAPOS_KCAP_ON_REQUEST)                       \
	X(vm, VirtualMemory, CAPOS_KCAP_ON_REQUEST)                            \
	X(wallclock, WallClock, CAPOS_KCAP_ON_REQUEST)                         \
	X(clockset, ClockDiscipline, CAPOS_KCAP_ON_REQUEST)                    \
	X(entropy, EntropySource, CAPOS_KCAP_ON_REQUEST)                       \
	X(log, LogSink, CAPOS_KCAP_ON_REQUEST)                                 \
	X(logread, LogReader, CAPOS_KCAP_ON_REQUEST)                           \
	X(audit, AuditLog, CAPOS_KCAP_ON_REQUEST)                              \
	X(auditwrite, AuditWriter, CAPOS_KCAP_ON_REQUEST)                      \
	X(shutdown, ShutdownControl, CAPOS_KCAP_ON_REQUEST)                    \
	X(serial, SerialPort, CAPOS_KCAP_ON_REQUEST)                           \
	X(capmgr, CapabilityManager, CAPOS_KCAP_ON_REQUEST)

/* ProcessSpawner.narrow: the most binaries a restricted spawner (a
 * launcher) names, each a BootPackage binary name. */
#define CAPOS_LAUNCHER_BINARIES_MAX 16

#endif
