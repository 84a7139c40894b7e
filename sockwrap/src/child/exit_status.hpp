#pragma once
/// \file
/// How a child ended, as sockwrap's exit status and as words for -v.

#include <string>

namespace sockwrap {

/// The `env`/`timeout` exit status for a waitpid() status: the code, or 128+N for signal N.
int exit_status_of(int wait_status) noexcept;

/// How a child ended, for -v: "exited with status 3", "was killed by signal 15 (Terminated)".
std::string describe_end(int wait_status);

}  // namespace sockwrap
