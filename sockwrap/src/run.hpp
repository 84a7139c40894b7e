#pragma once
/// \file
/// The stages strung together: find PROGRAM, get the connection, then run PROGRAM on it or
/// relay sockwrap's own stdin/stdout.

#include "connection.hpp"
#include "log.hpp"
#include "options.hpp"

namespace sockwrap {

/// Runs PROGRAM (`executable` as found by find_program()) with the connection on its fds,
/// waits for it, closes the connection and returns PROGRAM's exit status.
int run_program(const options& o, const std::string& executable, connection c,
                const verbose_log& log);

/// `env` with the --line-buffered settings applied (the preload library found next to the
/// executable or in its install libdir). Throws sockwrap::failure when it cannot be used.
std::vector<std::string> line_buffered_environment(std::vector<std::string> env);

/// The no-PROGRAM mode: relays the directions the mode names; returns the exit status.
int run_relay(const options& o, connection c, const verbose_log& log);

/// Everything after parsing: returns the exit status or throws sockwrap::failure.
int run(const options& o);

}  // namespace sockwrap
