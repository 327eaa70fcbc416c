# Generated dispatch in the guest: rpctest runs as init and calls a
# TestDerived server (rpc_server) through TestBase and TestDerived ids.
@0x902d6505f1239f58;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "rpctest", module = "rpctest"),
    (name = "rpc_server", module = "rpc_server"),
    (name = "rpc_lookup", module = "rpc_lookup"),
  ],
  initConfig = (init = "rpctest"),
  kernelParams = (hostname = "rpctest", logLevel = info),
);
