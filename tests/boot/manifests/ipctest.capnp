# Kernel IPC test: ipctest runs as init and drives ipc_echo servers
# through ProcessSpawner, endpoints and capability transfer.
@0xd3c1f8a29b6e4471;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "ipctest", module = "ipctest"),
    (name = "ipc_echo", module = "ipc_echo"),
    (name = "quota_child", module = "quota_child"),
    (name = "nop", module = "nop"),
    (name = "thread_victim", module = "thread_victim"),
    (name = "grant_child", module = "grant_child"),
  ],
  initConfig = (init = "ipctest", initCaps = ["timer", "null", "threads"]),
  kernelParams = (
    hostname = "ipctest",
    logLevel = info,
    # Small enough for ipctest to exhaust on purpose.
    initLimits = (outstandingCalls = 8, threads = 8),
  ),
);
