// Expands errors.def and constants.def into lookups; the only file that includes them as tables.
#include <cerrno>
#include <cstddef>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "wsa.h"

namespace {

struct ErrorRow { int code; const char* name; const char* message; };
const ErrorRow kErrors[] = {
#define WSA_ERROR(name, code, message) {code, #name, message},
#define ERRNO_TO_WSA(errno_name, wsa_name)
#include "errors.def"
#undef WSA_ERROR
#undef ERRNO_TO_WSA
};

struct ErrnoRow { int err; int wsa; };
const ErrnoRow kErrnos[] = {
#define WSA_ERROR(name, code, message)
#define ERRNO_TO_WSA(errno_name, wsa_name) {errno_name, wsa_name},
#include "errors.def"
#undef WSA_ERROR
#undef ERRNO_TO_WSA
};

struct ConstRow { ConstGroup group; int64_t ws; int native; };
const ConstRow kConsts[] = {
#define WS_CONST(group, name, ws, native) {ConstGroup::group, (ws), (native)},
#define WS_VALUE(name, ws)
#include "constants.def"
#undef WS_CONST
#undef WS_VALUE
};

const ErrorRow* FindError(int code) {
  for (const ErrorRow& row : kErrors)
    if (row.code == code) return &row;
  return nullptr;
}

}  // namespace

int ToNative(ConstGroup group, int64_t ws_value) {
  for (const ConstRow& row : kConsts)
    if (row.group == group && row.ws == ws_value) return row.native;
  return kUnknown;
}

int64_t FromNative(ConstGroup group, int native_value) {
  for (const ConstRow& row : kConsts)
    if (row.group == group && row.native == native_value && row.native >= 0) return row.ws;
  return kUnknown;
}

int WsaFromErrno(int err) {
  if (err == 0) return 0;
  for (const ErrnoRow& row : kErrnos)
    if (row.err == err) return row.wsa;
  return WSASYSCALLFAILURE;
}

const char* WsaErrorName(int code) {
  const ErrorRow* row = FindError(code);
  return row ? row->name : nullptr;
}

const char* WsaErrorMessage(int code) {
  const ErrorRow* row = FindError(code);
  return row ? row->message : nullptr;
}
