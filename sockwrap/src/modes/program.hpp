#pragma once
/// \file
/// PROGRAM on one connection: started as a child with the socket as its streams (or a
/// pseudo-terminal relayed to it, --pty), waited for, its status reported.

#include <string>

#include "child/launcher.hpp"
#include "cli/options.hpp"
#include "core/log.hpp"
#include "net/connection.hpp"

namespace sockwrap {

/// PROGRAM as `o` starts it on `c`: `executable` (as find_program() found it), the argv, the
/// environment with the connection's variables, and `c` on the streams the mode names.
/// Throws sockwrap::failure (--line-buffered that cannot be used).
child_spec program_on(const options& o, const std::string& executable, const connection& c);

/// Runs PROGRAM (`executable` as found by find_program()) with the connection on its fds,
/// waits for it, closes the connection and returns PROGRAM's exit status.
int run_program(const options& o, const std::string& executable, connection c,
                const verbose_log& log);

}  // namespace sockwrap
