# Leak soak: soak_long runs as init, spawns past the limits, cycles spawn+exit
# and IPC round trips; the supervisor compares every ledger before and
# after (docs/build-boot-test.md).
@0xc929a88af451b54f;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "soak_long", module = "soak_long"),
    (name = "ipc_echo", module = "ipc_echo"),
    (name = "nop", module = "nop"),
  ],
  initConfig = (init = "soak_long"),
  kernelParams = (hostname = "soak", logLevel = warn),
);
