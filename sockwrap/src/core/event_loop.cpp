// The rounds of the event loop: collect every source's pollfds, poll(), dispatch.

#include "core/event_loop.hpp"

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace sockwrap {

void event_loop::add(event_source& source) {
    const bool added = std::any_of(sources_.begin(), sources_.end(),
                                   [&](const member& m) { return m.source == &source; });
    if (!added) sources_.push_back({&source, next_serial_++});
}

void event_loop::remove(event_source& source) noexcept {
    std::erase_if(sources_, [&](const member& m) { return m.source == &source; });
}

bool event_loop::contains(const member& m) const noexcept {
    return std::find(sources_.begin(), sources_.end(), m) != sources_.end();
}

void event_loop::run_once() {
    fds_.clear();
    starts_.clear();
    round_ = sources_;
    auto wake = steady_clock::time_point::max();
    for (const member& m : round_) {
        starts_.push_back(fds_.size());
        m.source->add_pollfds(fds_);
        wake = std::min(wake, m.source->deadline());
    }
    starts_.push_back(fds_.size());
    if (fds_.empty() && wake == steady_clock::time_point::max())
        throw std::logic_error("event loop: nothing to wait for");

    const int n = ::poll(fds_.data(), fds_.size(), milliseconds_until(wake, steady_clock::now()));
    if (n < 0 && errno == EINTR) return;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "poll");

    const auto now = steady_clock::now();
    for (std::size_t i = 0; i < round_.size(); ++i) {
        const member& m = round_[i];
        const std::span<const pollfd> slice(fds_.data() + starts_[i], starts_[i + 1] - starts_[i]);
        const bool ready =
            std::any_of(slice.begin(), slice.end(), [](const pollfd& p) { return p.revents != 0; });
        // Each call may remove any source (itself included): look again before every call.
        if (ready && contains(m)) m.source->on_ready(slice);
        if (contains(m) && m.source->deadline() <= now) m.source->on_time(now);
    }
}

int milliseconds_until(steady_clock::time_point deadline, steady_clock::time_point now) noexcept {
    if (deadline == steady_clock::time_point::max()) return -1;
    if (deadline <= now) return 0;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    return static_cast<int>(std::min<long long>(left, 60'000));
}

}  // namespace sockwrap
