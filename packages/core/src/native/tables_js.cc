// Exposes the native side of the one lists, so a test can prove TypeScript's generated tables agree
// with what C++ compiled, and so wsaErrorName/wsaErrorMessage have a native twin to compare with.
#include <cerrno>

#include "entry.h"
#include "layout.h"

namespace {

Napi::Value ErrorTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array rows = Napi::Array::New(env);
  uint32_t i = 0;
#define WSA_ERROR(name, code, message)                      \
  {                                                         \
    Napi::Object row = Napi::Object::New(env);              \
    row.Set("name", #name);                                 \
    row.Set("code", code);                                  \
    row.Set("message", message);                            \
    rows.Set(i++, row);                                     \
  }
#define ERRNO_TO_WSA(errno_name, wsa_name)
#include "errors.def"
#undef WSA_ERROR
#undef ERRNO_TO_WSA
  return rows;
}

// [errno name, errno number, WSA code] for every row of the errno table, as compiled on this machine.
Napi::Value ErrnoTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array rows = Napi::Array::New(env);
  uint32_t i = 0;
#define WSA_ERROR(name, code, message)
#define ERRNO_TO_WSA(errno_name, wsa_name)                   \
  {                                                          \
    Napi::Array row = Napi::Array::New(env, 3);              \
    row.Set(0u, #errno_name);                                \
    row.Set(1u, errno_name);                                 \
    row.Set(2u, WsaFromErrno(errno_name));                   \
    rows.Set(i++, row);                                      \
  }
#include "errors.def"
#undef WSA_ERROR
#undef ERRNO_TO_WSA
  return rows;
}

Napi::Value TranslateErrno(const Napi::CallbackInfo& info) {
  int32_t err = ArgInt32(info, 0, "translateErrno(errno)", "errno");
  return Napi::Number::New(info.Env(), WsaFromErrno(err));
}

Napi::Value ConstantTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object table = Napi::Object::New(env);
#define WS_CONST(group, name, ws, native) table.Set(#name, static_cast<double>(WS_##name));
#define WS_VALUE(name, ws) table.Set(#name, static_cast<double>(WS_##name));
#include "constants.def"
#undef WS_CONST
#undef WS_VALUE
  return table;
}

// layoutTable() -> { name: value } for every row of layout.def, as compiled (the agreement test).
Napi::Value LayoutTable(const Napi::CallbackInfo& info) {
  Napi::Object table = Napi::Object::New(info.Env());
#define LAYOUT(name, value) table.Set(#name, static_cast<double>(layout::name));
#include "layout.def"
#undef LAYOUT
  return table;
}

}  // namespace

void InitTables(Napi::Env env, Napi::Object exports) {
  exports.Set("errorTable", Napi::Function::New(env, ErrorTable, "errorTable"));
  exports.Set("errnoTable", Napi::Function::New(env, ErrnoTable, "errnoTable"));
  exports.Set("translateErrno", Napi::Function::New(env, TranslateErrno, "translateErrno"));
  exports.Set("constantTable", Napi::Function::New(env, ConstantTable, "constantTable"));
  exports.Set("layoutTable", Napi::Function::New(env, LayoutTable, "layoutTable"));
  exports.Set("lastError", Realm(env)->last_error_array.View());
}
