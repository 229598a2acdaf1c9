// The overlapped-operation engine: WSASend/WSARecv/WSASendTo/WSARecvFrom with an lpOverlapped,
// AcceptEx and ConnectEx. An operation either completes at once (the call returns 0 / TRUE) or is
// queued (SOCKET_ERROR / FALSE with WSA_IO_PENDING) and finished on the issuing realm's loop, moving
// bytes with readv/writev/recvmsg/sendmsg straight between the socket and the caller's buffers.
// Either way completion is signalled the same way: the WSAOVERLAPPED's Internal (the WSA code, or
// STATUS_PENDING 0x103 while pending) and InternalHigh (bytes) are written, then the completion
// routine is queued to the realm's APC queue or, without one, hEvent is set.
//
// Invariants: operations on one socket complete in issue order per direction (receives, sends); a
// send completes only when all its bytes are taken; every buffer, the WSAOVERLAPPED and the routine
// stay referenced until the operation completes (by the TypeScript face's slot in holds.ts, which the
// engine hands back exactly once, or by the engine itself for WSABUF arrays), so the GC never frees
// memory the kernel or the engine still writes; closesocket completes everything pending on the socket with
// WSA_OPERATION_ABORTED and leaves the buffers as they were.
#pragma once
#include <napi.h>

#include <cstdint>

#include "realm.h"
#include "wsa.h"

constexpr uint32_t kStatusPending = WS_STATUS_PENDING;  // WSAOVERLAPPED.Internal while pending (constants.def)

void DestroyOverlappedEngine(RealmState* realm);
void InitOverlapped(Napi::Env env, Napi::Object exports);
