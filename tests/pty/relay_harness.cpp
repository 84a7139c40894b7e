#include "relay_harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "sockwrap_test/io.hpp"
#include "sockwrap_test/sha256.hpp"

namespace pty_test {

running_relay::running_relay(redirect::unique_fd master, redirect::unique_fd socket,
                             sockwrap::pty_stdin input, std::chrono::seconds limit)
    : relay_(std::make_unique<sockwrap::pty_relay>(loop_, std::move(master), std::move(socket),
                                                   input)) {
    limit_.at = sockwrap::steady_clock::now() + limit;
    loop_.add(limit_);
    relay_->start([this](std::error_code ec) {
        result_ = ec;
        finished_ = true;
    });
    // The loop runs on this thread alone until it is joined.
    thread_ =
        std::thread([this] { loop_.run_until([this] { return finished_ || limit_.reached; }); });
}

running_relay::~running_relay() {
    if (thread_.joinable()) thread_.join();
    loop_.remove(limit_);
}

std::error_code running_relay::wait() {
    if (thread_.joinable()) thread_.join();
    return result_;
}

hashed_stream hash_until_eof(int fd, std::chrono::milliseconds timeout) {
    hashed_stream result;
    sockwrap_test::sha256 hash;
    std::vector<char> buffer(1 << 16);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || sockwrap_test::poll_for(fd, POLLIN, left) == 0) break;
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
            result.eof = n == 0;
            break;
        }
        hash.update(buffer.data(), static_cast<std::size_t>(n));
        result.bytes += static_cast<std::size_t>(n);
    }
    result.sha256 = hash.hex_digest();
    return result;
}

redirect::unique_fd dup_cloexec(int fd) {
    redirect::unique_fd copy(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
    if (!copy) throw std::system_error(errno, std::generic_category(), "dup");
    return copy;
}

}  // namespace pty_test
