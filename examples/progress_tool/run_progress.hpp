#pragma once
/// \file
/// The progress tool's main loop, over any pair of streams: the unmodified tool runs it on
/// std::cin / std::cout, the redirecting tool on the same streams after redirecting them.

#include <chrono>
#include <iosfwd>

#include "line_reader.hpp"

namespace progress {

/// What the job does and how fast.
struct job_settings {
    int steps = 20;
    std::chrono::milliseconds interval{500};
};

/// Runs a job: prints a banner, then one progress line per interval, and answers each line
/// read from `in` as a command, until `quit`, or until the job is finished and `in` has
/// ended, or until writing to `out` fails. Every line is flushed as it is written (the
/// program prints while it is not reading, so no read would flush it).
///
/// `in` is read on a thread of its own and untied from `out` meanwhile, so that only the
/// calling thread touches `out`. `unblock` is passed to the line_reader (see there).
/// Returns the exit status: 0, or 1 when writing failed.
int run_progress(std::istream& in, std::ostream& out, const job_settings& settings,
                 line_reader::unblocker unblock = {});

}  // namespace progress
