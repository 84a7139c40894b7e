// 256 MiB through each direct data path, compared by SHA-256: no byte lost, added or moved.

#include <gtest/gtest.h>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"

namespace sockwrap_e2e {
namespace {

constexpr std::size_t block_count = 256;  // 256 MiB

std::string at(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

TEST(integrity, out_carries_256_mib_from_stdin_to_the_socket) {
    auto l = st::listen_tcp();
    auto p = start({"--out", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    // cat sees end-of-file, exits, and the peer reads end-of-file
    expect_whole_transfer(
        p, p.in(), [&] { p.close_in(); }, c.get(), block_count);
}

TEST(integrity, in_carries_256_mib_from_the_socket_to_stdout) {
    auto l = st::listen_tcp();
    auto p = start({"--in", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    expect_whole_transfer(
        p, c.get(), [&] { st::shutdown_write(c.get()); }, p.out(), block_count);
}

TEST(integrity, connect_carries_256_mib_both_ways_at_once_through_cat) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    expect_whole_transfer(
        p, c.get(), [&] { st::shutdown_write(c.get()); }, c.get(), block_count);
}

}  // namespace
}  // namespace sockwrap_e2e
