// The relay of --pty (stdin stays the socket): exact bytes, end-of-file after everything,
// backpressure, a reset peer, and a socket the child shares left blocking.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "pty/pty.hpp"
#include "relay_harness.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/sha256.hpp"
#include "spawn.hpp"

using namespace std::chrono_literals;
using sockwrap::pty_stdin;

namespace {

// Deterministic bytes covering every value, `size` of them starting at `offset`.
std::string pattern(std::size_t offset, std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        const std::size_t n = offset + i;
        out[i] = static_cast<char>((n * 131 + n / 256) & 0xff);
    }
    return out;
}

bool is_blocking(int fd) {
    return (::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0;
}

}  // namespace

TEST(pty_relay, dialog_completes_and_the_shared_socket_stays_blocking) {
    auto tcp = sockwrap_test::connected_tcp_pair();
    auto pty = sockwrap::open_pty(pty_stdin::socket);
    pty_test::child dialog({DIALOG_C}, {tcp.server.get(), pty.slave.get(), 2}, pty.slave.get());
    pty.slave.reset();
    pty_test::running_relay relay(std::move(pty.master), pty_test::dup_cloexec(tcp.server.get()),
                                  pty_stdin::socket);

    std::string transcript;
    for (int i = 0; i < 3; ++i) {
        const std::string question = "question " + std::to_string(i) + "\n";
        auto got = sockwrap_test::read_until_contains(tcp.client.get(), question, 10s);
        ASSERT_FALSE(got.timed_out) << "no " << question << "after: " << transcript;
        transcript += got.data;
        ASSERT_TRUE(
            sockwrap_test::write_all(tcp.client.get(), "answer " + std::to_string(i) + "\n", 10s));
    }
    const auto rest = sockwrap_test::read_until_eof(tcp.client.get(), 10s);
    EXPECT_TRUE(rest.eof);
    transcript += rest.data;
    EXPECT_EQ(transcript,
              "question 0\nchild got [answer 0]\nquestion 1\nchild got [answer 1]\n"
              "question 2\nchild got [answer 2]\n");
    EXPECT_EQ(relay.wait(), std::error_code());
    EXPECT_EQ(dialog.wait_for(10s), 0);
    // The child read its stdin with blocking reads throughout: the relay never made the
    // socket's open file description non-blocking.
    EXPECT_TRUE(is_blocking(tcp.server.get()));
}

TEST(pty_relay, carries_16_mib_through_cat_exactly) {
    constexpr std::size_t total = 16u << 20;
    constexpr std::size_t chunk = 1u << 20;
    auto tcp = sockwrap_test::connected_tcp_pair();
    auto pty = sockwrap::open_pty(pty_stdin::socket);
    pty_test::child cat({"cat"}, {tcp.server.get(), pty.slave.get(), 2}, pty.slave.get());
    pty.slave.reset();
    pty_test::running_relay relay(std::move(pty.master), pty_test::dup_cloexec(tcp.server.get()),
                                  pty_stdin::socket);
    tcp.server.reset();  // the child and the relay hold the connection now

    sockwrap_test::sha256 sent;
    std::thread writer([&] {
        for (std::size_t offset = 0; offset < total; offset += chunk) {
            const std::string data = pattern(offset, chunk);
            sent.update(data);
            if (!sockwrap_test::write_all(tcp.client.get(), data, 60s)) break;
        }
        sockwrap_test::shutdown_write(tcp.client.get());
    });
    const auto got = pty_test::hash_until_eof(tcp.client.get(), 120s);
    writer.join();
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(got.bytes, total);
    EXPECT_EQ(got.sha256, sent.hex_digest());
    EXPECT_EQ(relay.wait(), std::error_code());
    EXPECT_EQ(cat.wait_for(10s), 0);
}

TEST(pty_relay, a_slow_peer_blocks_the_writer_and_nothing_is_lost) {
    auto [peer, side] = sockwrap_test::connected_unix_pair();
    auto pty = sockwrap::open_pty(pty_stdin::socket);
    redirect::set_nonblocking(pty.slave.get(), true);  // the test plays the child
    pty_test::running_relay relay(std::move(pty.master), std::move(side), pty_stdin::socket);

    // Write until the whole chain (pty, relay buffer, socket) is full: the writer is stopped
    // because the peer reads nothing.
    constexpr std::size_t bound = 64u << 20;
    std::size_t written = 0;
    const std::string block = pattern(0, 4096);
    while (written < bound) {
        if (sockwrap_test::poll_for(pty.slave.get(), POLLOUT, 500ms) == 0) break;
        const std::string data = pattern(written, 4096);
        const ssize_t n = ::write(pty.slave.get(), data.data(), data.size());
        if (n > 0) written += static_cast<std::size_t>(n);
    }
    EXPECT_LT(written, bound) << "the writer was never held back";

    const auto got = sockwrap_test::read_until(
        peer.get(), [&](const std::string& data) { return data.size() >= written; }, 30s);
    EXPECT_EQ(got.data.size(), written);
    EXPECT_TRUE(got.data == pattern(0, written)) << "bytes differ";
    pty.slave.reset();  // the "child" is gone: the relay ends and the peer reads end-of-file
    EXPECT_TRUE(sockwrap_test::read_until_eof(peer.get(), 10s).eof);
    EXPECT_EQ(relay.wait(), std::error_code());
}

TEST(pty_relay, a_reset_peer_ends_the_relay_and_hangs_up_the_child) {
    auto tcp = sockwrap_test::connected_tcp_pair();
    auto pty = sockwrap::open_pty(pty_stdin::socket);
    pty_test::child yes({"yes"}, {tcp.server.get(), pty.slave.get(), 2}, pty.slave.get());
    pty.slave.reset();
    pty_test::running_relay relay(std::move(pty.master), pty_test::dup_cloexec(tcp.server.get()),
                                  pty_stdin::socket);
    EXPECT_FALSE(sockwrap_test::read_lines(tcp.client.get(), 100, 10s).timed_out);
    sockwrap_test::close_with_reset(std::move(tcp.client));

    EXPECT_NE(relay.wait(), std::error_code());
    // The terminal hung up: the child dies of SIGHUP (or fails writing) instead of blocking.
    EXPECT_TRUE(yes.wait_for(10s).has_value());
}
