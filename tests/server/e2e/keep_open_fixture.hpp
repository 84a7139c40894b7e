#pragma once
/// \file
/// A `sockwrap --keep-open` server started for one test, and the client side of it.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "redirect/fd.hpp"
#include "sockwrap_test/process.hpp"
#include "sockwrap_test/temp_dir.hpp"

namespace keep_open_test {

using namespace std::chrono_literals;

/// The sockwrap binary under test.
std::string sockwrap_binary();

/// A running server: `sockwrap --keep-open --port-file F OPTIONS --listen ENDPOINT PROGRAM`.
/// Its stderr goes to a file (log()), so a verbose server never blocks on a full pipe.
class server {
  public:
    /// Starts the server and waits (bounded) until it listens. `wrapper` (e.g. a shell that
    /// lowers a limit, then execs) is put in front of the command when not empty; `env_set`
    /// (`NAME=VALUE`) is added to its environment.
    server(const std::vector<std::string>& options, const std::string& endpoint,
           const std::vector<std::string>& program, const std::vector<std::string>& wrapper = {},
           const std::vector<std::string>& env_set = {});

    pid_t pid() const noexcept { return process_.pid(); }
    std::uint16_t port() const noexcept { return port_; }
    sockwrap_test::process& process() noexcept { return process_; }
    /// Everything the server wrote to stderr so far.
    std::string log() const;
    /// A path in the test's private directory.
    std::string file(const std::string& name) const { return dir_.file(name); }

    /// The server's running (or unreaped) children.
    std::vector<pid_t> children() const;
    /// Waits until the server has exactly `count` children; false on timeout.
    bool wait_for_children(std::size_t count, std::chrono::milliseconds timeout) const;
    /// Sends SIGTERM and waits for the exit status; nothing on timeout.
    std::optional<int> stop(std::chrono::milliseconds timeout = 10s);

  private:
    sockwrap_test::temp_dir dir_;
    redirect::unique_fd log_fd_;
    sockwrap_test::process process_;
    std::uint16_t port_ = 0;
};

/// Connects to `ip`:`port`, closes the writing side, and returns everything the server sent
/// until EOF (bounded by `timeout`); "<timeout>" or "<error N>" when that is what happened.
std::string exchange(const std::string& ip, std::uint16_t port, const std::string& send = "",
                     std::chrono::milliseconds timeout = 10s);

/// The number of open descriptors of `pid`.
std::size_t fd_count(pid_t pid);
/// The resident set size of `pid` in KiB (VmRSS).
long rss_kib(pid_t pid);

}  // namespace keep_open_test
