#pragma once
// A bounds-checked reader over a byte span. Every read returns std::optional and never
// throws; a failed read leaves the position unchanged so callers can report where input
// ended. Views returned by take() alias the underlying buffer and live only as long as it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rustnet::core {

using Bytes = std::span<const std::uint8_t>;

class Cursor {
public:
  constexpr Cursor() = default;
  constexpr explicit Cursor(Bytes data) : data_(data) {}

  [[nodiscard]] constexpr std::size_t remaining() const { return data_.size() - pos_; }
  [[nodiscard]] constexpr std::size_t position() const { return pos_; }
  [[nodiscard]] constexpr bool empty() const { return remaining() == 0; }
  [[nodiscard]] constexpr Bytes rest() const { return data_.subspan(pos_); }
  [[nodiscard]] constexpr Bytes whole() const { return data_; }

  constexpr std::optional<std::uint8_t> u8() {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_++];
  }
  constexpr std::optional<std::uint16_t> be16() {
    if (remaining() < 2) return std::nullopt;
    auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  constexpr std::optional<std::uint32_t> be24() {
    if (remaining() < 3) return std::nullopt;
    auto v = (std::uint32_t{data_[pos_]} << 16) | (std::uint32_t{data_[pos_ + 1]} << 8) |
             std::uint32_t{data_[pos_ + 2]};
    pos_ += 3;
    return v;
  }
  constexpr std::optional<std::uint32_t> be32() {
    if (remaining() < 4) return std::nullopt;
    auto v = peekBe32Unchecked(pos_);
    pos_ += 4;
    return v;
  }
  constexpr std::optional<std::uint64_t> be64() {
    if (remaining() < 8) return std::nullopt;
    auto v = (std::uint64_t{peekBe32Unchecked(pos_)} << 32) | peekBe32Unchecked(pos_ + 4);
    pos_ += 8;
    return v;
  }
  constexpr std::optional<std::uint16_t> le16() {
    if (remaining() < 2) return std::nullopt;
    auto v = static_cast<std::uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  constexpr std::optional<std::uint32_t> le32() {
    if (remaining() < 4) return std::nullopt;
    auto v = std::uint32_t{data_[pos_]} | (std::uint32_t{data_[pos_ + 1]} << 8) |
             (std::uint32_t{data_[pos_ + 2]} << 16) | (std::uint32_t{data_[pos_ + 3]} << 24);
    pos_ += 4;
    return v;
  }
  // QUIC variable-length integer (RFC 9000 §16).
  constexpr std::optional<std::uint64_t> varint() {
    if (remaining() < 1) return std::nullopt;
    const std::size_t len = std::size_t{1} << (data_[pos_] >> 6);
    if (remaining() < len) return std::nullopt;
    std::uint64_t v = data_[pos_] & 0x3f;
    for (std::size_t i = 1; i < len; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += len;
    return v;
  }
  constexpr std::optional<Bytes> take(std::size_t n) {
    if (remaining() < n) return std::nullopt;
    auto v = data_.subspan(pos_, n);
    pos_ += n;
    return v;
  }
  constexpr bool skip(std::size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  constexpr std::optional<std::uint8_t> peekU8(std::size_t offset = 0) const {
    if (remaining() <= offset) return std::nullopt;
    return data_[pos_ + offset];
  }
  constexpr std::optional<std::uint16_t> peekBe16(std::size_t offset = 0) const {
    if (remaining() < offset + 2) return std::nullopt;
    return static_cast<std::uint16_t>((data_[pos_ + offset] << 8) | data_[pos_ + offset + 1]);
  }
  constexpr std::optional<std::uint32_t> peekBe32(std::size_t offset = 0) const {
    if (remaining() < offset + 4) return std::nullopt;
    return peekBe32Unchecked(pos_ + offset);
  }

private:
  constexpr std::uint32_t peekBe32Unchecked(std::size_t at) const {
    return (std::uint32_t{data_[at]} << 24) | (std::uint32_t{data_[at + 1]} << 16) |
           (std::uint32_t{data_[at + 2]} << 8) | std::uint32_t{data_[at + 3]};
  }

  Bytes data_{};
  std::size_t pos_ = 0;
};

}  // namespace rustnet::core
