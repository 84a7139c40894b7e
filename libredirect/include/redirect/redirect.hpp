#pragma once
/// \file
/// The five redirections of the source text, one call each. Each returns a `redirection`
/// guard that owns the socket and the stream buffers; when it ends (destruction or end()),
/// pending output is flushed and std::cout / std::cin are restored exactly as they were
/// (buffers, ties, unitbuf, and in process scope file descriptors 0 and 1).

#include <chrono>
#include <memory>
#include <string_view>
#include <system_error>

#include "redirect/endpoint.hpp"
#include "redirect/fd.hpp"
#include "redirect/socket.hpp"
#include "redirect/socket_streambuf.hpp"

namespace redirect {

/// How far a redirection reaches.
enum class redirect_scope {
    streams,  ///< std::cout / std::cin only (the default)
    process   ///< also file descriptors 0 / 1, so printf, puts and child processes use the
              ///< socket; C stdio buffering is set to match the flush policy
};

/// Options common to the five redirections.
struct redirect_options {
    flush_policy policy = flush_policy::line;  ///< see socket_streambuf.hpp
    bool tie = true;  ///< keep std::cin tied to std::cout (a read sends pending output first)
    /// Client modes: for how long a refused connection is retried (the listener may start
    /// later). Zero: one attempt.
    std::chrono::milliseconds connect_wait{0};
    redirect_scope scope = redirect_scope::streams;
    std::size_t buffer_size = default_buffer_size;
};

/// Owns a redirected socket; restores the standard streams when it ends. Move-only.
/// Guards may end in any order: a newer redirection of the same stream inherits what an
/// older one saved. A redirection still active at a normal exit() has its output sent.
/// Setup errors are thrown (std::system_error, endpoint_error) before anything changes.
class redirection {
  public:
    redirection() noexcept;
    redirection(redirection&&) noexcept;
    redirection& operator=(redirection&&) noexcept;
    ~redirection();

    /// Flushes and restores now (idempotent; also done by the destructor). Never throws.
    void end() noexcept;
    bool active() const noexcept;
    /// The connected socket (still owned by the redirection), or -1 once ended.
    int socket() const noexcept;
    /// The first I/O error of the redirected streams, if any.
    std::error_code error() const noexcept;

  private:
    // What a redirection owns and restores, defined in the library's sources only. The one
    // friend is never declared where a user could name it: the library alone makes guards.
    struct state;
    friend struct redirection_access;
    explicit redirection(std::unique_ptr<state> s) noexcept;
    std::unique_ptr<state> state_;
};

/// initListenerSocket, the GUI side: binds and listens on `ep` and returns the listener before
/// any client connects, so that its address can be shown or passed on first (port() tells
/// which port `:0` got). It redirects nothing: accept() gives each connection, to wrap in a
/// socket_stream; `listen(ep).accept()` is the source text's whole call (one connection,
/// then the listener closes). Throws std::system_error.
listener listen(const endpoint& ep);
listener listen(std::string_view ep);

/// redirectOut: connect to `ep`; std::cout writes to the socket.
redirection out(const endpoint& ep, const redirect_options& options = {});
redirection out(std::string_view ep, const redirect_options& options = {});

/// redirectIn: connect to `ep`; std::cin reads from the socket.
redirection in(const endpoint& ep, const redirect_options& options = {});
redirection in(std::string_view ep, const redirect_options& options = {});

/// redirectBothAsClient: connect to `ep`; std::cout and std::cin both use the socket.
redirection both_as_client(const endpoint& ep, const redirect_options& options = {});
redirection both_as_client(std::string_view ep, const redirect_options& options = {});

/// redirectBothAsServer: listen on `ep`, accept one connection (closing the listener);
/// std::cout and std::cin both use it.
redirection both_as_server(const endpoint& ep, const redirect_options& options = {});
redirection both_as_server(std::string_view ep, const redirect_options& options = {});
/// redirectBothAsServer on a listener made first (see listen()), so that the program can
/// report its port before this call waits for a client: accepts one connection on `l`;
/// std::cout and std::cin both use it. `l` stays open, so that clients may be served one
/// after another; close it (or let it end) when no more are wanted.
redirection both_as_server(const listener& l, const redirect_options& options = {});

}  // namespace redirect
