// Who reaches a sockwrap server on another host: many clients at once with --keep-open, the
// --allow and --deny rules judged on the peers' real addresses, and the loopback default
// that keeps a listener off the network unless told otherwise.

#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

#include "harness.hpp"
#include "keep_open_fixture.hpp"
#include "sockwrap_test/net.hpp"
#include "test_network.hpp"

namespace netns_test {
namespace {

namespace st = sockwrap_test;
using keep_open_test::exchange;
using keep_open_test::server;
using sockwrap_e2e::patience;

// The errno of connecting from the current host to `ip`:`port`, 0 when it connects.
int connect_error(const std::string& ip, std::uint16_t port) {
    try {
        st::connect_tcp(ip, port);
        return 0;
    } catch (const std::system_error& e) {
        return e.code().value();
    }
}

// 200 connections open at once, more than --max-clients (64): the rest wait in the listen
// queue and are served as programs end. Each program answers with its line and the peer
// address it was given, which must be the client host's.
TEST_F(netns, keep_open_answers_200_connections_from_the_other_host) {
    constexpr int connections = 200;
    auto s = on(net().server, [&] {
        return server({}, net().server_ip + ":0",
                      {"/bin/sh", "-c", "read -r line; echo \"$line from $TCPREMOTEIP\""});
    });
    std::vector<redirect::unique_fd> clients = on(net().client, [&] {
        std::vector<redirect::unique_fd> fds;
        for (int i = 0; i < connections; ++i)
            fds.push_back(st::connect_tcp(net().server_ip, s.port()));
        return fds;
    });
    for (int i = 0; i < connections; ++i) {
        ASSERT_TRUE(
            st::write_all(clients[i].get(), "client " + std::to_string(i) + "\n", patience));
        st::shutdown_write(clients[i].get());
    }
    int answered = 0;
    for (int i = 0; i < connections; ++i) {
        const auto reply = st::read_until_eof(clients[i].get(), patience);
        const std::string expected =
            "client " + std::to_string(i) + " from " + net().client_ip + "\n";
        EXPECT_EQ(reply.data, expected);
        if (reply.eof && reply.data == expected) ++answered;
    }
    EXPECT_EQ(answered, connections);
    EXPECT_TRUE(s.wait_for_children(0, patience)) << "zombies or stragglers remain";
    EXPECT_EQ(s.stop(), 0);
}

// --allow: the client host is served (over IPv4, seen through a dual-stack listener as
// ::ffff:a.b.c.d, and over IPv6); the other host is closed at once with no program started.
TEST_F(netns, allow_serves_the_allowed_host_and_refuses_the_other) {
    auto s = on(net().server, [&] {
        return server({"--allow", net().client_ip, "--allow", net().client_ip6, "-v"}, "*:0",
                      {"/bin/echo", "served"});
    });
    on(net().client, [&] {
        EXPECT_EQ(exchange(net().server_ip, s.port()), "served\n");
        EXPECT_EQ(exchange(net().server_ip6, s.port()), "served\n");
    });
    on(net().other, [&] { EXPECT_EQ(exchange(net().server_ip_for_other, s.port()), ""); });
    EXPECT_TRUE(s.wait_for_children(0, patience));
    EXPECT_EQ(s.stop(), 0);
    EXPECT_NE(s.log().find(net().other_ip), std::string::npos) << s.log();
}

// --deny with a prefix: the other host's link is denied, the client host is served.
TEST_F(netns, deny_refuses_the_denied_subnet_and_serves_the_other_host) {
    auto s = on(net().server, [&] {
        return server({"--deny", net().other_subnet}, "*:0", {"/bin/echo", "served"});
    });
    on(net().other, [&] { EXPECT_EQ(exchange(net().server_ip_for_other, s.port()), ""); });
    on(net().client, [&] { EXPECT_EQ(exchange(net().server_ip, s.port()), "served\n"); });
    EXPECT_TRUE(s.wait_for_children(0, patience));
    EXPECT_EQ(s.stop(), 0);
}

// A single-connection --listen refuses the denied host and goes on waiting for an allowed one.
TEST_F(netns, single_listen_refuses_the_other_host_then_serves_the_allowed_one) {
    auto l = on(net().server, [&] {
        return sockwrap_e2e::start_listening(
            "--listen", {"--allow", net().client_ip, "/bin/echo", "served"}, {}, "*:0");
    });
    ASSERT_NE(l.port, 0);
    on(net().other, [&] { EXPECT_EQ(exchange(net().server_ip_for_other, l.port), ""); });
    EXPECT_TRUE(l.proc.running()) << "the refused peer ended the listener";
    on(net().client, [&] { EXPECT_EQ(exchange(net().server_ip, l.port), "served\n"); });
    EXPECT_EQ(l.proc.wait_for(patience), 0);
}

// `:PORT` binds the server host's loopback only: served there, refused from the other host.
TEST_F(netns, loopback_default_is_out_of_reach_of_the_other_host) {
    auto s = on(net().server, [&] { return server({}, ":0", {"/bin/echo", "hi"}); });
    on(net().server, [&] { EXPECT_EQ(exchange("127.0.0.1", s.port()), "hi\n"); });
    on(net().client, [&] {
        EXPECT_EQ(connect_error(net().server_ip, s.port()), ECONNREFUSED);
        EXPECT_EQ(connect_error(net().server_ip6, s.port()), ECONNREFUSED);
    });
    EXPECT_EQ(s.stop(), 0);
}

// `*:PORT` is reachable from both other hosts on every address; a listener on one address of
// the server host only on that one.
TEST_F(netns, every_interface_or_an_own_address_is_reachable_from_the_other_host) {
    auto any = on(net().server, [&] { return server({}, "*:0", {"/bin/echo", "hi"}); });
    on(net().client, [&] {
        EXPECT_EQ(exchange(net().server_ip, any.port()), "hi\n");
        EXPECT_EQ(exchange(net().server_ip6, any.port()), "hi\n");
    });
    on(net().other, [&] { EXPECT_EQ(exchange(net().server_ip_for_other, any.port()), "hi\n"); });
    EXPECT_EQ(any.stop(), 0);

    auto own = on(net().server, [&] {
        return server({}, net().server_ip + ":0", {"/bin/echo", "hi"});
    });
    on(net().client, [&] { EXPECT_EQ(exchange(net().server_ip, own.port()), "hi\n"); });
    on(net().other,
       [&] { EXPECT_EQ(connect_error(net().server_ip_for_other, own.port()), ECONNREFUSED); });
    EXPECT_EQ(own.stop(), 0);
}

}  // namespace
}  // namespace netns_test
