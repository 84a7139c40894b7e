#pragma once
/// \file
/// Reads lines from a std::istream on a thread of its own, so that a program can keep
/// working (and printing) while it waits for what the user types.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace progress {

/// A background reader of lines. Only its thread touches the input stream.
class line_reader {
  public:
    using clock = std::chrono::steady_clock;
    /// Called from the reading thread for each line; true stops reading after that line.
    using last_line_test = std::function<bool(std::string_view)>;
    /// Makes a read blocked in the input stream return (end of input), e.g. by shutting
    /// down the reading side of a socket.
    using unblocker = std::function<void()>;

    /// Starts reading `in`, which must outlive the reader (or, with no `unblock`, the
    /// process: see the destructor).
    line_reader(std::istream& in, last_line_test is_last, unblocker unblock = {});
    line_reader(const line_reader&) = delete;
    line_reader& operator=(const line_reader&) = delete;
    /// Joins the reading thread. If it is still blocked in a read, `unblock` is called
    /// first; with no `unblock`, the thread is left blocked in the read (detached: a read
    /// from a terminal cannot be interrupted) and the process is expected to exit.
    ~line_reader();

    /// The next line, waiting for it until `deadline` (clock::time_point::max(): for as
    /// long as input may still come). std::nullopt on timeout, or at once when input has
    /// ended and every line was taken with no deadline.
    std::optional<std::string> next_line(clock::time_point deadline);

    /// True once input has ended (end of file, error or a last line) and every line was
    /// taken.
    bool ended() const;

  private:
    struct shared_state {
        std::mutex mutex;
        std::condition_variable changed;
        std::deque<std::string> lines;
        bool input_ended = false;
    };
    static void read_lines(std::istream& in, const last_line_test& is_last,
                           const std::shared_ptr<shared_state>& state);

    // Shared with the thread, which may outlive this object when detached.
    std::shared_ptr<shared_state> state_ = std::make_shared<shared_state>();
    unblocker unblock_;
    std::thread thread_;
};

}  // namespace progress
