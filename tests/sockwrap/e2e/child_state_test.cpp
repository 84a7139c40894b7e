// What the child gets: exactly fds 0, 1, 2, default signal handling, tcpserver's variables.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/proc.hpp"

namespace sockwrap_e2e {
namespace {

// The pid of sockwrap's child once it has exec'd `name` (0 if that does not happen in time).
pid_t child_running(pid_t sockwrap, const std::string& name) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    std::vector<pid_t> children;
    while ((children = st::children_of(sockwrap)).empty() &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    if (children.empty() || !st::wait_until_command(children.front(), name, patience)) return 0;
    return children.front();
}

TEST(child, has_exactly_fds_0_1_2_and_default_signal_state) {
    int leak[2];
    ASSERT_EQ(::pipe(leak), 0);  // deliberately not close-on-exec: sockwrap must not pass it on
    auto l = st::listen_tcp();
    st::process_options o;
    o.extra_fds = {leak[0]};
    o.blocked_signals = {SIGUSR1, SIGTERM};
    // The shell makes SIGINT and SIGUSR2 ignored, which exec keeps; sockwrap must undo it.
    auto p = st::process({"sh", "-c", "trap '' INT USR2; exec \"$0\" \"$@\"", binary(), "--connect",
                          "127.0.0.1:" + std::to_string(l.port), "cat"},
                         o);
    ::close(leak[0]);
    ::close(leak[1]);
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    pid_t child = child_running(p.pid(), "cat");
    ASSERT_NE(child, 0);
    ASSERT_TRUE(st::wait_until_sleeping(child, patience));
    EXPECT_EQ(st::open_fds(child), (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(st::status_mask(child, "SigBlk"), 0u);
    EXPECT_EQ(st::status_mask(child, "SigIgn"), 0u);
    // ... while sockwrap itself really had them blocked and ignored.
    EXPECT_NE(st::status_mask(p.pid(), "SigBlk") & (1u << (SIGUSR1 - 1)), 0u);
    EXPECT_NE(st::status_mask(p.pid(), "SigIgn") & (1u << (SIGUSR2 - 1)), 0u);
    st::shutdown_write(c.get());
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(child, no_copy_of_the_connection_stays_in_the_child_when_sockwrap_holds_fd_0) {
    // sockwrap started with stdin closed: its sockets must not land on fd 0.
    auto l = st::listen_tcp();
    auto p = st::process({"sh", "-c", "exec \"$0\" \"$@\" <&-", binary(), "--out",
                          "127.0.0.1:" + std::to_string(l.port), "sh", "-c",
                          "ls -l /proc/$$/fd/ | grep -c socket"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "1\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

std::map<std::string, std::string> parse_env(const std::string& text) {
    std::map<std::string, std::string> vars;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        std::string line = text.substr(start, end - start);
        auto eq = line.find('=');
        if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return vars;
}

TEST(child, environment_describes_the_connection_when_connecting) {
    auto l = st::listen_tcp();
    auto p = start({"--out", "127.0.0.1:" + std::to_string(l.port), "env"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    auto env = parse_env(st::read_until_eof(c.get(), patience).data);
    sockaddr_in local{};
    socklen_t len = sizeof local;
    ASSERT_EQ(::getpeername(c.get(), reinterpret_cast<sockaddr*>(&local), &len), 0);
    EXPECT_EQ(env["PROTO"], "TCP");
    EXPECT_EQ(env["TCPLOCALIP"], "127.0.0.1");
    EXPECT_EQ(env["TCPLOCALPORT"], std::to_string(ntohs(local.sin_port)));
    EXPECT_EQ(env["TCPREMOTEIP"], "127.0.0.1");
    EXPECT_EQ(env["TCPREMOTEPORT"], std::to_string(l.port));
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(child, environment_describes_the_connection_when_listening) {
    auto s = start_listening("--listen-out", {"env"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    auto env = parse_env(st::read_until_eof(c.get(), patience).data);
    sockaddr_in mine{};
    socklen_t len = sizeof mine;
    ASSERT_EQ(::getsockname(c.get(), reinterpret_cast<sockaddr*>(&mine), &len), 0);
    EXPECT_EQ(env["PROTO"], "TCP");
    EXPECT_EQ(env["TCPLOCALPORT"], std::to_string(s.port));
    EXPECT_EQ(env["TCPREMOTEPORT"], std::to_string(ntohs(mine.sin_port)));
    EXPECT_EQ(env["TCPREMOTEIP"], "127.0.0.1");
    EXPECT_EQ(s.proc.wait_for(patience), 0);
}

TEST(child, environment_for_unix_has_proto_and_no_inherited_tcp_values) {
    st::temp_dir dir;
    auto l = st::listen_unix(dir.file("s"));
    st::process_options o;
    o.env_set = {"TCPREMOTEIP=10.9.8.7", "TCPLOCALPORT=1", "PROTO=TCP", "KEEP_ME=yes"};
    auto p = start({"--out", "unix:" + dir.file("s"), "env"}, o);
    auto c = st::accept_within(l.get(), patience);
    ASSERT_TRUE(c);
    auto env = parse_env(st::read_until_eof(c.get(), patience).data);
    EXPECT_EQ(env["PROTO"], "UNIX");
    EXPECT_EQ(env.count("TCPREMOTEIP"), 0u);
    EXPECT_EQ(env.count("TCPLOCALPORT"), 0u);
    EXPECT_EQ(env["KEEP_ME"], "yes");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(child, argv0_is_the_name_as_written) {
    auto l = st::listen_tcp();
    auto p = start({"--out", "127.0.0.1:" + std::to_string(l.port), "sh", "-c", "echo $0"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "sh\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

}  // namespace
}  // namespace sockwrap_e2e
