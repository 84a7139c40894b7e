#pragma once
/// \file
/// The stages strung together: find PROGRAM, get the connection, then run PROGRAM on it,
/// become PROGRAM, serve many connections, or relay sockwrap's own stdin/stdout.

#include "cli/options.hpp"

namespace sockwrap {

/// Everything after parsing: returns the exit status or throws sockwrap::failure.
int run(const options& o);

}  // namespace sockwrap
