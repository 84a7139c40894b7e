#pragma once
/// \file
/// How sockwrap fails: one exception type carrying the exit status and the one line to print.

#include <stdexcept>
#include <string>
#include <system_error>

namespace sockwrap {

/// Exit statuses of sockwrap itself (the `env`/`timeout` convention).
enum exit_code : int {
    exit_failure = 125,         ///< sockwrap's own failure: usage, endpoint, network, setup
    exit_not_executable = 126,  ///< PROGRAM was found but cannot be run
    exit_not_found = 127        ///< PROGRAM was not found
};

/// A failure that ends the run: `what()` is the text after `sockwrap: `, shaped
/// `<what failed>: <why>`; `status()` is the exit status.
class failure : public std::runtime_error {
  public:
    failure(int status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

  private:
    int status_;
};

/// A usage error (exit 125); the message should name the offending argument.
failure usage_error(const std::string& message);

/// The failure for PROGRAM (`name` as the user wrote it) whose start failed with errno value
/// `error`: 127 when the file was not found, 125 when no process could be created now (EAGAIN,
/// ENOMEM), otherwise 126; the message is "run 'NAME': <reason>".
failure launch_failure(const std::string& name, int error);

/// `<what>: <system error text in lower case>`, e.g. "connect to 127.0.0.1:9: connection
/// refused".
std::string describe(const std::string& what, const std::error_code& code);

/// The same for a std::system_error whose what() is "<step>: <System text>" (libredirect's
/// shape): the system text is lower-cased.
std::string describe(const std::system_error& error);

/// Lower-cases the first letter of a system error text ("Connection refused" → "connection
/// refused"), leaving acronyms ("IPv6 ...") alone.
std::string lower_first(std::string text);

}  // namespace sockwrap
