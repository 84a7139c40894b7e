// Writing sockwrap's one-line messages to stderr.

#include "core/log.hpp"

#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "redirect/endpoint.hpp"

namespace sockwrap {

namespace {
void write_line(const std::string& text) {
    // Messages carry user text (program names, option values, paths, a client's UNIX socket
    // path): shown printable, it can neither break the one line nor drive the terminal.
    std::string line = "sockwrap: " + redirect::printable(text) + "\n";
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
