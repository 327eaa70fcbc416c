# The default system (system/default.capnp) with a test operator, for the
# shell's interactive test (tests/shell/shell_test.py): the account
# "operator" whose verifier the build made from the fixture password
# system/tests/operator.password (mk/system.mk).
@0xfc141612e1e98c04;

using Capos = import "/capos.capnp";
using Default = import "../default.capnp";
using Accounts = import "/test_accounts.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = Default.binaries,
  initConfig = (init = "init", initCaps = Default.initCaps,
                services = Default.services),
  kernelParams = Default.kernelParams,
  profiles = Default.profiles,
  accounts = [Accounts.operator],
);
