// Winsock codes and constants for native code, expanded from the one lists (errors.def, constants.def).
// Winsock's constant names collide with Linux macros (AF_INET, SOL_SOCKET, MSG_OOB ...), so every
// Winsock value is spelled WS_<NAME> here; the bare name always means Linux's.
#pragma once
#include <cstdint>

enum WsaError : int {
  WSA_OK = 0,
#define WSA_ERROR(name, code, message) name = code,
#define ERRNO_TO_WSA(errno_name, wsa_name)
#include "errors.def"
#undef WSA_ERROR
#undef ERRNO_TO_WSA
};

#define WS_CONST(group, name, ws, native) constexpr int64_t WS_##name = (ws);
#define WS_VALUE(name, ws) constexpr int64_t WS_##name = (ws);
#include "constants.def"
#undef WS_CONST
#undef WS_VALUE

enum class ConstGroup { AF, SOCK, PROTO, LEVEL, SO, TCPOPT, IPOPT, IPV6OPT, MSG, SD, IOCTL };

// native_value column of constants.def: the emulator implements the constant itself.
constexpr int kEmulated = -1;
// native_value column of constants.def: Winsock has it, this implementation does not support it.
constexpr int kUnsupported = -2;
// No row of the group has that Winsock value.
constexpr int kUnknown = -3;

// Translates a Winsock value of a group to its Linux value (or kEmulated / kUnsupported / kUnknown).
int ToNative(ConstGroup group, int64_t ws_value);
// Translates a Linux value of a group back to Winsock's (kUnknown when there is none).
int64_t FromNative(ConstGroup group, int native_value);

// errno -> WSA by the one table; an unlisted errno is WSASYSCALLFAILURE.
int WsaFromErrno(int err);
const char* WsaErrorName(int code);     // nullptr for a code that is not in errors.def
const char* WsaErrorMessage(int code);  // nullptr likewise
