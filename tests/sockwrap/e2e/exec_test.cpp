// --exec: sockwrap becomes PROGRAM on the connection; nothing of sockwrap stays behind.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/proc.hpp"

namespace sockwrap_e2e {
namespace {

std::string at(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

TEST(exec, program_runs_in_sockwraps_own_process) {
    auto l = st::listen_tcp();
    auto p = start({"--exec", "--out", at(l.port), "sh", "-c", "echo $$"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    auto got = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(got.data, std::to_string(p.pid()) + "\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(exec, status_and_signals_are_the_programs_own) {
    auto l = st::listen_tcp();
    EXPECT_EQ(run_to_end({"--exec", "--out", at(l.port), "sh", "-c", "exit 7"}).status, 7);

    auto p = start({"--exec", "--in", at(l.port), "sleep", "60"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::wait_until_command(p.pid(), "sleep", patience));
    EXPECT_TRUE(st::children_of(p.pid()).empty());
    p.signal(SIGTERM);  // straight to the program: there is no sockwrap in between
    EXPECT_EQ(p.wait_for(patience), 128 + SIGTERM);
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);
}

TEST(exec, program_gets_fds_0_1_2_and_default_signal_state) {
    int leak[2];
    ASSERT_EQ(::pipe(leak), 0);  // deliberately not close-on-exec
    auto l = st::listen_tcp();
    st::process_options o;
    o.extra_fds = {leak[0]};
    o.blocked_signals = {SIGUSR1, SIGTERM};
    auto p = st::process({"sh", "-c", "trap '' INT PIPE; exec \"$0\" \"$@\"", binary(), "--exec",
                          "--connect", at(l.port), "cat"},
                         o);
    ::close(leak[0]);
    ::close(leak[1]);
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::wait_until_command(p.pid(), "cat", patience));
    ASSERT_TRUE(st::wait_until_sleeping(p.pid(), patience));
    EXPECT_EQ(st::open_fds(p.pid()), (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(st::status_mask(p.pid(), "SigBlk"), 0u);
    EXPECT_EQ(st::status_mask(p.pid(), "SigIgn"), 0u);
    ASSERT_EQ(::write(c.get(), "ping\n", 5), 5);
    st::shutdown_write(c.get());
    auto got = st::read_until_eof(c.get(), patience);
    EXPECT_EQ(got.data, "ping\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(exec, listening_accepts_one_connection_and_keeps_no_listener) {
    auto s = start_listening("--listen", {"--exec", "cat"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    ASSERT_TRUE(st::wait_until_command(s.proc.pid(), "cat", patience));
    // The listener was closed before the exec: nobody accepts a second client.
    redirect::unique_fd second(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(s.port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_NE(::connect(second.get(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    EXPECT_EQ(errno, ECONNREFUSED);
    ASSERT_EQ(::write(c.get(), "echo\n", 5), 5);
    st::shutdown_write(c.get());
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "echo\n");
    EXPECT_EQ(s.proc.wait_for(patience), 0);
}

TEST(exec, environment_describes_the_connection_and_line_buffering_applies) {
    auto l = st::listen_tcp();
    auto p = start({"--exec", "--line-buffered", "--out", at(l.port), "env"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    auto env = st::read_until_eof(c.get(), patience).data;
    EXPECT_NE(env.find("\nPROTO=TCP\n"), std::string::npos);
    EXPECT_NE(env.find("\nTCPREMOTEPORT=" + std::to_string(l.port) + "\n"), std::string::npos);
    EXPECT_NE(env.find("libsockwrap-linebuf.so"), std::string::npos);
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST(exec, an_exec_error_reaches_sockwraps_stderr_even_with_stderr_on_the_socket) {
    // Executable, but neither ELF nor script: found on lookup, refused by execve().
    st::temp_dir dir;
    const std::string file = dir.file("not-a-program");
    std::ofstream(file) << "just text\n";
    ::chmod(file.c_str(), 0755);
    auto l = st::listen_tcp();
    auto p = start({"--exec", "--stderr", "--out", at(l.port), file});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    auto got = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(got.data, "");
    EXPECT_EQ(p.wait_for(patience), 126);
    EXPECT_EQ(only_line(st::read_until_eof(p.err(), patience).data),
              "sockwrap: run '" + file + "': exec format error");
}

}  // namespace
}  // namespace sockwrap_e2e
