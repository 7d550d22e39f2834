// Fuzz input consumption shared by the libFuzzer and replay drivers (FuzzedDataProvider is
// clang-only): structure from the front, schedule choices from the back, like FuzzedDataProvider's
// ConsumeBytes / ConsumeIntegral. An exhausted source yields 0 from the front and nothing from the
// back, so every input, however short, is a complete scenario.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace connmgr::fuzz {

class ByteSource {
 public:
  explicit ByteSource(std::span<const std::uint8_t> data) : data_(data) {}

  std::uint8_t take() { return front_ < back_limit() ? data_[front_++] : 0; }
  bool take_bool() { return (take() & 1) != 0; }
  std::uint32_t take_u32() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(take()) << (8 * i);
    return value;
  }
  std::optional<std::uint8_t> take_back() {
    if (front_ >= back_limit()) return std::nullopt;
    return data_[data_.size() - ++back_];
  }
  std::span<const std::uint8_t> rest() const { return data_.subspan(front_, back_limit() - front_); }
  std::size_t front_taken() const { return front_; }
  std::size_t back_taken() const { return back_; }

 private:
  std::size_t back_limit() const { return data_.size() - back_; }
  std::span<const std::uint8_t> data_;
  std::size_t front_ = 0;
  std::size_t back_ = 0;
};

// Bitcoin Core's idiom (src/test/fuzz/util.h): loop while `condition`, at most `limit` times.
#define LIMITED_WHILE(condition, limit) \
  for (unsigned count_down_ = (limit); (condition) && count_down_; --count_down_)

}  // namespace connmgr::fuzz
