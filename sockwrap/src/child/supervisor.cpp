// Waiting for the children, passing signals on, and the grace period before SIGKILL.

#include "child/supervisor.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace sockwrap {

supervisor::supervisor(event_loop& loop, std::chrono::milliseconds grace, const verbose_log& log)
    : loop_(loop), grace_(grace), log_(log), on_stop_([this](int sig) { pass_on(sig); }) {
    loop_.add(*this);
}

supervisor::~supervisor() {
    loop_.remove(*this);
}

void supervisor::adopt(pid_t pid, exit_handler on_exit) {
    children_.insert_or_assign(pid, std::move(on_exit));
}

void supervisor::on_stop_signal(std::function<void(int)> handler) {
    on_stop_ = std::move(handler);
}

void supervisor::pass_on(int signal) {
    for (const auto& [pid, c] : children_) {
        // pid is captured by copy: clang before 16 cannot capture a structured binding.
        log_.line([&, pid = pid] {
            return "passing signal " + std::to_string(signal) + " (" + ::strsignal(signal) +
                   ") to pid " + std::to_string(pid);
        });
        // Only unreaped pids are in the table, so none can have been reused by another process.
        ::kill(pid, signal);
    }
    if (grace_deadline_ == steady_clock::time_point::max())
        grace_deadline_ = steady_clock::now() + grace_;
}

void supervisor::kill_all() noexcept {
    killed_ = true;
    for (const auto& [pid, c] : children_)
        ::kill(pid, SIGKILL);
}

void supervisor::kill_and_reap_all() noexcept {
    kill_all();
    for (const auto& [pid, c] : children_) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    children_.clear();
}

void supervisor::add_pollfds(std::vector<pollfd>& fds) {
    fds.push_back({signals_.fd(), POLLIN, 0});
}

void supervisor::on_ready(std::span<const pollfd>) {
    bool child_ended = false;
    // Stop signals first: one that came with a child's end was sent while it still ran.
    while (int sig = signals_.next()) {
        if (sig == SIGCHLD)
            child_ended = true;  // not queued: one SIGCHLD may stand for many exits
        else
            on_stop_(sig);
    }
    if (child_ended) reap();
}

steady_clock::time_point supervisor::deadline() const {
    return killed_ || children_.empty() ? steady_clock::time_point::max() : grace_deadline_;
}

void supervisor::on_time(steady_clock::time_point) {
    log_.line([&] {
        if (children_.size() == 1)
            return "pid " + std::to_string(children_.begin()->first) +
                   " still runs; sending SIGKILL";
        return "killing " + std::to_string(children_.size()) + " children still running";
    });
    kill_all();
}

void supervisor::reap() {
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR) continue;
        if (pid <= 0) return;
        auto it = children_.find(pid);
        if (it == children_.end()) continue;  // not adopted (cannot happen; nothing to report)
        exit_handler on_exit = std::move(it->second);
        children_.erase(it);
        if (on_exit) on_exit(status);
    }
}

int wait_for_child(event_loop& loop, supervisor& s, pid_t pid) {
    std::optional<int> status;
    s.adopt(pid, [&](int st) { status = st; });
    loop.run_until([&] { return status.has_value(); });
    return *status;
}

}  // namespace sockwrap
