// sockwrap --line-buffered and --pty end to end: unmodified programs that stall in a dialog on
// a socket, proven to stall without an option and to complete with each, bytes exact.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <ostream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "relay_harness.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/process.hpp"
#include "sockwrap_test/sha256.hpp"
#include "sockwrap_test/temp_dir.hpp"

namespace st = sockwrap_test;
using namespace std::chrono_literals;

namespace {

// Anything that should take milliseconds, with room for a loaded machine and the sanitizers.
constexpr auto patience = 30s;
// How long a stalled dialog is watched: it must show nothing at all.
constexpr auto stall_watch = 500ms;

// sockwrap, with the test's environment minus the switches that would hide a stall.
st::process start_sockwrap(const std::vector<std::string>& args) {
    std::vector<std::string> argv{SOCKWRAP_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    st::process_options o;
    o.in = st::stdio_spec::null();
    o.out = st::stdio_spec::null();
    o.err = st::stdio_spec::pipe();
    o.env_unset = {"PYTHONUNBUFFERED", "LD_PRELOAD"};
    return st::process(argv, o);
}

// Runs `option... --connect` to a fresh listener with PROGRAM; returns sockwrap and the
// connection it made.
struct connected_run {
    st::process sockwrap;
    redirect::unique_fd peer;
};
connected_run connect_with(const std::vector<std::string>& options,
                           const std::vector<std::string>& program) {
    auto listener = st::listen_tcp();
    std::vector<std::string> args = options;
    args.push_back("--connect");
    args.push_back("127.0.0.1:" + std::to_string(listener.port));
    args.insert(args.end(), program.begin(), program.end());
    connected_run run{start_sockwrap(args), {}};
    run.peer = st::accept_within(listener.fd.get(), patience);
    return run;
}

// The three-question dialog of the programs in children/: returns the transcript, or what
// arrived before it stalled.
std::string talk(int peer, std::chrono::milliseconds wait) {
    std::string transcript;
    for (int i = 0; i < 3; ++i) {
        const std::string question = "question " + std::to_string(i) + "\n";
        auto got = st::read_until_contains(peer, question, wait);
        transcript += got.data;
        if (got.timed_out || got.eof) return transcript;
        st::write_all(peer, "answer " + std::to_string(i) + "\n", patience);
    }
    return transcript + st::read_until_eof(peer, patience).data;
}

const std::string full_dialog =
    "question 0\nchild got [answer 0]\nquestion 1\nchild got [answer 1]\n"
    "question 2\nchild got [answer 2]\n";

// Each dialog program, by name and command line.
struct dialog_program {
    std::string name;
    std::vector<std::string> argv;
    bool needs_python = false;
};
// Shown by name in test output.
void PrintTo(const dialog_program& program, std::ostream* out) {
    *out << program.name;
}
const std::vector<dialog_program>& dialog_programs() {
    static const std::vector<dialog_program> programs{
        {"c_printf_fgets", {DIALOG_C}},
        {"cpp_printf_getline", {DIALOG_CPP}},
        {"python_print_readline", {"python3", DIALOG_PY}, true},
    };
    return programs;
}

class stalling_dialog : public ::testing::TestWithParam<dialog_program> {
  protected:
    void SetUp() override {
        if (GetParam().needs_python && !st::python3_available())
            GTEST_SKIP() << "python3 is missing";
    }
};

std::string program_name(const ::testing::TestParamInfo<dialog_program>& info) {
    return info.param.name;
}

}  // namespace

TEST_P(stalling_dialog, stalls_without_an_option) {
    auto run = connect_with({}, GetParam().argv);
    ASSERT_TRUE(run.peer);
    // A bounded wait that sees nothing: the first question never leaves the child's buffer.
    const auto got = st::read_until_contains(run.peer.get(), "\n", stall_watch);
    EXPECT_TRUE(got.timed_out);
    EXPECT_EQ(got.data, "");
}

TEST_P(stalling_dialog, completes_with_line_buffered) {
    auto run = connect_with({"--line-buffered"}, GetParam().argv);
    ASSERT_TRUE(run.peer);
    EXPECT_EQ(talk(run.peer.get(), patience), full_dialog);
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

TEST_P(stalling_dialog, completes_with_pty) {
    auto run = connect_with({"--pty"}, GetParam().argv);
    ASSERT_TRUE(run.peer);
    EXPECT_EQ(talk(run.peer.get(), patience), full_dialog);
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

INSTANTIATE_TEST_SUITE_P(programs, stalling_dialog, ::testing::ValuesIn(dialog_programs()),
                         program_name);

// sed as a line filter the peer talks to: one line in, one line back, before the next.
class sed_filter : public ::testing::TestWithParam<std::string> {};

TEST_P(sed_filter, answers_each_line_as_it_comes) {
    const std::string option = GetParam();
    auto run =
        connect_with(option.empty() ? std::vector<std::string>{} : std::vector<std::string>{option},
                     {"sed", "s/^/got: /"});
    ASSERT_TRUE(run.peer);
    ASSERT_TRUE(st::write_all(run.peer.get(), "one\n", patience));
    if (option.empty()) {
        EXPECT_TRUE(st::read_until_contains(run.peer.get(), "\n", stall_watch).timed_out);
        return;
    }
    EXPECT_EQ(st::read_until_contains(run.peer.get(), "\n", patience).data, "got: one\n");
    ASSERT_TRUE(st::write_all(run.peer.get(), "two\n", patience));
    EXPECT_EQ(st::read_until_contains(run.peer.get(), "\n", patience).data, "got: two\n");
    st::shutdown_write(run.peer.get());
    EXPECT_TRUE(st::read_until_eof(run.peer.get(), patience).eof);
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

INSTANTIATE_TEST_SUITE_P(options, sed_filter, ::testing::Values("", "--line-buffered", "--pty"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             return info.param.empty()              ? std::string("no_option")
                                    : info.param.substr(2) == "pty" ? std::string("pty")
                                                                    : std::string("line_buffered");
                         });

// The source text's dialogs 4 and 5, the client's manual sys.stdout.flush() removed: the test
// plays server4/server5 (send "server PID: i", read the client's answer).
class noflush_dialog : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!st::python3_available()) GTEST_SKIP() << "python3 is missing";
    }
    static std::string serve_first(int fd) {
        std::string answers;
        for (int i = 0; i < 3; ++i) {
            if (!st::write_all(fd, "server 1: " + std::to_string(i) + "\n", patience)) break;
            answers += st::read_lines(fd, 1, patience).data;
        }
        return answers;
    }
    static bool answers_match(const std::string& answers) {
        // "client PID got [server 1: i]" for i = 0, 1, 2, all from one client.
        const auto pid_end = answers.find(" got [");
        if (answers.rfind("client ", 0) != 0 || pid_end == std::string::npos) return false;
        const std::string client = answers.substr(0, pid_end);
        std::string want;
        for (int i = 0; i < 3; ++i)
            want += client + " got [server 1: " + std::to_string(i) + "]\n";
        return answers == want;
    }
};

TEST_F(noflush_dialog, four_both_as_server_with_line_buffered) {
    st::temp_dir dir;
    const std::string port_file = dir.file("port");
    auto sockwrap = start_sockwrap({"--line-buffered", "--listen", "127.0.0.1:0", "--port-file",
                                    port_file, "python3", CLIENTS_NOFLUSH, "4"});
    const std::string port = st::wait_for_line_in_file(port_file, patience);
    ASSERT_FALSE(port.empty());
    auto c = st::connect_tcp("127.0.0.1", static_cast<std::uint16_t>(std::stoi(port)));
    const std::string answers = serve_first(c.get());
    EXPECT_TRUE(answers_match(answers)) << answers;
    EXPECT_EQ(sockwrap.wait_for(patience), 0);
}

TEST_F(noflush_dialog, five_both_as_client_server_first_with_line_buffered) {
    auto run = connect_with({"--line-buffered"}, {"python3", CLIENTS_NOFLUSH, "5"});
    ASSERT_TRUE(run.peer);
    const std::string answers = serve_first(run.peer.get());
    EXPECT_TRUE(answers_match(answers)) << answers;
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

TEST(pty_option, sort_gets_end_of_input_and_answers_whole) {
    auto run = connect_with({"--pty"}, {"sort"});
    ASSERT_TRUE(run.peer);
    ASSERT_TRUE(st::write_all(run.peer.get(), "pear\napple\nfig\n", patience));
    st::shutdown_write(run.peer.get());  // half-close: sort sees end-of-input, then answers
    const auto got = st::read_until_eof(run.peer.get(), patience);
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(got.data, "apple\nfig\npear\n");
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

TEST(pty_option, carries_64_mib_through_cat_exactly) {
    constexpr std::size_t total = 64u << 20;
    constexpr std::size_t chunk = 1u << 20;
    auto run = connect_with({"--pty"}, {"cat"});
    ASSERT_TRUE(run.peer);
    st::sha256 sent;
    std::thread writer([&] {
        std::string data(chunk, '\0');
        for (std::size_t offset = 0; offset < total; offset += chunk) {
            for (std::size_t i = 0; i < chunk; ++i) {
                const std::size_t n = offset + i;
                data[i] = static_cast<char>((n * 167 + n / 4099) & 0xff);
            }
            sent.update(data);
            if (!st::write_all(run.peer.get(), data, 120s)) break;
        }
        st::shutdown_write(run.peer.get());
    });
    const auto got = pty_test::hash_until_eof(run.peer.get(), 240s);
    writer.join();
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(got.bytes, total);
    EXPECT_EQ(got.sha256, sent.hex_digest());
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

namespace {

std::string probe_report(const std::string& isatty_line) {
    std::string pattern;
    for (int c = 0; c < 256; ++c)
        pattern += static_cast<char>(c);
    return "isatty 0 1 2: " + isatty_line +
           "\nsession leader: yes\ncontrolling terminal: yes\nwindow: 24x80\npattern:" + pattern +
           "\n";
}

}  // namespace

TEST(pty_option, child_has_a_terminal_on_stdout_only_and_bytes_pass_unchanged) {
    auto run = connect_with({"--pty"}, {PTY_PROBE});
    ASSERT_TRUE(run.peer);
    const auto got = st::read_until_eof(run.peer.get(), patience);
    EXPECT_EQ(got.data, probe_report("0 1 0"));  // stdin stays the socket, stderr inherited
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

TEST(pty_option, stderr_shares_the_terminal_with_stderr_option) {
    auto run = connect_with({"--pty", "--stderr"}, {PTY_PROBE});
    ASSERT_TRUE(run.peer);
    EXPECT_EQ(st::read_until_eof(run.peer.get(), patience).data, probe_report("0 1 1"));
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

TEST(pty_option, works_with_listen) {
    st::temp_dir dir;
    const std::string port_file = dir.file("port");
    auto sockwrap =
        start_sockwrap({"--pty", "--listen", "127.0.0.1:0", "--port-file", port_file, DIALOG_C});
    const std::string port = st::wait_for_line_in_file(port_file, patience);
    ASSERT_FALSE(port.empty());
    auto c = st::connect_tcp("127.0.0.1", static_cast<std::uint16_t>(std::stoi(port)));
    EXPECT_EQ(talk(c.get(), patience), full_dialog);
    EXPECT_EQ(sockwrap.wait_for(patience), 0);
}

TEST(pty_stdin_option, stdin_is_the_terminal_and_end_of_input_arrives) {
    auto probe = connect_with({"--pty-stdin"}, {PTY_PROBE});
    ASSERT_TRUE(probe.peer);
    EXPECT_EQ(st::read_until_eof(probe.peer.get(), patience).data, probe_report("1 1 0"));
    EXPECT_EQ(probe.sockwrap.wait_for(patience), 0);

    auto run = connect_with({"--pty-stdin"}, {"cat"});
    ASSERT_TRUE(run.peer);
    std::string input;
    for (int c = 0; c < 256; ++c)
        input += static_cast<char>(c);
    input += "\n" + std::string(9000, 'y') + "\nlast line without newline";
    ASSERT_TRUE(st::write_all(run.peer.get(), input, patience));
    st::shutdown_write(run.peer.get());
    const auto got = st::read_until_eof(run.peer.get(), patience);
    EXPECT_TRUE(got.eof);
    EXPECT_TRUE(got.data == input) << got.data.size() << " bytes back of " << input.size();
    EXPECT_EQ(run.sockwrap.wait_for(patience), 0);
}

TEST(pty_option, needs_a_program) {
    for (const char* option : {"--pty", "--pty-stdin", "--line-buffered"}) {
        auto sockwrap = start_sockwrap({option, "--listen", "127.0.0.1:0"});
        EXPECT_EQ(sockwrap.wait_for(patience), 125) << option;
        const auto err = st::read_until_eof(sockwrap.err(), patience).data;
        EXPECT_NE(err.find(std::string("sockwrap: ") + option), std::string::npos) << err;
    }
}

TEST(pty_option, does_not_combine_with_keep_open) {
    for (const char* option : {"--pty", "--pty-stdin"}) {
        auto sockwrap = start_sockwrap({option, "--keep-open", "--listen", "127.0.0.1:0", "cat"});
        EXPECT_EQ(sockwrap.wait_for(patience), 125) << option;
        const auto err = st::read_until_eof(sockwrap.err(), patience).data;
        EXPECT_EQ(
            err.rfind(std::string("sockwrap: ") + option + " does not combine with --keep-open", 0),
            0u)
            << err;
    }
}

// A REPL on a port for many clients: every connection's child line-buffers.
TEST(line_buffered_option, serves_every_keep_open_client) {
    st::temp_dir dir;
    const std::string port_file = dir.file("port");
    auto sockwrap = start_sockwrap({"--line-buffered", "--keep-open", "--listen", "127.0.0.1:0",
                                    "--port-file", port_file, DIALOG_C});
    const std::string port = st::wait_for_line_in_file(port_file, patience);
    ASSERT_FALSE(port.empty());
    const auto port_number = static_cast<std::uint16_t>(std::stoi(port));
    // Two clients at once, each with its own child, each dialog whole.
    auto first = st::connect_tcp("127.0.0.1", port_number);
    auto second = st::connect_tcp("127.0.0.1", port_number);
    EXPECT_EQ(talk(second.get(), patience), full_dialog);
    EXPECT_EQ(talk(first.get(), patience), full_dialog);
    sockwrap.signal(SIGTERM);
    EXPECT_EQ(sockwrap.wait_for(patience), 0);  // a requested shutdown
}
