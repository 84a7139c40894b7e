// Opening a pseudo-terminal and setting its modes for --pty.

#include "pty/pty.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <string>
#include <system_error>

namespace sockwrap {

namespace {

[[noreturn]] void throw_errno(const char* step) {
    throw std::system_error(errno, std::generic_category(), std::string("pty: ") + step);
}

// The slave end, opened through the master (TIOCGPTPEER, Linux 4.13) so that it is the right
// terminal even if /dev/pts is not the one of our namespace; ptsname_r as a fallback.
redirect::unique_fd open_slave(int master) {
    redirect::unique_fd slave(::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (slave) return slave;
    char name[PATH_MAX];
    if (::ptsname_r(master, name, sizeof name) != 0) throw_errno("ptsname");
    slave.reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!slave) throw_errno("open slave");
    return slave;
}

// Output: raw, so no byte is added or changed. Input (terminal mode only): canonical, so that
// VEOF can end the input, with every other special character switched off. A disabled
// character reads as NUL on Linux, so terminal_input escapes NUL, VEOF and VLNEXT with VLNEXT.
termios terminal_modes(const termios& current, pty_stdin input) {
    termios modes = current;
    ::cfmakeraw(&modes);
    if (input == pty_stdin::terminal) {
        modes.c_lflag |= ICANON | IEXTEN;  // IEXTEN: VLNEXT quotes the next byte
        for (cc_t& c : modes.c_cc)
            c = _POSIX_VDISABLE;
        modes.c_cc[VEOF] = 0x04;    // ^D
        modes.c_cc[VLNEXT] = 0x16;  // ^V
        modes.c_cc[VMIN] = 1;
        modes.c_cc[VTIME] = 0;
    }
    return modes;
}

}  // namespace

winsize default_window_size() noexcept {
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 80;
    return size;
}

pty_pair open_pty(pty_stdin input, const winsize& size) {
    pty_pair pty;
    pty.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!pty.master) throw_errno("posix_openpt");
    if (::grantpt(pty.master.get()) != 0) throw_errno("grantpt");
    if (::unlockpt(pty.master.get()) != 0) throw_errno("unlockpt");
    pty.slave = open_slave(pty.master.get());

    termios current{};
    if (::tcgetattr(pty.slave.get(), &current) != 0) throw_errno("tcgetattr");
    const termios modes = terminal_modes(current, input);
    if (::tcsetattr(pty.slave.get(), TCSANOW, &modes) != 0) throw_errno("tcsetattr");
    if (::ioctl(pty.slave.get(), TIOCSWINSZ, &size) != 0) throw_errno("TIOCSWINSZ");
    redirect::set_nonblocking(pty.master.get(), true);
    return pty;
}

}  // namespace sockwrap
