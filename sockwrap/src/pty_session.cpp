#include "pty_session.hpp"

#include <fcntl.h>

#include <cerrno>
#include <system_error>

#include "failure.hpp"

namespace sockwrap {

pty_session::pty_session(launch_request& request, const pty_plan& plan)
    : input_(plan.stdin_on_pty ? pty_stdin::terminal : pty_stdin::socket) {
    try {
        pty_ = open_pty(input_);
    } catch (const std::system_error& e) {
        throw failure(exit_failure, describe(e));
    }
    const int slave = pty_.slave.get();
    if (plan.stdout_on_pty) request.stdout_fd = slave;
    if (plan.stderr_on_pty) request.stderr_fd = slave;
    if (plan.stdin_on_pty) request.stdin_fd = slave;
    request.controlling_terminal = slave;
}

void pty_session::start(boost::asio::io_context& ctx, int socket, const verbose_log& log) {
    pty_.slave.reset();
    // The relay's own descriptor for the connection: the same open file description the
    // child may hold, which is why the relay never changes its flags (see pty_relay).
    redirect::unique_fd relay_socket(::fcntl(socket, F_DUPFD_CLOEXEC, 0));
    if (!relay_socket) {
        throw failure(exit_failure, describe("dup socket", {errno, std::generic_category()}));
    }
    relay_ =
        std::make_unique<pty_relay>(ctx, std::move(pty_.master), std::move(relay_socket), input_);
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
