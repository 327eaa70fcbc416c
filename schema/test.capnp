# Test-only interfaces: what the in-guest tests and the host tests of
# generated dispatch call (lib/rpc, tests/rpc, user/tests).  Nothing in the
# system serves them outside tests.  The file id is fixed, as capos.capnp's.
@0xa24cd66f9c7eaf0f;

using Capos = import "/capos.capnp";

interface TestBase {
  # A base interface, answered through every interface that extends it.

  ping @0 () -> ();

  add @1 (a :UInt32, b :UInt32) -> (sum :UInt32);
}

interface TestDerived extends(TestBase) {
  # Extends TestBase: its own methods are numbered from 0 again.

  twice @0 (n :UInt64) -> (n :UInt64);

  tag @1 (text :Text) -> (tag :Text, ordinal :UInt16);
  # Answers with the text back and the ordinal the server saw.
}

interface TestLeaf extends(TestDerived) {
  # A third level, for dispatch through two superclasses.

  leaf @0 () -> (depth :UInt8);
}

interface IpcEcho extends(Capos.Echo) {
  # What the ipc_echo test server answers besides Echo (ipctest).

  exit @0 () -> ();
  # Exits with code 7, never answering.

  hang @1 () -> ();
  # Never answers.

  touch @2 () -> ();
  # Writes to 1 MiB of demand-zero bss (a frame-limit test).

  dropOwner @3 () -> ();
  # Leaves two RECVs waiting, drops the endpoint and exits with 20 when
  # both RECVs were cancelled (21 otherwise), never answering.

  bundle @4 (caps :List(Capability)) -> (caps :List(Capability));
  # Moves every cap sent with the call back as result caps, in the order
  # they came: a bundle of caps both ways (up to CAPOS_XFER_MAX).

  stall @5 (ns :UInt64) -> ();
  # Waits ns nanoseconds (a cap_enter that times out), then answers: a
  # caller can go away meanwhile, and the server's RETURN then fails.
}
