#pragma once
/// \file
/// The job the progress tool runs: a number of steps, one per tick, that the user can pause,
/// resume and query. Pure logic: no clock, no streams, so both tools share it unchanged.

#include <string>
#include <string_view>

namespace progress {

/// What a command did: the line to answer with (empty: no answer) and whether to stop.
struct command_reply {
    std::string text;
    bool quit = false;
};

/// A job of `total` steps. Each tick() advances one step unless paused or finished.
class progress_job {
  public:
    /// `total` must be at least 1.
    explicit progress_job(int total);

    /// Advances one step. Returns the progress line to print, or an empty string when the
    /// job is paused or already finished.
    std::string tick();

    /// Handles one command line (case-insensitive, surrounding blanks ignored):
    /// pause, resume, status, help, quit. An empty line gets no answer.
    command_reply handle(std::string_view command);

    int done() const noexcept { return done_; }
    int total() const noexcept { return total_; }
    bool paused() const noexcept { return paused_; }
    bool finished() const noexcept { return done_ == total_; }
    /// Whether tick() would advance: neither paused nor finished.
    bool running() const noexcept { return !paused_ && !finished(); }

    /// The first line the tool prints: what the job is and which commands it takes.
    std::string banner() const;
    /// "running, step 7/20 (35%)" and the like.
    std::string status() const;

    /// True for a command line that handle() answers with quit: a reader can stop there.
    static bool is_quit(std::string_view command);

  private:
    std::string position() const;

    int total_;
    int done_ = 0;
    bool paused_ = false;
};

}  // namespace progress
