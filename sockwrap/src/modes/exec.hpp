#pragma once
/// \file
/// --exec: sockwrap becomes PROGRAM on the connection instead of starting and watching a child.

#include <string>

#include "child/launcher.hpp"
#include "cli/options.hpp"
#include "core/log.hpp"
#include "net/connection.hpp"

namespace sockwrap {

/// Executes `program` (from program_of()) in this very process, on the
/// streams the mode names and prepared as a started child would be (exec_child()), as
/// tcpclient does. Returns only by throwing sockwrap::failure (126 or 127) when the exec
/// fails; sockwrap's own stderr is back on fd 2 by then, even with --stderr.
[[noreturn]] void exec_program(const options& o, const child_spec& program, connection c,
                               const verbose_log& log);

}  // namespace sockwrap
