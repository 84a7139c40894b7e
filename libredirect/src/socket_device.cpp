#include "redirect/socket_device.hpp"

#include <sys/socket.h>

#include "socket_io.hpp"

namespace redirect {

struct socket_device::state {
    int fd = -1;
    unique_fd owned;
    bool not_socket = false;
    std::error_code error;

    [[noreturn]] void fail(int code, const char* what) {
        std::error_code ec(code, std::generic_category());
        if (!error) error = ec;
        throw std::ios_base::failure(what, ec);
    }
};

socket_device::socket_device(unique_fd fd) : socket_device(fd.get()) {
    state_->owned = std::move(fd);
}

socket_device::socket_device(int fd) : state_(std::make_shared<state>()) {
    state_->fd = fd;
}

std::streamsize socket_device::read(char* s, std::streamsize n) {
    if (n <= 0) return 0;
    std::ptrdiff_t got =
        detail::receive_some(state_->fd, s, static_cast<std::size_t>(n), state_->not_socket);
    if (got < 0) state_->fail(static_cast<int>(-got), "socket_device: receive");
    return got == 0 ? -1 : got;
}

std::streamsize socket_device::write(const char* s, std::streamsize n) {
    if (n <= 0) return 0;
    int error = detail::send_all(state_->fd, s, static_cast<std::size_t>(n), nullptr, 0,
                                 state_->not_socket);
    if (error != 0) state_->fail(error, "socket_device: send");
    return n;
}

void socket_device::close(std::ios_base::openmode which) {
    // Not a socket (ENOTSOCK) or already disconnected (ENOTCONN): nothing to announce.
    if ((which & std::ios_base::out) != 0) ::shutdown(state_->fd, SHUT_WR);
}

int socket_device::fd() const noexcept {
    return state_->fd;
}

std::error_code socket_device::error() const noexcept {
    return state_->error;
}

}  // namespace redirect
