# ShutdownControl.reboot: reboottest runs as init holding the cap and
# resets the machine (QEMU -no-reboot: status 0).
@0xc4d2b7a9e1f35a08;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "reboottest", module = "reboottest"),
  ],
  initConfig = (init = "reboottest", initCaps = ["shutdown"]),
  kernelParams = (hostname = "reboottest", logLevel = info),
);
