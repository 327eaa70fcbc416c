# The capOS schema: kernel ABI, IPC wire format and boot manifest format
# in one place (docs/capnp.md).  C accessors are generated from this file
# into build/gen/capos.capnp.h by tools/capnpc-c.
#
# The file id below is fixed for the life of the project (made once with
# `capnp id`); every type id in this file derives from it, and interface
# ids are what the kernel dispatches on.  Never change it, and never
# renumber an ordinal: add fields and methods with new ordinals instead.
#
# Doc comments follow the declaration they describe, as capnp expects.
@0x8b16847c22b97816;

interface Console {
  # A serial console: bounded writes of bytes or of a line of text.

  write @0 (data :Data) -> ();
  # Writes the bytes as they are.

  writeLine @1 (text :Text) -> ();
  # Writes the text followed by a newline.
}

enum ExceptionType {
  # The kinds of capability exception (the second error layer: a call
  # reached its object and the object refused it).

  failed @0;
  overloaded @1;
  disconnected @2;
  unimplemented @3;
  invalidArgument @4;
}

struct CapException {
  # A capability exception, serialized as the result of a failed call.

  type @0 :ExceptionType;
  message @1 :Text;
  # Diagnostic only; never holds kernel addresses or secrets.
}

enum LogLevel {
  error @0;
  warn @1;
  info @2;
  debug @3;
  trace @4;
}

struct SystemManifest {
  # The boot manifest, written as Cap'n Proto text in system/*.capnp and
  # encoded at build time by the reference `capnp` tool, which refuses
  # unknown or misspelled fields.

  schemaVersion @0 :UInt32;
  # Must equal the schema version the kernel and init were built for (1).

  binaries @1 :List(BinaryEntry);
  initConfig @2 :InitConfig;
  kernelParams @3 :KernelParams;
}

struct BinaryEntry {
  # A service binary, delivered as its own boot module.

  name @0 :Text;
  # The name services and initConfig refer to.

  module @1 :Text;
  # The boot module holding the ELF image.
}

struct InitConfig {
  init @0 :Text;
  # Name of the BinaryEntry the kernel starts as init.

  initCaps @1 :List(Text);
  # Kernel caps init receives besides BootPackage, ProcessSpawner and
  # Console (which it always gets): names of the registry
  # (include/capos/kernel_caps.h) granted on request, such as "timer".

  services @2 :List(ServiceConfig);
  # Started by init in this order; a service may import only exports of
  # services listed before it.
}

struct ServiceConfig {
  name @0 :Text;
  binary @1 :Text;
  grants @2 :List(GrantConfig);
  # Exactly the caps the service receives, in CapSet order.

  exports @3 :List(ExportConfig);
  # Endpoints created for the service: it gets the owner side under the
  # export's name; init gets a client facet to hand to importers.

  restart @4 :RestartPolicy;
  limits @5 :ResourceLimits;
  # Overrides kernelParams.defaultLimits field by field (0 = default).

  expectExit @6 :Int32;
  # For test manifests: the exit code init expects from this service.
}

struct GrantConfig {
  name @0 :Text;
  # The name in the receiving service's CapSet.

  interface @1 :Text;
  # The interface the service expects, by schema name ("Console", "Echo").

  source :union {
    kernel @2 :Text;
    # A kernel cap init holds, by its registry name: "console", "timer".

    import @3 :ImportRef;
    # An export of a service started earlier.

    endpoint @4 :Void;
    # A fresh endpoint whose owner side the service gets (init keeps a
    # client facet).
  }
}

struct ImportRef {
  service @0 :Text;
  export @1 :Text;
}

struct ExportConfig {
  name @0 :Text;
  interface @1 :Text;
  # The interface the service serves on this endpoint, by schema name.
}

enum RestartPolicy {
  never @0;
  onFailure @1;
  always @2;
}

struct ResourceLimits {
  # Hard per-process limits, checked before any side effect.  0 means
  # "the default" (kernelParams.defaultLimits, then the kernel's own).
  # Frames and cap slots are budgets: a child's are carved out of what its
  # parent has left while the child lives; the outstanding-call and
  # endpoint-queue limits of a child are at most its parent's.

  capSlots @0 :UInt32;
  # Capability table slots in use.

  outstandingCalls @1 :UInt32;
  # Calls this process has made that are not answered yet.

  endpointQueue @2 :UInt32;
  # Calls queued on each endpoint this process serves.

  frames @3 :UInt32;
  # Physical frames mapped into the process.

  threads @4 :UInt32;
  # Threads alive in the process at once, the main thread included; a
  # child's is at most its parent's.
}

struct KernelParams {
  hostname @0 :Text;
  motd @1 :Text;
  logLevel @2 :LogLevel;
  defaultLimits @3 :ResourceLimits;
  # Limits of a process spawned without its own (each field 0 there);
  # always at most what the spawning process has left.

  initLimits @4 :ResourceLimits;
  # Lowers init's budget, which is otherwise the whole machine (frames,
  # less a kernel reserve) and the kernel's root limits.
}

interface BootPackage {
  # What the boot loader delivered: the manifest and the binaries.

  manifestSize @0 () -> (size :UInt64);

  readManifest @1 (offset :UInt64, length :UInt32) -> (data :Data);
  # At most 4096 bytes per call.

  binarySize @2 (name :Text) -> BinaryLookup;
  # Looks up a binary by its BinaryEntry name.  A name that is not there
  # is an ordinary answer (notFound), not an exception.
}

struct BinaryLookup {
  # What BootPackage.binarySize answers.

  union {
    notFound @0 :Void;
    # No BinaryEntry has that name (the default: an answer with nothing
    # set reads as not found).

    size @1 :UInt64;
    # The binary is there; its size in bytes.
  }
}

interface ProcessSpawner {
  spawn @0 (name :Text, binary :Text, grants :List(SpawnGrant),
            endpoints :List(EndpointSpec), limits :ResourceLimits)
        -> (handle :ProcessHandle, clients :List(Capability));
  # Starts the binary with exactly `grants` (copied from the caller) and
  # one fresh endpoint per `endpoints` entry, whose owner side the child
  # gets; `clients` holds the caller's client facets to those endpoints,
  # in order.  The handle is not transferable.
}

struct SpawnGrant {
  name @0 :Text;
  cap @1 :Capability;
}

struct EndpointSpec {
  name @0 :Text;
  # The name of the owner side in the child's CapSet.

  interfaceId @1 :UInt64;
  # The interface served on it; client facets carry this id.
}

interface ProcessHandle {
  wait @0 () -> (exitCode :Int32);
  # Completes when the process has exited (at once if it already has).
  # One waiter at a time.

  kill @1 () -> ();
}

interface Endpoint {
  # The owner side of an endpoint: RECV and RETURN ring operations, no
  # methods.  Client facets carry the served interface's id instead.
}

interface Echo {
  # A test service: answers with what it was sent.

  echo @0 (data :Data) -> (data :Data);

  useConsole @1 (console :Console, text :Text) -> ();
  # The service writes text through the Console cap it was handed.

  keep @2 (cap :Capability) -> ();
  # The service keeps the cap it was sent (for transfer tests).

  giveBack @3 () -> (cap :Capability);
  # The service returns (moves back) the cap it kept.

  bounce @4 (cap :Capability) -> (cap :Capability);
  # The service moves the cap it was sent straight back (one round trip
  # with a capability each way, for benchmarks).
}

interface Timer {
  # The monotonic clock: nanoseconds since boot.

  now @0 () -> (ns :UInt64);
  # The current time.

  sleep @1 (ns :UInt64) -> ();
  # Completes after at least ns nanoseconds; other calls go on meanwhile.
}

interface Null {
  # Does nothing: a CALL on it measures the ring and dispatch alone.

  ping @0 () -> ();
}

interface SystemInfo {
  # What the kernel can tell about the running system: read-only numbers
  # for monitoring and tests, authority over nothing.

  abiVersion @0 () -> (major :UInt16, minor :UInt16);
  # The kernel's ABI version (include/capos/version.h, docs/abi.md).

  memory @1 () -> (totalFrames :UInt64, freeFrames :UInt64);
  # Physical 4 KiB frames the kernel's allocator manages, and how many of
  # them are free now.

  uptime @2 () -> (ns :UInt64);
  # Nanoseconds since the clock was calibrated at boot (the clock
  # Timer.now reads).

  processCount @3 () -> (count :UInt32);
  # Processes alive now: started, and not yet ended.
}

interface ThreadSpawner {
  # Creates threads in the caller's own process.

  spawn @0 (entry :UInt64, arg :UInt64, stackTop :UInt64, tlsBase :UInt64)
        -> (handle :ThreadHandle);
  # A new thread of the caller's process, with a ring page of its own,
  # enters user mode at `entry` with the registers of the thread entry ABI
  # (docs/abi.md): RDI = its ring page, RSI = `arg`, RDX = its ring slot,
  # RSP = `stackTop`, FS base = `tlsBase`.  `entry` must be a user address,
  # `stackTop` a 16-byte aligned one, `tlsBase` a user address or 0; other
  # values are invalidArgument.  Over the process's
  # thread limit the call fails with CAPOS_E_QUOTA.  The handle is not
  # transferable.
}

interface ThreadHandle {
  join @0 () -> (exitValue :UInt64);
  # Completes when the thread has ended (at once if it already has), with
  # the value it passed to ThreadControl.exit.  One joiner at a time.
  # Releasing the handle detaches the thread: it runs on, and everything
  # it holds goes when it ends.
}

interface ThreadControl {
  # The calling thread's own controls; every process holds one, named
  # "thread" in its CapSet.

  setFsBase @0 (base :UInt64) -> ();
  # Sets the calling thread's FS base (its TLS pointer): a user address
  # or 0.

  exit @1 (value :UInt64) -> ();
  # Ends the calling thread with value (ThreadHandle.join's answer); the
  # thread takes no SQE after this one, and the call's CQE goes with its
  # ring (the thread never sees it).  The last thread to end ends the
  # process, with exit code 0; the exit system call instead ends the
  # whole process.
}

interface ParkSpace {
  # Futex-like waits on 32-bit words of the holder's own memory: the PARK
  # and UNPARK ring operations (docs/abi.md), no methods.  Waits are kept
  # per process, so a ParkSpace cap reaches only the words of the process
  # that uses it, wherever it came from.
}

enum PowerOffMethod {
  # How ShutdownControl.powerOff would turn the machine off.

  unavailable @0;
  # The firmware's ACPI tables gave no PM1a control port or no \_S5_
  # sleep type: powerOff fails.
  acpiS5 @1;
  # ACPI soft-off: SLP_TYPa | SLP_EN written to PM1a_CNT (and SLP_TYPb to
  # PM1b_CNT when there is one).
}

enum RebootMethod {
  # How ShutdownControl.reboot resets the machine (each falls back to the
  # next when the machine is still running after it).

  resetRegister @0;
  # The FADT's reset register (I/O space), then the keyboard controller.
  keyboardController @1;
  # Port 0x64 <- 0xfe, then a triple fault.
  tripleFault @2;
  # An empty IDT and an exception.
}

interface ShutdownControl {
  # Authority to stop the whole machine.  A process without this cap has
  # no way to power off or reset it; a manifest grants it only where a
  # shutdown is meant to be possible (docs/acpi.md).

  powerOff @0 () -> ();
  # Flushes the serial console and powers the machine off through ACPI
  # S5; under QEMU this ends QEMU with exit status 0.  It never answers
  # when it works.  Fails (`failed`) when power off is unavailable
  # (describe's powerOff is `unavailable`) or the machine is still on
  # 100 ms after the write; the machine then runs on.

  reboot @1 () -> ();
  # Flushes the serial console and resets the machine (RebootMethod); it
  # never answers.

  describe @2 () -> (powerOff :PowerOffMethod, reboot :RebootMethod,
                     acpiRevision :UInt8, pm1aControl :UInt16,
                     pm1bControl :UInt16, sleepTypeA :UInt8,
                     sleepTypeB :UInt8, cpus :UInt32, ioApics :UInt32,
                     interruptOverrides :UInt32);
  # What the kernel found in the ACPI tables and would use: the methods,
  # the RSDP's revision (0 with no tables), the PM1 control ports (0:
  # none), the \_S5_ sleep types, and the MADT's counts of CPUs, I/O
  # APICs and ISA interrupt overrides (0 when the MADT was unusable).
}
