#pragma once
/// \file
/// The command-line options both progress tools share.

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <iosfwd>
#include <optional>

#include "run_progress.hpp"

namespace progress {

/// `--steps N` and `--interval MS` (plus `--help`), writing into `settings`.
boost::program_options::options_description job_options(job_settings& settings);

/// Parses `argv` against `options`. Prints usage to `out` for --help, or the error and usage
/// to `err` on a bad command line; then returns the exit status to end with (0 or 2).
/// std::nullopt: go on and run.
std::optional<int> parse_command_line(int argc, const char* const* argv,
                                      const boost::program_options::options_description& options,
                                      std::ostream& out, std::ostream& err);

}  // namespace progress
