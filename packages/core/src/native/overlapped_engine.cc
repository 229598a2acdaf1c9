// The overlapped engine: finding an operation's memory again, progress on the loop, closesocket's
// aborts. See overlapped.h for the contract and its invariants.
#include "overlapped_engine.h"

#include <optional>

#include "overlapped_attempts.h"
#include "recorder.h"

namespace ovl {

int OverlappedEngine::Locate(Op* op, bool buffers) {
  napi_env env = realm_->env;
  napi_value held = nullptr;
  auto held_at = [&](uint32_t field) -> napi_value {
    napi_value v = nullptr;
    if (!held && napi_get_reference_value(env, holds_, &held) != napi_ok) return nullptr;
    if (!held || napi_get_element(env, held, kHeldFields * op->slot + field, &v) != napi_ok) return nullptr;
    return v;
  };
  if (!op->ov_fixed) {
    napi_value ov = op->ov_view.IsEmpty() ? held_at(kHeldOverlapped) : op->ov_view.Value();
    Bytes mem = ov ? ViewNow(env, ov) : Bytes{};
    op->ov_mem = mem.length >= kOverlappedSize ? mem.data : nullptr;
  }
  if (!op->ov_mem) return WSAEFAULT;
  if (!buffers) return 0;
  iovec* iov = op->iov.data();
  if (op->buffer_held) {
    // One buffer: AcceptEx's output holds its data part (iov[0]) and both addresses after it.
    const size_t need = op->kind == OpKind::kAccept || op->kind == OpKind::kAcceptData
                            ? size_t{op->recv_len} + op->local_len + op->remote_len : iov[0].iov_len;
    uint8_t* base;
    if (int e = SpanNow(env, held_at(kHeldBuffer), need, &base)) return e;
    iov[0].iov_base = base;
    op->output = base;
  } else {
    for (size_t i = 0; i < op->keep.size(); ++i) {
      uint8_t* base;
      napi_value view = op->keep[i].IsEmpty() ? nullptr : napi_value(op->keep[i].Value());
      if (int e = SpanNow(env, view, iov[i].iov_len, &base)) return e;
      iov[i].iov_base = base;
    }
    if (op->kind == OpKind::kAccept || op->kind == OpKind::kAcceptData) op->output = static_cast<uint8_t*>(iov[0].iov_base);
  }
  if (!op->from_view.IsEmpty()) {
    op->from = ViewNow(env, op->from_view.Value());
    if (op->from.length < op->from_need) return WSAEFAULT;
  }
  return 0;
}

void OverlappedEngine::FlushBoxWrites(bool in_js) {
  if (box_writes_.empty()) return;
  std::vector<BoxWrite> writes;
  writes.swap(box_writes_);
  std::optional<JsEntry> scope;
  if (!in_js) {
    scope.emplace(realm_);
    if (!scope->ok()) return;
  }
  for (BoxWrite& w : writes) {
    if (in_js) {  // inside a call: a setter's exception propagates from it
      SetBoxValue(w.box.Value(), w.value);
      continue;
    }
    try {
      SetBoxValue(w.box.Value(), w.value);
    } catch (const Napi::Error& e) {
      realm_->Defer(e.Value());  // a setter that threw: reported as any callback's exception
    }
  }
}

OverlappedEngine* EngineOf(RealmState* realm) {
  if (!realm->overlapped) realm->overlapped = new OverlappedEngine(realm);
  return realm->overlapped;
}

// ---- progress on the loop -----------------------------------------------------------------------

// A loop callback (loop::Poll, through FdWatch), or a blocking call's alertable wait (in_js). Before
// each attempt the operation's memory is found again (Locate: the program may have detached a buffer
// since it issued the request); that needs a handle scope, opened once here, not a JavaScript entry.
// The entry is opened only when a completion must settle WSAGetOverlappedResult's promise, and then
// lasts to the end, so promise continuations run after this socket is done with. JavaScript itself
// (a WSARecvFrom's *lpFromlen setter) runs only after the socket is done with.
void OverlappedSocket::Progress(int status, int events, bool in_js) {
  RealmState* realm = engine_->realm();
  OverlappedEngine* engine = engine_;
  std::optional<JsEntry> entry;
  napi_handle_scope handles = nullptr;
  if (!in_js && napi_open_handle_scope(realm->env, &handles) != napi_ok) return;
  auto complete = [&](Op* op, const Attempt& a) {
    if (op->waiter && !entry && !in_js) entry.emplace(realm);
    engine->Complete(op, a.error, a.bytes, a.out_flags, in_js);
  };
  // The memory of the operation at a queue's head; false when it is gone: the operation then ends
  // with WSAEFAULT, as a request whose buffer became invalid does, with nothing written.
  auto located = [&](Op* op) { return engine->Locate(op, /*buffers=*/true) == 0; };
  Attempt fault;
  fault.error = WSAEFAULT;
  // An error wake (status < 0) or a hang-up: let the attempts below read what happened.
  const bool readable = status < 0 || (events & (loop::kReadable | loop::kHangup));
  const bool writable = status < 0 || (events & loop::kWritable);
  if (readable) {
    maybe_readable = true;
    while (Op* op = reads.head) {
      if (!located(op)) {
        PopRead();
        complete(op, fault);
        continue;
      }
      Attempt a;
      if (op->kind == OpKind::kAccept) {
        a = TryAccept(op);
        if (a.error == 0 && op->recv_len > 0) {
          // Connected; AcceptEx also waits for the first data, on the new socket.
          PopRead();
          op->kind = OpKind::kAcceptData;
          OverlappedSocket* child = engine->For(op->accepted);
          child->PushRead(op);
          child->Rearm();
          continue;
        }
        if (a.error == 0) WriteAcceptAddresses(op);
      } else if (op->kind == OpKind::kAcceptData) {
        a = TryRecv(engine, op, *sock_);
        if (a.error != WSAEWOULDBLOCK) WriteAcceptAddresses(op);
      } else {
        a = TryRecv(engine, op, *sock_);
        NoteReceive(op, a);
      }
      if (a.error == WSAEWOULDBLOCK) break;
      PopRead();
      complete(op, a);
      if (!maybe_readable) break;  // drained: the next request waits for epoll, not for EAGAIN
    }
  }
  if (writable) {
    while (Op* op = writes.head) {
      if (op->kind == OpKind::kConnect) {
        int connect_error;
        bool settled;
        {
          std::lock_guard<std::mutex> lock(sock_->mu);
          RefreshConnectLocked(*sock_);
          settled = !sock_->connecting;
          connect_error = sock_->connected ? 0 : sock_->connect_error;
        }
        if (!settled) break;
        if (connect_error) {
          writes.pop();
          engine->Locate(op, /*buffers=*/false);
          Attempt failed;
          failed.error = connect_error;
          complete(op, failed);
          continue;
        }
        op->kind = OpKind::kSend;  // connected: ConnectEx's data, if any, goes as a send
      }
      if (!located(op)) {
        writes.pop();
        fault.bytes = op->done;
        complete(op, fault);
        continue;
      }
      Attempt a = TrySend(op, *sock_);
      if (a.error == WSAEWOULDBLOCK) break;
      writes.pop();
      a.out_flags = 0;
      complete(op, a);
    }
  }
  Rearm();
  if (handles) napi_close_handle_scope(realm->env, handles);
  // `this` may be gone after this (a setter may close the socket): nothing below touches it.
  engine->FlushBoxWrites(in_js);
}

void OverlappedSocket::OnSocketClosed() {
  // closesocket: everything pending ends with WSA_OPERATION_ABORTED, its buffers untouched since.
  // (From this realm's closesocket, or from its inbox when another realm closed the socket.) The
  // WSAOVERLAPPEDs are written where they are now; one the program has detached gets nothing.
  OverlappedEngine* engine = engine_;
  RealmState* realm = engine->realm();
  JsEntry scope(realm);
  napi_handle_scope handles = nullptr;
  const bool scoped = scope.ok() || napi_open_handle_scope(realm->env, &handles) == napi_ok;
  engine->Forget(this);
  auto abort = [&](Op* op, size_t bytes) {
    if (!scoped || engine->Locate(op, /*buffers=*/false) != 0) op->ov_mem = nullptr;
    engine->Complete(op, WSA_OPERATION_ABORTED, bytes, 0);
  };
  while (Op* op = PopRead()) abort(op, 0);
  while (Op* op = writes.pop()) abort(op, op->kind == OpKind::kSend ? op->done : 0);
  if (handles) napi_close_handle_scope(realm->env, handles);
  delete this;
}

}  // namespace ovl

void DestroyOverlappedEngine(RealmState* realm) {
  delete realm->overlapped;
  realm->overlapped = nullptr;
}
