#include "process_scope.hpp"

#include <fcntl.h>
#include <stdio_ext.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace redirect::detail {

namespace {

// The buffering mode C stdout has now. A stream not used yet has no buffer and no mode:
// glibc will choose line buffering for a terminal and full buffering otherwise, so that is
// the mode to put back.
int current_stdout_mode() {
    if (__flbf(stdout) != 0) return _IOLBF;
    const std::size_t size = __fbufsize(stdout);
    if (size == 1) return _IONBF;  // glibc's unbuffered streams use a one-byte buffer
    if (size == 0) return ::isatty(STDOUT_FILENO) == 1 ? _IOLBF : _IOFBF;
    return _IOFBF;
}

// glibc keeps the one-byte buffer of an unbuffered stream when it is made buffered again
// with setvbuf(…, nullptr, …): give it a real buffer, one that lives as long as stdout.
void set_stdout_mode(int mode) {
    static char buffer[BUFSIZ];
    std::fflush(stdout);
    if (mode == _IONBF)
        std::setvbuf(stdout, nullptr, _IONBF, 0);
    else
        std::setvbuf(stdout, buffer, mode, sizeof buffer);
}

int mode_for(flush_policy policy) {
    switch (policy) {
        case flush_policy::line:
            return _IOLBF;
        case flush_policy::unit:
            return _IONBF;
        case flush_policy::full:
            break;
    }
    return _IOFBF;
}

}  // namespace

fd_binding::fd_binding(int socket, int target) : target_(target) {
    // Save the current `target` above 2, close-on-exec: children must not inherit it.
    int saved = ::fcntl(target, F_DUPFD_CLOEXEC, 3);
    if (saved < 0 && errno != EBADF)
        throw std::system_error(errno, std::generic_category(), "save descriptor");
    saved_.reset(saved);
    // dup2() clears close-on-exec on the new descriptor, so children get the socket there.
    if (::dup2(socket, target) < 0)
        throw std::system_error(errno, std::generic_category(), "dup2 socket");
}

fd_binding::~fd_binding() {
    if (target_ < 0) return;
    if (saved_)
        ::dup2(saved_.get(), target_);
    else
        ::close(target_);  // it was closed before the redirection
}

stdout_buffering::stdout_buffering(flush_policy policy) : previous_mode_(current_stdout_mode()) {
    set_stdout_mode(mode_for(policy));
}

stdout_buffering::~stdout_buffering() {
    if (previous_mode_ >= 0) set_stdout_mode(previous_mode_);
}

void fd_binding::hand_over_to(fd_binding& newer) noexcept {
    newer.saved_ = std::move(saved_);
    target_ = -1;
}

void stdout_buffering::hand_over_to(stdout_buffering& newer) noexcept {
    newer.previous_mode_ = std::exchange(previous_mode_, -1);
}

void reset_stdin() noexcept {
    __fpurge(stdin);
    std::clearerr(stdin);
}

}  // namespace redirect::detail
