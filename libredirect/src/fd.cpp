#include "redirect/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace redirect {

void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
}

namespace {
void update_flag(int fd, int get_cmd, int set_cmd, int flag, bool on, const char* what) {
    int flags = ::fcntl(fd, get_cmd);
    if (flags < 0) throw std::system_error(errno, std::generic_category(), what);
    int wanted = on ? (flags | flag) : (flags & ~flag);
    if (wanted != flags && ::fcntl(fd, set_cmd, wanted) < 0)
        throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace

void set_nonblocking(int fd, bool on) {
    update_flag(fd, F_GETFL, F_SETFL, O_NONBLOCK, on, "fcntl(O_NONBLOCK)");
}

}  // namespace redirect
