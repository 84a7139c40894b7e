#include "redirect/socket_streambuf.hpp"

namespace redirect {

socket_stream::socket_stream(unique_fd fd, flush_policy policy, std::size_t buffer_size)
    : std::iostream(nullptr),
      buf_(std::make_unique<socket_streambuf>(std::move(fd), policy, buffer_size)) {
    rdbuf(buf_.get());
    if (policy == flush_policy::unit) setf(std::ios_base::unitbuf);
}

}  // namespace redirect
