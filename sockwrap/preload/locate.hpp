#pragma once
/// \file
/// Finding the preload library of --line-buffered, and the environment that makes an
/// unmodified child flush its output per line.

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sockwrap {

/// Where the preload library of a sockwrap executable at `executable` may be, in the order
/// they are tried: next to it (the build tree), then in the install libdir relative to it
/// (`BINDIR/../LIBDIR/sockwrap`).
std::vector<std::filesystem::path> line_buffering_library_places(
    const std::filesystem::path& executable);

/// The same for the running executable (found through /proc/self/exe); empty if that cannot
/// be read.
std::vector<std::filesystem::path> line_buffering_library_places();

/// The first of `places` that is a file; empty when none is.
std::optional<std::filesystem::path> find_line_buffering_library(
    const std::vector<std::filesystem::path>& places);

/// One environment variable to set in the child.
using env_setting = std::pair<std::string, std::string>;

/// Looks up a variable of the environment the child would inherit (nullptr when unset).
using env_lookup = std::function<const char*(const char*)>;

/// The variables that make an unmodified child line-buffered: LD_PRELOAD with `library`
/// appended to the one the child would inherit, the library's own switches, and the switches of
/// language runtimes that have one (PYTHONUNBUFFERED=1, gfortran's
/// GFORTRAN_UNBUFFERED_PRECONNECTED=y) unless the user already set them. Throws
/// std::invalid_argument if the path holds a space or a colon, which the dynamic loader would
/// take for separators.
std::vector<env_setting> line_buffering_environment(const std::filesystem::path& library,
                                                    const env_lookup& lookup = ::getenv);

/// `env` (`NAME=VALUE` entries, the child's whole environment) with the settings of
/// line_buffering_environment() applied: LD_PRELOAD extended, the other variables added unless
/// `env` already has them. Throws std::invalid_argument as line_buffering_environment() does.
std::vector<std::string> with_line_buffering(std::vector<std::string> env,
                                             const std::filesystem::path& library);

}  // namespace sockwrap
