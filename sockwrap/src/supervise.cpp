#include "supervise.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "failure.hpp"

namespace sockwrap {

namespace asio = boost::asio;

signal_catcher::signal_catcher(asio::io_context& ctx) : signals_(ctx, SIGINT, SIGTERM, SIGHUP) {}

void signal_catcher::on_signal(std::function<void(int)> handler) {
    handler_ = std::move(handler);
    arm();
}

void signal_catcher::arm() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        if (handler_) handler_(sig);
        arm();
    });
}

void signal_catcher::cancel() {
    boost::system::error_code ignored;
    signals_.cancel(ignored);
}

child_watch::child_watch(asio::io_context& ctx, pid_t pid, std::function<void(int)> on_exit)
    : pid_(pid), on_exit_(std::move(on_exit)), pidfd_(ctx), poll_timer_(ctx) {
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0) pidfd_.assign(fd);  // pidfd_open() descriptors are close-on-exec
    wait();
}

bool child_watch::try_reap() {
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return false;
    if (r < 0)
        throw failure(exit_failure, describe("wait for pid " + std::to_string(pid_),
                                             {errno, std::generic_category()}));
    on_exit_(status);
    return true;
}

void child_watch::wait() {
    if (pidfd_.is_open()) {
        pidfd_.async_wait(asio::posix::descriptor_base::wait_read,
                          [this](const boost::system::error_code& ec) {
                              if (ec == asio::error::operation_aborted) return;
                              if (!try_reap()) wait();
                          });
        return;
    }
    poll_timer_.expires_after(std::chrono::milliseconds(20));
    poll_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec == asio::error::operation_aborted) return;
        if (!try_reap()) wait();
    });
}

int supervise_child(asio::io_context& ctx, signal_catcher& signals, pid_t pid,
                    const verbose_log& log, std::chrono::milliseconds grace) {
    std::optional<int> status;
    asio::steady_timer kill_timer(ctx);
    bool timer_started = false;
    child_watch watch(ctx, pid, [&](int s) {
        status = s;
        signals.cancel();
        kill_timer.cancel();
    });
    signals.on_signal([&](int sig) {
        if (status) return;
        log.line("passing signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ") to pid " +
                 std::to_string(pid));
        ::kill(pid, sig);
        if (timer_started) return;
        timer_started = true;
        kill_timer.expires_after(grace);
        kill_timer.async_wait([&, pid](const boost::system::error_code& ec) {
            if (ec || status) return;
            log.line("pid " + std::to_string(pid) + " still runs; sending SIGKILL");
            ::kill(pid, SIGKILL);
        });
    });
    while (!status && ctx.run_one() > 0) {
    }
    if (!status) throw failure(exit_failure, "wait for pid " + std::to_string(pid) + ": lost");
    return *status;
}

int exit_status_of(int wait_status) noexcept {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return exit_failure;
}

std::string describe_end(int wait_status) {
    if (WIFEXITED(wait_status))
        return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
    int sig = WTERMSIG(wait_status);
    return "was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")" +
           (WCOREDUMP(wait_status) ? ", core dumped" : "");
}

}  // namespace sockwrap
