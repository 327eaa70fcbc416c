# SystemInfo's facts from kernelParams: sysinfo_params runs as init,
# reads this manifest through BootPackage and compares what SystemInfo
# answers with what the manifest says.
@0xc7d4e2a9b18f3065;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "sysinfo_params", module = "sysinfo_params")],
  initConfig = (init = "sysinfo_params", initCaps = ["sysinfo"]),
  kernelParams = (
    hostname = "params-host",
    motd = "Welcome to the SystemInfo test.\nA second line, and unicode: été.",
    logLevel = info,
  ),
);
