# ShutdownControl: shutdowntest runs as init holding the cap, starts a
# copy of itself without it, then powers the machine off (QEMU status 0).
@0xe5a7c3d19b2f4c61;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "shutdowntest", module = "shutdowntest"),
  ],
  initConfig = (init = "shutdowntest", initCaps = ["shutdown"]),
  kernelParams = (hostname = "shutdowntest", logLevel = info),
);
