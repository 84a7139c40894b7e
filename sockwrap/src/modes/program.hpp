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

/// PROGRAM as every connection of `o` starts it: the executable find_program() finds, the
/// argv, and the environment of program_environment(). Made before anything touches the
/// network, so that a missing program or --line-buffered library costs no peer a connection.
/// Throws sockwrap::failure.
child_spec program_of(const options& o);

/// `program` (from program_of()) as it starts on `c`: the connection's variables added to the
/// environment, and `c` on the streams the mode of `o` names.
child_spec program_on(const options& o, const child_spec& program, const connection& c);

/// Runs `program` (from program_of()) with the connection on its fds, waits for it, closes
/// the connection and returns PROGRAM's exit status.
int run_program(const options& o, const child_spec& program, connection c, const verbose_log& log);

}  // namespace sockwrap
