// Readiness on the realm's own loop. The loop allows one loop::Poll per descriptor, so each
// (realm, socket) pair has exactly one FdWatch, and every component that wants readiness (a select
// call, the network-event recorder, the overlapped engine) subscribes to it with the events it wants.
// The watch polls for the union of its subscribers' wants and stops when nobody wants anything.
#pragma once
#include <memory>
#include <vector>

#include "loop.h"
#include "realm.h"
#include "socket_table.h"

class ReadinessSubscriber {
 public:
  virtual ~ReadinessSubscriber() = default;
  // The loop::Readiness bits this subscriber waits for now.
  virtual int WantedEvents() = 0;
  // Called on the realm's thread. status < 0 is a poll error (a negative errno); may add or remove
  // subscribers.
  virtual void OnReady(int status, int events) = 0;
  // The socket was closed (closesocket) while subscribed; the subscriber is already removed.
  virtual void OnSocketClosed() {}
};

class FdWatch {
 public:
  // The realm's watch for this socket, created on first use. Never returns a closed watch.
  static FdWatch* For(RealmState* realm, const SocketRef& sock);

  void Subscribe(ReadinessSubscriber* sub);
  void Unsubscribe(ReadinessSubscriber* sub);
  // Re-reads every subscriber's WantedEvents() and restarts or stops the poll to match.
  void Update();
  // Stops polling and closes the handle; the descriptor may be closed as soon as this returns.
  // notify: tell subscribers (false during realm teardown, when JavaScript can no longer run).
  void Close(bool notify = true);

  RealmState* realm() const { return realm_; }
  const SocketRef& socket() const { return sock_; }

 private:
  FdWatch(RealmState* realm, SocketRef sock);
  static void OnPoll(void* self, int status, int events);
  int Wanted() const;      // the union of the subscribers' WantedEvents()
  void Arm(int events);    // start, restart or stop the poll for exactly these events

  RealmState* realm_;
  SocketRef sock_;
  loop::Poll* poll_;
  std::vector<ReadinessSubscriber*> subs_;
  int armed_ = 0;
  bool closed_ = false;
};

// What poll(2)'s revents mean as loop::Readiness bits. Errors and hang-ups set every bit they may
// concern, so each reader examines the socket and finds out what they mean for its condition.
int ReadinessFromPoll(short revents);

// Closes every realm's watch of a socket that closesocket just unregistered: this realm's at once,
// other realms' through their inboxes. The descriptor closes when the last reference goes.
void CloseWatches(RealmState* realm, const SocketRef& sock);
