#include "support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace test {

namespace {

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

socket_pair tcp_pair() {
    redirect::listener l(redirect::parse_endpoint(":0"));
    socket_pair pair;
    pair.client = redirect::connect_to(redirect::parse_endpoint(":" + std::to_string(l.port())));
    pair.server = l.accept();
    bound_io(pair.client.get());
    bound_io(pair.server.get());
    return pair;
}

void bound_io(int fd, int seconds) {
    timeval limit{seconds, 0};
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) != 0)
        fail("setsockopt timeout");
}

bool readable_within(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    int n;
    while ((n = ::poll(&p, 1, ms)) < 0 && errno == EINTR) {
    }
    return n > 0;
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

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("test write");
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

temp_dir::temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "libredirect-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("mkdtemp");
    path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
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
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
