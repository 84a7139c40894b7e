// Every mode with ordinary programs, the relay without PROGRAM, and viewer pairs of two
// sockwraps.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <thread>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"

namespace sockwrap_e2e {
namespace {

std::string port_text(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

TEST(modes, out_sends_program_stdout_and_keeps_stdin_inherited) {
    auto l = st::listen_tcp();
    auto p = start({"--out", port_text(l.port), "cat"});
    ASSERT_TRUE(st::write_all(p.in(), "through stdin\n", patience));
    p.close_in();
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    auto r = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.data, "through stdin\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(modes, in_feeds_program_stdin_and_keeps_stdout_inherited) {
    auto l = st::listen_tcp();
    auto p = start({"--in", port_text(l.port), "sort"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), "pear\napple\n", patience));
    st::shutdown_write(c.get());
    EXPECT_EQ(st::read_until_eof(p.out(), patience).data, "apple\npear\n");
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);  // FIN once sort has exited
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(modes, connect_half_close_gets_sorts_whole_answer) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", port_text(l.port), "sort"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), "3\n1\n2\n", patience));
    st::shutdown_write(c.get());
    auto r = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.data, "1\n2\n3\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(modes, listen_half_close_gets_sorts_whole_answer) {
    auto s = start_listening("--listen", {"sort"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    std::string lines;
    for (int i = 999; i >= 0; --i)
        lines += std::to_string(100000 + i) + "\n";
    ASSERT_TRUE(st::write_all(c.get(), lines, patience));
    st::shutdown_write(c.get());
    auto r = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(r.eof);
    ASSERT_EQ(r.data.size(), lines.size());
    EXPECT_EQ(r.data.substr(0, 14), "100000\n100001\n");
    EXPECT_EQ(s.proc.wait_for(patience), 0);
}

TEST(modes, connect_runs_a_shell_dialog) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", port_text(l.port), "sh", "-c", "read a; echo \"got $a\""});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), "question\n", patience));
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "got question\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(modes, listen_out_binds_only_stdout) {
    auto s = start_listening("--listen-out", {"sh", "-c", "echo to-peer; cat"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    EXPECT_EQ(st::read_lines(c.get(), 1, patience).data, "to-peer\n");
    ASSERT_TRUE(st::write_all(s.proc.in(), "local\n", patience));  // stdin is sockwrap's
    EXPECT_EQ(st::read_lines(c.get(), 1, patience).data, "local\n");
    s.proc.close_in();
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);
    EXPECT_EQ(s.proc.wait_for(patience), 0);
}

TEST(modes, listen_in_binds_only_stdin) {
    auto s = start_listening("--listen-in", {"cat"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    ASSERT_TRUE(st::write_all(c.get(), "from peer\n", patience));
    st::shutdown_write(c.get());
    EXPECT_EQ(st::read_until_eof(s.proc.out(), patience).data, "from peer\n");
    EXPECT_EQ(s.proc.wait_for(patience), 0);
}

TEST(modes, verbose_reports_listener_peer_child_and_end) {
    auto s = start_listening("--listen-out", {"-v", "echo", "hi"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "hi\n");
    EXPECT_EQ(s.proc.wait_for(patience), 0);
    auto log = st::read_until_eof(s.proc.err(), patience).data;
    sockaddr_in mine{};
    socklen_t len = sizeof mine;
    ASSERT_EQ(::getsockname(c.get(), reinterpret_cast<sockaddr*>(&mine), &len), 0);
    EXPECT_NE(log.find("sockwrap: listening on 127.0.0.1:" + std::to_string(s.port) + "\n"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("sockwrap: connected by 127.0.0.1:" + std::to_string(ntohs(mine.sin_port)) +
                       " at "),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("sockwrap: started echo as pid "), std::string::npos) << log;
    EXPECT_NE(log.find(" exited with status 0\n"), std::string::npos) << log;
}

TEST(modes, stderr_option_puts_stderr_on_the_socket) {
    auto l = st::listen_tcp();
    auto p = start({"--out", port_text(l.port), "--stderr", "sh", "-c", "echo out; echo err >&2"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "out\nerr\n");
    EXPECT_EQ(st::read_until_eof(p.err(), patience).data, "");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(modes, wait_retries_until_the_listener_appears) {
    auto b = st::bound_not_listening();  // refuses until listen(); nobody else can take it
    auto p = start({"--wait", "20", "--out", port_text(b.port), "sh", "-c", "echo late"});
    std::this_thread::sleep_for(1s);
    ASSERT_TRUE(p.running());
    ASSERT_EQ(::listen(b.fd.get(), 1), 0);
    auto c = st::accept_within(b.fd.get(), patience);
    ASSERT_TRUE(c);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "late\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(modes, unix_listen_and_connect) {
    st::temp_dir dir;
    const std::string path = dir.file("s");
    auto server = start({"--listen", "unix:" + path, "sh", "-c", "echo \"$PROTO\"; cat"});
    ASSERT_TRUE(wait_for_path(path));
    auto c = st::connect_unix(path);
    ASSERT_TRUE(st::write_all(c.get(), "over unix\n", patience));
    st::shutdown_write(c.get());
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "UNIX\nover unix\n");
    EXPECT_EQ(server.wait_for(patience), 0);
    struct stat gone {};
    EXPECT_NE(::stat(path.c_str(), &gone), 0) << "the socket file is removed after accept";

    const std::string path2 = dir.file("t");
    auto l = st::listen_unix(path2);
    auto client = start({"--connect", "unix:" + path2, "sort"});
    auto c2 = st::accept_within(l.get(), patience);
    ASSERT_TRUE(c2);
    ASSERT_TRUE(st::write_all(c2.get(), "b\na\n", patience));
    st::shutdown_write(c2.get());
    EXPECT_EQ(st::read_until_eof(c2.get(), patience).data, "a\nb\n");
    EXPECT_EQ(client.wait_for(patience), 0);
}

TEST(modes, ipv6_listen_and_connect) {
    if (!st::ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback here";
    auto s = start_listening("--listen", {"sh", "-c", "echo \"$TCPLOCALIP $TCPREMOTEIP\"; cat"}, {},
                             "[::1]:0");
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("::1", s.port);
    st::shutdown_write(c.get());
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "::1 ::1\n");
    EXPECT_EQ(s.proc.wait_for(patience), 0);

    auto l = st::listen_tcp("::1");
    auto p = start({"-6", "--out", ":" + std::to_string(l.port), "echo", "six"});
    auto c2 = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c2);
    EXPECT_EQ(st::read_until_eof(c2.get(), patience).data, "six\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(relay, connect_without_program_copies_both_ways) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", port_text(l.port)});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(p.in(), "up\n", patience));
    EXPECT_EQ(st::read_lines(c.get(), 1, patience).data, "up\n");
    ASSERT_TRUE(st::write_all(c.get(), "down\n", patience));
    EXPECT_EQ(st::read_lines(p.out(), 1, patience).data, "down\n");
    p.close_in();
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);  // stdin EOF became FIN
    st::shutdown_write(c.get());
    EXPECT_TRUE(st::read_until_eof(p.out(), patience).eof);  // FIN closed stdout
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(relay, out_and_in_without_program_copy_one_way) {
    auto l = st::listen_tcp();
    auto sender = start({"--out", port_text(l.port)});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(sender.in(), "one way\n", patience));
    sender.close_in();
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "one way\n");
    c.reset();
    EXPECT_EQ(sender.wait_for(patience), 0);

    auto receiver = start({"--in", port_text(l.port)});
    auto c2 = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c2);
    ASSERT_TRUE(st::write_all(c2.get(), "other way\n", patience));
    st::shutdown_write(c2.get());
    EXPECT_EQ(st::read_until_eof(receiver.out(), patience).data, "other way\n");
    EXPECT_EQ(receiver.wait_for(patience), 0);
}

TEST(relay, never_makes_a_shared_stdin_pipe_nonblocking) {
    auto [read_end, write_end] = st::make_pipe();
    auto l = st::listen_tcp();
    st::process_options o;
    o.in = st::stdio_spec::from(read_end.get());  // the test keeps this description too
    auto relay = start({"--connect", port_text(l.port)}, o);
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(write_end.get(), "x\n", patience));
    ASSERT_EQ(st::read_lines(c.get(), 1, patience).data, "x\n");
    EXPECT_FALSE(st::nonblocking(read_end.get())) << "the relay changed a description it shares";
    write_end.reset();
    st::shutdown_write(c.get());
    EXPECT_EQ(relay.wait_for(patience), 0);
}

TEST(relay, restores_the_flags_of_a_shared_stdin_socket) {
    auto [mine, given] = st::connected_unix_pair();
    auto l = st::listen_tcp();
    st::process_options o;
    o.in = st::stdio_spec::from(given.get());
    o.out = st::stdio_spec::from(given.get());
    auto relay = start({"--connect", port_text(l.port)}, o);
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(mine.get(), "ping\n", patience));
    ASSERT_EQ(st::read_lines(c.get(), 1, patience).data, "ping\n");
    st::shutdown_write(mine.get());
    st::shutdown_write(c.get());
    EXPECT_EQ(relay.wait_for(patience), 0);
    EXPECT_FALSE(st::nonblocking(given.get()))
        << "O_NONBLOCK left on a description sockwrap shares";
}

TEST(viewer, listen_without_program_shows_an_out_program) {
    auto viewer = start_listening("--listen", {});
    ASSERT_NE(viewer.port, 0);
    auto tool = start({"--out", port_text(viewer.port), "sh", "-c", "echo progress 1; echo done"});
    auto shown = st::read_until_eof(viewer.proc.out(), patience);
    EXPECT_TRUE(shown.eof);
    EXPECT_EQ(shown.data, "progress 1\ndone\n");
    viewer.proc.close_in();
    EXPECT_EQ(viewer.proc.wait_for(patience), 0);
    EXPECT_EQ(tool.wait_for(patience), 0);
}

TEST(viewer, connect_without_program_drives_a_listening_program) {
    auto server = start_listening("--listen", {"sort"});
    ASSERT_NE(server.port, 0);
    auto console = start({"--connect", port_text(server.port)});
    ASSERT_TRUE(st::write_all(console.in(), "zebra\nant\n", patience));
    console.close_in();
    auto r = st::read_until_eof(console.out(), patience);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.data, "ant\nzebra\n");
    EXPECT_EQ(console.wait_for(patience), 0);
    EXPECT_EQ(server.proc.wait_for(patience), 0);
}

}  // namespace
}  // namespace sockwrap_e2e
