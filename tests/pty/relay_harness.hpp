#pragma once
/// \file
/// Running a pty_relay on a thread of its own for a test, bounded in time, and hashing what
/// comes back.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include "core/event_loop.hpp"
#include "pty/pty_relay.hpp"
#include "redirect/fd.hpp"

namespace pty_test {

/// A relay running on its own event loop for at most `limit`. The relay (and with it the pty
/// master) lives until this object dies, as in sockwrap, where the master stays open until the
/// child is reaped: closing it earlier would hang up a child still on its way out.
class running_relay {
  public:
    running_relay(redirect::unique_fd master, redirect::unique_fd socket, sockwrap::pty_stdin input,
                  std::chrono::seconds limit = std::chrono::seconds(120));
    running_relay(const running_relay&) = delete;
    running_relay& operator=(const running_relay&) = delete;
    ~running_relay();

    /// Waits for the event loop to finish (bounded by the limit) and returns what the relay
    /// reported; std::errc::timed_out if it never finished.
    std::error_code wait();

  private:
    // Ends the loop at the limit, should the relay never finish.
    struct time_limit final : sockwrap::event_source {
        sockwrap::steady_clock::time_point at;
        bool reached = false;
        void add_pollfds(std::vector<pollfd>&) override {}
        void on_ready(std::span<const pollfd>) override {}
        sockwrap::steady_clock::time_point deadline() const override { return at; }
        void on_time(sockwrap::steady_clock::time_point) override { reached = true; }
    };

    sockwrap::event_loop loop_;
    time_limit limit_;
    std::unique_ptr<sockwrap::pty_relay> relay_;
    bool finished_ = false;
    std::error_code result_ = std::make_error_code(std::errc::timed_out);
    std::thread thread_;
};

/// What hash_until_eof() saw.
struct hashed_stream {
    std::size_t bytes = 0;
    std::string sha256;
    bool eof = false;  ///< false: timed out or failed first
};
/// Reads `fd` until end-of-file (bounded by `timeout`), hashing instead of keeping the bytes.
hashed_stream hash_until_eof(int fd, std::chrono::milliseconds timeout);

/// A descriptor of the relay's own for `fd` (the same open file description).
redirect::unique_fd dup_cloexec(int fd);

}  // namespace pty_test
