// Stackful fibers: one OS thread, many stacks, switched by a few instructions.
//
// The switch saves the callee-saved registers and the FP control words on the old stack and pops
// them from the new one (x86-64 System V only), so a switch is a handful of instructions and no
// system call (swapcontext makes a sigprocmask call per switch). Every switch is announced to
// ASan (__sanitizer_start/finish_switch_fiber) and TSan (__tsan_switch_to_fiber, synchronizing)
// when built with them, so both follow the stacks.
//
// Stacks are mmap'ed with a guard page below and recycled through a per-thread pool.
#pragma once

#include <cstddef>

namespace connmgr::sim {

class Fiber {
 public:
  using Entry = void (*)(void* arg);

  // The calling OS thread's own context, to switch away from and back to.
  Fiber();
  // A fiber that runs entry(arg) on a fresh stack when first switched to. `entry` must never
  // return: it ends with exit_to().
  Fiber(Entry entry, void* arg);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Suspends `from` (the running context) and resumes `to`. Returns when something switches back.
  static void switch_to(Fiber& from, Fiber& to);
  // Leaves the running fiber `from` for good and resumes `to`; `from` may then be destroyed (not
  // by itself). Never returns (not declared [[noreturn]]: ASan would then unpoison the whole stack
  // and make a system call before every fiber exit).
  static void exit_to(Fiber& from, Fiber& to);
  // Gives up a fiber suspended for good (never to be resumed): its stack is leaked rather than
  // recycled, so no later fiber runs on memory whose sanitizer state belongs to it. The Fiber may
  // then be destroyed.
  void abandon() { stack_ = nullptr; }

  static constexpr std::size_t kStackSize = 256 * 1024;

 private:
  [[noreturn]] static void start();
  void before_switch(Fiber& to, bool exiting);
  void after_switch();

  void* sp_ = nullptr;
  void* stack_ = nullptr;  // Null for a thread's own context.
  Entry entry_ = nullptr;
  void* arg_ = nullptr;
  // Sanitizer bookkeeping (unused without sanitizers).
  void* fake_stack_ = nullptr;
  const void* stack_bottom_ = nullptr;
  std::size_t stack_size_ = 0;
  void* tsan_fiber_ = nullptr;
};

}  // namespace connmgr::sim
