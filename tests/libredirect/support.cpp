#include "support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "sockwrap_test/process.hpp"

namespace test {

namespace {

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

socket_pair bounded_tcp_pair() {
    socket_pair pair = st::connected_tcp_pair();
    bound_io(pair.client.get());
    bound_io(pair.server.get());
    return pair;
}

redirect::unique_fd peer_listener::accept() {
    redirect::unique_fd c = l.accept();
    bound_io(c.get());
    return c;
}

void bound_io(int fd, int seconds) {
    timeval limit{seconds, 0};
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) != 0)
        fail("setsockopt timeout");
}

bool readable_within(int fd, int ms) {
    return st::poll_for(fd, POLLIN, std::chrono::milliseconds(ms)) != 0;
}

std::string read_some(int fd, std::size_t count, int idle_ms) {
    std::string out;
    char buffer[65536];
    while (out.size() < count && readable_within(fd, idle_ms)) {
        ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, count - out.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

std::string read_to_end(int fd, int idle_ms) {
    return read_some(fd, static_cast<std::size_t>(-1), idle_ms);
}

int run_in_child(const std::function<int()>& body, const std::function<void()>& parent,
                 int seconds) {
    std::fflush(nullptr);  // nothing buffered may be written twice
    pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        int status = 100;
        try {
            status = body();
        } catch (...) {
            status = 101;
        }
        ::_exit(status);
    }
    if (parent) {
        try {
            parent();
        } catch (...) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            throw;
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int status = 0;
    for (;;) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) fail("waitpid");
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int spawn_and_wait(const std::vector<std::string>& argv) {
    try {
        st::process_options own_stdio;
        own_stdio.in = own_stdio.out = own_stdio.err = st::stdio_spec::inherit();
        st::process program(argv, own_stdio);
        const std::optional<int> status = program.wait_for(30s);
        return status && *status < 128 ? *status : -1;
    } catch (const std::system_error&) {
        return -1;
    }
}

std::set<int> inheritable_fds() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) fail("opendir /proc/self/fd");
    const int own = ::dirfd(dir);
    std::set<int> found;
    while (dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        const int fd = std::atoi(entry->d_name);
        if (fd <= 2 || fd == own) continue;
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0 && (flags & FD_CLOEXEC) == 0) found.insert(fd);
    }
    ::closedir(dir);
    return found;
}

std::array<long long, 2> fd_identity(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return {-1, -1};
    return {static_cast<long long>(st.st_dev), static_cast<long long>(st.st_ino)};
}

void byte_source::fill(char* out, std::size_t size) {
    for (std::size_t i = 0; i < size; i += 8) {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        const std::uint64_t value = state_ * 0x2545F4914F6CDD1DULL;
        std::memcpy(out + i, &value, std::min<std::size_t>(8, size - i));
    }
}

}  // namespace test
