# Kernel IPC test: ipctest runs as init and drives ipc_echo servers
# through ProcessSpawner, endpoints and capability transfer.
@0xd3c1f8a29b6e4471;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "ipctest", module = "ipctest"),
    (name = "ipc_echo", module = "ipc_echo"),
  ],
  initConfig = (init = "ipctest", initCaps = ["timer", "null"]),
  kernelParams = (
    hostname = "ipctest",
    logLevel = info,
    # Small enough for ipctest to exhaust on purpose.
    defaultLimits = (outstandingCalls = 8),
  ),
);
