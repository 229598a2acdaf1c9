// One attempt at an operation's I/O, never blocking: what the socket allows now. Used both by the
// issuing call (completion at once) and by progress on the loop.
#pragma once
#include "overlapped_engine.h"

namespace ovl {

// One receive attempt into the operation's buffers, as Locate last found them.
Attempt TryRecv(OverlappedEngine* engine, Op* op, SocketState& s);
// One step of a send, from the first byte not yet taken.
Attempt TrySend(Op* op, SocketState& s);
// AcceptEx's addresses after the received data (GetAcceptExSockaddrs' layout).
void WriteAcceptAddresses(Op* op);
// Takes a pending connection from the listener into sAcceptSocket's number.
Attempt TryAccept(Op* op);

}  // namespace ovl
