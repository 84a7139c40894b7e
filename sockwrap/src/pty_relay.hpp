#pragma once
/// \file
/// The relay of --pty: copies what the child writes to its terminal onto the socket and, when
/// stdin is the terminal too, what the peer sends into the terminal.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "byte_pump.hpp"
#include "pty.hpp"
#include "redirect/fd.hpp"

namespace sockwrap {

/// Relays a pty master and a connected socket on an Asio event loop.
///
/// Output (master → socket): runs until the master reads end-of-file or EIO (every holder of
/// the slave, i.e. the child, is gone), writes everything read, then shuts the socket down for
/// writing so the peer reads end-of-file. If the socket fails (reset, peer gone), the master is
/// closed: the child's terminal hangs up, as a child on a broken socket gets SIGPIPE.
///
/// Input (socket → master, only with pty_stdin::terminal): bytes the line discipline would
/// interpret (NUL, VEOF, VLNEXT) are quoted with VLNEXT, long lines are pushed to the reader in
/// pieces (a canonical line holds at most 4095 bytes), and end-of-file from the socket becomes
/// VEOF (twice after an unfinished line) instead of a close, which would hang up the child.
///
/// The socket is never given to Asio: the child may hold the same open file description as its
/// stdin, and Asio would make it non-blocking. The relay reads and writes it with MSG_DONTWAIT
/// and learns of readiness through a readiness_watch. The master is the relay's alone.
class pty_relay {
  public:
    /// Buffer per direction: large, so that one send() carries many pty reads (a pty master
    /// returns at most about 4 KiB per read).
    static constexpr std::size_t default_buffer_size = 256 * 1024;

    /// Relays `master` (non-blocking, owned) and `socket` (owned: a descriptor of the relay's
    /// own, e.g. a dup; its flags are never changed). Throws std::system_error.
    pty_relay(boost::asio::io_context& io, redirect::unique_fd master, redirect::unique_fd socket,
              pty_stdin input, std::size_t buffer_size = default_buffer_size);
    pty_relay(const pty_relay&) = delete;
    pty_relay& operator=(const pty_relay&) = delete;
    ~pty_relay();

    /// Starts relaying. `done` is called once, from the event loop, when the output direction
    /// ended: no error when the child's output was all delivered and the socket shut down for
    /// writing; otherwise the error that stopped it (the relay is then closed).
    void start(std::function<void(std::error_code)> done);

    /// Stops both directions and closes the master; `done` is not called. Idempotent.
    void stop() noexcept;

  private:
    byte_pump::source master_source();
    byte_pump::sink socket_sink();
    byte_pump::source socket_source();
    byte_pump::sink master_sink();

    boost::asio::posix::stream_descriptor master_;
    redirect::unique_fd socket_;
    readiness_watch socket_writable_;
    std::optional<readiness_watch> socket_readable_;  // only when input goes to the terminal
    pty_stdin input_;
    std::size_t buffer_size_;
    std::shared_ptr<byte_pump> output_;
    std::shared_ptr<byte_pump> input_pump_;
    // Input quoting: raw bytes from the socket, and the length of the unfinished line.
    std::string raw_input_;
    std::string quoted_input_;
    std::size_t line_length_ = 0;
};

/// Runs a pty_relay on an event loop of its own until the output direction ends. Returns the
/// error that stopped it, or none.
std::error_code relay_pty(redirect::unique_fd master, redirect::unique_fd socket, pty_stdin input,
                          std::size_t buffer_size = pty_relay::default_buffer_size);

/// The input quoting of pty_stdin::terminal, exposed for tests: appends `raw` to `out` with
/// NUL, VEOF and VLNEXT quoted, and a VEOF after every `push_every` bytes of an unfinished
/// line; `line_length` carries the length of the unfinished line between calls.
void quote_terminal_input(std::string_view raw, std::string& out, std::size_t& line_length,
                          std::size_t push_every);

/// The bytes that end terminal input: VEOF, twice if a line is unfinished.
std::string terminal_end_of_input(std::size_t line_length);

}  // namespace sockwrap
