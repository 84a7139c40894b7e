// --pty with stdin on the terminal: input quoting, long lines, and end-of-input as VEOF.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "pty/pty.hpp"
#include "pty/terminal_input.hpp"
#include "relay_harness.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "spawn.hpp"

using namespace std::chrono_literals;
using namespace std::string_literals;
using sockwrap::pty_stdin;

TEST(terminal_input, quotes_nul_veof_and_vlnext) {
    std::string out;
    std::size_t line = 0;
    sockwrap::quote_terminal_input(
        "a\x04"
        "b\x16"
        "c\0d\n"s,
        out, line, 100);
    EXPECT_EQ(out,
              "a\x16\x04"
              "b\x16\x16"
              "c\x16\0d\n"s);
    EXPECT_EQ(line, 0u);
}

TEST(terminal_input, pushes_a_long_line_in_pieces_never_at_a_line_start) {
    std::string out;
    std::size_t line = 0;
    sockwrap::quote_terminal_input("abcde", out, line, 2);
    EXPECT_EQ(out,
              "ab\x04"
              "cd\x04"
              "e");
    EXPECT_EQ(line, 1u);
    out.clear();
    sockwrap::quote_terminal_input("f\ng", out, line, 2);
    EXPECT_EQ(out, "f\x04\ng");  // "ef" reached the limit; the newline starts afresh
}

TEST(terminal_input, end_of_input_is_one_veof_or_two_after_an_unfinished_line) {
    EXPECT_EQ(sockwrap::terminal_end_of_input(0), "\x04");
    EXPECT_EQ(sockwrap::terminal_end_of_input(3), "\x04\x04");
}

namespace {

// Runs `cat` with stdin and stdout on a terminal-mode pty, sends `input`, half-closes, and
// returns what came back before end-of-file.
std::string through_cat_on_terminal(const std::string& input) {
    auto tcp = sockwrap_test::connected_tcp_pair();
    auto pty = sockwrap::open_pty(pty_stdin::terminal);
    pty_test::child cat({"cat"}, {pty.slave.get(), pty.slave.get(), 2}, pty.slave.get());
    pty.slave.reset();
    pty_test::running_relay relay(std::move(pty.master), std::move(tcp.server),
                                  pty_stdin::terminal);

    std::thread writer([&] {
        sockwrap_test::write_all(tcp.client.get(), input, 30s);
        sockwrap_test::shutdown_write(tcp.client.get());
    });
    const auto got = sockwrap_test::read_until_eof(tcp.client.get(), 30s);
    writer.join();
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(relay.wait(), std::error_code());
    EXPECT_EQ(cat.wait_for(10s), 0);  // cat saw end-of-input and exited
    return got.data;
}

}  // namespace

TEST(terminal_input, every_byte_and_long_lines_arrive_unchanged_then_end_of_input) {
    std::string all_bytes;
    for (int c = 0; c < 256; ++c)
        all_bytes += static_cast<char>(c);
    const std::string input = all_bytes + "\n" + std::string(10000, 'x') + "\r\n" + all_bytes +
                              all_bytes + "tail without newline";
    EXPECT_TRUE(through_cat_on_terminal(input) == input);
}

TEST(terminal_input, empty_input_is_end_of_input_at_once) {
    EXPECT_EQ(through_cat_on_terminal(""), "");
}
