#pragma once
/// \file
/// A std::streambuf over a connected socket, with explicit flush policies, and socket_stream,
/// the std::iostream that owns one.
///
/// Bytes written reach the wire exactly when one of these happens, and never otherwise:
/// - an explicit flush: pubsync(), std::flush, std::endl, std::ostream::flush();
/// - the put buffer is full: a write that does not fit in what is left of it sends the
///   pending bytes first (a write at least as large as the buffer is sent at once, behind
///   them, without being copied);
/// - the buffer is destroyed (or the redirection that owns it ends);
/// - a read needs bytes from the socket (underflow): pending output is sent first, so a
///   question always leaves before the program waits for its answer;
/// - under flush_policy::line, each '\n' written (also a lone `<< '\n'`): everything up to
///   and including the last '\n' of a write is sent, the rest waits;
/// - under flush_policy::unit, the end of each output operation (std::unitbuf).

#include <cstddef>
#include <iostream>
#include <memory>
#include <streambuf>
#include <string_view>
#include <system_error>
#include <vector>

#include "redirect/endpoint.hpp"
#include "redirect/fd.hpp"
#include "redirect/socket.hpp"

namespace redirect {

/// When buffered output is sent, beyond flushes, a full buffer and the end of the stream.
enum class flush_policy {
    full,  ///< "explicit": nothing else; the fastest, for bulk data
    line,  ///< also at every '\n' (the default: dialogs work with no manual flush)
    unit   ///< also after every output operation (sets std::unitbuf on redirected streams)
};

/// Default size of each of the get and put areas.
inline constexpr std::size_t default_buffer_size = 64 * 1024;

/// A std::streambuf reading from and writing to a connected socket (or any descriptor:
/// send() falls back to write() on pipes and terminals). Never throws during I/O: a failure
/// is recorded (see error()) and reported to the stream as EOF / a failed write.
class socket_streambuf : public std::streambuf {
  public:
    /// Uses `fd` without owning it; the caller keeps it open for the buffer's lifetime.
    explicit socket_streambuf(int fd, flush_policy policy = flush_policy::line,
                              std::size_t buffer_size = default_buffer_size);
    /// Owns `fd` and closes it when destroyed (after the final flush).
    explicit socket_streambuf(unique_fd fd, flush_policy policy = flush_policy::line,
                              std::size_t buffer_size = default_buffer_size);
    socket_streambuf(const socket_streambuf&) = delete;
    socket_streambuf& operator=(const socket_streambuf&) = delete;
    /// Sends what is pending; never throws.
    ~socket_streambuf() override;

    int fd() const noexcept { return fd_; }
    flush_policy policy() const noexcept { return policy_; }
    /// The first I/O error met (sending or receiving), or an empty error_code.
    std::error_code error() const noexcept { return error_; }
    /// Bytes written but not yet sent.
    std::size_t pending() const noexcept;

  protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char_type* s, std::streamsize n) override;
    int sync() override;
    int_type underflow() override;
    std::streamsize xsgetn(char_type* s, std::streamsize n) override;
    std::streamsize showmanyc() override;

  private:
    char* put_base() noexcept { return put_area_.data(); }
    void ensure_put_area();
    void set_pending(std::size_t count) noexcept;
    bool append(const char* data, std::size_t size, bool send_now) noexcept;
    bool send_pending() noexcept;
    bool send_with_pending(const char* data, std::size_t size) noexcept;
    std::ptrdiff_t receive(char* data, std::size_t size) noexcept;
    void record(int error) noexcept;

    int fd_;
    unique_fd owned_;
    flush_policy policy_;
    std::size_t capacity_;          // size of each of the put and get areas
    std::vector<char> put_area_;    // allocated on first write
    std::vector<char> get_area_;    // allocated on first read, with a putback region in front
    std::size_t line_pending_ = 0;  // bytes held in put_area_ in line mode (no put pointers)
    bool not_socket_ = false;       // send()/recv() said ENOTSOCK: use write()/read()
    std::error_code error_;
};

/// A std::iostream over a connected socket it owns: `socket_stream s("host:7000");` connects,
/// `socket_stream s(listener.accept());` takes a connection. Under flush_policy::unit it has
/// std::unitbuf set. Movable: the buffer stays where it is and changes owner, so pending
/// output and unread input move with it; a moved-from stream has no buffer and is bad.
class socket_stream : public std::iostream {
  public:
    /// Owns `fd`, a connected socket (or a pipe or terminal).
    explicit socket_stream(unique_fd fd, flush_policy policy = flush_policy::line,
                           std::size_t buffer_size = default_buffer_size);
    /// Connects to `ep` as connect_to() does (`how.wait` gives a listener that starts later
    /// time to come up). Throws std::system_error.
    explicit socket_stream(const endpoint& ep, const connect_options& how = {},
                           flush_policy policy = flush_policy::line,
                           std::size_t buffer_size = default_buffer_size);
    /// The same for an endpoint's text; throws endpoint_error if it does not parse.
    explicit socket_stream(std::string_view ep, const connect_options& how = {},
                           flush_policy policy = flush_policy::line,
                           std::size_t buffer_size = default_buffer_size);
    socket_stream(const socket_stream&) = delete;
    socket_stream& operator=(const socket_stream&) = delete;
    /// Takes over `other`'s buffer, socket and stream state.
    socket_stream(socket_stream&& other) noexcept;
    /// Ends this stream's own connection (pending output is sent, the socket closed), then
    /// takes over `other`'s.
    socket_stream& operator=(socket_stream&& other) noexcept;

    /// The stream buffer; not for a moved-from stream.
    socket_streambuf& buffer() noexcept { return *buf_; }
    /// The socket, still owned by the stream; -1 once moved from.
    int fd() const noexcept { return buf_ ? buf_->fd() : -1; }
    /// The first I/O error met, sending or receiving, or an empty error_code (the stream's
    /// state says only that something failed; this says what).
    std::error_code error() const noexcept { return buf_ ? buf_->error() : std::error_code(); }

  private:
    void lose_buffer() noexcept;

    std::unique_ptr<socket_streambuf> buf_;
};

}  // namespace redirect
