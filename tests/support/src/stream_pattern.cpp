#include "sockwrap_test/stream_pattern.hpp"

#include <cstdint>

#include "sockwrap_test/io.hpp"
#include "sockwrap_test/sha256.hpp"

namespace sockwrap_test {

std::string pattern_block(std::size_t i) {
    static const std::string base = [] {
        std::string s(pattern_block_size, '\0');
        std::uint64_t x = 0x9e3779b97f4a7c15ULL;
        for (char& byte : s) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            byte = static_cast<char>(x >> 56);
        }
        return s;
    }();
    std::string block = base;
    for (int b = 0; b < 8; ++b)
        block[b] = static_cast<char>(i >> (8 * b));
    return block;
}

std::string pattern_digest(std::size_t count) {
    sha256 h;
    for (std::size_t i = 0; i < count; ++i)
        h.update(pattern_block(i));
    return h.hex_digest();
}

bool send_pattern(int fd, std::size_t count, std::chrono::milliseconds timeout) {
    for (std::size_t i = 0; i < count; ++i)
        if (!write_all(fd, pattern_block(i), timeout)) return false;
    return true;
}

received_stream receive_hashed(int fd, std::size_t max_bytes, std::chrono::milliseconds timeout) {
    sha256 h;
    received_stream r;
    // Each round reads about a block: any cap is passed by at most one round, so the loop is
    // bounded by max_bytes as well as by the timeouts.
    while (r.bytes <= max_bytes) {
        auto part = read_until(
            fd, [](const std::string& s) { return s.size() >= pattern_block_size; }, timeout);
        h.update(part.data);
        r.bytes += part.data.size();
        if (part.timed_out || part.error != 0) break;
        if (part.eof) {
            r.eof = r.bytes <= max_bytes;
            break;
        }
    }
    r.digest = h.hex_digest();
    return r;
}

}  // namespace sockwrap_test
