// The stages of sockwrap one at a time, without running the binary.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "child/environment.hpp"
#include "child/program.hpp"
#include "cli/options.hpp"
#include "core/failure.hpp"
#include "net/linger.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/temp_dir.hpp"

namespace sw = sockwrap;
namespace st = sockwrap_test;
using namespace std::chrono_literals;

namespace {

sw::parsed_command parse(std::vector<const char*> args) {
    args.insert(args.begin(), "sockwrap");
    return sw::parse_command_line(static_cast<int>(args.size()), args.data());
}

int usage_status(std::vector<const char*> args) {
    try {
        parse(std::move(args));
    } catch (const sw::failure& f) {
        return f.status();
    }
    return 0;
}

TEST(options, program_options_are_not_taken_for_sockwraps) {
    auto c = parse({"-v", "--out", "example.org:80", "sh", "-c", "echo -v --in"});
    ASSERT_TRUE(c.options);
    EXPECT_EQ(c.options->mode, sw::mode::out);
    EXPECT_TRUE(c.options->verbose);
    EXPECT_EQ(c.options->endpoint.host, "example.org");
    EXPECT_EQ(c.options->program, (std::vector<std::string>{"sh", "-c", "echo -v --in"}));
}

TEST(options, double_dash_ends_the_options) {
    auto c = parse({"--listen=:0", "--", "--weird-program", "-x"});
    ASSERT_TRUE(c.options);
    EXPECT_EQ(c.options->mode, sw::mode::listen);
    EXPECT_EQ(c.options->program, (std::vector<std::string>{"--weird-program", "-x"}));
}

TEST(options, short_options_cluster_and_values_parse) {
    auto c = parse({"-v6", "--wait", "1.5", "--stderr", "--connect", "[::1]:7", "cat"});
    ASSERT_TRUE(c.options);
    EXPECT_EQ(c.options->family, AF_INET6);
    EXPECT_EQ(c.options->wait, 1500ms);
    EXPECT_TRUE(c.options->child_stderr);
    EXPECT_EQ(c.options->endpoint.host, "::1");
}

TEST(options, no_program_means_relay) {
    auto c = parse({"--listen-in", ":0", "--port-file", "/tmp/p"});
    ASSERT_TRUE(c.options);
    EXPECT_TRUE(c.options->program.empty());
    EXPECT_EQ(c.options->port_file, "/tmp/p");
}

TEST(options, usage_errors_are_status_125) {
    EXPECT_EQ(usage_status({}), 125);
    EXPECT_EQ(usage_status({"--in", ":1", "--connect", ":1"}), 125);
    EXPECT_EQ(usage_status({"--wait", "-1", "--in", ":1"}), 125);
    EXPECT_EQ(usage_status({"--wait", "nan", "--in", ":1"}), 125);
    EXPECT_EQ(usage_status({"--port-file", "f", "--listen", "unix:/tmp/s"}), 125);
}

TEST(options, an_option_with_no_name_is_a_usage_error) {
    EXPECT_EQ(usage_status({"--=x", "--in", ":1"}), 125);
    EXPECT_EQ(usage_status({"--in", ":1", "--=", "cat"}), 125);
}

TEST(options, seconds_are_whole_milliseconds_rounded_up) {
    auto wait = [](const char* text) {
        return parse({"--wait", text, "--in", ":1"}).options->wait;
    };
    EXPECT_EQ(wait("2"), 2000ms);
    EXPECT_EQ(wait(".25"), 250ms);
    EXPECT_EQ(wait("0.0001"), 1ms);
    EXPECT_EQ(wait("1.0010"), 1001ms);
    EXPECT_EQ(wait("1000000"), 1'000'000'000ms);
    for (const char* bad : {"", ".", "1.2.3", "1e3", "+1", "1000001", "0x10", "2s"})
        EXPECT_EQ(usage_status({"--wait", bad, "--in", ":1"}), 125) << bad;
}

TEST(options, exec_needs_a_program_and_no_pty_or_keep_open) {
    auto c = parse({"--exec", "--listen-out", ":0", "date"});
    ASSERT_TRUE(c.options);
    EXPECT_TRUE(c.options->exec);
    EXPECT_EQ(usage_status({"--exec", "--out", ":1"}), 125);
    EXPECT_EQ(usage_status({"--exec", "--pty", "--out", ":1", "cat"}), 125);
    EXPECT_EQ(usage_status({"--exec", "--pty-stdin", "--connect", ":1", "cat"}), 125);
    EXPECT_EQ(usage_status({"--exec", "-k", "--listen", ":0", "cat"}), 125);
}

TEST(options, help_and_version_are_texts) {
    EXPECT_FALSE(parse({"--help"}).options);
    EXPECT_NE(parse({"--help"}).text.find("Usage: sockwrap"), std::string::npos);
    EXPECT_EQ(parse({"--version"}).text.rfind("sockwrap ", 0), 0u);
}

TEST(modes, directions_follow_the_source_texts_names) {
    using sw::mode;
    EXPECT_TRUE(sw::writes_socket(mode::out) && !sw::reads_socket(mode::out));
    EXPECT_TRUE(sw::reads_socket(mode::in) && !sw::writes_socket(mode::in));
    EXPECT_TRUE(sw::reads_socket(mode::connect) && sw::writes_socket(mode::connect));
    EXPECT_TRUE(sw::reads_socket(mode::listen) && sw::writes_socket(mode::listen));
    EXPECT_TRUE(sw::writes_socket(mode::listen_out) && !sw::reads_socket(mode::listen_out));
    EXPECT_TRUE(sw::reads_socket(mode::listen_in) && !sw::writes_socket(mode::listen_in));
    EXPECT_FALSE(sw::is_listening(mode::connect));
    EXPECT_TRUE(sw::is_listening(mode::listen_in));
}

// The address of a real connected socket on `ip`.
redirect::socket_address address_of(const char* ip) {
    auto l = st::listen_tcp(ip);
    auto c = st::connect_tcp(ip, l.port);
    return redirect::local_address(c.get());
}

TEST(child_env, tcp_sets_the_five_names_and_replaces_inherited_ones) {
    auto local = address_of("127.0.0.1");
    auto peer = local;
    const std::vector<std::string> base = {"PATH=/bin", "TCPREMOTEIP=10.0.0.1", "PROTO=UNIX"};
    auto env = sw::child_environment(base, local, peer);
    auto has = [&](const std::string& e) {
        return std::find(env.begin(), env.end(), e) != env.end();
    };
    EXPECT_TRUE(has("PATH=/bin"));
    EXPECT_TRUE(has("PROTO=TCP"));
    EXPECT_TRUE(has("TCPREMOTEIP=127.0.0.1"));
    EXPECT_FALSE(has("TCPREMOTEIP=10.0.0.1"));
    EXPECT_FALSE(has("PROTO=UNIX"));
    EXPECT_TRUE(has("TCPLOCALPORT=" + std::to_string(local.port())));
}

TEST(program, found_on_path_or_status_127_and_126) {
    EXPECT_TRUE(sw::find_program("sh").ends_with("/sh"));
    try {
        sw::find_program("surely-not-a-program-here");
        FAIL();
    } catch (const sw::failure& f) {
        EXPECT_EQ(f.status(), 127);
    }
    st::temp_dir dir;
    const std::string plain = dir.file("plain");
    std::ofstream(plain) << "data\n";
    try {
        sw::find_program(plain);
        FAIL();
    } catch (const sw::failure& f) {
        EXPECT_EQ(f.status(), 126);
        EXPECT_EQ(std::string(f.what()), "run '" + plain + "': permission denied");
    }
}

TEST(failure, system_texts_are_lower_cased_but_acronyms_are_kept) {
    EXPECT_EQ(sw::lower_first("Connection refused"), "connection refused");
    EXPECT_EQ(sw::lower_first("IPv6 is off"), "IPv6 is off");
    std::system_error e(ECONNREFUSED, std::generic_category(), "connect to x:1");
    EXPECT_EQ(sw::describe(e), "connect to x:1: connection refused");
}

TEST(linger, unread_input_does_not_destroy_the_last_output) {
    auto l = st::listen_tcp();
    auto peer = st::connect_tcp("127.0.0.1", l.port);
    auto ours = st::accept_within(l.fd.get(), 5s);
    ASSERT_TRUE(ours);
    // The peer sent something "the child" never read; "the child" answered and exited.
    ASSERT_TRUE(st::write_all(peer.get(), std::string(100000, 'q'), 5s));
    const std::string answer(200000, 'a');
    ASSERT_TRUE(st::write_all(ours.get(), answer, 5s));
    std::thread closer([&] { sw::lingering_close(std::move(ours), 10s); });
    auto r = st::read_until_eof(peer.get(), 20s);
    closer.join();
    EXPECT_EQ(r.error, 0);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.data.size(), answer.size());
}

}  // namespace
