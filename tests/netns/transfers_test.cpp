// sockwrap between two hosts: 64 MiB through each data path, exact to the byte (SHA-256), and
// half-close honoured across the link. The server side runs on one network namespace, the
// client side on another, joined by a veth pair (test_network.hpp). The link is a perfect
// one: loss and delay would need tc's netem qdisc, which this kernel does not have.

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"
#include "test_network.hpp"

namespace netns_test {
namespace {

namespace st = sockwrap_test;
using sockwrap_e2e::patience;

constexpr std::size_t block_count = 64;  // 64 MiB

TEST_F(netns, out_carries_64_mib_exactly_to_a_listener_on_the_other_host) {
    auto l = on(net().server, [&] { return st::listen_tcp(net().server_ip); });
    auto p = on(net().client, [&] {
        return sockwrap_e2e::start({"--out", endpoint(net().server_ip, l.port), "cat"});
    });
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    sockwrap_e2e::expect_whole_transfer(
        p, p.in(), [&] { p.close_in(); }, c.get(), block_count);
}

TEST_F(netns, in_carries_64_mib_exactly_from_a_listener_on_the_other_host) {
    auto l = on(net().server, [&] { return st::listen_tcp(net().server_ip); });
    auto p = on(net().client, [&] {
        return sockwrap_e2e::start({"--in", endpoint(net().server_ip, l.port), "cat"});
    });
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    sockwrap_e2e::expect_whole_transfer(
        p, c.get(), [&] { st::shutdown_write(c.get()); }, p.out(), block_count);
}

// `--listen *:0 cat` echoes what the other host sends, over IPv4 and over IPv6.
TEST_F(netns, listen_on_every_interface_echoes_64_mib_to_the_other_host) {
    for (const std::string& server_ip : {net().server_ip, net().server_ip6}) {
        SCOPED_TRACE(server_ip);
        auto echo = on(net().server, [&] {
            return sockwrap_e2e::start_listening("--listen", {"cat"}, {}, "*:0");
        });
        ASSERT_NE(echo.port, 0);
        auto c = on(net().client, [&] { return st::connect_tcp(server_ip, echo.port); });
        sockwrap_e2e::expect_whole_transfer(
            echo.proc, c.get(), [&] { st::shutdown_write(c.get()); }, c.get(), block_count);
    }
}

// Without PROGRAM on either side: the client's stdin reaches the server's stdout and the
// server's stdin the client's stdout, 64 MiB each way at once, and both end at end-of-file.
TEST_F(netns, relays_without_program_carry_64_mib_each_way_between_the_hosts) {
    auto server = on(net().server, [&] {
        return sockwrap_e2e::start_listening("--listen", {}, {}, net().server_ip + ":0");
    });
    ASSERT_NE(server.port, 0);
    auto client = on(net().client, [&] {
        return sockwrap_e2e::start({"--connect", endpoint(net().server_ip, server.port)});
    });
    sockwrap_e2e::transfer up;
    std::thread upward([&] {
        up = sockwrap_e2e::whole_transfer(
            client.in(), [&] { client.close_in(); }, server.proc.out(), block_count);
    });
    const sockwrap_e2e::transfer down = sockwrap_e2e::whole_transfer(
        server.proc.in(), [&] { server.proc.close_in(); }, client.out(), block_count);
    upward.join();
    sockwrap_e2e::expect_exact(up, block_count);
    sockwrap_e2e::expect_exact(down, block_count);
    EXPECT_EQ(client.wait_for(patience), 0);
    EXPECT_EQ(server.proc.wait_for(patience), 0);
}

// 50,000 distinct lines in a scrambled order (about 1 MiB: more than the socket buffers
// hold, so sort reads while the client still sends), and the same lines sorted.
struct sort_case {
    std::string input, sorted;
};

sort_case lines_to_sort() {
    constexpr std::size_t count = 50000;
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < count; ++i)
        lines.push_back("line " + std::to_string((i * 7919) % count) + "\n");  // 7919 is prime
    sort_case c;
    for (const auto& l : lines)
        c.input += l;
    std::sort(lines.begin(), lines.end());
    for (const auto& l : lines)
        c.sorted += l;
    return c;
}

st::process_options sort_in_byte_order() {
    st::process_options o;
    o.env_set = {"LC_ALL=C"};
    return o;
}

// The client sends everything and shuts down its writing side; sort, which answers only
// after end-of-input, then answers on the same connection.
TEST_F(netns, sort_answers_a_client_on_the_other_host_after_it_shuts_down_writing) {
    const sort_case lines = lines_to_sort();
    auto sorter = on(net().server, [&] {
        return sockwrap_e2e::start_listening("--listen", {"sort"}, sort_in_byte_order(),
                                             net().server_ip + ":0");
    });
    ASSERT_NE(sorter.port, 0);
    auto c = on(net().client, [&] { return st::connect_tcp(net().server_ip, sorter.port); });
    ASSERT_TRUE(st::write_all(c.get(), lines.input, patience));
    st::shutdown_write(c.get());
    const auto answer = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(answer.eof);
    EXPECT_TRUE(answer.data == lines.sorted)
        << "sorted answer of " << answer.data.size() << " bytes, expected " << lines.sorted.size();
    EXPECT_EQ(sorter.proc.wait_for(patience), 0);
}

// The same with sockwrap as the client too: end of its stdin becomes the shutdown.
TEST_F(netns, sort_answers_a_sockwrap_client_on_the_other_host_after_its_stdin_ends) {
    const sort_case lines = lines_to_sort();
    auto sorter = on(net().server, [&] {
        return sockwrap_e2e::start_listening("--listen", {"sort"}, sort_in_byte_order(),
                                             net().server_ip + ":0");
    });
    ASSERT_NE(sorter.port, 0);
    auto client = on(net().client, [&] {
        return sockwrap_e2e::start({"--connect", endpoint(net().server_ip, sorter.port)});
    });
    bool sent = false;
    std::thread sender([&] {
        sent = st::write_all(client.in(), lines.input, patience);
        client.close_in();
    });
    const auto answer = st::read_until_eof(client.out(), patience);
    sender.join();
    EXPECT_TRUE(sent);
    EXPECT_TRUE(answer.eof);
    EXPECT_TRUE(answer.data == lines.sorted)
        << "sorted answer of " << answer.data.size() << " bytes, expected " << lines.sorted.size();
    EXPECT_EQ(client.wait_for(patience), 0);
    EXPECT_EQ(sorter.proc.wait_for(patience), 0);
}

}  // namespace
}  // namespace netns_test
