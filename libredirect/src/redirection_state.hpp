#pragma once
// Private: what a redirection owns and what it must put back, and how the library makes one.

#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "process_scope.hpp"
#include "redirect/redirect.hpp"

namespace redirect {

/// What a standard stream had that a redirection changes (its tie is saved apart: every
/// redirection sets std::cin's tie, not only those that redirect std::cin).
struct saved_stream {
    std::streambuf* buffer = nullptr;
    std::ios_base::fmtflags flags{};
    std::ios_base::iostate state{};

    static saved_stream of(const std::ios& stream) noexcept;
    void restore(std::ios& stream) const noexcept;
};

struct redirection::state {
    unique_fd socket;
    bool redirects_in = false;
    bool redirects_out = false;
    std::unique_ptr<socket_streambuf> out_buffer;  // std::cout's, when redirected
    std::unique_ptr<socket_streambuf> in_buffer;   // std::cin's, when redirected
    saved_stream saved_cout;
    saved_stream saved_cin;
    std::ostream* saved_tie = nullptr;  // std::cin's
    // Process scope only; constructed in this order, taken down in end() in the reverse.
    std::optional<detail::stdout_buffering> stdout_mode;
    std::optional<detail::fd_binding> fd0;
    std::optional<detail::fd_binding> fd1;
    state* next_active = nullptr;  // the list of active redirections, newest first

    /// Sends what the redirected output holds (std::cout's buffer and, in process scope,
    /// C stdout's). Never throws.
    void flush_output() noexcept;
};

/// The library's way into redirection's private parts (the class befriends it). It is
/// declared here only, so no user of the public headers can name it.
struct redirection_access {
    using state = redirection::state;
    static redirection make(std::unique_ptr<state> s) noexcept { return redirection(std::move(s)); }
};

namespace detail {

/// Builds a redirection over a connected `socket`: the one place that swaps the streams.
redirection make_redirection(unique_fd socket, bool redirect_in, bool redirect_out,
                             const redirect_options& options);

}  // namespace detail

}  // namespace redirect
