#include "pty_session.hpp"

#include <fcntl.h>

#include <cerrno>
#include <system_error>

#include "failure.hpp"

namespace sockwrap {

pty_session::pty_session(boost::asio::io_context& ctx, launch_request& request,
                         const pty_plan& plan, int socket) {
    const pty_stdin input = plan.stdin_on_pty ? pty_stdin::terminal : pty_stdin::socket;
    try {
        pty_pair pty = open_pty(input);
        // The relay's own descriptor for the connection: the same open file description the
        // child may hold as its stdin, which is why the relay never changes its flags.
        redirect::unique_fd relay_socket(::fcntl(socket, F_DUPFD_CLOEXEC, 0));
        if (!relay_socket) throw std::system_error(errno, std::generic_category(), "dup socket");
        relay_ =
            std::make_unique<pty_relay>(ctx, std::move(pty.master), std::move(relay_socket), input);
        slave_ = std::move(pty.slave);
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
    if (plan.stdout_on_pty) request.stdout_fd = slave_.get();
    if (plan.stderr_on_pty) request.stderr_fd = slave_.get();
    if (plan.stdin_on_pty) request.stdin_fd = slave_.get();
    request.controlling_terminal = slave_.get();
}

void pty_session::start(const verbose_log& log) {
    slave_.reset();
    relay_->start([this, &log](std::error_code ec) {
        done_ = true;
        if (ec) log.line(describe("relay from the terminal", ec));
    });
}

void pty_session::finish(boost::asio::io_context& ctx, signal_catcher& signals) {
    if (done_) return;
    signals.on_signal([this](int) {
        relay_->stop();
        done_ = true;
    });
    while (!done_ && ctx.run_one() > 0) {
    }
    signals.cancel();
}

}  // namespace sockwrap
