#pragma once
/// \file
/// Small pieces shared by the benchmark's measuring programs: a clock, argument reading,
/// bounded waits and the port file. Everything here fails loudly: a benchmark helper that
/// misbehaves must end the run with a message, never produce a number.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "redirect/fd.hpp"
#include "redirect/socket.hpp"

namespace bench {

using clock = std::chrono::steady_clock;

/// Seconds elapsed since `start`, as a double.
double seconds_since(clock::time_point start);

/// Prints `program: message` to stderr and exits with status 2.
[[noreturn]] void fail(std::string_view program, std::string_view message);

/// Reads options of the form `--name value` and `--flag`, in any order; the first bare
/// word (or everything after `--`) starts the positional rest. An option that is neither in
/// `valued` nor in `flags` is a usage error.
class options {
  public:
    options(std::string_view program, int argc, char** argv,
            std::span<const std::string_view> valued, std::span<const std::string_view> flags);

    /// The value of `--name`, or `fallback` when absent.
    std::string text(std::string_view name, std::string_view fallback = {}) const;
    /// The value of `--name` as a non-negative number; fails on anything else.
    std::uint64_t number(std::string_view name, std::uint64_t fallback) const;
    /// Whether `--name` was given (as a flag).
    bool flag(std::string_view name) const;
    /// The arguments after the options (a command to run, for instance).
    const std::vector<std::string>& rest() const { return rest_; }

  private:
    std::string_view program_;
    std::vector<std::pair<std::string, std::string>> values_;
    std::vector<std::string> flags_;
    std::vector<std::string> rest_;
};

/// Writes `port` and a newline to `path` atomically (written aside, then renamed), so a
/// reader polling for the file never sees it half written.
void write_port_file(const std::string& path, std::uint16_t port);

/// Listens on `endpoint_text` (port 0 allowed) and writes the bound port to `port_file`
/// when that is not empty.
redirect::listener listen_on(const std::string& endpoint_text, const std::string& port_file);

/// Connects to `endpoint_text`, retrying a refused connection for up to `wait`.
redirect::unique_fd connect_with_wait(const std::string& endpoint_text,
                                      std::chrono::milliseconds wait);

/// Waits until `fd` is readable or `timeout` passes; returns false on timeout.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

/// Writes all of `data` to `fd` (looping over partial writes, retrying EINTR).
/// Returns false on error.
bool write_all(int fd, const char* data, std::size_t size);

/// The median of `samples` (which it sorts); 0 for an empty set.
double median(std::vector<double>& samples);

}  // namespace bench
