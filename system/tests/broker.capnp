# The authority broker: brokertest asks it for sessions (anonymous, a
# login refused and accepted through the stand-in credential service
# credstub), reads their bundles, hands a bundle cap to a child and ends
# the session (user/tests/brokertest.c; KTEST ipc.broker.* lines).  Run
# by tests/boot/services.sh (manifest=broker).
@0xd4e8b2f6a1c39507;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "credstub", module = "credstub"),
    (name = "broker", module = "broker"),
    (name = "brokertest", module = "brokertest"),
    (name = "revoke_child", module = "revoke_child"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["capmgr", "null", "timer", "sysinfo", "auditwrite", "audit"],
    services = [
      (name = "credstub", binary = "credstub",
       exports = [(name = "credentials", interface = "CredentialStore")]),
      (name = "broker", binary = "broker", awaitReady = true,
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "bootpkg", interface = "BootPackage",
          source = (kernel = "bootpkg")),
         (name = "capmgr", interface = "CapabilityManager",
          source = (kernel = "capmgr")),
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
         (name = "auditwrite", interface = "AuditWriter",
          source = (kernel = "auditwrite")),
         (name = "credentials", interface = "CredentialStore",
          source = (import = (service = "credstub", export = "credentials"))),
         (name = "null", interface = "Null", source = (kernel = "null")),
         (name = "sysinfo", interface = "SystemInfo",
          source = (kernel = "sysinfo")),
       ],
       exports = [(name = "broker", interface = "AuthorityBroker")]),
      (name = "brokertest", binary = "brokertest",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "audit", interface = "AuditLog", source = (kernel = "audit")),
         (name = "broker", interface = "AuthorityBroker",
          source = (import = (service = "broker", export = "broker"))),
         (name = "launcher", interface = "ProcessSpawner",
          source = (launcher = ["revoke_child"])),
       ]),
    ],
  ),
  kernelParams = (hostname = "broker-test", logLevel = info),
  profiles = [
    (name = "anonymous", caps = [
      (name = "info", source = "sysinfo"),
      (name = "null", source = "null"),
    ]),
    (name = "operator", caps = [
      (name = "info", source = "sysinfo"),
      (name = "null", source = "null"),
      (name = "clock", source = "timer"),
    ]),
  ],
);
