#pragma once
/// \file
/// The --keep-open run: listen, then serve every client with a fresh PROGRAM.

#include <string>

#include "child/launcher.hpp"
#include "cli/options.hpp"
#include "core/log.hpp"

namespace sockwrap {

/// Listens on `o.endpoint`, writes --port-file, and serves connections with `program` (from
/// program_of()) until SIGINT, SIGTERM or SIGHUP; returns 0 then. Throws sockwrap::failure
/// when it cannot listen.
int run_keep_open(const options& o, const child_spec& program, const verbose_log& log);

}  // namespace sockwrap
