// The pseudo-terminal of --pty: its modes, and the child's view of it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <termios.h>

#include <string>

#include "pty/pty.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "spawn.hpp"

using namespace std::chrono_literals;

namespace {

bool has_fd_flag(int fd, int flag) {
    return (::fcntl(fd, F_GETFD) & flag) != 0;
}
bool has_status_flag(int fd, int flag) {
    return (::fcntl(fd, F_GETFL) & flag) != 0;
}

termios modes_of(int fd) {
    termios t{};
    EXPECT_EQ(::tcgetattr(fd, &t), 0);
    return t;
}

}  // namespace

TEST(open_pty, master_is_non_blocking_and_both_ends_close_on_exec) {
    auto pty = sockwrap::open_pty(sockwrap::pty_stdin::socket);
    EXPECT_TRUE(has_fd_flag(pty.master.get(), FD_CLOEXEC));
    EXPECT_TRUE(has_fd_flag(pty.slave.get(), FD_CLOEXEC));
    EXPECT_TRUE(has_status_flag(pty.master.get(), O_NONBLOCK));
    EXPECT_FALSE(has_status_flag(pty.slave.get(), O_NONBLOCK));
    EXPECT_TRUE(::isatty(pty.slave.get()));
}

TEST(open_pty, output_terminal_is_raw_with_a_24x80_window) {
    auto pty = sockwrap::open_pty(sockwrap::pty_stdin::socket);
    const termios t = modes_of(pty.slave.get());
    EXPECT_EQ(t.c_lflag & (ECHO | ICANON | ISIG | IEXTEN), 0u);
    EXPECT_EQ(t.c_oflag & OPOST, 0u);  // no \r before \n
    EXPECT_EQ(t.c_iflag & (ICRNL | INLCR | IGNCR | ISTRIP | IXON), 0u);
    EXPECT_EQ(t.c_cflag & CSIZE, static_cast<tcflag_t>(CS8));
    winsize size{};
    ASSERT_EQ(::ioctl(pty.slave.get(), TIOCGWINSZ, &size), 0);
    EXPECT_EQ(size.ws_row, 24);
    EXPECT_EQ(size.ws_col, 80);
}

TEST(open_pty, input_terminal_is_canonical_without_echo_signals_or_editing) {
    auto pty = sockwrap::open_pty(sockwrap::pty_stdin::terminal);
    const termios t = modes_of(pty.slave.get());
    EXPECT_NE(t.c_lflag & ICANON, 0u);  // VEOF can end the input
    EXPECT_EQ(t.c_lflag & (ECHO | ISIG), 0u);
    EXPECT_EQ(t.c_oflag & OPOST, 0u);
    EXPECT_EQ(t.c_iflag & (ICRNL | INLCR | IGNCR | ISTRIP | IXON), 0u);
    EXPECT_EQ(t.c_cc[VEOF], 0x04);
    EXPECT_EQ(t.c_cc[VLNEXT], 0x16);
    for (int c : {VINTR, VQUIT, VSUSP, VERASE, VKILL, VWERASE, VREPRINT, VEOL, VEOL2}) {
        EXPECT_EQ(t.c_cc[c], _POSIX_VDISABLE) << "c_cc[" << c << "]";
    }
}

TEST(pty_child, is_session_leader_with_the_pty_as_controlling_terminal_and_gets_exact_bytes) {
    auto pty = sockwrap::open_pty(sockwrap::pty_stdin::socket);
    auto [stdin_socket, peer] = sockwrap_test::connected_unix_pair();

    pty_test::child probe({PTY_PROBE}, {stdin_socket.get(), pty.slave.get(), stdin_socket.get()},
                          pty.slave.get());
    pty.slave.reset();  // the child holds the only slave now: its exit reads as EIO
    const auto got = sockwrap_test::read_until_eof(pty.master.get(), 10s);
    EXPECT_FALSE(got.timed_out);
    EXPECT_TRUE(got.eof || got.error == EIO) << "error " << got.error;
    EXPECT_EQ(probe.wait_for(10s), 0);

    std::string pattern;
    for (int c = 0; c < 256; ++c)
        pattern += static_cast<char>(c);
    const std::string expected =
        "isatty 0 1 2: 0 1 0\nsession leader: yes\n"
        "controlling terminal: yes\nwindow: 24x80\npattern:" +
        pattern + "\n";
    EXPECT_EQ(got.data, expected);
}
