# Manifests for the lib/manifest host tests (tests/manifest/manifest_test.c).
# Every `const NAME :Capos.SystemManifest` is encoded at test-build time
# with `capnp eval -I schema -b tests/manifest/cases.capnp NAME` into
# build/manifest-tests/NAME.bin; the test expects `good*` to pass and each
# other one to be refused with its own message.  The reference encoder
# accepts all of them: they are well-typed, only their graph is wrong.
@0xe1b6a7f0c2d94a53;

using Capos = import "/capos.capnp";

const bins :List(Capos.BinaryEntry) = [
  (name = "init", module = "init"),
  (name = "echo_server", module = "echo_server"),
  (name = "echo_client", module = "echo_client"),
];

const console :Capos.GrantConfig =
  (name = "console", interface = "Console", source = (kernel = "console"));

const serverExport :List(Capos.ExportConfig) =
  [(name = "echo", interface = "Echo")];

# --- accepted ----------------------------------------------------------------

# A launcher: init's spawner narrowed to binaries of the manifest.
const goodLauncher :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "shell", binary = "echo_client", grants = [
      (name = "launcher", interface = "ProcessSpawner",
       source = (launcher = ["echo_server", "echo_client"])),
    ]),
  ]),
);

# A chain server <- middle <- client, kernel caps, an endpoint grant and
# a second export; everything resolves.
const good :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (
    init = "init",
    initCaps = ["timer", "null", "sysinfo"],
    services = [
      (name = "server", binary = "echo_server", exports = .serverExport,
       restart = onFailure),
      (name = "middle", binary = "echo_server",
       grants = [
         .console,
         (name = "upstream", interface = "Echo",
          source = (import = (service = "server", export = "echo"))),
         (name = "private", interface = "Echo", source = (endpoint = void)),
       ],
       exports = [(name = "echo", interface = "Echo"),
                  (name = "log", interface = "Console")]),
      (name = "client", binary = "echo_client",
       grants = [
         .console,
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
         (name = "null", interface = "Null", source = (kernel = "null")),
         (name = "a", interface = "Echo",
          source = (import = (service = "server", export = "echo"))),
         (name = "b", interface = "Echo",
          source = (import = (service = "middle", export = "echo"))),
         (name = "log", interface = "Console",
          source = (import = (service = "middle", export = "log"))),
         (name = "info", interface = "SystemInfo",
          source = (kernel = "sysinfo")),
       ],
       expectExit = 3),
    ],
  ),
);

# No services at all is a valid (if idle) system.
const goodEmpty :Capos.SystemManifest = (
  schemaVersion = 1, binaries = .bins, initConfig = (init = "init"));

# Exactly 8 grants is the limit, not past it.
const goodEightGrants :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "c", binary = "echo_client", grants = [
      (name = "g1", interface = "Console", source = (kernel = "console")),
      (name = "g2", interface = "Console", source = (kernel = "console")),
      (name = "g3", interface = "Console", source = (kernel = "console")),
      (name = "g4", interface = "Console", source = (kernel = "console")),
      (name = "g5", interface = "Console", source = (kernel = "console")),
      (name = "g6", interface = "Console", source = (kernel = "console")),
      (name = "g7", interface = "Console", source = (kernel = "console")),
      (name = "g8", interface = "Console", source = (kernel = "console")),
    ]),
  ]),
);

# --- refused -----------------------------------------------------------------

const badVersion :Capos.SystemManifest = (
  schemaVersion = 2, binaries = .bins, initConfig = (init = "init"));

const noVersion :Capos.SystemManifest = (
  binaries = .bins, initConfig = (init = "init"));

const initMissing :Capos.SystemManifest = (
  schemaVersion = 1, binaries = .bins, initConfig = (init = "sbin_init"));

const duplicateBinary :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", module = "init"),
              (name = "init", module = "init2")],
  initConfig = (init = "init"));

const binaryNoModule :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", module = "init"), (name = "lonely")],
  initConfig = (init = "init"));

const missingBinary :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server", exports = .serverExport),
    (name = "ghost", binary = "no_such_program"),
  ]),
);

const duplicateService :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server", exports = .serverExport),
    (name = "server", binary = "echo_client"),
  ]),
);

const unnamedService :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [(binary = "echo_server")]),
);

const longName :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "a_grant_name_that_is_far_too_long", interface = "Console",
       source = (kernel = "console")),
    ]),
  ]),
);

# A forward reference: client imports server, listed after it, and server
# imports nothing back.
const forwardImport :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "echo", interface = "Echo",
       source = (import = (service = "server", export = "echo"))),
    ]),
    (name = "server", binary = "echo_server", exports = .serverExport),
  ]),
);

# a imports from b, b imports from a.
const cycle :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "a", binary = "echo_server", exports = .serverExport, grants = [
      (name = "peer", interface = "Echo",
       source = (import = (service = "b", export = "echo"))),
    ]),
    (name = "b", binary = "echo_server", exports = .serverExport, grants = [
      (name = "peer", interface = "Echo",
       source = (import = (service = "a", export = "echo"))),
    ]),
  ]),
);

# a -> c -> b -> a, found through a service listed later.
const cycle3 :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "a", binary = "echo_server", exports = .serverExport, grants = [
      (name = "up", interface = "Echo",
       source = (import = (service = "c", export = "echo"))),
    ]),
    (name = "b", binary = "echo_server", exports = .serverExport, grants = [
      (name = "up", interface = "Echo",
       source = (import = (service = "a", export = "echo"))),
    ]),
    (name = "c", binary = "echo_server", exports = .serverExport, grants = [
      (name = "up", interface = "Echo",
       source = (import = (service = "b", export = "echo"))),
    ]),
  ]),
);

const selfImport :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "narcissus", binary = "echo_server", exports = .serverExport,
     grants = [
       (name = "mirror", interface = "Echo",
        source = (import = (service = "narcissus", export = "echo"))),
     ]),
  ]),
);

const noSuchService :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "echo", interface = "Echo",
       source = (import = (service = "nobody", export = "echo"))),
    ]),
  ]),
);

const noSuchExport :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server", exports = .serverExport),
    (name = "client", binary = "echo_client", grants = [
      (name = "echo", interface = "Echo",
       source = (import = (service = "server", export = "ehco"))),
    ]),
  ]),
);

const wrongInterface :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server", exports = .serverExport),
    (name = "client", binary = "echo_client", grants = [
      (name = "echo", interface = "Console",
       source = (import = (service = "server", export = "echo"))),
    ]),
  ]),
);

const kernelWrongInterface :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", initCaps = ["timer"], services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "clock", interface = "Console", source = (kernel = "timer")),
    ]),
  ]),
);

const unknownInterface :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "fs", interface = "FileSystem", source = (kernel = "console")),
    ]),
  ]),
);

const unknownExportInterface :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server",
     exports = [(name = "echo", interface = "Ecko")]),
  ]),
);

const unknownKernelCap :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "disk", interface = "Console", source = (kernel = "disk")),
    ]),
  ]),
);

# timer is a kernel cap, but init only holds what initCaps gives it.
const kernelCapNotHeld :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", initCaps = ["null"], services = [
    (name = "client", binary = "echo_client", grants = [
      (name = "timer", interface = "Timer", source = (kernel = "timer")),
    ]),
  ]),
);

const badInitCap :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", initCaps = ["timer", "spawner"]));

const duplicateGrant :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "client", binary = "echo_client", grants = [.console, .console]),
  ]),
);

const grantNamedLikeExport :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server", exports = .serverExport,
     grants = [
       (name = "echo", interface = "Console", source = (kernel = "console")),
     ]),
  ]),
);

const duplicateExport :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server",
     exports = [(name = "echo", interface = "Echo"),
                (name = "echo", interface = "Console")]),
  ]),
);

const tooManyGrants :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "greedy", binary = "echo_client", grants = [
      (name = "g1", interface = "Console", source = (kernel = "console")),
      (name = "g2", interface = "Console", source = (kernel = "console")),
      (name = "g3", interface = "Console", source = (kernel = "console")),
      (name = "g4", interface = "Console", source = (kernel = "console")),
      (name = "g5", interface = "Console", source = (kernel = "console")),
      (name = "g6", interface = "Console", source = (kernel = "console")),
      (name = "g7", interface = "Console", source = (kernel = "console")),
      (name = "g8", interface = "Console", source = (kernel = "console")),
      (name = "g9", interface = "Console", source = (kernel = "console")),
      (name = "g10", interface = "Console", source = (kernel = "console")),
      (name = "g11", interface = "Console", source = (kernel = "console")),
      (name = "g12", interface = "Console", source = (kernel = "console")),
      (name = "g13", interface = "Console", source = (kernel = "console")),
      (name = "g14", interface = "Console", source = (kernel = "console")),
      (name = "g15", interface = "Console", source = (kernel = "console")),
      (name = "g16", interface = "Console", source = (kernel = "console")),
      (name = "g17", interface = "Console", source = (kernel = "console")),
      (name = "g18", interface = "Console", source = (kernel = "console")),
      (name = "g19", interface = "Console", source = (kernel = "console")),
      (name = "g20", interface = "Console", source = (kernel = "console")),
      (name = "g21", interface = "Console", source = (kernel = "console")),
      (name = "g22", interface = "Console", source = (kernel = "console")),
      (name = "g23", interface = "Console", source = (kernel = "console")),
      (name = "g24", interface = "Console", source = (kernel = "console")),
      (name = "g25", interface = "Console", source = (kernel = "console")),
      (name = "g26", interface = "Console", source = (kernel = "console")),
      (name = "g27", interface = "Console", source = (kernel = "console")),
      (name = "g28", interface = "Console", source = (kernel = "console")),
      (name = "g29", interface = "Console", source = (kernel = "console")),
      (name = "g30", interface = "Console", source = (kernel = "console")),
      (name = "g31", interface = "Console", source = (kernel = "console")),
      (name = "g32", interface = "Console", source = (kernel = "console")),
      (name = "g33", interface = "Console", source = (kernel = "console")),
    ]),
  ]),
);

# 5 exports and 4 endpoint grants: 9 endpoints for one spawn.
const tooManyEndpoints :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "hub", binary = "echo_server",
     exports = [(name = "e1", interface = "Echo"),
                (name = "e2", interface = "Echo"),
                (name = "e3", interface = "Echo"),
                (name = "e4", interface = "Echo"),
                (name = "e5", interface = "Echo")],
     grants = [
       (name = "p1", interface = "Echo", source = (endpoint = void)),
       (name = "p2", interface = "Echo", source = (endpoint = void)),
       (name = "p3", interface = "Echo", source = (endpoint = void)),
       (name = "p4", interface = "Echo", source = (endpoint = void)),
     ]),
  ]),
);

# kernelParams texts one byte longer than the kernel keeps.
const longHostname :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  kernelParams = (hostname = "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"),
);

const longMotd :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  kernelParams = (motd = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
);

# The longest texts the kernel keeps.
const goodLongestTexts :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  kernelParams = (hostname = "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh", motd = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"),
);

# A launcher granted as something other than a ProcessSpawner.
const launcherNotSpawner :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "shell", binary = "echo_client", grants = [
      (name = "launcher", interface = "Console",
       source = (launcher = ["echo_server"])),
    ]),
  ]),
);

# A launcher naming a binary the manifest does not have.
const launcherMissingBinary :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "shell", binary = "echo_client", grants = [
      (name = "launcher", interface = "ProcessSpawner",
       source = (launcher = ["echo_server", "nope"])),
    ]),
  ]),
);

# A launcher naming nothing.
const launcherEmpty :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "shell", binary = "echo_client", grants = [
      (name = "launcher", interface = "ProcessSpawner",
       source = (launcher = [])),
    ]),
  ]),
);

# awaitReady without a timer: init could not keep the ready deadline.
const readyWithoutTimer :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init", services = [
    (name = "server", binary = "echo_server", exports = .serverExport,
     awaitReady = true),
  ]),
);

# --- accounts and session profiles ------------------------------------------

# Not a real verifier: the manifest checks only its form.
const verifier :Text = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

const operatorProfile :Capos.SessionProfile =
  (name = "operator", caps = [(name = "shutdown", source = "shutdown")]);

# Accounts of two profiles, "anonymous" among the profiles, the longest
# username and verifier, a profile of 32 caps.
const goodAccounts :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [
    (name = "operator", verifier = .verifier, profile = "operator"),
    (name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", verifier = .verifier127, profile = "guest"),
    (name = "u_0-9", verifier = .verifier, profile = "operator"),
  ],
  profiles = [
    (name = "anonymous"),
    .operatorProfile,
    (name = "guest", caps = [
      (name = "c0", source = "console"),
      (name = "c1", source = "console"),
      (name = "c2", source = "console"),
      (name = "c3", source = "console"),
      (name = "c4", source = "console"),
      (name = "c5", source = "console"),
      (name = "c6", source = "console"),
      (name = "c7", source = "console"),
      (name = "c8", source = "console"),
      (name = "c9", source = "console"),
      (name = "c10", source = "console"),
      (name = "c11", source = "console"),
      (name = "c12", source = "console"),
      (name = "c13", source = "console"),
      (name = "c14", source = "console"),
      (name = "c15", source = "console"),
      (name = "c16", source = "console"),
      (name = "c17", source = "console"),
      (name = "c18", source = "console"),
      (name = "c19", source = "console"),
      (name = "c20", source = "console"),
      (name = "c21", source = "console"),
      (name = "c22", source = "console"),
      (name = "c23", source = "console"),
      (name = "c24", source = "console"),
      (name = "c25", source = "console"),
      (name = "c26", source = "console"),
      (name = "c27", source = "console"),
      (name = "c28", source = "console"),
      (name = "c29", source = "console"),
      (name = "c30", source = "console"),
      (name = "c31", source = "console")
    ]),
  ],
);

const verifier127 :Text = "$argon2id$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

# A username with a capital letter.
const accountBadName :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [(name = "Bob", verifier = .verifier, profile = "operator")],
  profiles = [.operatorProfile],
);

# A username of 33 bytes.
const accountLongName :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [(name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", verifier = .verifier, profile = "operator")],
  profiles = [.operatorProfile],
);

# An account called like the user of anonymous sessions.
const accountAnonymous :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [(name = "anonymous", verifier = .verifier, profile = "operator")],
  profiles = [.operatorProfile],
);

# One username twice.
const accountTwice :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [
    (name = "operator", verifier = .verifier, profile = "operator"),
    (name = "operator", verifier = .verifier, profile = "operator"),
  ],
  profiles = [.operatorProfile],
);

# An Argon2i verifier (not id).
const accountNotArgon2id :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [(name = "operator", verifier = "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", profile = "operator")],
  profiles = [.operatorProfile],
);

# A verifier of 128 bytes: with its NUL, more than libsodium takes.
const accountLongVerifier :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [(name = "operator", verifier = "$argon2id$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", profile = "operator")],
  profiles = [.operatorProfile],
);

# An account of a profile that does not exist.
const accountNoProfile :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [(name = "operator", verifier = .verifier, profile = "admin")],
  profiles = [.operatorProfile],
);

# One account more than the model holds.
const tooManyAccounts :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  accounts = [
    (name = "u0", verifier = .verifier, profile = "operator"),
    (name = "u1", verifier = .verifier, profile = "operator"),
    (name = "u2", verifier = .verifier, profile = "operator"),
    (name = "u3", verifier = .verifier, profile = "operator"),
    (name = "u4", verifier = .verifier, profile = "operator"),
    (name = "u5", verifier = .verifier, profile = "operator"),
    (name = "u6", verifier = .verifier, profile = "operator"),
    (name = "u7", verifier = .verifier, profile = "operator"),
    (name = "u8", verifier = .verifier, profile = "operator"),
    (name = "u9", verifier = .verifier, profile = "operator"),
    (name = "u10", verifier = .verifier, profile = "operator"),
    (name = "u11", verifier = .verifier, profile = "operator"),
    (name = "u12", verifier = .verifier, profile = "operator"),
    (name = "u13", verifier = .verifier, profile = "operator"),
    (name = "u14", verifier = .verifier, profile = "operator"),
    (name = "u15", verifier = .verifier, profile = "operator"),
    (name = "u16", verifier = .verifier, profile = "operator")
  ],
  profiles = [.operatorProfile],
);

# One profile more than the model holds.
const tooManyProfiles :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [
    (name = "p0"),
    (name = "p1"),
    (name = "p2"),
    (name = "p3"),
    (name = "p4"),
    (name = "p5"),
    (name = "p6"),
    (name = "p7"),
    (name = "p8")
  ],
);

# One profile name twice.
const profileTwice :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [.operatorProfile, (name = "operator")],
);

# A profile without a name.
const profileUnnamed :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [(caps = [(name = "shutdown", source = "shutdown")])],
);

# One bundle name twice in a profile.
const profileCapTwice :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [(name = "operator", caps = [
    (name = "shutdown", source = "shutdown"),
    (name = "shutdown", source = "console"),
  ])],
);

# A bundle name with a space.
const profileCapBadName :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [(name = "operator", caps = [(name = "shut down", source = "shutdown")])],
);

# A bundle cap without a source.
const profileCapNoSource :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [(name = "operator", caps = [(name = "shutdown")])],
);

# A bundle cap whose source has a space.
const profileCapBadSource :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [(name = "operator", caps = [(name = "shutdown", source = "the shutdown")])],
);

# A bundle of 33 caps.
const profileTooManyCaps :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .bins,
  initConfig = (init = "init"),
  profiles = [(name = "big", caps = [
      (name = "c0", source = "console"),
      (name = "c1", source = "console"),
      (name = "c2", source = "console"),
      (name = "c3", source = "console"),
      (name = "c4", source = "console"),
      (name = "c5", source = "console"),
      (name = "c6", source = "console"),
      (name = "c7", source = "console"),
      (name = "c8", source = "console"),
      (name = "c9", source = "console"),
      (name = "c10", source = "console"),
      (name = "c11", source = "console"),
      (name = "c12", source = "console"),
      (name = "c13", source = "console"),
      (name = "c14", source = "console"),
      (name = "c15", source = "console"),
      (name = "c16", source = "console"),
      (name = "c17", source = "console"),
      (name = "c18", source = "console"),
      (name = "c19", source = "console"),
      (name = "c20", source = "console"),
      (name = "c21", source = "console"),
      (name = "c22", source = "console"),
      (name = "c23", source = "console"),
      (name = "c24", source = "console"),
      (name = "c25", source = "console"),
      (name = "c26", source = "console"),
      (name = "c27", source = "console"),
      (name = "c28", source = "console"),
      (name = "c29", source = "console"),
      (name = "c30", source = "console"),
      (name = "c31", source = "console"),
      (name = "c32", source = "console")
  ])],
);

# A binary that expects a cap of an interface the schema does not have.
const expectsUnknownInterface :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "hello", module = "hello",
     expects = [(name = "stdio", interface = "StdIo")]),
  ],
  initConfig = (init = "init"),
);

# A binary that expects a cap without a name.
const expectsNoName :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "hello", module = "hello",
     expects = [(interface = "StdIO")]),
  ],
  initConfig = (init = "init"),
);
