#pragma once
/// \file
/// Starting PROGRAM once per accepted connection, as cheaply as a correct start allows.

#include <sys/types.h>

#include <string>
#include <vector>

namespace sockwrap {

/// Which of the child's standard streams are the connection; the others are inherited.
struct connection_streams {
    bool in = true;    ///< fd 0 is the connection
    bool out = true;   ///< fd 1 is the connection
    bool err = false;  ///< fd 2 is the connection (--stderr)
};

/// Starts PROGRAM with posix_spawn(): glibc runs the child on the parent's memory
/// (clone(CLONE_VM | CLONE_VFORK)) until exec, so no page tables are copied and the cost does
/// not grow with sockwrap's size, and it reports exec errors as the call's result. The child
/// gets exactly fds 0, 1 and 2, default dispositions for every signal and an empty mask.
class connection_launcher {
  public:
    /// `executable` is the resolved file (find_program()), `argv` as the user wrote it.
    connection_launcher(std::string executable, std::vector<std::string> argv,
                        connection_streams streams);

    /// Starts the child with `connection` (a descriptor numbered 3 or above) on the chosen
    /// streams and `env` (`NAME=VALUE` strings) as its whole environment. Returns the pid, or
    /// -1 with the errno value in `error` (ENOENT, EACCES: cannot exec; EAGAIN, ENOMEM: no
    /// room for a process now).
    pid_t launch(int connection, const std::vector<std::string>& env, int& error) const;

    /// argv[0] as the user wrote it, for messages.
    const std::string& name() const noexcept { return argv_.front(); }

  private:
    std::string executable_;
    std::vector<std::string> argv_;
    std::vector<char*> argv_pointers_;
    connection_streams streams_;
};

}  // namespace sockwrap
