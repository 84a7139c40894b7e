#pragma once
/// \file
/// The child's environment: sockwrap's own, plus tcpserver's names for the connection.

#include <string>
#include <vector>

#include "redirect/socket.hpp"

namespace sockwrap {

/// `base` (a NULL-terminated `NAME=VALUE` array such as `environ`) with PROTO, TCPLOCALIP,
/// TCPLOCALPORT, TCPREMOTEIP and TCPREMOTEPORT set from the addresses. PROTO is TCP or UNIX;
/// a value that is not known (every TCP* for UNIX) is removed, never left empty or inherited.
std::vector<std::string> child_environment(const char* const* base,
                                           const redirect::socket_address& local,
                                           const redirect::socket_address& peer);

}  // namespace sockwrap
