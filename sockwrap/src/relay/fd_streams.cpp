// Reads, writes and ends of the descriptor streams: socket, own stdio, pty master.

#include "relay/fd_streams.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "redirect/fd.hpp"
#include "relay/splice.hpp"

namespace sockwrap::relay {

socket_stream::socket_stream(int fd, std::string name, bool exclusive)
    : fd_(fd), name_(std::move(name)), exclusive_(exclusive) {
    // splice() takes the socket's own O_NONBLOCK for the socket side (SPLICE_F_NONBLOCK
    // covers only the pipe).
    if (exclusive_) redirect::set_nonblocking(fd_, true);
}

transfer socket_stream::read(std::span<char> into) {
    return transfer::from_read(::recv(fd_, into.data(), into.size(), MSG_DONTWAIT), fd_);
}

transfer socket_stream::write(std::span<const char> from) {
    return transfer::from_write(::send(fd_, from.data(), from.size(), MSG_DONTWAIT | MSG_NOSIGNAL),
                                fd_);
}

transfer socket_stream::finish() {
    // A peer that has already reset the connection makes this fail (ENOTCONN): there is no
    // end left to pass on, and the direction that reads from it reports the reset.
    ::shutdown(fd_, SHUT_WR);
    return transfer::moved(0);
}

stdin_source::stdin_source() : pipe_(is_pipe(stream_.fd())) {
    if (pipe_) grow_pipe(stream_.fd(), relay_pipe_size);
}

transfer stdin_source::read(std::span<char> into) {
    return transfer::from_read(::read(stream_.fd(), into.data(), into.size()), stream_.fd());
}

stdout_sink::stdout_sink() : pipe_(is_pipe(stream_.fd())) {
    if (pipe_) grow_pipe(stream_.fd(), relay_pipe_size);
}

transfer stdout_sink::write(std::span<const char> from) {
    return transfer::from_write(::write(stream_.fd(), from.data(), from.size()), stream_.fd());
}

transfer stdout_sink::finish() {
    close();
    return transfer::moved(0);
}

transfer pty_master_stream::read(std::span<char> into) {
    const ssize_t n = ::read(fd_, into.data(), into.size());
    // The master reads EIO once no process holds the slave any more: the child is gone.
    if (n < 0 && errno == EIO) return transfer::end();
    return transfer::from_read(n, fd_);
}

transfer pty_master_stream::write(std::span<const char> from) {
    return transfer::from_write(::write(fd_, from.data(), from.size()), fd_);
}

}  // namespace sockwrap::relay
