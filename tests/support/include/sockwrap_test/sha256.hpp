#pragma once
/// \file
/// SHA-256 (FIPS 180-4), to compare large transfers without keeping them in memory.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sockwrap_test {

/// Incremental SHA-256.
class sha256 {
  public:
    sha256() noexcept;
    /// Adds `size` bytes at `data`.
    void update(const void* data, std::size_t size) noexcept;
    void update(std::string_view data) noexcept { update(data.data(), data.size()); }
    /// The digest as 64 lower-case hex digits. The object must not be updated afterwards.
    std::string hex_digest() noexcept;

  private:
    void compress(const std::uint8_t* block) noexcept;

    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> block_{};
    std::size_t block_used_ = 0;
    std::uint64_t total_bytes_ = 0;
};

/// SHA-256 of `data` as hex.
std::string sha256_hex(std::string_view data);

}  // namespace sockwrap_test
