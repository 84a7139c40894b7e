#include "child_table.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

namespace sockwrap {

std::optional<served_child> child_table::remove(pid_t pid) {
    auto it = children_.find(pid);
    if (it == children_.end()) return std::nullopt;
    served_child child = std::move(it->second);
    children_.erase(it);
    return child;
}

void child_table::signal_all(int signal) const noexcept {
    // Only unreaped pids are in the table, so a pid cannot have been reused by another process.
    for (const auto& [pid, child] : children_)
        ::kill(pid, signal);
}

void child_table::kill_and_reap_all() noexcept {
    signal_all(SIGKILL);
    for (const auto& [pid, child] : children_) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    children_.clear();
}

std::optional<reaped_child> reap_one() noexcept {
    for (;;) {
        int status = 0;
        pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) return reaped_child{pid, status};
        if (pid < 0 && errno == EINTR) continue;
        return std::nullopt;
    }
}

}  // namespace sockwrap
