# LogSink / LogReader and the audit trail: logtest runs as init with the
# log level at warn, holding every log and audit cap, and spawns children
# with fewer: log_writer (a sink only), log_flooder (a sink, writing while
# logtest follows) and log_follower (a reader whose waits are cancelled).
@0xc4a1e07b93d25f18;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "logtest", module = "logtest"),
    (name = "log_writer", module = "log_writer"),
    (name = "log_flooder", module = "log_flooder"),
    (name = "log_follower", module = "log_follower"),
  ],
  initConfig = (
    init = "logtest",
    initCaps = ["log", "logread", "audit", "auditwrite"],
  ),
  kernelParams = (hostname = "logtest", logLevel = warn),
);
