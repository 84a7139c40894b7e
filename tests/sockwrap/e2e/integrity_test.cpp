// 256 MiB through each direct data path, compared by SHA-256: no byte lost, added or moved.

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/sha256.hpp"

namespace sockwrap_e2e {
namespace {

constexpr std::size_t chunk_size = 1 << 20;
constexpr std::size_t chunk_count = 256;  // 256 MiB

// Chunk i: pseudo-random bytes (xorshift), with i stamped in front so that a repeated or
// reordered chunk changes the digest.
std::string chunk(std::size_t i) {
    static const std::string base = [] {
        std::string s(chunk_size, '\0');
        std::uint64_t x = 0x9e3779b97f4a7c15ULL;
        for (char& byte : s) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            byte = static_cast<char>(x >> 56);
        }
        return s;
    }();
    std::string c = base;
    for (int b = 0; b < 8; ++b)
        c[b] = static_cast<char>(i >> (8 * b));
    return c;
}

const std::string& expected_digest() {
    static const std::string digest = [] {
        st::sha256 h;
        for (std::size_t i = 0; i < chunk_count; ++i)
            h.update(chunk(i));
        return h.hex_digest();
    }();
    return digest;
}

// Writes the whole stream to `fd` on a thread; the flag says whether every byte went out.
std::thread send_stream(int fd, bool& ok) {
    return std::thread([fd, &ok] {
        ok = true;
        for (std::size_t i = 0; i < chunk_count && ok; ++i)
            ok = st::write_all(fd, chunk(i), patience);
    });
}

struct received {
    std::string digest;
    std::size_t bytes = 0;
    bool eof = false;
};

received receive_stream(int fd) {
    st::sha256 h;
    received r;
    std::size_t expected = chunk_size * chunk_count;
    while (r.bytes < expected) {
        auto part = st::read_until(
            fd, [](const std::string& s) { return s.size() >= chunk_size; }, patience);
        h.update(part.data);
        r.bytes += part.data.size();
        if (part.eof || part.timed_out || part.error) break;
    }
    r.eof = st::read_until_eof(fd, patience).eof;
    r.digest = h.hex_digest();
    return r;
}

std::string at(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

// Sends the pattern into `send_fd`, ends that input with `end_input` once all is written, and
// checks that exactly the pattern arrives, then end-of-file, on `receive_fd`, and that
// sockwrap exits 0.
void expect_whole_transfer(st::process& p, int send_fd, const std::function<void()>& end_input,
                           int receive_fd) {
    bool sent = false;
    auto sender = send_stream(send_fd, sent);
    std::thread closer([&] {
        sender.join();
        end_input();
    });
    auto r = receive_stream(receive_fd);
    closer.join();
    EXPECT_TRUE(sent);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.bytes, chunk_size * chunk_count);
    EXPECT_EQ(r.digest, expected_digest());
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(integrity, out_carries_256_mib_from_stdin_to_the_socket) {
    auto l = st::listen_tcp();
    auto p = start({"--out", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    // cat sees end-of-file, exits, and the peer reads end-of-file
    expect_whole_transfer(
        p, p.in(), [&] { p.close_in(); }, c.get());
}

TEST(integrity, in_carries_256_mib_from_the_socket_to_stdout) {
    auto l = st::listen_tcp();
    auto p = start({"--in", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    expect_whole_transfer(
        p, c.get(), [&] { st::shutdown_write(c.get()); }, p.out());
}

TEST(integrity, connect_carries_256_mib_both_ways_at_once_through_cat) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    expect_whole_transfer(
        p, c.get(), [&] { st::shutdown_write(c.get()); }, c.get());
}

}  // namespace
}  // namespace sockwrap_e2e
