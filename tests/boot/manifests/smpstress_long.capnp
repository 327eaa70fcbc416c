# SMP stress, the long version (`make stress-smp`; docs/testing.md, "The
# SMP matrix"): smpstress as in smpstress.capnp; the hostname
# "smpstress-long" tells it to run every case ten times as long.
@0x980611ee0fd469a4;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "smpstress", module = "smpstress")],
  initConfig = (init = "smpstress",
                initCaps = ["timer", "null", "sysinfo", "threads", "park",
                            "frames", "vm"]),
  kernelParams = (
    hostname = "smpstress-long",
    logLevel = warn,
    initLimits = (threads = 32),
  ),
);
