#pragma once
/// \file
/// Finding PROGRAM before anything touches the network, so "not found" costs no connection.

#include <string>

namespace sockwrap {

/// The file to execute for `name`: a name containing '/' is used as it is, any other is
/// looked up on PATH (the default search path if PATH is unset), as execvp() does.
/// Throws sockwrap::failure: status 127 if nothing is found, 126 if what is found cannot be
/// executed (no permission, a directory).
std::string find_program(const std::string& name);

}  // namespace sockwrap
