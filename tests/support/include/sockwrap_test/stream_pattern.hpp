#pragma once
/// \file
/// A large, reproducible byte stream and its receiving end, to prove a transfer exact without
/// keeping it in memory: no byte lost, added, repeated or moved.

#include <chrono>
#include <cstddef>
#include <string>

namespace sockwrap_test {

/// The stream is cut into blocks of this size (1 MiB).
inline constexpr std::size_t pattern_block_size = std::size_t{1} << 20;

/// Block `i` of the stream: pseudo-random bytes (xorshift) with `i` stamped in its first eight
/// bytes, so a repeated or reordered block changes the digest.
std::string pattern_block(std::size_t i);

/// SHA-256 (hex) of blocks 0 to `count` - 1.
std::string pattern_digest(std::size_t count);

/// Writes blocks 0 to `count` - 1 to `fd`, each write bounded by `timeout`. False if one
/// fails or times out.
bool send_pattern(int fd, std::size_t count, std::chrono::milliseconds timeout);

/// What arrived on a descriptor read to its end.
struct received_stream {
    std::string digest;     ///< SHA-256 (hex) of every byte read
    std::size_t bytes = 0;  ///< how many bytes were read
    bool eof = false;       ///< reading ended at end-of-file (not a timeout, error or the cap)
};

/// Reads `fd` to end-of-file, hashing as it goes. Each wait is bounded by `timeout`, and
/// reading stops once more than `max_bytes` arrived (eof stays false then).
received_stream receive_hashed(int fd, std::size_t max_bytes, std::chrono::milliseconds timeout);

}  // namespace sockwrap_test
