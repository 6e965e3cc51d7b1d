{
  # The addon links no OpenSSL of its own: the OpenSSL 3 symbols it calls are exported by the node
  # binary (headers ship with node in include/node/openssl). See native/sm2_binding.c.
  "targets": [
    {
      "target_name": "eseal_sm2",
      "sources": ["sm2_binding.c"],
      "defines": ["NAPI_VERSION=8", "OPENSSL_API_COMPAT=30000"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "xcode_settings": {"OTHER_CFLAGS": ["-O2", "-Wall", "-Wextra"]}
    }
  ]
}
