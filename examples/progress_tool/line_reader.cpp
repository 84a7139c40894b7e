#include "line_reader.hpp"

#include <utility>

namespace progress {

line_reader::line_reader(std::istream& in, last_line_test is_last, unblocker unblock)
    : unblock_(std::move(unblock)), thread_([&in, is_last = std::move(is_last), state = state_] {
          read_lines(in, is_last, state);
      }) {}

line_reader::~line_reader() {
    bool input_ended = false;
    {
        std::lock_guard lock(state_->mutex);
        input_ended = state_->input_ended;
    }
    if (!input_ended && unblock_) unblock_();
    if (input_ended || unblock_)
        thread_.join();
    else
        thread_.detach();
}

void line_reader::read_lines(std::istream& in, const last_line_test& is_last,
                             const std::shared_ptr<shared_state>& state) {
    std::string line;
    bool last = false;
    while (!last && std::getline(in, line)) {
        last = is_last && is_last(line);
        std::lock_guard lock(state->mutex);
        state->lines.push_back(std::move(line));
        state->changed.notify_all();
    }
    std::lock_guard lock(state->mutex);
    state->input_ended = true;
    state->changed.notify_all();
}

std::optional<std::string> line_reader::next_line(clock::time_point deadline) {
    std::unique_lock lock(state_->mutex);
    if (deadline == clock::time_point::max()) {
        state_->changed.wait(lock, [&] { return !state_->lines.empty() || state_->input_ended; });
    } else {
        // Waking only for a line: once input has ended, this still waits out the deadline,
        // so a caller looping on ticks does not spin.
        state_->changed.wait_until(lock, deadline, [&] { return !state_->lines.empty(); });
    }
    if (state_->lines.empty()) return std::nullopt;
    std::string line = std::move(state_->lines.front());
    state_->lines.pop_front();
    return line;
}

bool line_reader::ended() const {
    std::lock_guard lock(state_->mutex);
    return state_->input_ended && state_->lines.empty();
}

}  // namespace progress
