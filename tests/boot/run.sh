#!/bin/bash
# The QEMU boot suite: boots the images headless and checks the serial
# transcript and the exit status of every run.  Prints TAP.
#
#   run.sh ISO ISO_NOMODULES KERNEL_ELF OUTDIR
#
# Exit statuses (isa-debug-exit): 33 pass, 35 fail, 37 panic; 124 is our
# timeout; 0 is QEMU's own, when the guest powered the machine off.  A run
# is judged by both its status and its transcript, so a panic or a hang
# can never pass.
set -u
iso=$1
iso_nomodules=$2
kernel=$3
out=$4
# Old transcripts go first: a run dropped from this file must not pass on
# what an earlier run left.
rm -rf "$out"
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
qemu="$here/../../scripts/qemu.sh"

BIOS_TIMEOUT=${BIOS_TIMEOUT:-60}
UEFI_TIMEOUT=${UEFI_TIMEOUT:-180}
n=0

. "$here/lib.sh"

# boot NAME STATUS-WANTED [qemu.sh options...]: one boot (UEFI ones get the
# longer timeout); the transcript is $out/NAME.log.
boot() {
	local name=$1 want=$2
	shift 2
	local timeout=$BIOS_TIMEOUT
	case " $* " in *" --uefi "*) timeout=$UEFI_TIMEOUT ;; esac
	qemu_run "$name" "$want" "$timeout" "$@"
}

# Every in-kernel check of a self-test run becomes a TAP line of its own.
ktests() {
	local name=$1
	ktest_lines "$name" ""
	expect "$name" 'KTEST done: [0-9]+ checks, 0 failed' "all in-kernel checks ran and passed"
}

boot_checks() {
	local name=$1
	expect "$name" '^\[ *[0-9]+\.[0-9]{6}\] capOS [0-9.]+ \(x86_64\) booting' "banner with timestamp"
	expect "$name" 'memory map \([0-9]+ entries\)' "memory map listed"
	expect "$name" 'frames: [0-9]+ free, [0-9]+ in use' "frame counts"
	expect "$name" 'paging: kernel tables active' "kernel page tables"
	expect "$name" 'timer: local APIC at [0-9]+ Hz' "timer calibrated"
	expect "$name" '^\[.*\] timer: TSC [1-9][0-9]+ Hz from .*, APIC timer [1-9][0-9]+ Hz from ' "calibration sources logged"
	expect "$name" 'boot modules \([0-9]+, [0-9]+ KiB' "module list found"
	expect "$name" '^\[.*\]   manifest +0x' "manifest module listed"
	expect "$name" '^\[.*\] acpi: RSDP revision [0-9]+ \(OEM .*\), (XSDT|RSDT) at 0x' "ACPI root table read"
	expect "$name" '^\[.*\] acpi: MADT: '"${CAPOS_SMP:-1}"' CPUs?, local APIC at 0xfee00000, 1 I/O APIC' "ACPI MADT read"
	expect "$name" '^\[.*\] acpi: \\_S5_: SLP_TYPa [0-7], SLP_TYPb [0-7]$' "ACPI _S5_ sleep types found"
	expect "$name" '^\[.*\] ioapic: 0 at 0xfec00000, GSI 0-23, all masked$' "I/O APIC found, its inputs masked"
	expect "$name" '^\[.*\] power: off through ACPI S5 \(PM1a control 0x[0-9a-f]+' "power off through ACPI S5 available"
	refuse "$name" 'PANIC' "no panic"
}

# --- a normal boot, as `make run` shows it, through BIOS and UEFI ---------
boot bios-idle 33 --iso "$iso" --args "no_init exit_when_idle"
boot_checks bios-idle
expect bios-idle 'timer: 3 s, [0-9]+ ticks' "timer ticking"
expect bios-idle '^\[.*\] boot: stages \(TSC ticks\) early [0-9]+ frames [0-9]+ paging [0-9]+ acpi [0-9]+ cpu [0-9]+ timer [0-9]+ ioapic [0-9]+ clock [0-9]+ smp [0-9]+ rtc_random [0-9]+ modules [0-9]+ tick_demo [0-9]{9,}, total [0-9]+$' "boot stage breakdown"
expect bios-idle 'idle \(QEMU: Ctrl-A X quits\)' "reaches a clean idle"

boot bios-selftest 33 --iso "$iso" --args "test=boot"
boot_checks bios-selftest
ktests bios-selftest

boot uefi-selftest 33 --iso "$iso" --uefi --args "test=boot"
boot_checks uefi-selftest
ktests uefi-selftest

# --- firmware tables without \_S5_: a log line and a fallback, no panic ----
# QEMU without ACPI: SeaBIOS makes its own tables, whose DSDT has no
# \_S5_ and whose FADT has no reset register.
boot bios-noacpi 33 --iso "$iso" --no-acpi --args "test=boot"
ktests bios-noacpi
refuse bios-noacpi 'PANIC' "no panic"
expect bios-noacpi '^\[.*\] acpi: no \\_S5_ sleep type \(the DSDT names no \\_S5_ package\): no ACPI power off$' "a missing _S5_ is logged"
expect bios-noacpi '^\[.*\] power: no ACPI S5, power off unavailable; reboot through the keyboard controller$' "power off unavailable, reboot falls back"

# --- ShutdownControl: init powers the machine off -------------------------
# QEMU's own exit status 0 (no isa-debug-exit code can give it), after a
# child without the cap was refused everything (user/tests/shutdowntest.c).
# One CPU whatever CAPOS_SMP says: describe.one_cpu checks the MADT's count.
power_off_run() { # power_off_run NAME [qemu.sh options...]
	local name=$1
	shift
	boot "$name" 0 --iso "$iso" --smp 1 "$@" --args "test=init manifest=shutdown"
	ktest_lines "$name" ""
	refuse "$name" 'PANIC' "no panic"
	expect "$name" '\] shutdowntest: 0 failures$' "every ShutdownControl check passed"
	expect "$name" '\] shutdown: power off requested by process 1 \(shutdowntest\)$' "the request is logged with its process"
	expect "$name" '\] power: off \(ACPI S5\)$' "powered off through ACPI S5"
	refuse "$name" 'still on after|KTEST done' "the machine went off before any other verdict"
}
power_off_run shutdown-bios
power_off_run shutdown-uefi --uefi
# ShutdownControl.reboot: QEMU runs with -no-reboot, so a reset ends it
# with status 0; the first method must have done it.
reboot_run() { # reboot_run NAME METHOD [qemu.sh options...]
	local name=$1 method=$2
	shift 2
	boot "$name" 0 --iso "$iso" "$@" --args "test=init manifest=reboot"
	ktest_lines "$name" ""
	refuse "$name" 'PANIC' "no panic"
	expect "$name" '\] shutdown: reboot requested by process 1 \(reboottest\)$' "the request is logged with its process"
	expect "$name" "\\] power: reboot through $method\$" "reset through $method"
	refuse "$name" 'still running|KTEST done' "the first method reset the machine"
}
reboot_run reboot-bios 'the FADT reset register'
reboot_run reboot-noacpi 'the keyboard controller' --no-acpi

# Without S5 (as bios-noacpi), powerOff fails and init exits 0.
boot shutdown-noacpi 33 --iso "$iso" --no-acpi --args "test=init manifest=shutdown"
ktests shutdown-noacpi
refuse shutdown-noacpi 'PANIC' "no panic"
expect shutdown-noacpi '\] shutdowntest: 0 failures$' "every ShutdownControl check passed"
refuse shutdown-noacpi '\] power: off' "no power off attempted"

# --- faults: each must end in a panic that names it ----------------------
fault() { # fault TEST REGEX
	local name=fault-$1
	boot "$name" 37 --iso "$iso" --args "test=$1"
	expect "$name" "PANIC: $2" "panic names the fault"
	expect "$name" 'capOS halted' "panic completes"
	refuse "$name" 'KTEST done' "no self-test result"
}
fault pagefault 'page fault at address 0xdead0000 \(not present, read, kernel mode\)'
expect fault-pagefault '^\[.*\]   rip 0x' "registers printed"
expect fault-pagefault '#0  0x[0-9a-f]+ fault_test\+0x' "backtrace names the faulting function"
expect fault-pagefault '#[1-9] +0x[0-9a-f]+ selftest_run\+0x' "backtrace names the callers"
fault write-rodata 'page fault at address 0x[0-9a-f]+ \(protection violation, write, kernel mode\)'
fault exec-data 'page fault at address 0x[0-9a-f]+ \(protection violation, instruction fetch, kernel mode\)'
fault divide 'divide error'
fault double-fault 'double fault'
fault heap-overflow 'kfree\(0x[0-9a-f]+\): write past the end of an allocation'
fault heap-double-free 'kfree\(0x[0-9a-f]+\): double free'
fault panic 'deliberate panic from the self-test'
# The spinlock checks of the test build (LOCKCHECK=1, docs/smp.md).
fault lock-order 'spinlock selftest.proc \(rank 1\) taken on cpu 0 holding selftest.pmm \(rank 6\): rank not below the innermost held lock.s$'
fault lock-irq 'spinlock selftest.ep \(rank 3\) taken with interrupts on$'
fault lock-release 'spinlock selftest.ep \(rank 3\) released on cpu 0 holding selftest.pmm \(rank 6\): released out of order'
expect fault-panic '#[0-9]+ +0x[0-9a-f]+ (selftest_run|fault_test)\+0x' "backtrace has symbol names"
fault mb2-corrupt "boot information from the loader is malformed: a tag's size runs outside the structure"

boot no-modules 37 --iso "$iso_nomodules" --args "test=boot"
expect no-modules 'PANIC: no boot modules' "missing module list is a panic"

# --- user processes, the ring and the kernel objects -----------------------
user() { # user NAME ARGS...: a test=user run whose supervisor must pass
	local name=$1
	shift
	boot "$name" 33 --iso "$iso" --args "test=user $*"
	ktests "$name"
	refuse "$name" 'PANIC' "no panic"
}
user user-smoke run=smoke
user user-hello run=hello
expect user-hello 'hello from capOS process 1$' "prints through its Console cap"
expect user-hello '  console +cap 0x[0-9a-f]+ interface 0x' "lists its CapSet"
user user-ring run=ringtest,spin
expect user-ring 'program spin: exit code -9' "the spinning process was stopped, not starving the test"
expect user-ring 'kernel counters:' "kernel counters printed"
# SystemInfo, a kernel cap granted on request, checked against what the
# program knows otherwise (ABI headers, its own page faults, the Timer).
user user-sysinfo run=sysinfotest,spin
expect user-sysinfo 'wallclock: RTC says [0-9]+ s since the epoch' "the RTC was read at boot"
# EntropySource: bytes differ, the per-call bound, 64 KiB that look
# random, seeded from the CPU's generator (QEMU's -cpu max has RDRAND).
user user-entropy run=entropytest
expect user-entropy 'entropy test: 0 failures' "every EntropySource check passed"
expect user-entropy 'random: ChaCha20 seeded from (RDSEED|RDRAND) and timer jitter' "seeded from a hardware source"
# SerialPort without anyone typing: bounds, timeouts, one waiting read,
# cancelled by release (the services suite's terminal run types).
user user-serial run=serialtest
expect user-serial 'serialtest: 0 failures' "every SerialPort check passed"
# A process exits with a read waiting: the exit cancels it (the ledger).
user user-serial-exit run=serial_exit
expect user-serial-exit 'serial_exit: exiting with a read waiting' "exited with the read waiting"
# The kernel's own lines in the log ring, and a follower woken by one.
user user-log run=logreadtest,nop
expect user-log 'logread test: 0 failures' "every kernel-line check passed"
user user-threads run=threadtest
expect user-threads 'threadtest: 0 failures' "every thread check passed"
# libcapos threading: create/join/detach, TLS, mutex, condvar, once, and
# the runtime (printf, malloc, calls) in every thread.
user user-threadlib run=threadlib
expect user-threadlib 'threadlib: 0 failures' "every threadlib check passed"
count user-threadlib '\] threadlib: t[0-3] line [0-9]+ of 25 with some padding to make it long end$' 100 "printf lines of four threads stay whole"
# PARK/UNPARK between threads; then a process exits with threads parked.
user user-park run=parktest,park_exit
expect user-park 'parktest: 0 failures' "every park check passed"
expect user-park 'park_exit: exiting with 3 threads parked' "threads left parked at exit"
# libcapos's heap: four threads of random malloc/calloc/realloc/
# aligned_alloc/free with content checks, back to the baseline.
user user-heap run=heaptest
expect user-heap 'heaptest: 0 failures' "every heap check passed"
# A program on the C library (musl over caps, user/libc): each system-call
# family once; tests/libc compares whole programs with Linux.
user user-libc-smoke run=libc_smoke
expect user-libc-smoke 'libc_smoke: 0 failed$' "every libc_smoke check passed"
count user-libc-smoke '\] libc_smoke: ok ' 23 "every libc_smoke check ran"
# musl's pthreads at their edges: stacks of joined and detached threads
# given back, the thread limit as EAGAIN, timed waits, owner-aware mutexes.
user user-libc-threads run=libc_threads
expect user-libc-threads 'libc_threads: 0 failed$' "every libc_threads check passed"
count user-libc-threads '\] libc_threads: ok ' 10 "every libc_threads check ran"
# Every system call number 0-450 with rounds of garbage arguments: each
# call returns, bad pointers are EFAULT, the shim's counters agree with the
# answers, and the program is whole afterwards.
user user-libc-hostile run=libc_hostile
expect user-libc-hostile 'libc_hostile: 0 failed$' "every libc_hostile check passed"
count user-libc-hostile '\] libc_hostile: round [a-z-]+: [0-9]+ calls returned$' 10 "every round of garbage came back"
expect user-libc-hostile 'libc_hostile: stdout still works$' "stdout works after the rounds"
# libsodium built for capOS (mk/libsodium.mk): a verifier made at build
# time by tools/mkverifier accepts its password and no other, malformed
# verifiers are refused, BLAKE2b digests equal the host library's.
user user-sodium run=sodium_test
expect user-sodium 'sodium_test: 0 failed$' "every sodium_test check passed"
count user-sodium '\] sodium_test: ok ' 29 "every sodium_test check ran"
expect user-sodium 'sodium_test: one verification \(m=[0-9]+ KiB, t=[0-9]+\) took [0-9]+ ms' "the verification time is printed"
# Two processes, one word address: one's UNPARKs never reach the other.
user user-park-iso run=park_iso,park_iso
count user-park-iso 'program park_iso: exit code 0' 2 "both copies exited with 0"
expect user-sysinfo 'sysinfo test: 0 failures' "every SystemInfo answer checked"
# The CPU state a thread returns to user mode with (RFLAGS, registers,
# stack pointer, selectors, FS/GS bases), across system calls, blocking
# and preemption by spin and by a second cpustate holding other selectors.
user user-cpu run=cpustate,spin,cpustate
expect user-cpu 'KTEST ok cpu\.kernel_survived' "the kernel survived every flag"
count user-cpu 'KTEST (not )?ok cpu\.' 82 "every cpu.* check ran"
expect user-cpu '\] cpu: copied with DF set: 0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ the end$' "a copy made with the user's DF set went forward"
# User faults end only the process, with 128 + vector.
user user-cpu-step run=cpu_step expect_exit=129
expect user-cpu-step 'process 1 \(cpu_step\) killed: debug at rip' "single step after SYSCALL trapped in user mode"
refuse user-cpu-step 'still running' "TF came back from the system call"
user user-cpu-int3 run=cpu_int3 expect_exit=131
expect user-cpu-int3 'process 1 \(cpu_int3\) killed: breakpoint' "int3 ends the process"
user user-cpu-ud2 run=cpu_ud2 expect_exit=134
expect user-cpu-ud2 'process 1 \(cpu_ud2\) killed: invalid opcode' "ud2 ends the process"
# FP/SIMD: the state a process starts with, and user FP errors.  An x87
# error is #MF (128 + 16).  QEMU's TCG raises no #XM (SIMD errors only
# set MXCSR flags), which fpu_simd_fault reports with exit code 2.
user user-fpu run=fpu_start
user user-fpu-x87-fault run=fpu_x87_fault expect_exit=144
expect user-fpu-x87-fault 'process 1 \(fpu_x87_fault\) killed: x87 floating-point error' "an unmasked x87 error ends the process"
user user-fpu-simd-fault run=fpu_simd_fault expect_exit=2
expect user-fpu-simd-fault 'fpu_simd_fault: no #XM from this CPU; MXCSR 0x[0-9a-f]+ has ZE' "the unmasked SIMD error was recorded"
user user-hostile run=hostile expect_exit=141
expect user-hostile 'hostile: the kernel answered every abuse' "ring abuse answered, each with its own error"
expect user-hostile 'process 1 \(hostile\) killed: general protection fault' "a user fault ends only the process"
# Hostile suites: every case asserts its exact error (user/tests/hostile_*.c).
user user-hostile-abi run=hostile_abi
expect user-hostile-abi 'hostile_abi: 0 failures' "every ABI abuse got its exact error"
boot hostile-objects 33 --iso "$iso" --args "test=init manifest=hostile_objects"
ktests hostile-objects
refuse hostile-objects 'PANIC' "no panic"
expect hostile-objects 'hostile_objects: 0 failures' "every malformed call got its exact error"
expect hostile-objects 'KTEST ok srv\.return\.echo\.ok' "hostile_server ran its owner-side cases"

# --- memory capabilities: FrameAllocator, MemoryObject, VirtualMemory -----
# memtest (init) shares a 1 MiB object with mem_peer, checks mappings,
# releases and frame counts, ends mem_fault four ways, runs two fresh copies of it and
# mem_hostile under small limits (docs/memory.md).
boot mem 33 --iso "$iso" --args "test=init manifest=memtest"
ktests mem
refuse mem 'PANIC' "no panic"
expect mem 'memtest: 0 failures' "every memory check passed"
pf='process [0-9]+ \(mem_fault\) killed: page fault at rip 0x[0-9a-f]+, address 0x[0-9a-f]+'
expect mem "$pf \\(protection violation, write, user mode\\): read-only mapping of a MemoryObject" \
	"a write to a read-only mapping: address, access and mapping named"
expect mem "$pf \\(not present, read, user mode\\): reserved, not committed" \
	"a touch of a decommitted page: named as reserved, not committed"
expect mem "$pf \\(not present, read, user mode\\): no mapping" \
	"a touch of an unmapped range: named as no mapping"
expect mem "$pf \\(protection violation, read, user mode\\): no-access committed memory" \
	"a read of a page protected to none: named as no-access"
count mem 'process [0-9]+ \(mem_fault\) exited with code 142' 6 "each fault ended only its process"

# --- init from a manifest, spawning, endpoints, capability transfer --------
boot ipc 33 --iso "$iso" --args "test=init manifest=ipctest"
ktests ipc
refuse ipc 'PANIC' "no panic"
expect ipc 'manifest: manifest-ipctest, 6 binaries, init .ipctest.' "kernel checked the manifest boundary"
expect ipc 'ipc_echo: written through a copied console cap' "a server used a capability passed to it"

# --- typed, badged facets (Endpoint.client, kernel/ipc/facet.c) ------------
boot facet 33 --iso "$iso" --args "test=init manifest=facettest"
ktests facet
refuse facet 'PANIC' "no panic"
expect facet 'facet test: 0 failures' "every facet check passed"
expect facet 'KTEST ok ipc\.facet\.server\.mint_until_quota' "minting stops at the cap-slot quota"

# --- the IPC fast path (kernel/ipc/fastpath.c) ------------------------------
# ipcfast's calls are the only ones made on an endpoint in this boot, so
# the counters the kernel prints at the end are theirs: the plain round
# trips took the fast path, and each way off it was taken at least once
# (ipcfast checks that every one of those calls got the right answer).
boot ipcfast 33 --iso "$iso" --args "test=init manifest=ipcfast"
ktests ipcfast
refuse ipcfast 'PANIC' "no panic"
expect ipcfast 'ipcfast test: 0 failures' "every call got its answer"
expect ipcfast 'IPC fast path: calls [1-9][0-9]*,' "plain CALLs took the fast path"
expect ipcfast 'IPC fast path: calls [0-9]+, returns [1-9][0-9]*;' "their RETURNs took the fast path"
expect ipcfast 'general path: transfers [1-9][0-9]*,' "a CALL with a transfer descriptor took the general path"
expect ipcfast 'too big [1-9][0-9]*,' "params over the fast path's limit took the general path"
expect ipcfast 'not waiting [1-9][0-9]*,' "a CALL with no RECV waiting took the general path"
expect ipcfast 'buffers [1-9][0-9]*,' "bad buffers took the general path"
expect ipcfast 'kept translations stale [1-9][0-9]*$' "a mapping change made a kept translation stale"

# --- system services from a manifest: kernelParams, the wall clock -------
boot sysinfo-params 33 --iso "$iso" --args "test=init manifest=sysinfo_params"
ktests sysinfo-params
refuse sysinfo-params 'PANIC' "no panic"
expect sysinfo-params 'sysinfo_params: 0 failures' "hostname and motd are the manifest's"
# WallClock read and set by an operator's bundle; a reader cannot set it.
# The C library with caps missing: libc_caps holds every service cap and
# starts copies of itself with fewer, each checking that a missing cap
# gives the errno a program expects, never a fault.
boot libc-caps 33 --iso "$iso" --args "test=init manifest=libc_caps"
ktests libc-caps
refuse libc-caps 'PANIC' "no panic"
expect libc-caps 'libc_caps: 0 failures' "every copy passed its checks"
boot wallclock 33 --iso "$iso" --args "test=init manifest=wallclock"
ktests wallclock
refuse wallclock 'PANIC' "no panic"
expect wallclock 'wallclock test: 0 failures' "every WallClock check passed"
expect wallclock 'KTEST ok wallclock\.reader\.set_through_wallclock\.unimplemented' "the reader could not set the time"

boot logtest 33 --iso "$iso" --args "test=init manifest=logtest"
ktests logtest
refuse logtest 'PANIC' "no panic"
expect logtest 'log test: 0 failures' "every log and audit check passed"

# --- generated dispatch: inherited methods, unknown interfaces and methods
boot rpc 33 --iso "$iso" --args "test=init manifest=rpctest"
ktests rpc
refuse rpc 'PANIC' "no panic"
expect rpc 'rpc test: 0 failures' "every call got its answer"

# --- FP/SIMD state across thousands of switches between two processes ----
boot fpu 33 --iso "$iso" --args "test=init manifest=fpu_iso"
ktests fpu
refuse fpu 'PANIC' "no panic"
expect fpu 'fpu test: 0 failures' "every register kept, a new process starts clean"
expect fpu '^\[.*\] fpu: (xsaveopt|xsave|fxsave), xcr0 0x[0-9a-f]+' "the kernel's save method and area logged"

# --- leaks: storms past the limits, spawn+exit cycles, IPC round trips ---
boot soak 33 --iso "$iso" --args "test=init manifest=soak"
ktests soak
refuse soak 'PANIC' "no panic"
expect soak 'soak: 3 storms; [0-9]+ small and [0-9]+ default children each' "storms ran"

# --- the harness itself: a failing check and a hang are failures ----------
boot selftest-fail 35 --iso "$iso" --args "test=fail"
expect selftest-fail 'KTEST not ok selftest.deliberate_failure' "failure reported"
BIOS_TIMEOUT=15 boot selftest-hang 124 --iso "$iso" --args "test=hang"

# --- application processors: all listed CPUs start, cpus= limits them ---
# The line names each online CPU's APIC id; the checks compare what each
# AP wrote about itself (docs/boot.md, "Application processors").
smp_boots() {
	local name
	boot smp2 33 --iso "$iso" --smp 2 --args "test=smp"
	expect smp2 '^\[.*\] smp: 2 CPUs online \(APIC ids 0 1\)$' "both CPUs online"
	boot smp4 33 --iso "$iso" --smp 4 --args "test=smp"
	expect smp4 '^\[.*\] smp: 4 CPUs online \(APIC ids 0 1 2 3\)$' "four CPUs online"
	boot smp4-cpus1 33 --iso "$iso" --smp 4 --args "test=smp cpus=1"
	expect smp4-cpus1 '^\[.*\] smp: 1 CPU online \(APIC id 0\)$' "cpus=1: the boot CPU only"
	# Single-threaded TCG counting instructions: the waits are guest time.
	boot smp2-icount 33 --iso "$iso" --smp 2 --icount --args "test=smp"
	expect smp2-icount '^\[.*\] smp: 2 CPUs online \(APIC ids 0 1\)$' "both CPUs online under icount"
	for name in smp2 smp4 smp4-cpus1 smp2-icount; do
		ktests "$name"
		refuse "$name" 'PANIC|did not start' "no panic, no CPU skipped"
	done
}
smp_boots

# --- gdb attaches with symbols and stops at the kernel entry --------------
gdb_check() {
	local log=$out/gdb.log port
	# A port of its own: another boot being debugged keeps 1234.
	port=$((20000 + $$ % 20000))
	sh "$qemu" --iso "$iso" --gdb-port "$port" --no-exit-device --timeout 60 \
		--serial "$out/gdb-serial.log" >/dev/null 2>&1 &
	local qpid=$!
	sleep 1
	timeout 60 gdb -q -batch "$kernel" \
		-ex "target remote localhost:$port" \
		-ex "hbreak kmain" -ex "continue" -ex "bt 1" \
		-ex "kill" >"$log" 2>&1
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	if grep -Eq '^#0 +kmain \(' "$log"; then
		tap OK "gdb: stops at kmain with symbols"
	else
		tap FAIL "gdb: stops at kmain with symbols" "$(tail -n 2 "$log" | tr '\n' '|')"
	fi
}
gdb_check

# --- every run reports exactly the checks it declares -------------------
declared "$here/expected/boot"

echo "1..$n"
