#pragma once
/// \file
/// Starting a child with sockwrap's own launcher, and always stopping it: killed by its
/// own PID and reaped on destruction.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace pty_test {

/// The descriptors that become the child's fds 0, 1 and 2.
struct child_stdio {
    int in = 0;
    int out = 1;
    int err = 2;
};

/// A running child. Move-only in spirit: not copyable.
class child {
  public:
    /// Starts `argv` (argv[0] looked up on PATH) with `stdio`; with `terminal` >= 0 the child
    /// becomes a session leader with that terminal as its controlling terminal. `env_set`
    /// (`NAME=VALUE`) and `env_unset` adjust the test's environment for it. Throws
    /// sockwrap::failure when the program cannot be found or started.
    child(const std::vector<std::string>& argv, child_stdio stdio, int terminal = -1,
          const std::vector<std::string>& env_set = {},
          const std::vector<std::string>& env_unset = {});
    child(const child&) = delete;
    child& operator=(const child&) = delete;
    ~child();

    pid_t pid() const noexcept { return pid_; }
    /// The exit status (128+N for signal N) once it ended within `timeout`, else nothing.
    std::optional<int> wait_for(std::chrono::milliseconds timeout);

  private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

}  // namespace pty_test
