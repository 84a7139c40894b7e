// The terminal of one --pty run: rebinding the child's streams, then relaying.

#include "pty/pty_session.hpp"

#include <fcntl.h>

#include <cerrno>
#include <system_error>

#include "core/failure.hpp"

namespace sockwrap {

pty_session::pty_session(event_loop& loop, child_spec& spec, const socket_streams& on_terminal,
                         int socket) {
    const pty_stdin input = on_terminal.in ? pty_stdin::terminal : pty_stdin::socket;
    try {
        pty_pair pty = open_pty(input);
        // The relay's own descriptor for the connection: the same open file description the
        // child may hold as its stdin, which is why the relay never changes its flags.
        redirect::unique_fd relay_socket(::fcntl(socket, F_DUPFD_CLOEXEC, 3));
        if (!relay_socket) throw std::system_error(errno, std::generic_category(), "dup socket");
        relay_ = std::make_unique<pty_relay>(loop, std::move(pty.master), std::move(relay_socket),
                                             input);
        slave_ = std::move(pty.slave);
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
    if (on_terminal.in) spec.stdio.in = slave_.get();
    if (on_terminal.out) spec.stdio.out = slave_.get();
    if (on_terminal.err) spec.stdio.err = slave_.get();
    spec.terminal = slave_.get();
}

void pty_session::start(const verbose_log& log) {
    slave_.reset();
    relay_->start([this, &log](std::error_code ec) {
        done_ = true;
        if (ec) log.line(describe("relay from the terminal", ec));
    });
}

void pty_session::finish(event_loop& loop, supervisor& signals) {
    if (done_) return;
    signals.on_stop_signal([this](int) {
        relay_->stop();
        done_ = true;
    });
    loop.run_until([this] { return done_; });
}

}  // namespace sockwrap
