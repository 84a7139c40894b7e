#pragma once
/// \file
/// --exec: sockwrap becomes PROGRAM on the connection instead of starting and watching a child.

#include <string>

#include "connection.hpp"
#include "log.hpp"
#include "options.hpp"

namespace sockwrap {

/// Binds the connection to the standard streams the mode names, resets the signal state and
/// the descriptors above 2 as a launched child would have them, and executes PROGRAM
/// (`executable` as found by find_program()) in this very process, as tcpclient does. Returns
/// only by throwing sockwrap::failure (126 or 127) when the exec fails; sockwrap's own stderr
/// is back on fd 2 by then, even with --stderr.
[[noreturn]] void exec_in_place(const options& o, const std::string& executable, connection c,
                                const verbose_log& log);

}  // namespace sockwrap
