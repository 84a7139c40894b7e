#pragma once
/// \file
/// The relay of --pty: what the child writes to its terminal goes to the socket and, when
/// stdin is the terminal too, what the peer sends goes into the terminal. Two flows of the
/// relay engine on sockwrap's event loop.

#include <cstddef>
#include <functional>
#include <optional>
#include <system_error>

#include "core/event_loop.hpp"
#include "pty/pty.hpp"
#include "pty/terminal_input.hpp"
#include "redirect/fd.hpp"
#include "relay/fd_streams.hpp"
#include "relay/flow.hpp"

namespace sockwrap {

/// Output (master → socket): runs until the master reads end-of-file (every holder of the
/// terminal, i.e. the child, is gone), writes everything read, then shuts the socket down for
/// writing so the peer reads end-of-file. If the socket fails (reset, peer gone), the master
/// is closed: the child's terminal hangs up, as a child on a broken socket gets SIGPIPE.
///
/// Input (socket → master, only with pty_stdin::terminal): through terminal_input, so that
/// the line discipline takes every byte literally and end-of-file from the socket becomes
/// VEOF instead of a close.
///
/// The socket is read and written with MSG_DONTWAIT and its flags are never changed: the
/// child may hold the same open file description as its stdin.
class pty_relay {
  public:
    /// Per direction: large, so that one send() carries many pty reads (a pty master returns
    /// at most about 4 KiB per read).
    static constexpr std::size_t default_buffer_size = 256 * 1024;

    /// Relays `master` (non-blocking, owned) and `socket` (owned: a descriptor of the relay's
    /// own, e.g. a dup) on `loop`.
    pty_relay(event_loop& loop, redirect::unique_fd master, redirect::unique_fd socket,
              pty_stdin input, std::size_t buffer_size = default_buffer_size);
    pty_relay(const pty_relay&) = delete;
    pty_relay& operator=(const pty_relay&) = delete;

    /// Starts relaying. `done` is called once, from the loop, when the output direction
    /// ended: no error when the child's output was all delivered and the socket shut down for
    /// writing; otherwise the error that stopped it (the relay is then stopped).
    void start(std::function<void(std::error_code)> done);

    /// Stops both directions and closes the master; `done` is not called. Idempotent.
    void stop() noexcept;

  private:
    event_loop& loop_;
    redirect::unique_fd master_fd_;
    redirect::unique_fd socket_fd_;
    relay::pty_master_stream master_;
    relay::socket_stream socket_;
    pty_stdin input_;
    std::size_t buffer_size_;
    std::optional<terminal_input> quoted_input_;
    std::optional<relay::flow> output_;
    std::optional<relay::flow> input_flow_;
};

}  // namespace sockwrap
