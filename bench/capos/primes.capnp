# The SMP scaling benchmark's manifest (scripts/bench-smp.sh): primes runs
# as init, so it holds the spawner and starts its child processes (copies
# of itself); threads and park for its threads, timer for the wall time,
# null as the cap its children are granted under a name that says their
# share.
@0xb3f0c6d2a48e9157;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "primes", module = "primes"),
  ],
  initConfig = (init = "primes",
                initCaps = ["timer", "null", "threads", "park"]),
  kernelParams = (hostname = "primes", logLevel = info),
);
