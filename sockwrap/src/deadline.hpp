#pragma once
/// \file
/// Deadlines turned into poll() timeouts.

#include <algorithm>
#include <chrono>

namespace sockwrap {

/// poll()'s timeout for waking at `deadline`: -1 (no timeout) for time_point::max(), rounded
/// up to whole milliseconds so the wake-up is never early, at most a minute.
inline int milliseconds_until(std::chrono::steady_clock::time_point deadline,
                              std::chrono::steady_clock::time_point now) {
    if (deadline == std::chrono::steady_clock::time_point::max()) return -1;
    if (deadline <= now) return 0;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    return static_cast<int>(std::min<long long>(left, 60'000));
}

}  // namespace sockwrap
