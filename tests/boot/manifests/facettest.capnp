# Typed, badged endpoint facets (Endpoint.client): facettest runs as init
# and has facet_server mint facets; facet_child gets one by spawn grant.
@0xb7e21f3c9a4d5e61;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "facettest", module = "facettest"),
    (name = "facet_server", module = "facet_server"),
    (name = "facet_child", module = "facet_child"),
  ],
  initConfig = (init = "facettest"),
  kernelParams = (hostname = "facettest", logLevel = info),
);
