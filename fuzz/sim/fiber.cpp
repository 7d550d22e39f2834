#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sanitizers.h"

#if defined(CONNMGR_SIM_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(CONNMGR_SIM_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

#if !defined(__x86_64__)
#error "connmgr::sim::Fiber implements its context switch for x86-64 only"
#endif

// Saves callee-saved registers, MXCSR and the x87 control word on the current stack, stores the
// stack pointer in *save_sp, loads load_sp and restores the same from there.
extern "C" void connmgr_sim_switch(void** save_sp, void* load_sp);
asm(R"(
  .text
  .p2align 4
  .globl connmgr_sim_switch
  .type connmgr_sim_switch,@function
connmgr_sim_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size connmgr_sim_switch,.-connmgr_sim_switch
  .section .note.GNU-stack,"",@progbits
  .text
)");

namespace connmgr::sim {
namespace {

thread_local Fiber* entering = nullptr;  // The fiber being started by the current switch.
thread_local Fiber* leaving = nullptr;   // The context the current switch left.
thread_local std::vector<void*> stack_pool;

std::size_t page_size() {
  static const std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// A stack with an inaccessible guard page below it; `base` is the start of the mapping.
void* take_stack() {
  if (!stack_pool.empty()) {
    void* base = stack_pool.back();
    stack_pool.pop_back();
    return base;
  }
  void* base = mmap(nullptr, Fiber::kStackSize + page_size(), PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED || mprotect(base, page_size(), PROT_NONE) != 0) std::abort();
  return base;
}

}  // namespace

Fiber::Fiber() {
#if defined(CONNMGR_SIM_TSAN)
  tsan_fiber_ = __tsan_get_current_fiber();
#endif
}

Fiber::Fiber(Entry entry, void* arg) : stack_(take_stack()), entry_(entry), arg_(arg) {
  stack_bottom_ = static_cast<char*>(stack_) + page_size();
  stack_size_ = kStackSize;
  // The frame connmgr_sim_switch pops: control words, six registers, then start() as the return
  // address, above which sits a null "return address" so start() begins with the ABI alignment.
  auto* top = reinterpret_cast<std::uint64_t*>(static_cast<char*>(stack_) + page_size() + kStackSize);
  top[-1] = 0;
  top[-2] = reinterpret_cast<std::uint64_t>(&Fiber::start);
  for (int slot = 3; slot <= 8; ++slot) top[-slot] = 0;
  std::uint32_t mxcsr = 0;
  std::uint16_t fpu_control = 0;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(fpu_control));
  std::memcpy(&top[-9], &mxcsr, sizeof mxcsr);
  std::memcpy(reinterpret_cast<char*>(&top[-9]) + 4, &fpu_control, sizeof fpu_control);
  sp_ = &top[-9];
#if defined(CONNMGR_SIM_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

Fiber::~Fiber() {
  if (stack_ == nullptr) return;
#if defined(CONNMGR_SIM_TSAN)
  __tsan_destroy_fiber(tsan_fiber_);
#endif
  stack_pool.push_back(stack_);
}

void Fiber::before_switch(Fiber& to, bool exiting) {
  leaving = this;
#if defined(CONNMGR_SIM_ASAN)
  __sanitizer_start_switch_fiber(exiting ? nullptr : &fake_stack_, to.stack_bottom_, to.stack_size_);
#else
  static_cast<void>(exiting);
#endif
#if defined(CONNMGR_SIM_TSAN)
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#else
  static_cast<void>(to);
#endif
}

// Runs on the resumed context right after a switch; learns the stack of a thread's own context
// (which only the sanitizer knows) from the first switch that leaves it.
void Fiber::after_switch() {
#if defined(CONNMGR_SIM_ASAN)
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack_, &bottom, &size);
  if (leaving != nullptr && leaving->stack_ == nullptr) {
    leaving->stack_bottom_ = bottom;
    leaving->stack_size_ = size;
  }
#endif
}

void Fiber::switch_to(Fiber& from, Fiber& to) {
  from.before_switch(to, false);
  entering = &to;
  connmgr_sim_switch(&from.sp_, to.sp_);
  from.after_switch();
}

// Once ASan is told the fiber is exiting it frees the fiber's fake stack, so from then on nothing
// may live in an address-taken local: the dead fiber's own sp_ absorbs the final save.
void Fiber::exit_to(Fiber& from, Fiber& to) {
#if defined(CONNMGR_SIM_ASAN)
  // The frames still on this stack keep their redzones poisoned: clear them before the stack is
  // recycled (what __asan_handle_no_return would do, without its system call).
  auto* low = static_cast<char*>(__builtin_frame_address(0)) - 256;
  __asan_unpoison_memory_region(
      low, static_cast<std::size_t>(static_cast<const char*>(from.stack_bottom_) + from.stack_size_ - low));
#endif
  from.before_switch(to, true);
  entering = &to;
  connmgr_sim_switch(&from.sp_, to.sp_);
  __builtin_unreachable();
}

void Fiber::start() {
  Fiber* self = entering;
  self->fake_stack_ = nullptr;
  self->after_switch();
  self->entry_(self->arg_);
  std::abort();  // entry_ must leave through exit_to().
}

}  // namespace connmgr::sim
