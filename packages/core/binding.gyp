{
  "variables": {
    "strict%": "<!(node -p \"process.env.CI || process.env.WINSOCK_MODELS_STRICT ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "winsock_core",
      "sources": [
        "src/native/addon.cc",
        "src/native/apc.cc",
        "src/native/async_select.cc",
        "src/native/event_select.cc",
        "src/native/events.cc",
        "src/native/io.cc",
        "src/native/iocp.cc",
        "src/native/loop.cc",
        "src/native/overlapped_alertable.cc",
        "src/native/overlapped_attempts.cc",
        "src/native/overlapped_calls.cc",
        "src/native/overlapped_engine.cc",
        "src/native/poller.cc",
        "src/native/realm.cc",
        "src/native/realm_memory.cc",
        "src/native/recorder.cc",
        "src/native/select.cc",
        "src/native/sockaddr.cc",
        "src/native/socket_state.cc",
        "src/native/socket_table.cc",
        "src/native/sockets.cc",
        "src/native/sys/sys.cc",
        "src/native/tables.cc",
        "src/native/tables_js.cc",
        "src/native/trace.cc",
        "src/native/wsabuf.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra"],
      "conditions": [
        ["strict==1", { "cflags_cc": ["-Werror"] }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra"]
          }
        }]
      ]
    }
  ]
}
