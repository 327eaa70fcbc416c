# The kernel's IPC fast path: ipcfast runs as init and calls an ipc_echo
# serving raw (endpoint "fast"), on the fast path and off it.
@0x9e3c6b1d57a2f804;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "ipcfast", module = "ipcfast"),
    (name = "ipc_echo", module = "ipc_echo"),
  ],
  initConfig = (init = "ipcfast"),
  kernelParams = (hostname = "ipcfast", logLevel = info),
);
