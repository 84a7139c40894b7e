#include <utility>

#include "redirect/socket_streambuf.hpp"

namespace redirect {

socket_stream::socket_stream(unique_fd fd, flush_policy policy, std::size_t buffer_size)
    : std::iostream(nullptr),
      buf_(std::make_unique<socket_streambuf>(std::move(fd), policy, buffer_size)) {
    rdbuf(buf_.get());
    if (policy == flush_policy::unit) setf(std::ios_base::unitbuf);
}

socket_stream::socket_stream(const endpoint& ep, const connect_options& how, flush_policy policy,
                             std::size_t buffer_size)
    : socket_stream(connect_to(ep, how), policy, buffer_size) {}

socket_stream::socket_stream(std::string_view ep, const connect_options& how, flush_policy policy,
                             std::size_t buffer_size)
    : socket_stream(parse_endpoint(ep), how, policy, buffer_size) {}

// The base classes move the stream's state, flags and tie but leave the buffer pointer alone
// (it belongs to the derived class): the buffer itself stays on the heap and only changes
// owner, so its put and get areas move without a copy.
socket_stream::socket_stream(socket_stream&& other) noexcept
    : std::iostream(std::move(other)), buf_(std::move(other.buf_)) {
    set_rdbuf(buf_.get());
    other.lose_buffer();
}

socket_stream& socket_stream::operator=(socket_stream&& other) noexcept {
    if (this == &other) return *this;
    // Swaps state, flags, tie and exception masks, but not the buffers.
    std::iostream::operator=(std::move(other));
    // The replaced buffer dies here: it sends what it holds and closes its socket.
    buf_ = std::move(other.buf_);
    set_rdbuf(buf_.get());
    other.lose_buffer();
    return *this;
}

// Left with no buffer, the stream must fail every operation rather than reach a null buffer:
// rdbuf(nullptr) sets badbit. The exception mask is cleared first, as that must not throw.
void socket_stream::lose_buffer() noexcept {
    exceptions(std::ios_base::goodbit);
    rdbuf(nullptr);
}

}  // namespace redirect
