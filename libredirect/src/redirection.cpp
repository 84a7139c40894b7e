#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <system_error>

#include "redirection_state.hpp"

namespace redirect {

namespace {

using state = redirection_access::state;

// Active redirections, so that a normal exit() (which unwinds no stack) still delivers
// their output: an atexit handler flushes each one.
constinit std::mutex active_mutex;
constinit state* active_head = nullptr;

void flush_active_at_exit() noexcept {
    std::lock_guard lock(active_mutex);
    for (auto* s = active_head; s != nullptr; s = s->next_active)
        s->flush_output();
}

void add_active(state* s) {
    static const bool registered = std::atexit(flush_active_at_exit) == 0;
    if (!registered) throw std::system_error(ENOMEM, std::generic_category(), "atexit");
    std::lock_guard lock(active_mutex);
    s->next_active = active_head;
    active_head = s;
}

// Called with active_mutex held.
void remove_active(state* s) noexcept {
    for (auto** link = &active_head; *link != nullptr; link = &(*link)->next_active) {
        if (*link == s) {
            *link = s->next_active;
            return;
        }
    }
}

// Moves the socket above 2. A process started with fd 0 or 1 closed gets its socket there;
// left in place, it would be clobbered (or, being close-on-exec, vanish at exec) when the
// process scope binds fds 0 and 1.
unique_fd above_standard_fds(unique_fd socket) {
    if (socket.get() > 2) return socket;
    unique_fd moved(::fcntl(socket.get(), F_DUPFD_CLOEXEC, 3));
    if (!moved) throw std::system_error(errno, std::generic_category(), "move socket");
    return moved;
}

void bind_process_scope(state& s, const redirect_options& options) {
    const int fd = s.socket.get();
    if (s.redirects_out) s.stdout_mode.emplace(options.policy);
    if (s.redirects_in) s.fd0.emplace(fd, STDIN_FILENO);
    if (s.redirects_out) s.fd1.emplace(fd, STDOUT_FILENO);
    if (s.redirects_in) detail::reset_stdin();
}

// The nearest redirection made after `s` and still active that has `what` (called with
// active_mutex held; the list is newest first).
template <class Predicate>
state* nearest_newer(const state& s, Predicate what) noexcept {
    state* found = nullptr;
    for (auto* t = active_head; t != nullptr && t != &s; t = t->next_active) {
        if (what(*t)) found = t;
    }
    return found;
}

// Puts back what `s` changed. When a newer redirection still covers the same thing, it saved
// this one's buffer or socket as "previous": it inherits what this one saved instead, so
// that guards may end in any order (a moved-onto guard ends first) and nothing is left
// pointing at a freed buffer or a dead socket. Called with active_mutex held.
void put_back(state& s) noexcept {
    if (s.redirects_out) {
        if (auto* t = nearest_newer(s, [](const state& t) { return t.redirects_out; }))
            t->saved_cout = s.saved_cout;
        else
            s.saved_cout.restore(std::cout);
    }
    if (s.redirects_in) {
        if (auto* t = nearest_newer(s, [](const state& t) { return t.redirects_in; }))
            t->saved_cin = s.saved_cin;
        else
            s.saved_cin.restore(std::cin);
    }
    if (auto* t = nearest_newer(s, [](const state&) { return true; }))
        t->saved_tie = s.saved_tie;
    else
        std::cin.tie(s.saved_tie);
    if (s.fd1) {
        if (auto* t = nearest_newer(s, [](const state& t) { return t.fd1.has_value(); }))
            s.fd1->hand_over_to(*t->fd1);
        s.fd1.reset();
    }
    if (s.fd0) {
        auto* t = nearest_newer(s, [](const state& t) { return t.fd0.has_value(); });
        if (t != nullptr) s.fd0->hand_over_to(*t->fd0);
        s.fd0.reset();
        if (t == nullptr) detail::reset_stdin();
    }
    if (s.stdout_mode) {
        if (auto* t = nearest_newer(s, [](const state& t) { return t.stdout_mode.has_value(); }))
            s.stdout_mode->hand_over_to(*t->stdout_mode);
        s.stdout_mode.reset();
    }
}

}  // namespace

saved_stream saved_stream::of(const std::ios& stream) noexcept {
    return {stream.rdbuf(), stream.flags(), stream.rdstate()};
}

void saved_stream::restore(std::ios& stream) const noexcept {
    stream.rdbuf(buffer);
    stream.flags(flags);
    try {
        stream.clear(state);
    } catch (...) {  // the stream's exception mask asks for it; the state is set regardless
    }
}

void redirection::state::flush_output() noexcept {
    if (out_buffer) out_buffer->pubsync();
    if (fd1) std::fflush(stdout);
}

redirection detail::make_redirection(unique_fd socket, bool redirect_in, bool redirect_out,
                                     const redirect_options& options) {
    auto s = std::make_unique<state>();
    s->socket = above_standard_fds(std::move(socket));
    s->redirects_in = redirect_in;
    s->redirects_out = redirect_out;
    const int fd = s->socket.get();
    if (redirect_out)
        s->out_buffer = std::make_unique<socket_streambuf>(fd, options.policy, options.buffer_size);
    if (redirect_in)
        s->in_buffer = std::make_unique<socket_streambuf>(fd, options.policy, options.buffer_size);
    // Pending terminal output must not end up behind the swap, on the socket.
    std::cout.flush();
    if (options.scope == redirect_scope::process) bind_process_scope(*s, options);
    add_active(s.get());

    // From here nothing throws: swap the C++ streams.
    s->saved_cout = saved_stream::of(std::cout);
    s->saved_cin = saved_stream::of(std::cin);
    s->saved_tie = std::cin.tie();
    if (redirect_out) {
        std::cout.rdbuf(s->out_buffer.get());
        if (options.policy == flush_policy::unit) std::cout.setf(std::ios_base::unitbuf);
    }
    if (redirect_in) std::cin.rdbuf(s->in_buffer.get());
    std::cin.tie(options.tie ? &std::cout : nullptr);
    return redirection_access::make(std::move(s));
}

redirection::redirection() noexcept = default;
redirection::redirection(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
redirection::redirection(redirection&&) noexcept = default;

redirection& redirection::operator=(redirection&& other) noexcept {
    if (this != &other) {
        end();
        state_ = std::move(other.state_);
    }
    return *this;
}

redirection::~redirection() {
    end();
}

void redirection::end() noexcept {
    if (!state_) return;
    std::unique_ptr<state> s = std::move(state_);
    s->flush_output();
    // The streams are put back before their buffers die (with `s`, on return): std::cout is
    // flushed again at exit.
    std::lock_guard lock(active_mutex);
    put_back(*s);
    remove_active(s.get());
}

bool redirection::active() const noexcept {
    return state_ != nullptr;
}

int redirection::socket() const noexcept {
    return state_ ? state_->socket.get() : -1;
}

std::error_code redirection::error() const noexcept {
    if (!state_) return {};
    if (state_->out_buffer && state_->out_buffer->error()) return state_->out_buffer->error();
    if (state_->in_buffer) return state_->in_buffer->error();
    return {};
}

}  // namespace redirect
