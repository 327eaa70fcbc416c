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

  accounts @4 :List(Account);
  # Local credentials, read by the credential service through its
  # BootPackage (docs/sessions.md).  Verifiers only, never passwords.
  # None: the first `setup` at the shell makes the operator.

  profiles @5 :List(SessionProfile);
  # What a session of each profile is given by the authority broker,
  # which reads them through its BootPackage.
}

struct Account {
  name @0 :Text;
  # The username: 1 to 32 bytes of [a-z0-9_-].

  verifier @1 :Text;
  # An Argon2id verifier ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), as
  # tools/mkverifier or crypto_pwhash_str makes it.

  profile @2 :Text;
  # The SessionProfile a login as this account gets ("operator").
}

struct SessionProfile {
  name @0 :Text;
  # "anonymous" is the profile of a session nobody logged in to.

  caps @1 :List(ProfileCap);
  # The session's bundle, in this order (at most 32).
}

struct ProfileCap {
  name @0 :Text;
  # The name in the session's bundle ("shutdown").

  source @1 :Text;
  # The broker's own CapSet entry the bundle's cap is issued from; the
  # interface is that entry's.
}

struct BinaryEntry {
  # A service binary, delivered as its own boot module.

  name @0 :Text;
  # The name services and initConfig refer to.

  module @1 :Text;
  # The boot module holding the ELF image.

  expects @2 :List(ExpectedCap);
  # The caps the program looks up, by CapSet name and interface (at most
  # 16).  A spawn that grants one of these names a cap of another
  # interface is refused before the program starts (the shell shows
  # why); names not listed here are not checked.
}

struct ExpectedCap {
  name @0 :Text;
  interface @1 :Text;
  # By schema name ("StdIO"); a cap of an interface that extends it will
  # do.
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

  awaitReady @7 :Bool;
  # The service reports when it serves: init gives it an endpoint named
  # "ready", calls ServiceReady.ready on it, and starts the services
  # listed after it only once the call is answered (capos_service_ready
  # in libcapos).  Needs "timer" in initConfig.initCaps.

  readyTimeoutMs @8 :UInt32;
  # How long an instance of an awaitReady service has to report ready
  # (0: 5000 ms).  Past it init kills the instance, and the restart
  # policy decides what follows.
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

    launcher @5 :List(Text);
    # A ProcessSpawner that starts only these binaries of the manifest
    # (ProcessSpawner.narrow of init's own): interface "ProcessSpawner".
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

  virtualPages @5 :UInt32;
  # Pages of address space the process may hold reserved or mapped
  # through VirtualMemory at once (docs/memory.md); a child's is at most
  # its parent's.
}

struct KernelParams {
  hostname @0 :Text;
  motd @1 :Text;
  logLevel @2 :LogLevel = info;
  # What LogSink keeps: records below this level are filtered.
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

  narrow @1 (binaries :List(Text)) -> (spawner :ProcessSpawner);
  # A new spawner that starts only the named binaries (at most 16): a
  # launcher to hand on, narrower than this one.  Every name must be one
  # this spawner may start (any, for the kernel's own); otherwise, or with
  # too many or malformed names, invalidArgument.  A spawn of any other
  # binary through the new spawner is invalidArgument too.
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

interface ServiceReady {
  # Served by a service on the "ready" endpoint init gives it when its
  # manifest entry says awaitReady; only init holds the client facet.

  ready @0 () -> ();
  # Answered once the service serves what it exports.
}

interface ProcessHandle {
  wait @0 () -> (exitCode :Int32);
  # Completes when the process has exited (at once if it already has).
  # One waiter at a time.

  kill @1 () -> ();
}

interface Endpoint {
  # The owner side of an endpoint: RECV and RETURN ring operations, and
  # the one method below.  Client facets carry the served interface's id
  # instead.

  client @0 (interfaceId :UInt64, badge :UInt64) -> (client :Capability);
  # A new client facet of this endpoint that carries interfaceId (a typed
  # facet) and badge: a server that serves several interfaces on one
  # endpoint hands each client the facet of the interface it is meant to
  # use, and tells objects apart by badge (a session per badge).  Every
  # call through the facet, or a copy of it, arrives with the badge in
  # its RECV header (capos_recv_header.badge); the facets made with the
  # endpoint have badge 0.  Calls through it reach this endpoint like any
  # other client's and end the same way when the endpoint goes.
  # interfaceId 0 is invalidArgument.
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

  hostname @4 () -> (hostname :Text);
  # The boot manifest's kernelParams.hostname; "capos" when it names
  # none (or no manifest was loaded).

  motd @5 () -> (motd :Text);
  # The boot manifest's kernelParams.motd (message of the day); empty
  # when it names none.

  version @6 () -> (version :Text);
  # The kernel's name, release and architecture, "capOS 0.1.0 (x86_64)"
  # as the boot banner prints it.

  bootTime @7 () -> (unixNs :Int64, provenance :ClockProvenance);
  # The wall-clock time (WallClock) at which uptime was 0, and where that
  # clock's time comes from.  Setting the clock (ClockDiscipline) moves
  # it: bootTime + uptime is always WallClock.now.
}

enum ClockProvenance {
  # Where WallClock's time comes from.

  unset @0;
  # Nothing told the kernel the time: the clock counts from the Unix
  # epoch at boot, as if the machine had started on 1970-01-01.

  rtc @1;
  # Read from the CMOS real-time clock at boot (taken to hold UTC), an
  # untrusted source: anyone with the machine's firmware setup can set it.

  setByOperator @2;
  # Set through ClockDiscipline by the holder of that capability.
}

interface WallClock {
  # UTC time, read from the real-time clock once at boot and advancing
  # with the monotonic clock (Timer.now) from then on.  Reading it is
  # authority over nothing; changing it takes ClockDiscipline.

  now @0 () -> (unixNs :Int64, provenance :ClockProvenance);
  # Nanoseconds since 1970-01-01 00:00 UTC (leap seconds not counted),
  # and where the time comes from.
}

interface ClockDiscipline {
  # The authority to set the wall clock, held apart from WallClock so a
  # reader cannot change the time other programs see.  Granted on
  # request: only a manifest that names it (an operator's bundle) gets it.

  set @0 (unixNs :Int64) -> ();
  # Sets WallClock to unixNs now; its provenance becomes setByOperator.
  # A time before 1970 (negative) is invalidArgument.
}

enum EntropySeed {
  # Where the kernel's random generator took its seed from.

  jitterOnly @0;
  # Timer jitter (TSC deltas) alone: the CPU has neither RDSEED nor
  # RDRAND, or they kept failing.

  rdrand @1;
  # The CPU's RDRAND generator, with timer jitter.

  rdseed @2;
  # The CPU's RDSEED entropy source, with timer jitter.
}

interface EntropySource {
  # Random bytes from the kernel's generator: ChaCha20 (RFC 8439) keyed
  # from RDSEED or RDRAND and timer jitter, its key replaced by its own
  # output after every request (so bytes already given cannot be
  # recomputed from a later state) and reseeded periodically.

  getBytes @0 (count :UInt32) -> (data :Data);
  # count random bytes, at most 256 per call; more is invalidArgument.

  info @1 () -> (seededFrom :EntropySeed, reseeds :UInt64);
  # The strongest source the current key was seeded from, and how many
  # times the generator has been (re)seeded since boot.
}

struct LogRecord {
  # One record of the kernel log ring (docs/system-services.md).

  seq @0 :UInt64;
  # Its place in the log: numbers never repeat, and a reader's cursor is
  # the next one it wants.

  monoNs @1 :UInt64;
  # Timer.now when it was written.

  wallNs @2 :Int64;
  # WallClock.now when it was written.

  level @3 :LogLevel;

  pid @4 :UInt64;
  # Its writer, set by the kernel from the caller: 0 is the kernel.

  source @5 :Text;
  # The writer's process name, set by the kernel ("kernel" for pid 0).

  text @6 :Text;
}

interface LogSink {
  # Writes to the kernel log ring as the calling process: the kernel sets
  # each record's pid, source name and times, so a writer cannot pass for
  # another.

  write @0 (level :LogLevel, text :Text) -> (stored :Bool);
  # Appends a record, unless its level is below the manifest's
  # kernelParams.logLevel: then it is counted as filtered and `stored` is
  # false.  Text of 1 to 119 bytes without a NUL; other text, or a level
  # outside the enum, is invalidArgument.  When the ring is full the oldest
  # record is dropped (and counted).
}

interface LogReader {
  # Reads the kernel log ring: the kernel's own lines (pid 0) and every
  # LogSink's records, oldest first.

  read @0 (cursor :UInt64, max :UInt32)
       -> (records :List(LogRecord), next :UInt64, lost :UInt64);
  # The records from `cursor` on: at most `max`, at most 16, and no more
  # than fit in one 4 KiB answer.  `next` is the cursor to read on from.
  # A cursor older than the oldest record kept resumes at the oldest, and
  # `lost` says how many records it missed; a cursor beyond the newest
  # record's next is invalidArgument.  Cursor 0 reads from the start.

  follow @1 (cursor :UInt64) -> (next :UInt64);
  # Waits until a record with a sequence number at or after `cursor` is
  # in the ring, then answers the ring's next sequence number.  Answers at
  # once when there is one already.  A wait is cancelled (CQE cancelled)
  # when its cap is released or its process ends.  A cursor beyond the
  # ring's next is invalidArgument.

  stats @2 () -> (next :UInt64, oldest :UInt64, dropped :UInt64,
                  filtered :UInt64, level :LogLevel);
  # The next sequence number, the oldest kept, records dropped to make
  # room, records refused for their level (a sink's or the kernel's own
  # lines), and that level.
}

enum AuditEvent {
  # What an audit record is about.  The kernel writes spawn itself; the
  # others are written through an AuditWriter by the services that decide
  # them (the session broker, login, the shutdown service).

  spawn @0;
  # A ProcessSpawner.spawn succeeded: its writer spawned `detail`'s child
  # with the grant names listed there.

  sessionIssued @1;
  sessionRevoked @2;
  loginSuccess @3;
  loginFailure @4;
  shutdownRequested @5;

  accountCreated @6;
  # CredentialStore.setup made an account (docs/sessions.md).
}

struct AuditRecord {
  seq @0 :UInt64;
  monoNs @1 :UInt64;
  wallNs @2 :Int64;
  event @3 :AuditEvent;

  pid @4 :UInt64;
  # Who caused it, set by the kernel (the spawning process, the writer).

  source @5 :Text;
  # That process's name.

  detail @6 :Text;
  # For spawn: "name=CHILD pid=N binary=BIN grants=a,b,c".
}

interface AuditLog {
  # Reads the audit trail: security events, append-only (nobody can edit
  # or remove a record; a full trail drops its oldest, counted as lost by
  # a reader behind it).

  read @0 (cursor :UInt64, max :UInt32)
       -> (records :List(AuditRecord), next :UInt64, lost :UInt64);
  # As LogReader.read.
}

interface AuditWriter {
  # Appends to the audit trail, as the calling process (the kernel sets
  # the record's pid and source).

  record @0 (event :AuditEvent, detail :Text) -> ();
  # Detail of 1 to 119 bytes without a NUL; other detail, or an event
  # outside the enum, is invalidArgument.  `spawn` is the kernel's alone:
  # invalidArgument here.
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

interface FrameAllocator {
  # Physical memory as capabilities (docs/memory.md).  Physical addresses
  # never reach the holder.

  allocate @0 (pages :UInt32) -> (object :MemoryObject);
  # A new MemoryObject of `pages` zeroed frames, charged to the caller's
  # frame budget until the object is gone.  0 pages, or more than
  # MemoryObject can hold, is invalidArgument; over the caller's frame
  # limit the call fails with CAPOS_E_QUOTA; when the machine has no
  # frames left it is the exception overloaded.
}

interface MemoryObject {
  # Frames owned by the kernel, mapped through VirtualMemory.map into any
  # number of address spaces (shared memory).  Transferable (copy, move).
  # The frames are freed when the last cap is released and the last
  # mapping unmapped.

  info @0 () -> (pages :UInt32, size :UInt64);
  # Its size in pages and in bytes.
}

enum Protection {
  # What user code may do with a page; never write and execute together.

  none @0;
  read @1;
  readWrite @2;
  readExecute @3;
}

interface VirtualMemory {
  # The caller's own address space: reservations in the heap window
  # [CAPOS_USER_HEAP_BASE, CAPOS_USER_HEAP_END), committed anonymous
  # pages, and mappings of MemoryObjects (docs/memory.md).  Addresses are
  # page aligned; counts are pages.  Bad arguments (unaligned, outside the
  # window, overlapping, nothing there) are invalidArgument; over the
  # caller's frame or virtualPages limit, or with its region slots full,
  # the call fails with CAPOS_E_QUOTA and nothing changed.

  reserve @0 (pages :UInt64, addr :UInt64) -> (addr :UInt64);
  # Reserves `pages` pages of address space, no frames: at addr, or where
  # the kernel finds room when addr is 0.  Touching a reserved page that
  # is not committed ends the process.

  commit @1 (addr :UInt64, pages :UInt64) -> ();
  # Gives each uncommitted page of the range (which must lie inside one
  # reservation) a zeroed frame now, read-write; committed pages keep
  # their contents.  Frames are charged before anything is mapped.

  decommit @2 (addr :UInt64, pages :UInt64) -> ();
  # Frees the frames of the range (inside one reservation); it stays
  # reserved, and a later commit reads zero again.

  map @3 (object :MemoryObject, addr :UInt64, prot :Protection)
      -> (addr :UInt64);
  # Maps the whole object at addr (0: where the kernel finds room).  The
  # mapping holds the object: releasing the cap leaves it valid until
  # unmap.  `object` must be a MemoryObject sent with the call.

  unmap @4 (addr :UInt64, pages :UInt64) -> ();
  # Removes every reservation and mapping inside the range, each of which
  # must lie wholly inside it (at least one).  Committed frames are freed;
  # a mapped object loses this mapping only.

  protect @5 (addr :UInt64, pages :UInt64, prot :Protection) -> ();
  # Changes what user code may do with the range, every page of which
  # must be committed or mapped from an object.

  access @6 (addr :UInt64, length :UInt64)
      -> (readable :Bool, writable :Bool);
  # Whether user code may read, and write, every byte of [addr, addr +
  # length) now without a fault: anywhere in the user half, any
  # alignment, any length up to CAPOS_VM_ACCESS_MAX (64 MiB; more is
  # invalidArgument), 0 being both.  A demand-zero page counts, and
  # is given its frame, as a first touch would; a reserved page not
  # committed does not.  What a library checks a pointer it was handed
  # against before touching it (the C library's EFAULT, docs/libc.md).
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

interface SerialPort {
  # The serial port's raw byte stream (COM1), for the one program that
  # runs the terminal on it (docs/system-services.md, "Terminal").  The
  # kernel's own console output keeps going to the same port.
  #
  # The input belongs to one process at a time: the first to read claims
  # it, and a read from any other process is refused (`failed`) until the
  # owner has released every cap to the port or exited.  Input that
  # arrived for a previous owner is discarded when the claim passes on.

  read @0 (max :UInt32, timeoutNs :UInt64) -> (data :Data);
  # Up to max bytes (at most 1024) of input, oldest first.  Answers at once
  # when input is waiting; otherwise when the first byte arrives or
  # timeoutNs has passed (then with no data; 0 answers at once).  One read
  # waits at a time (`overloaded` for a second); releasing the cap cancels
  # it.  max 0 is `invalidArgument`.

  write @1 (data :Data) -> ();
  # Writes the bytes as they are (no newline translation), at most 4096.

  stats @2 () -> (received :UInt64, dropped :UInt64, buffered :UInt32,
                  owner :UInt64);
  # Bytes received, bytes lost (the UART's overruns), bytes waiting, and
  # the owner's process id (0: none).
}

enum TerminalEvent {
  # How a TerminalSession.readLine ended.
  line @0;
  # Enter: the line is the text.
  interrupt @1;
  # Ctrl-C: the line typed so far is dropped.
  endOfInput @2;
  # Ctrl-D on an empty line.
}

interface TerminalSession {
  # A line-oriented terminal, served by the terminal service on the
  # serial port: line editing, history, echo on or off
  # (docs/system-services.md, "Terminal").

  readLine @0 (echo :Bool) -> (line :Text, event :TerminalEvent);
  # Reads one edited line (without its end).  Backspace and DEL erase
  # before the cursor, Ctrl-U kills the line, the left and right arrows
  # move the cursor (typing inserts), the up and down arrows walk the
  # history of recent lines.  With echo false nothing typed is shown, not
  # even a placeholder (password entry), and the line joins no history.

  write @1 (data :Data) -> ();
  # Writes the bytes to the terminal, at most 4096.

  stdio @2 () -> (stdio :StdIO);
  # A StdIO facet of this terminal (Endpoint.client, badge 0), to hand
  # to a child program as its standard input and output.

  watchInterrupt @3 () -> (interrupted :Bool);
  # Answers true when Ctrl-C is typed while no readLine is in progress
  # (the key is then not given to any StdIO reader, and a StdIO.read
  # waiting for input fails `disconnected`), false once stopWatch is
  # called.  One watch at a time (`overloaded` for a second).  The shell
  # watches while a program runs in the foreground.

  stopWatch @4 () -> ();
  # Ends the pending watch (it answers false); nothing when none is.
}

interface StdIO {
  # A plain byte stream for a child program, served by the terminal
  # service: what the program writes is shown, what is typed is read.

  read @0 (max :UInt32) -> (data :Data);
  # Up to max bytes (at most 1024) of input, as typed (no editing);
  # waits for at least one.

  write @1 (data :Data) -> ();
  # Writes the bytes, at most 4096.
}

interface CapabilityManager {
  # Makes revocable capabilities (docs/kernel-objects.md): the authority
  # broker issues a session's bundle through it, so that ending the
  # session takes every copy of every cap it gave back.

  revocable @0 (cap :Capability) -> (cap :Capability, revoker :Revoker);
  # A forwarder to `cap` of the same interface: calls through it, and
  # through every copy of it anywhere, reach `cap` until the revoker's
  # revoke; after that they fail `disconnected`.  The forwarder is
  # copyable when `cap` is; an endpoint's owner side, a process handle or
  # another non-transferable cap is invalidArgument.
}

interface Revoker {
  # The revoking half of CapabilityManager.revocable; not transferable.

  revoke @0 () -> ();
  # Disconnects the forwarder for good (again: nothing).  Calls already
  # forwarded finish as the object answers them.
}

interface CredentialStore {
  # The credential service (docs/sessions.md): holds the accounts'
  # Argon2id verifiers, read from the manifest, and the one made by
  # setup.  Nobody else sees a verifier.

  verify @0 (user :Text, password :Text) -> (profile :Text);
  # The account's profile when the password is right.  Otherwise, after a
  # delay (1 s), `failed` with "incorrect username or password" (the same
  # for an unknown user); every try is audited (loginSuccess,
  # loginFailure).

  hasAccounts @1 () -> (any :Bool);
  # Whether any account exists (setup is possible only when none does).

  setup @2 (user :Text, password :Text) -> ();
  # Creates the first account, of profile "operator", when none exists
  # (`failed` otherwise).  A username as Account.name; a password of 8 to
  # 128 bytes.
}

struct BundleCap {
  name @0 :Text;
  # The bundle name (ProfileCap.name).

  interfaceId @1 :UInt64;
  cap @2 :Capability;
}

interface Session {
  # One session of the authority broker: who, which profile, and the
  # bundle of caps issued for it.

  info @0 () -> (id :UInt64, user :Text, profile :Text, startedNs :UInt64);
  # user is "anonymous" for an anonymous session; startedNs is the
  # monotonic time it began.

  caps @1 () -> (caps :List(BundleCap));
  # The bundle: revocable forwarders (CapabilityManager), in the
  # profile's order.  Fails `disconnected` once the session has ended.

  end @2 () -> ();
  # Ends the session: every bundle cap, and every copy of one held by
  # any program, is revoked (audited sessionRevoked).  Releasing the last
  # Session cap ends it too.
}

interface AuthorityBroker {
  # Issues sessions (docs/sessions.md).  The broker holds the caps the
  # profiles name; it asks the credential service to check passwords and
  # never keeps one.

  anonymous @0 () -> (session :Session);
  # A session of profile "anonymous".

  login @1 (user :Text, password :Text) -> (session :Session);
  # A session of the account's profile, when CredentialStore.verify
  # accepts; its failure otherwise.  Audited sessionIssued.

  setup @2 (user :Text, password :Text) -> (session :Session);
  # CredentialStore.setup, then a login as that account.
}

interface LoginOutcome {
  # Served by the login program to the shell that started it.

  session @0 () -> (session :Session, user :Text);
  # Asks for a username and a hidden password and logs in
  # (AuthorityBroker.login).  Answered when the dialogue ends: the new
  # session, or `failed` with the reason to show (wrong password, input
  # ended, Ctrl-C).

  setup @1 () -> (session :Session, user :Text);
  # The same for the first account: a username and a password asked
  # twice, then AuthorityBroker.setup.
}
