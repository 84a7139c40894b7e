#pragma once
/// \file
/// The child's environment: sockwrap's own, with --line-buffered's settings, plus tcpserver's
/// names for the connection.

#include <string>
#include <vector>

#include "redirect/socket.hpp"

namespace sockwrap {

struct options;

/// What every PROGRAM of a run starts from: sockwrap's own environment (`environ`), with
/// --line-buffered's settings when `o` asks for them (the preload library found next to the
/// executable or in its install libdir). Throws sockwrap::failure when they cannot be used.
std::vector<std::string> program_environment(const options& o);

/// `base` (`NAME=VALUE` strings, e.g. program_environment()) with PROTO, TCPLOCALIP,
/// TCPLOCALPORT, TCPREMOTEIP and TCPREMOTEPORT set from the addresses. PROTO is TCP or UNIX;
/// a value that is not known (every TCP* for UNIX) is removed, never left empty or inherited,
/// and so is every other tcpserver name sockwrap does not set (TCPREMOTEHOST, TCPREMOTEINFO,
/// TCPLOCALHOST, the TCP6* names of ucspi-tcp6).
std::vector<std::string> child_environment(const std::vector<std::string>& base,
                                           const redirect::socket_address& local,
                                           const redirect::socket_address& peer);

}  // namespace sockwrap
