# The credential service (user/services/credentials.c) with one account,
# "operator", whose verifier the build made from the fixture password
# system/tests/operator.password (mk/system.mk writes
# build/system/gen/test_accounts.capnp).  credtest checks verify,
# hasAccounts, setup and the audit records (KTEST ipc.cred.accounts.*);
# tests/boot/services.sh boots it with manifest=credentials.
@0xb1d4e6f80a2c3e51;

using Capos = import "/capos.capnp";
using Accounts = import "/test_accounts.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "credentials", module = "credentials"),
    (name = "credtest", module = "credtest"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer", "entropy", "vm", "audit", "auditwrite", "sysinfo"],
    services = [
      (name = "credentials", binary = "credentials",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "bootpkg", interface = "BootPackage", source = (kernel = "bootpkg")),
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
         (name = "entropy", interface = "EntropySource", source = (kernel = "entropy")),
         (name = "vm", interface = "VirtualMemory", source = (kernel = "vm")),
         (name = "auditwrite", interface = "AuditWriter", source = (kernel = "auditwrite")),
       ],
       exports = [(name = "credentials", interface = "CredentialStore")],
       awaitReady = true,
       # Argon2id's 19 MiB, the program and the manifest while it is read.
       limits = (frames = 8192)),
      (name = "credtest", binary = "credtest",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
         (name = "audit", interface = "AuditLog", source = (kernel = "audit")),
         (name = "sysinfo", interface = "SystemInfo", source = (kernel = "sysinfo")),
         (name = "credentials", interface = "CredentialStore",
          source = (import = (service = "credentials", export = "credentials"))),
       ]),
    ],
  ),
  accounts = [Accounts.operator],
  profiles = [(name = "anonymous"), (name = "operator")],
  kernelParams = (hostname = "cred-accounts", logLevel = info),
);
