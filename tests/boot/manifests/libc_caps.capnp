# The C library without caps: libc_caps runs as init holding every
# service cap, then starts copies of itself with fewer grants, each
# checking the errno every missing cap gives.
@0xc4e1b7a9d3f25068;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "libc_caps", module = "libc_caps"),
  ],
  initConfig = (
    init = "libc_caps",
    initCaps = ["timer", "vm", "wallclock", "entropy", "threads", "park",
                "sysinfo", "log"],
  ),
  kernelParams = (hostname = "libc-caps", logLevel = info),
);
