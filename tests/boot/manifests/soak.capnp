# Leak soak: soak runs as init, spawns past the limits, cycles spawn+exit
# and IPC round trips; the supervisor compares every ledger before and
# after (docs/build-boot-test.md).
@0xcd29d2270c9bc705;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "soak", module = "soak"),
    (name = "ipc_echo", module = "ipc_echo"),
    (name = "nop", module = "nop"),
  ],
  initConfig = (init = "soak"),
  kernelParams = (hostname = "soak", logLevel = warn),
);
