#include "redirect/socket_streambuf.hpp"

#include <sys/ioctl.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "socket_io.hpp"

namespace redirect {

namespace {

// Bytes kept in front of the get area so that a few characters can be put back (unget)
// after the area is refilled.
constexpr std::size_t putback_size = 16;

// pbump() and gbump() take an int: keep every area within its range.
std::size_t usable_capacity(std::size_t wanted) {
    return std::clamp<std::size_t>(wanted, 1, INT_MAX / 2);
}

}  // namespace

socket_streambuf::socket_streambuf(int fd, flush_policy policy, std::size_t buffer_size)
    : fd_(fd), policy_(policy), capacity_(usable_capacity(buffer_size)) {}

socket_streambuf::socket_streambuf(unique_fd fd, flush_policy policy, std::size_t buffer_size)
    : socket_streambuf(fd.get(), policy, buffer_size) {
    owned_ = std::move(fd);
}

socket_streambuf::~socket_streambuf() {
    send_pending();
}

std::size_t socket_streambuf::pending() const noexcept {
    if (policy_ == flush_policy::line) return line_pending_;
    return static_cast<std::size_t>(pptr() - pbase());
}

void socket_streambuf::record(int error) noexcept {
    if (!error_) error_ = std::error_code(error, std::generic_category());
}

void socket_streambuf::ensure_put_area() {
    if (!put_area_.empty()) return;
    put_area_.resize(capacity_);
    // Line mode keeps no put pointers, so that every character, '\n' included, reaches
    // overflow() or xsputn() where the newline can be seen.
    if (policy_ != flush_policy::line) setp(put_base(), put_base() + capacity_);
}

void socket_streambuf::set_pending(std::size_t count) noexcept {
    if (policy_ == flush_policy::line) {
        line_pending_ = count;
    } else {
        setp(put_base(), put_base() + capacity_);
        pbump(static_cast<int>(count));
    }
}

bool socket_streambuf::send_with_pending(const char* data, std::size_t size) noexcept {
    const std::size_t have = pending();
    int error = detail::send_all(fd_, put_base(), have, data, size, not_socket_);
    // On failure the bytes are dropped: the connection is unusable and holding them would
    // only make every later write fail the same way.
    set_pending(0);
    if (error != 0) record(error);
    return error == 0;
}

bool socket_streambuf::send_pending() noexcept {
    if (pending() == 0) return true;
    return send_with_pending(nullptr, 0);
}

// Adds `size` bytes to the output. They are buffered while they fit; a block that does not
// fit goes out with the pending bytes in one call (no copy) when it is at least as large as
// the buffer, else the pending bytes are sent and the block starts a fresh buffer.
// `send_now`: everything, the new bytes included, must be on the wire on return.
bool socket_streambuf::append(const char* data, std::size_t size, bool send_now) noexcept {
    try {
        ensure_put_area();
    } catch (...) {  // out of memory: send directly, unbuffered
        return send_with_pending(data, size);
    }
    const std::size_t have = pending();
    if (have + size <= capacity_ || (size < capacity_ && !send_now)) {
        if (have + size > capacity_ && !send_pending()) return false;
        std::memcpy(put_base() + pending(), data, size);
        set_pending(pending() + size);
        return send_now ? send_pending() : true;
    }
    return send_with_pending(data, size);
}

socket_streambuf::int_type socket_streambuf::overflow(int_type ch) {
    if (traits_type::eq_int_type(ch, traits_type::eof())) {
        // Asked to make room only: a full buffer is sent, a partial one stays.
        if (pending() == capacity_ && !send_pending()) return traits_type::eof();
        return traits_type::not_eof(ch);
    }
    const char c = traits_type::to_char_type(ch);
    const bool newline = policy_ == flush_policy::line && c == '\n';
    return append(&c, 1, newline) ? ch : traits_type::eof();
}

std::streamsize socket_streambuf::xsputn(const char_type* s, std::streamsize n) {
    if (n <= 0) return 0;
    // Hot path of short `<<` writes: room in the put area (never in line mode, which keeps
    // no put pointers) means a plain copy, as the standard buffers do.
    if (n <= epptr() - pptr()) {
        traits_type::copy(pptr(), s, static_cast<std::size_t>(n));
        pbump(static_cast<int>(n));
        return n;
    }
    auto size = static_cast<std::size_t>(n);
    if (policy_ == flush_policy::line) {
        // Up to the last newline must leave now; what follows it waits for the next trigger.
        if (const void* last = ::memrchr(s, '\n', size)) {
            auto head = static_cast<std::size_t>(static_cast<const char*>(last) - s) + 1;
            if (!append(s, head, true)) return 0;
            s += head;
            size -= head;
        }
    }
    if (size > 0 && !append(s, size, false)) return n - static_cast<std::streamsize>(size);
    return n;
}

int socket_streambuf::sync() {
    return send_pending() ? 0 : -1;
}

std::ptrdiff_t socket_streambuf::receive(char* data, std::size_t size) noexcept {
    std::ptrdiff_t n = detail::receive_some(fd_, data, size, not_socket_);
    if (n < 0) record(static_cast<int>(-n));
    return n;
}

socket_streambuf::int_type socket_streambuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    // A question must leave before the program waits for its answer.
    send_pending();
    if (get_area_.empty()) {
        get_area_.resize(putback_size + capacity_);
        setg(get_area_.data() + putback_size, get_area_.data() + putback_size,
             get_area_.data() + putback_size);
    }
    char* const start = get_area_.data() + putback_size;
    // Keep the last characters read in front of the new data, for unget().
    const auto keep =
        std::min<std::size_t>(putback_size, static_cast<std::size_t>(gptr() - eback()));
    std::memmove(start - keep, gptr() - keep, keep);
    std::ptrdiff_t n = receive(start, capacity_);
    setg(start - keep, start, start + std::max<std::ptrdiff_t>(n, 0));
    if (n <= 0) return traits_type::eof();
    return traits_type::to_int_type(*gptr());
}

std::streamsize socket_streambuf::xsgetn(char_type* s, std::streamsize n) {
    std::streamsize done = 0;
    while (done < n) {
        const std::streamsize buffered = egptr() - gptr();
        if (buffered > 0) {
            const std::streamsize take = std::min(buffered, n - done);
            std::memcpy(s + done, gptr(), static_cast<std::size_t>(take));
            gbump(static_cast<int>(take));
            done += take;
            continue;
        }
        const auto wanted = static_cast<std::size_t>(n - done);
        if (wanted < capacity_) {
            if (traits_type::eq_int_type(underflow(), traits_type::eof())) break;
            continue;
        }
        // A block at least as large as the buffer is received in place, without a copy.
        send_pending();
        std::ptrdiff_t got = receive(s + done, wanted);
        if (got <= 0) break;
        done += got;
    }
    return done;
}

std::streamsize socket_streambuf::showmanyc() {
    int available = 0;
    if (::ioctl(fd_, FIONREAD, &available) == 0 && available > 0) return available;
    return 0;
}

}  // namespace redirect
