#include "progress_job.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace progress {
namespace {

constexpr std::string_view command_list = "pause, resume, status, help, quit";
constexpr int bar_width = 20;

// Commands arrive from terminals, sockets and GUIs alike: "\r\n" line ends and stray blanks
// must not make "pause" unknown.
std::string normalized(std::string_view text) {
    const auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    std::string word(text);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return word;
}

}  // namespace

progress_job::progress_job(int total) : total_(total) {
    if (total < 1) throw std::invalid_argument("a job needs at least one step");
}

std::string progress_job::position() const {
    const int percent = done_ * 100 / total_;
    return "step " + std::to_string(done_) + "/" + std::to_string(total_) + " (" +
           std::to_string(percent) + "%)";
}

std::string progress_job::banner() const {
    return "progress job: " + std::to_string(total_) +
           " steps; commands: " + std::string(command_list);
}

std::string progress_job::status() const {
    const char* state = finished() ? "finished" : paused_ ? "paused" : "running";
    return std::string(state) + ", " + position();
}

std::string progress_job::tick() {
    if (!running()) return {};
    ++done_;
    const int filled = done_ * bar_width / total_;
    std::string line =
        "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] " + position();
    if (finished()) line += " - done; quit or end of input exits";
    return line;
}

bool progress_job::is_quit(std::string_view command) {
    return normalized(command) == "quit";
}

command_reply progress_job::handle(std::string_view command) {
    const std::string word = normalized(command);
    if (word.empty()) return {};
    if (word == "quit") return {"quitting at " + position(), true};
    if (word == "status") return {"status: " + status()};
    if (word == "help") return {"commands: " + std::string(command_list)};
    if (word == "pause" || word == "resume") {
        const bool pause = word == "pause";
        if (finished()) return {"nothing to " + word + ": the job is finished"};
        if (paused_ == pause) return {pause ? "already paused" : "not paused"};
        paused_ = pause;
        return {(pause ? "paused at " : "resumed at ") + position()};
    }
    return {"unknown command '" + word + "'; commands: " + std::string(command_list)};
}

}  // namespace progress
