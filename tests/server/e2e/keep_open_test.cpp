// sockwrap --keep-open end to end: real sockets on loopback, every wait bounded.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "keep_open_fixture.hpp"
#include "redirect/socket.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/proc.hpp"

namespace {

using namespace keep_open_test;
using sockwrap_test::alive;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size()))
        ++n;
    return n;
}

TEST(keep_open, every_connection_gets_a_fresh_program) {
    server s({}, ":0", {"sh", "-c", "echo $$"});
    std::set<std::string> pids;
    for (int i = 0; i < 5; ++i) {
        std::string reply = exchange("127.0.0.1", s.port());
        ASSERT_FALSE(reply.empty());
        ASSERT_EQ(reply.back(), '\n') << reply;
        pids.insert(reply);
    }
    EXPECT_EQ(pids.size(), 5u);
    EXPECT_EQ(s.stop(), 0);
}

TEST(keep_open, connections_are_served_concurrently) {
    // Each child waits for its own client's line: a server serving one at a time would stall
    // the second client while the first is still connected.
    server s({}, ":0", {"sh", "-c", "read line; echo \"got $line\""});
    auto first = sockwrap_test::connect_tcp("127.0.0.1", s.port());
    auto second = sockwrap_test::connect_tcp("127.0.0.1", s.port());
    ASSERT_TRUE(sockwrap_test::write_all(second.get(), "two\n", 5s));
    EXPECT_EQ(sockwrap_test::read_until_eof(second.get(), 10s).data, "got two\n");
    ASSERT_TRUE(sockwrap_test::write_all(first.get(), "one\n", 5s));
    EXPECT_EQ(sockwrap_test::read_until_eof(first.get(), 10s).data, "got one\n");
    EXPECT_EQ(s.stop(), 0);
}

TEST(keep_open, environment_describes_each_connection) {
    // Each child reports, then stays until its client closes, so the second sees two served.
    server s(
        {}, ":0",
        {"sh", "-c",
         "echo \"$PROTO $TCPLOCALIP $TCPLOCALPORT $TCPREMOTEIP $TCPCONNNUM\"; cat >/dev/null"});
    std::string expected = "TCP 127.0.0.1 " + std::to_string(s.port()) + " 127.0.0.1 ";
    auto first = sockwrap_test::connect_tcp("127.0.0.1", s.port());
    EXPECT_EQ(sockwrap_test::read_lines(first.get(), 1, 10s).data, expected + "1\n");
    auto second = sockwrap_test::connect_tcp("127.0.0.1", s.port());
    EXPECT_EQ(sockwrap_test::read_lines(second.get(), 1, 10s).data, expected + "2\n");
    for (auto* c : {&first, &second}) {
        sockwrap_test::shutdown_write(c->get());
        EXPECT_TRUE(sockwrap_test::read_until_eof(c->get(), 10s).eof);
    }
    EXPECT_EQ(s.stop(), 0);
}

TEST(keep_open, child_has_exactly_fds_0_1_2_on_every_connection) {
    server s({}, ":0", {"cat"});
    std::vector<redirect::unique_fd> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(sockwrap_test::connect_tcp("127.0.0.1", s.port()));
        ASSERT_TRUE(s.wait_for_children(clients.size(), 10s)) << s.log();
    }
    for (pid_t child : s.children()) {
        // Before its exec, a child still shows its parent's descriptors.
        ASSERT_TRUE(sockwrap_test::wait_until_command(child, "cat", 10s));
        ASSERT_TRUE(sockwrap_test::wait_until_sleeping(child, 10s));
        EXPECT_EQ(sockwrap_test::open_fds(child), (std::vector<int>{0, 1, 2})) << "pid " << child;
    }
    for (auto& c : clients) {
        ASSERT_TRUE(sockwrap_test::write_all(c.get(), "echo\n", 5s));
        sockwrap_test::shutdown_write(c.get());
        EXPECT_EQ(sockwrap_test::read_until_eof(c.get(), 10s).data, "echo\n");
    }
    EXPECT_TRUE(s.wait_for_children(0, 10s));
    EXPECT_EQ(s.stop(), 0);
}

TEST(keep_open, verbose_log_names_each_peer_and_each_exit) {
    server s({"-v"}, ":0", {"sh", "-c", "exit 3"});
    auto client = sockwrap_test::connect_tcp("127.0.0.1", s.port());
    auto local = redirect::local_address(client.get());
    EXPECT_TRUE(sockwrap_test::read_until_eof(client.get(), 10s).eof);
    ASSERT_TRUE(s.wait_for_children(0, 10s));
    EXPECT_EQ(s.stop(), 0);
    std::string log = s.log();
    EXPECT_TRUE(contains(log, "connected by " + local.to_string() + " at ")) << log;
    EXPECT_TRUE(contains(log, "exited with status 3")) << log;
}

TEST(keep_open, max_clients_holds_the_rest_in_the_backlog) {
    // Each child appends "+" when it starts and "-" before it ends: the running count over
    // that journal is the number of children alive at once, whatever the timing.
    sockwrap_test::temp_dir dir;
    std::string journal = dir.file("journal");
    server s({"--max-clients", "2"}, ":0",
             {"sh", "-c", "echo + >>\"$0\"; sleep 0.2; echo - >>\"$0\"; echo served", journal});
    constexpr int clients = 8;
    std::vector<redirect::unique_fd> connections;
    for (int i = 0; i < clients; ++i)
        connections.push_back(sockwrap_test::connect_tcp("127.0.0.1", s.port()));
    std::size_t peak_seen = 0;
    for (auto& c : connections) {
        // While waiting, sample the live children as a second, independent witness.
        sockwrap_test::read_result reply;
        auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!reply.eof && reply.error == 0 && std::chrono::steady_clock::now() < deadline) {
            peak_seen = std::max(peak_seen, s.children().size());
            auto part = sockwrap_test::read_until_eof(c.get(), 20ms);
            reply.data += part.data;
            reply.eof = part.eof;
            reply.error = part.error;
        }
        EXPECT_EQ(reply.data, "served\n");
        c.reset();
    }
    int running = 0;
    int peak = 0;
    std::string entries = read_file(journal);
    for (char c : entries) {
        if (c == '+') peak = std::max(peak, ++running);
        if (c == '-') --running;
    }
    EXPECT_EQ(std::count(entries.begin(), entries.end(), '+'), clients);
    EXPECT_LE(peak, 2) << entries;
    EXPECT_LE(peak_seen, 2u);
    EXPECT_EQ(s.stop(), 0);
}

// A client from `ip` (the server listens where that client can reach it) and what it got.
std::string reply_to(const server& s, const std::string& ip) {
    return exchange(ip, s.port(), "", 10s);
}

TEST(keep_open_access, denied_ipv4_peer_gets_eof_and_nothing_runs) {
    sockwrap_test::temp_dir dir;
    std::string marker = dir.file("ran");
    server s({"-v", "--deny", "127.0.0.0/8"}, ":0", {"sh", "-c", "echo ran >>\"$0\"", marker});
    EXPECT_EQ(reply_to(s, "127.0.0.1"), "");
    EXPECT_EQ(s.stop(), 0);
    EXPECT_EQ(read_file(marker), "");
    EXPECT_TRUE(contains(s.log(), "refused 127.0.0.1:")) << s.log();
}

TEST(keep_open_access, allow_list_admits_only_its_blocks) {
    server allowed({"--allow", "10.0.0.0/8", "--allow", "127.0.0.1"}, ":0", {"echo", "hi"});
    EXPECT_EQ(reply_to(allowed, "127.0.0.1"), "hi\n");
    server refused({"--allow", "10.0.0.0/8", "--allow", "127.0.0.2"}, ":0", {"echo", "hi"});
    EXPECT_EQ(reply_to(refused, "127.0.0.1"), "");
    server deny_wins({"--allow", "127.0.0.0/8", "--deny", "127.0.0.1"}, ":0", {"echo", "hi"});
    EXPECT_EQ(reply_to(deny_wins, "127.0.0.1"), "");
}

TEST(keep_open_access, ipv6_rules) {
    if (!sockwrap_test::ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback";
    server allowed({"--allow", "::1/128"}, "[::1]:0", {"echo", "hi"});
    EXPECT_EQ(reply_to(allowed, "::1"), "hi\n");
    server denied({"--deny", "::/0"}, "[::1]:0", {"echo", "hi"});
    EXPECT_EQ(reply_to(denied, "::1"), "");
    server other_block({"--allow", "fd00::/8"}, "[::1]:0", {"echo", "hi"});
    EXPECT_EQ(reply_to(other_block, "::1"), "");
}

TEST(keep_open_access, mixed_list_on_a_dual_stack_listener) {
    if (!sockwrap_test::ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback";
    // An IPv4 client of a dual-stack listener arrives as ::ffff:127.0.0.1 and is judged by the
    // IPv4 rules.
    server s({"--allow", "127.0.0.1", "--deny", "::1"}, "[::]:0", {"echo", "hi"});
    EXPECT_EQ(reply_to(s, "127.0.0.1"), "hi\n");
    EXPECT_EQ(reply_to(s, "::1"), "");
    server v4_denied({"--deny", "127.0.0.0/8"}, "[::]:0", {"echo", "hi"});
    EXPECT_EQ(reply_to(v4_denied, "127.0.0.1"), "");
    EXPECT_EQ(reply_to(v4_denied, "::1"), "hi\n");
}

TEST(keep_open_shutdown, sigterm_reaches_every_child_and_leaves_none) {
    server s({}, ":0", {"sleep", "30"});
    std::vector<redirect::unique_fd> clients;
    for (int i = 0; i < 3; ++i)
        clients.push_back(sockwrap_test::connect_tcp("127.0.0.1", s.port()));
    ASSERT_TRUE(s.wait_for_children(3, 10s));
    auto children = s.children();
    EXPECT_EQ(s.stop(10s), 0);
    for (pid_t child : children)
        EXPECT_FALSE(alive(child)) << "pid " << child;
    for (auto& c : clients)
        EXPECT_TRUE(sockwrap_test::read_until_eof(c.get(), 10s).eof);
}

TEST(keep_open_shutdown, children_ignoring_the_signal_are_killed_after_the_grace) {
    server s({"--grace", "0.3"}, ":0", {"sh", "-c", "trap '' TERM INT HUP; exec sleep 30"});
    std::vector<redirect::unique_fd> clients;
    for (int i = 0; i < 2; ++i)
        clients.push_back(sockwrap_test::connect_tcp("127.0.0.1", s.port()));
    ASSERT_TRUE(s.wait_for_children(2, 10s));
    auto children = s.children();
    EXPECT_EQ(s.stop(10s), 0);
    for (pid_t child : children)
        EXPECT_FALSE(alive(child)) << "pid " << child;
}

TEST(keep_open_shutdown, listener_is_closed_at_once) {
    server s({"--grace", "5"}, ":0", {"sh", "-c", "trap '' TERM; exec sleep 30"});
    auto client = sockwrap_test::connect_tcp("127.0.0.1", s.port());
    ASSERT_TRUE(s.wait_for_children(1, 10s));
    s.process().signal(SIGTERM);
    // During the grace period nobody new is taken in: connecting is refused.
    bool refused = false;
    for (int i = 0; i < 200 && !refused; ++i) {
        try {
            sockwrap_test::connect_tcp("127.0.0.1", s.port());
            std::this_thread::sleep_for(10ms);
        } catch (const std::system_error& e) {
            refused = e.code().value() == ECONNREFUSED;
        }
    }
    EXPECT_TRUE(refused);
    s.process().signal(SIGTERM);  // a second signal ends the wait at once
    EXPECT_EQ(s.process().wait_for(10s), 0);
}

TEST(keep_open_limits, low_descriptor_limit_serves_everyone_eventually) {
    // 32 descriptors leave room for far fewer children than clients: the rest wait in the
    // backlog until descriptors are free again.
    server s({}, ":0", {"sh", "-c", "sleep 0.1; echo hi"},
             {"sh", "-c", "ulimit -n 32 && exec \"$@\"", "sh"});
    constexpr int clients = 60;
    std::vector<redirect::unique_fd> connections;
    for (int i = 0; i < clients; ++i)
        connections.push_back(sockwrap_test::connect_tcp("127.0.0.1", s.port()));
    for (auto& c : connections) {
        EXPECT_EQ(sockwrap_test::read_until_eof(c.get(), 30s).data, "hi\n");
        c.reset();  // lets the server finish its lingering close at once
    }
    EXPECT_EQ(s.stop(), 0);
}

TEST(keep_open_limits, descriptor_limit_lowered_while_running_is_survived) {
    // Lowered behind the server's back: accept() itself fails with EMFILE, which must be
    // waited out, not fatal.
    server s({}, ":0", {"sh", "-c", "sleep 0.1; echo hi"});
    rlimit low{24, 24};
    ASSERT_EQ(::prlimit(s.pid(), RLIMIT_NOFILE, &low, nullptr), 0);
    constexpr int clients = 40;
    std::vector<redirect::unique_fd> connections;
    for (int i = 0; i < clients; ++i)
        connections.push_back(sockwrap_test::connect_tcp("127.0.0.1", s.port()));
    for (auto& c : connections) {
        EXPECT_EQ(sockwrap_test::read_until_eof(c.get(), 30s).data, "hi\n");
        c.reset();  // lets the server finish its lingering close at once
    }
    // One shortage, one report (not one per failed accept()).
    EXPECT_EQ(count_of(s.log(), "accept: too many open files"), 1u) << s.log();
    EXPECT_EQ(s.stop(), 0);
}

}  // namespace
