# Memory capabilities: memtest runs as init, holding ProcessSpawner and
# the kernel caps frames, vm and sysinfo, and spawns mem_peer (sharing
# and an object that outlives its creator), mem_fault (one fault each)
# and mem_hostile (every method abused, small limits).
@0xf592f19155ef7787;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "memtest", module = "memtest"),
    (name = "mem_peer", module = "mem_peer"),
    (name = "mem_fault", module = "mem_fault"),
    (name = "mem_hostile", module = "mem_hostile"),
  ],
  initConfig = (init = "memtest",
                initCaps = ["frames", "vm", "sysinfo", "timer"]),
  kernelParams = (hostname = "memtest", logLevel = info),
);
