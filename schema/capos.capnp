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
  # encoded at build time by the reference `capnp` tool.

  schemaVersion @0 :UInt32;
  binaries @1 :List(BinaryEntry);
  initConfig @2 :InitConfig;
  kernelParams @3 :KernelParams;
}

struct BinaryEntry {
  # A service binary, delivered as its own boot module.

  name @0 :Text;
  module @1 :Text;
}

struct InitConfig {
  init @0 :Text;
  # Name of the BinaryEntry the kernel starts as init.
}

struct KernelParams {
  hostname @0 :Text;
  motd @1 :Text;
  logLevel @2 :LogLevel;
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
