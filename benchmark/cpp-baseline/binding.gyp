# The C++ baseline addon. node-gyp builds it against the headers of the Node that runs it
# (build.js passes --nodedir), without downloading anything.
{
  "targets": [
    {
      "target_name": "cpp_baseline",
      "sources": ["cpp_baseline.cc"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
