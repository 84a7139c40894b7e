// Exit statuses (the env/timeout convention) and the one-line messages that go with them.

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>

#include <fstream>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"

namespace sockwrap_e2e {
namespace {

std::string at(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

// True if a connection is waiting in the backlog of `listen_fd` right now.
bool connection_pending(int listen_fd) {
    pollfd p{listen_fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

TEST(exit_status, is_the_programs_own) {
    auto l = st::listen_tcp();
    auto f = run_to_end({"--out", at(l.port), "sh", "-c", "exit 7"});
    EXPECT_EQ(f.status, 7);
    EXPECT_EQ(f.err, "");
}

TEST(exit_status, is_128_plus_the_signal_that_killed_the_program) {
    auto l = st::listen_tcp();
    auto f = run_to_end({"--out", at(l.port), "sh", "-c", "kill -KILL $$"});
    EXPECT_EQ(f.status, 137);
    EXPECT_EQ(f.err, "");
}

TEST(exit_status, is_127_for_a_missing_program_before_any_connection) {
    auto l = st::listen_tcp();
    auto f = run_to_end({"--out", at(l.port), "no-such-program-swt"});
    EXPECT_EQ(f.status, 127);
    EXPECT_EQ(only_line(f.err), "sockwrap: run 'no-such-program-swt': command not found");
    EXPECT_FALSE(connection_pending(l.fd.get()));

    f = run_to_end({"--out", at(l.port), "./no/such/file"});
    EXPECT_EQ(f.status, 127);
    EXPECT_EQ(only_line(f.err), "sockwrap: run './no/such/file': no such file or directory");
    EXPECT_FALSE(connection_pending(l.fd.get()));
}

TEST(exit_status, is_126_for_a_program_that_cannot_run) {
    st::temp_dir dir;
    const std::string script = dir.file("not-executable");
    std::ofstream(script) << "#!/bin/sh\necho never\n";
    ::chmod(script.c_str(), 0644);
    auto l = st::listen_tcp();
    auto f = run_to_end({"--out", at(l.port), script});
    EXPECT_EQ(f.status, 126);
    EXPECT_EQ(only_line(f.err), "sockwrap: run '" + script + "': permission denied");

    f = run_to_end({"--out", at(l.port), dir.path()});
    EXPECT_EQ(f.status, 126);
    EXPECT_EQ(only_line(f.err), "sockwrap: run '" + dir.path() + "': is a directory");

    // Found on PATH but not executable: 126 as in a shell, not 127.
    auto on_path = start({"--out", at(l.port), "not-executable"}, [&] {
        st::process_options o;
        o.env_set = {"PATH=" + dir.path()};
        return o;
    }());
    EXPECT_EQ(on_path.wait_for(patience), 126);
    EXPECT_FALSE(connection_pending(l.fd.get()));
}

TEST(exit_status, is_125_when_the_connection_is_refused) {
    auto b = st::bound_not_listening();
    auto f = run_to_end({"--connect", at(b.port), "cat"});
    EXPECT_EQ(f.status, 125);
    EXPECT_EQ(only_line(f.err), "sockwrap: connect to " + at(b.port) + ": connection refused");
}

TEST(exit_status, is_125_when_the_address_is_in_use) {
    auto l = st::listen_tcp();
    auto f = run_to_end({"--listen", at(l.port), "cat"});
    EXPECT_EQ(f.status, 125);
    EXPECT_EQ(only_line(f.err), "sockwrap: listen on " + at(l.port) + ": address already in use");
}

TEST(exit_status, is_125_with_one_line_for_each_malformed_endpoint) {
    const std::vector<std::string> bad = {
        "",       "9000",  "localhost:", ":99999",       ":-1",   "[::1]9000",  "[::1", "[]:80",
        "::1:80", "unix:", ":nosuchsvc", "host name:80", "a:b:c", "[nothex]:1", ":80x"};
    for (const auto& text : bad) {
        auto f = run_to_end({"--connect", text, "cat"});
        EXPECT_EQ(f.status, 125) << text;
        std::string line = only_line(f.err);
        EXPECT_EQ(line.rfind("sockwrap: bad endpoint '" + text + "': ", 0), 0u) << line;
        EXPECT_NE(line.find("expected HOST:PORT"), std::string::npos) << line;
    }
}

TEST(exit_status, is_125_with_one_line_for_each_usage_error) {
    const std::vector<std::vector<std::string>> bad = {
        {},
        {"cat"},
        {"--out"},
        {"--out", ":1", "--in", ":2", "cat"},
        {"--out", ":1", "--out", ":2", "cat"},
        {"--frobnicate", "--out", ":1"},
        {"-x", "--out", ":1"},
        {"--wait", "soon", "--out", ":1"},
        {"--wait", "5", "--listen", ":0"},
        {"--port-file", "f", "--connect", ":1"},
        {"-4", "-6", "--out", ":1"},
        {"-4", "--out", "unix:/tmp/x"},
        {"--stderr", "--connect", ":1"},
    };
    for (const auto& args : bad) {
        auto f = run_to_end(args);
        std::string shown;
        for (const auto& a : args)
            shown += a + " ";
        EXPECT_EQ(f.status, 125) << shown;
        std::string line = only_line(f.err);
        EXPECT_EQ(line.rfind("sockwrap: ", 0), 0u) << line;
        EXPECT_TRUE(line.ends_with("(see sockwrap --help)")) << line;
        EXPECT_EQ(line.find("terminate"), std::string::npos) << line;
    }
}

TEST(exit_status, help_describes_every_option_and_exits_0) {
    auto f = run_to_end({"--help"});
    EXPECT_EQ(f.status, 0);
    for (const char* option :
         {"--out", "--in", "--connect", "--listen", "--listen-out", "--listen-in", "--port-file",
          "--wait", "--stderr", "--verbose", "-4", "-6", "--help", "--version"}) {
        EXPECT_NE(f.out.find(std::string(" ") + option + " "), std::string::npos) << option;
    }
    auto v = run_to_end({"--version"});
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.out.rfind("sockwrap ", 0), 0u);
}

}  // namespace
}  // namespace sockwrap_e2e
