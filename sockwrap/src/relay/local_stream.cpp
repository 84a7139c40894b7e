// sockwrap's own fds 0 and 1 made safe to use non-blocking.

#include "relay/local_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "core/failure.hpp"

namespace sockwrap {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw failure(exit_failure, describe(what, {errno, std::generic_category()}));
}

const char* stream_name(int std_fd) {
    return std_fd == 0 ? "standard input" : "standard output";
}

// A new open file description for a pipe, FIFO or terminal; -1 for other files (a socket
// cannot be reopened; a regular file would lose its offset and O_APPEND).
int reopen(int std_fd) {
    struct stat st {};
    if (::fstat(std_fd, &st) != 0) return -1;
    if (!S_ISFIFO(st.st_mode) && !(S_ISCHR(st.st_mode) && ::isatty(std_fd))) return -1;
    std::string path = "/proc/self/fd/" + std::to_string(std_fd);
    int access = std_fd == 0 ? O_RDONLY : O_WRONLY;
    return ::open(path.c_str(), access | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

}  // namespace

local_stream::local_stream(int std_fd) : std_fd_(std_fd) {
    fd_.reset(reopen(std_fd));
    if (fd_) return;
    saved_flags_ = ::fcntl(std_fd, F_GETFL);
    if (saved_flags_ < 0) fail(stream_name(std_fd));
    fd_.reset(::fcntl(std_fd, F_DUPFD_CLOEXEC, 3));
    if (!fd_) fail(stream_name(std_fd));
    if (::fcntl(fd_.get(), F_SETFL, saved_flags_ | O_NONBLOCK) != 0) fail(stream_name(std_fd));
}

local_stream::~local_stream() {
    restore();
}

void local_stream::restore() noexcept {
    if (saved_flags_ < 0) return;
    ::fcntl(std_fd_, F_SETFL, saved_flags_);
    saved_flags_ = -1;
}

void local_stream::detach_stdout() noexcept {
    if (!fd_) return;
    restore();
    fd_.reset();
    int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0) return;
    ::dup2(null, std_fd_);
    ::close(null);
}

void ensure_standard_fds() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
        // open() returns the lowest free number, which is `fd` itself here.
        int null = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (null < 0) fail("open /dev/null");
        if (null != fd) {
            ::dup2(null, fd);
            ::close(null);
        }
    }
}

}  // namespace sockwrap
