#include "sockwrap_test/io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

namespace sockwrap_test {

pipe_pair make_pipe() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    return {redirect::unique_fd(p[0]), redirect::unique_fd(p[1])};
}

bool nonblocking(int fd) {
    return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

namespace {

using clock = std::chrono::steady_clock;

int millis_left(clock::time_point deadline) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
    return static_cast<int>(std::max<long long>(0, left.count()));
}

// One write that fails with EPIPE instead of raising SIGPIPE, and leaves the process's signal
// dispositions alone (a test may be checking that code under test raises no SIGPIPE).
ssize_t write_without_sigpipe(int fd, std::string_view data) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0 || errno != ENOTSOCK) return n;
    sigset_t pipe_only, before;
    ::sigemptyset(&pipe_only);
    ::sigaddset(&pipe_only, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_only, &before);
    n = ::write(fd, data.data(), data.size());
    const int saved = errno;
    if (n < 0 && saved == EPIPE) {
        const timespec now{0, 0};
        while (::sigtimedwait(&pipe_only, nullptr, &now) < 0 && errno == EINTR) {
        }
    }
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    errno = saved;
    return n;
}

}  // namespace

short poll_for(int fd, short events, std::chrono::milliseconds timeout) {
    auto deadline = clock::now() + timeout;
    for (;;) {
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, millis_left(deadline));
        if (n < 0 && errno == EINTR) continue;
        return n > 0 ? p.revents : 0;
    }
}

read_result read_until(int fd, const std::function<bool(const std::string&)>& done,
                       std::chrono::milliseconds timeout) {
    read_result r;
    auto deadline = clock::now() + timeout;
    char buffer[65536];
    while (!done(r.data)) {
        if (poll_for(fd, POLLIN, std::chrono::milliseconds(millis_left(deadline))) == 0) {
            r.timed_out = true;
            break;
        }
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) {
            r.error = errno;
            break;
        }
        if (n == 0) {
            r.eof = true;
            break;
        }
        r.data.append(buffer, static_cast<std::size_t>(n));
    }
    return r;
}

read_result read_until_eof(int fd, std::chrono::milliseconds timeout) {
    return read_until(
        fd, [](const std::string&) { return false; }, timeout);
}

read_result read_until_contains(int fd, std::string_view needle,
                                std::chrono::milliseconds timeout) {
    return read_until(
        fd, [needle](const std::string& s) { return s.find(needle) != std::string::npos; },
        timeout);
}

read_result read_lines(int fd, std::size_t count, std::chrono::milliseconds timeout) {
    return read_until(
        fd,
        [count](const std::string& s) {
            return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) >= count;
        },
        timeout);
}

bool write_all(int fd, std::string_view data, std::chrono::milliseconds timeout) {
    auto deadline = clock::now() + timeout;
    while (!data.empty()) {
        if (poll_for(fd, POLLOUT, std::chrono::milliseconds(millis_left(deadline))) == 0)
            return false;
        ssize_t n = write_without_sigpipe(fd, data);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string wait_for_line_in_file(const std::string& path, std::chrono::milliseconds timeout) {
    auto deadline = clock::now() + timeout;
    for (;;) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        auto newline = s.find('\n');
        if (newline != std::string::npos) return s.substr(0, newline);
        if (clock::now() >= deadline) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace sockwrap_test
