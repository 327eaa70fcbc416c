# SMP stress (docs/testing.md, "The SMP matrix"): smpstress runs as init
# and races threads of one process on one endpoint (served by several
# threads of a copy of itself), one cap table and one MemoryObject, and
# kills another copy while its threads spin; every ledger back at its
# baseline after each case.  Booted at -smp 1, 2 and 4 by tests/boot/smp.sh.
@0xbd0ef0055a638a99;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "smpstress", module = "smpstress")],
  initConfig = (init = "smpstress",
                initCaps = ["timer", "null", "sysinfo", "threads", "park",
                            "frames", "vm"]),
  kernelParams = (
    hostname = "smpstress",
    logLevel = warn,
    # A thread limit the ledger probe fills in a few dozen starts.
    initLimits = (threads = 32),
  ),
);
