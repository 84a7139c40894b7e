#include "bare_streambuf.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace bench {

bare_streambuf::bare_streambuf(int fd, std::size_t size) : fd_(fd), buffer_(size) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bare_streambuf::~bare_streambuf() {
    send_pending();
}

bool bare_streambuf::send_pending() noexcept {
    const char* data = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0) {
        ssize_t n = ::send(fd_, data, left, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
}

bare_streambuf::int_type bare_streambuf::overflow(int_type ch) {
    if (!send_pending()) return traits_type::eof();
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
    return ch;
}

int bare_streambuf::sync() {
    return send_pending() ? 0 : -1;
}

}  // namespace bench
