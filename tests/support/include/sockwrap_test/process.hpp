#pragma once
/// \file
/// Starting a command for a test and always stopping it: the process is killed (by its own PID)
/// and reaped when the handle is destroyed, so a failing test never leaves a process behind.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "redirect/fd.hpp"

namespace sockwrap_test {

/// How one standard stream of a started process is connected.
struct stdio_spec {
    enum class kind {
        pipe,     ///< a pipe whose other end the test holds
        inherit,  ///< the test process's own stream
        null,     ///< /dev/null
        fd        ///< a descriptor the test names (duplicated onto the stream)
    };
    kind type = kind::pipe;
    int fd = -1;

    static stdio_spec pipe() { return {kind::pipe, -1}; }
    static stdio_spec inherit() { return {kind::inherit, -1}; }
    static stdio_spec null() { return {kind::null, -1}; }
    static stdio_spec from(int fd) { return {kind::fd, fd}; }
};

/// What a started process gets besides its argv.
struct process_options {
    stdio_spec in = stdio_spec::pipe();
    stdio_spec out = stdio_spec::pipe();
    stdio_spec err = stdio_spec::pipe();
    /// `NAME=VALUE` entries added to (or replacing in) the test's environment.
    std::vector<std::string> env_set;
    /// Names removed from the environment.
    std::vector<std::string> env_unset;
    /// Signals blocked in the new process (its initial signal mask).
    std::vector<int> blocked_signals;
    /// Descriptors of the test passed on as fds 3, 4, ... in this order. Every other
    /// descriptor above 2 is closed in the new process, whatever the test runner leaked.
    std::vector<int> extra_fds;
};

/// A running command. Move-only. The destructor sends SIGKILL if it still runs and reaps it
/// (bounded), closing the pipes first so nothing blocks on them.
class process {
  public:
    /// Starts `argv` (argv[0] is looked up on PATH). Throws std::system_error on failure.
    explicit process(const std::vector<std::string>& argv, const process_options& options = {});
    process(process&&) noexcept;
    process& operator=(process&&) noexcept;
    process(const process&) = delete;
    process& operator=(const process&) = delete;
    ~process();

    pid_t pid() const noexcept { return pid_; }
    /// The test's end of the stdin pipe (-1 if stdin was not a pipe or was closed).
    int in() const noexcept { return in_.get(); }
    /// The test's end of the stdout pipe.
    int out() const noexcept { return out_.get(); }
    /// The test's end of the stderr pipe.
    int err() const noexcept { return err_.get(); }
    /// Closes the test's end of the stdin pipe: the process reads end-of-file.
    void close_in() noexcept { in_.reset(); }

    /// Waits up to `timeout` for the process to end. Returns its status the way a shell shows
    /// it (the exit code, or 128+N for death by signal N), or nothing if it still runs.
    std::optional<int> wait_for(std::chrono::milliseconds timeout);
    /// True while the process has not been reaped and has not ended.
    bool running();
    /// Sends `sig` to this process (by its PID, never by name).
    void signal(int sig) const;

  private:
    void stop() noexcept;

    pid_t pid_ = -1;
    std::optional<int> status_;
    redirect::unique_fd in_, out_, err_;
};

/// The `128+N` convention applied to a waitpid() status.
int shell_status(int wait_status) noexcept;

/// True when `python3` runs here (asked once). Tests that need it skip without it, except
/// under CI (the CI variable set and not "false"): the CI set-up installs python3, so there
/// its absence throws std::runtime_error and fails the test instead of hiding it as a skip.
bool python3_available();

}  // namespace sockwrap_test
