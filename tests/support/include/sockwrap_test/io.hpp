#pragma once
/// \file
/// Reads and writes bounded by a deadline, for descriptors a test does not control.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "redirect/fd.hpp"

namespace sockwrap_test {

using namespace std::chrono_literals;

/// Both ends of a new pipe, close-on-exec.
struct pipe_pair {
    redirect::unique_fd read_end, write_end;
};

/// A new pipe; throws std::system_error if none can be made.
pipe_pair make_pipe();

/// True if the open file description behind `fd` is non-blocking.
bool nonblocking(int fd);

/// What a bounded read collected and why it stopped.
struct read_result {
    std::string data;        ///< every byte read
    bool eof = false;        ///< the descriptor reached end-of-file
    bool timed_out = false;  ///< the deadline passed first
    int error = 0;           ///< errno of a failed read (e.g. ECONNRESET), else 0
};

/// Reads until end-of-file, an error, or `timeout`.
read_result read_until_eof(int fd, std::chrono::milliseconds timeout);

/// Reads until `done(data so far)` is true, end-of-file, an error, or `timeout`.
read_result read_until(int fd, const std::function<bool(const std::string&)>& done,
                       std::chrono::milliseconds timeout);

/// Reads until the data contains `needle` (or EOF, an error, or `timeout`).
read_result read_until_contains(int fd, std::string_view needle, std::chrono::milliseconds timeout);

/// Reads until `count` newline characters arrived (or EOF, an error, or `timeout`).
read_result read_lines(int fd, std::size_t count, std::chrono::milliseconds timeout);

/// Writes all of `data` within `timeout`. Returns false on timeout or error (EPIPE included:
/// the write never raises SIGPIPE, and the process's signal dispositions stay as they are).
bool write_all(int fd, std::string_view data, std::chrono::milliseconds timeout);

/// Waits up to `timeout` for `path` to hold a complete line and returns the line without its
/// newline, or an empty string on timeout.
std::string wait_for_line_in_file(const std::string& path, std::chrono::milliseconds timeout);

/// Polls `fd` for `events` up to `timeout`; returns the revents (0 on timeout).
short poll_for(int fd, short events, std::chrono::milliseconds timeout);

}  // namespace sockwrap_test
