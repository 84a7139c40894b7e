#pragma once
// Private: the send and receive loops shared by socket_streambuf and socket_device.

#include <cstddef>

namespace redirect::detail {

/// Sends all of `first` then all of `second` (either may be empty) with one gathered call
/// per attempt, so a large block never needs copying behind pending bytes. Retries on EINTR
/// and partial writes, waits with poll() on a non-blocking descriptor (on a blocking one,
/// EAGAIN is an expired SO_SNDTIMEO and is returned), never raises SIGPIPE.
/// Sets `not_socket` (and falls back to writev()) when the descriptor is a pipe or terminal.
/// Returns 0 or the errno of the failure.
int send_all(int fd, const char* first, std::size_t first_size, const char* second,
             std::size_t second_size, bool& not_socket) noexcept;

/// Receives at most `size` bytes, waiting for at least one. Returns the count, 0 at end of
/// stream, or -errno. Retries on EINTR; falls back to read() on non-sockets; EAGAIN is
/// handled as in send_all().
std::ptrdiff_t receive_some(int fd, char* data, std::size_t size, bool& not_socket) noexcept;

}  // namespace redirect::detail
