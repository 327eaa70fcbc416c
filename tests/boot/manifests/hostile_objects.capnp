# Hostile kernel-object test: hostile_objects runs as init, holding
# BootPackage and ProcessSpawner, and spawns hostile_server (which abuses
# an endpoint's owner side) and ipc_echo (a server that never receives).
@0xe85b2f4c9a17d3b6;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "hostile_objects", module = "hostile_objects"),
    (name = "hostile_server", module = "hostile_server"),
    (name = "ipc_echo", module = "ipc_echo"),
  ],
  initConfig = (init = "hostile_objects", initCaps = ["timer", "null"]),
  kernelParams = (hostname = "hostile-objects", logLevel = info),
);
