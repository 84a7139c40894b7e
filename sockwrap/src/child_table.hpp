#pragma once
/// \file
/// The children a --keep-open server is running, each with the connection it serves.

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

#include "redirect/fd.hpp"

namespace sockwrap {

/// One running child. The server keeps its copy of the connection only to close it with a
/// lingering close once the child has exited.
struct served_child {
    redirect::unique_fd connection;
    std::string peer;  ///< `IP:PORT` of the client, for the log
};

/// Running children by pid.
class child_table {
  public:
    void add(pid_t pid, served_child child) { children_.insert_or_assign(pid, std::move(child)); }
    /// Removes and returns the child `pid`; empty when it is not one of ours.
    std::optional<served_child> remove(pid_t pid);
    std::size_t size() const noexcept { return children_.size(); }
    bool empty() const noexcept { return children_.empty(); }
    /// Sends `signal` to every child still running.
    void signal_all(int signal) const noexcept;
    /// Kills every child with SIGKILL and waits for each (the last resort when the event loop
    /// itself fails); the table is empty afterwards.
    void kill_and_reap_all() noexcept;

  private:
    std::unordered_map<pid_t, served_child> children_;
};

/// A child that has exited and been reaped.
struct reaped_child {
    pid_t pid;
    int status;  ///< as waitpid() reports it
};

/// Reaps one exited child without blocking; empty when none has exited (or none exists).
/// SIGCHLD is not queued, so one notification may stand for many exits: call until empty.
std::optional<reaped_child> reap_one() noexcept;

}  // namespace sockwrap
