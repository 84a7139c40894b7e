// The command line of the many-clients options: usage errors, --help, and --allow/--deny with
// a single-connection --listen.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "keep_open_fixture.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/process.hpp"
#include "sockwrap_test/temp_dir.hpp"

namespace {

using namespace keep_open_test;

struct outcome {
    std::optional<int> status;
    std::string out, err;
};

outcome run_sockwrap(const std::vector<std::string>& args) {
    std::vector<std::string> argv{sockwrap_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    sockwrap_test::process_options options;
    options.in = sockwrap_test::stdio_spec::null();
    sockwrap_test::process p(argv, options);
    outcome o;
    o.out = sockwrap_test::read_until_eof(p.out(), 10s).data;
    o.err = sockwrap_test::read_until_eof(p.err(), 10s).data;
    o.status = p.wait_for(10s);
    return o;
}

void expect_usage_error(const std::vector<std::string>& args, const std::string& message) {
    auto o = run_sockwrap(args);
    EXPECT_EQ(o.status, 125) << o.err;
    EXPECT_EQ(o.err.rfind("sockwrap: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find(message), std::string::npos) << "wanted '" << message << "' in " << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST(keep_open_options, keep_open_needs_a_listening_mode_and_a_program) {
    expect_usage_error({"-k", "--connect", "127.0.0.1:9", "cat"},
                       "--keep-open needs a listening mode");
    expect_usage_error({"--keep-open", "--out", "127.0.0.1:9", "cat"},
                       "--keep-open needs a listening mode");
    expect_usage_error({"-k", "--listen", ":0"}, "--keep-open needs a PROGRAM");
}

TEST(keep_open_options, max_clients_needs_keep_open_and_a_positive_number) {
    expect_usage_error({"--max-clients", "2", "--listen", ":0", "cat"},
                       "--max-clients needs --keep-open");
    for (const char* bad : {"0", "-1", "two", "3x", ""})
        expect_usage_error({"-k", "--max-clients", bad, "--listen", ":0", "cat"},
                           "--max-clients: '" + std::string(bad) + "'");
}

TEST(keep_open_options, bad_rules_are_named) {
    expect_usage_error({"-k", "--allow", "10.0.0.0/33", "--listen", ":0", "cat"},
                       "--allow: bad address rule '10.0.0.0/33'");
    expect_usage_error({"-k", "--deny", "example.org", "--listen", ":0", "cat"},
                       "--deny: bad address rule 'example.org'");
}

TEST(keep_open_options, rules_need_an_ip_listener) {
    sockwrap_test::temp_dir dir;
    expect_usage_error({"-k", "--allow", "127.0.0.1", "--listen", "unix:" + dir.file("s"), "cat"},
                       "need a TCP endpoint, not unix:");
    expect_usage_error({"--deny", "127.0.0.1", "--connect", "127.0.0.1:9", "cat"},
                       "need a listening mode");
}

TEST(keep_open_options, grace_is_a_number_of_seconds) {
    expect_usage_error({"-k", "--grace", "soon", "--listen", ":0", "cat"}, "--grace: 'soon'");
    expect_usage_error({"-k", "--grace", "-1", "--listen", ":0", "cat"}, "--grace: '-1'");
}

TEST(keep_open_options, help_describes_the_options_and_the_environment) {
    auto o = run_sockwrap({"--help"});
    EXPECT_EQ(o.status, 0);
    for (const char* word :
         {"--keep-open", "--max-clients", "--allow", "--deny", "--grace", "TCPCONNNUM", "SIGKILL"})
        EXPECT_NE(o.out.find(word), std::string::npos) << word;
}

// A connection to 127.0.0.1:`port` from the loopback address `source` (any of 127/8 works).
redirect::unique_fd connect_from(const std::string& source, std::uint16_t port) {
    redirect::unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
        ADD_FAILURE() << "connect from " << source << ": " << std::strerror(errno);
    return fd;
}

TEST(keep_open_options, one_server_refuses_one_peer_and_serves_another) {
    server s({"--deny", "127.0.0.2"}, ":0", {"echo", "hi"});
    auto denied = connect_from("127.0.0.2", s.port());
    auto denied_reply = sockwrap_test::read_until_eof(denied.get(), 10s);
    EXPECT_TRUE(denied_reply.eof);
    EXPECT_EQ(denied_reply.data, "");
    auto served = connect_from("127.0.0.3", s.port());
    EXPECT_EQ(sockwrap_test::read_until_eof(served.get(), 10s).data, "hi\n");
    served.reset();  // ends the server's lingering close, so the shutdown is quick
    EXPECT_EQ(s.stop(), 0);
}

TEST(keep_open_options, single_connection_listen_waits_past_a_refused_peer) {
    sockwrap_test::temp_dir dir;
    sockwrap_test::process_options options;
    options.in = sockwrap_test::stdio_spec::null();
    sockwrap_test::process p({sockwrap_binary(), "--port-file", dir.file("port"), "--allow",
                              "127.0.0.1", "--listen", ":0", "echo", "hi"},
                             options);
    std::string port = sockwrap_test::wait_for_line_in_file(dir.file("port"), 10s);
    ASSERT_FALSE(port.empty());
    auto denied = connect_from("127.0.0.2", static_cast<std::uint16_t>(std::stoi(port)));
    auto refusal = sockwrap_test::read_until_eof(denied.get(), 10s);
    EXPECT_TRUE(refusal.eof);  // at once, not when the next client arrives
    EXPECT_EQ(refusal.data, "");
    auto served = connect_from("127.0.0.1", static_cast<std::uint16_t>(std::stoi(port)));
    EXPECT_EQ(sockwrap_test::read_until_eof(served.get(), 10s).data, "hi\n");
    EXPECT_EQ(p.wait_for(10s), 0);
}

}  // namespace
