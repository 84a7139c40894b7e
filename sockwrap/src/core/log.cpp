// Writing sockwrap's one-line messages to stderr.

#include "core/log.hpp"

#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace sockwrap {

namespace {
void write_line(const std::string& text) {
    std::string line = "sockwrap: " + text + "\n";
    // One write() so lines from sockwrap and its child do not interleave mid-line.
    std::string_view rest = line;
    while (!rest.empty()) {
        ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}
}  // namespace

void verbose_log::line(const std::string& text) const {
    if (enabled_) write_line(text);
}

void print_error(const std::string& message) {
    write_line(message);
}

std::string ctime_now() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char text[64];
    std::size_t n = std::strftime(text, sizeof text, "%a %b %e %H:%M:%S %Y", &local);
    return std::string(text, n);
}

}  // namespace sockwrap
