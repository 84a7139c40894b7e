/// bench_pty_relay: the least a pty relay can do, to show what a pseudo-terminal itself
/// allows. It connects, runs PROGRAM with its stdout on a raw pty, and copies the master to
/// the socket with a plain blocking read/write loop (256 KiB buffer) until the child is gone.
///
///   bench_pty_relay --connect EP [--max-seconds S] -- PROGRAM [ARG...]

#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr std::string_view program = "bench_pty_relay";

/// Opens a pty master and its slave, the slave in raw mode (8-bit clean, no echo).
std::pair<redirect::unique_fd, redirect::unique_fd> open_raw_pty() {
    redirect::unique_fd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0)
        bench::fail(program, std::string("posix_openpt: ") + std::strerror(errno));
    redirect::unique_fd slave(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
    termios mode{};
    if (!slave || ::tcgetattr(slave.get(), &mode) != 0) bench::fail(program, "cannot open slave");
    ::cfmakeraw(&mode);
    ::tcsetattr(slave.get(), TCSANOW, &mode);
    return {std::move(master), std::move(slave)};
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 2> valued{"connect", "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    ::alarm(static_cast<unsigned>(opts.number("max-seconds", 300)));
    std::vector<std::string> command = opts.rest();
    if (command.empty() || opts.text("connect").empty())
        bench::fail(program, "usage: --connect EP -- PROGRAM [ARG...]");
    std::vector<char*> child_argv;
    for (auto& word : command)
        child_argv.push_back(word.data());
    child_argv.push_back(nullptr);

    redirect::unique_fd socket =
        bench::connect_with_wait(opts.text("connect"), std::chrono::milliseconds(5000));
    auto [master, slave] = open_raw_pty();
    pid_t child = ::fork();
    if (child == 0) {
        ::setsid();
        ::dup2(slave.get(), STDOUT_FILENO);
        ::execvp(child_argv[0], child_argv.data());
        ::_exit(127);
    }
    if (child < 0) bench::fail(program, "fork failed");
    slave.reset();  // the master reads EIO once the child's side is closed

    std::vector<char> buffer(256 * 1024);
    for (;;) {
        ssize_t n = ::read(master.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EIO: the child has closed the terminal
        if (!bench::write_all(socket.get(), buffer.data(), static_cast<std::size_t>(n)))
            bench::fail(program, std::string("write: ") + std::strerror(errno));
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
