// The handler queue of the event-loop design: messages run one at a time, in FIFO order, by a
// drain task the manager spawns when work arrives and none is running.
#pragma once

#include <functional>

#include "connmgr/platform.h"

namespace connmgr {

// A critical section to run on the handler. A waited-for message lives on its sender's stack and
// is marked done when it ran; a posted one (`owned`) is heap-allocated and deleted once it ran.
struct Message {
  std::function<void()> run;
  bool owned = false;
  bool done = false;
  Message* next = nullptr;  // The queue's link (the queue allocates nothing).
};

// Thread-safe. Nothing is handed out before open() (Go's handler did not exist before Run), so
// senders of waited-for messages block until then. Lock order: the queue's mutex is taken before
// the manager's, never while holding it.
template <class Platform>
class MessageQueue {
 public:
  // Enqueues; returns true if the caller must spawn a drain task.
  bool push(Message* message) EXCLUDES(mu_) {
    LockGuard<Mutex> lock(mu_);
    message->next = nullptr;
    *tail_ = message;
    tail_ = &message->next;
    return claim_drain();
  }

  // Allows draining (idempotent); returns true if the caller must spawn a drain task.
  bool open() EXCLUDES(mu_) {
    LockGuard<Mutex> lock(mu_);
    open_ = true;
    return claim_drain();
  }

  // For the drain task: the next message, or null once the queue is empty (the task then ends).
  Message* next() EXCLUDES(mu_) {
    LockGuard<Mutex> lock(mu_);
    Message* message = head_;
    if (message == nullptr) {
      draining_ = false;
      return nullptr;
    }
    head_ = message->next;
    if (head_ == nullptr) tail_ = &head_;
    return message;
  }

  // For the drain task, after running `message`.
  void finish(Message* message) EXCLUDES(mu_) {
    if (message->owned) {
      delete message;
      return;
    }
    LockGuard<Mutex> lock(mu_);
    message->done = true;
    done_.notify_all(mu_);
  }

  // For the sender of a waited-for message.
  void wait(const Message& message) EXCLUDES(mu_) {
    LockGuard<Mutex> lock(mu_);
    while (!message.done) done_.wait(mu_);
  }

 private:
  using Mutex = typename Platform::Mutex;

  bool claim_drain() REQUIRES(mu_) {
    if (!open_ || draining_ || head_ == nullptr) return false;
    draining_ = true;
    return true;
  }

  Mutex mu_;
  typename Platform::CondVar done_;
  Message* head_ GUARDED_BY(mu_) = nullptr;  // FIFO through Message::next.
  Message** tail_ GUARDED_BY(mu_) = &head_;   // The link the next message goes into.
  bool open_ GUARDED_BY(mu_) = false;
  bool draining_ GUARDED_BY(mu_) = false;
};

}  // namespace connmgr
