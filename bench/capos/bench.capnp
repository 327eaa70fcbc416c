# The benchmark manifest: ringbench runs as init, so it holds the spawner
# and can start its IPC servers and its shared-memory peer (copies of
# itself), the nop program it measures and libcbench (the C library
# rows); frames and vm for the memory rows.
@0xe47b2d09c5a1f863;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "ringbench", module = "ringbench"),
    (name = "nop", module = "nop"),
    (name = "libcbench", module = "libcbench"),
  ],
  initConfig = (init = "ringbench",
                initCaps = ["timer", "null", "threads", "park", "frames", "vm"]),
  kernelParams = (hostname = "bench", logLevel = info),
);
