#pragma once
/// \file
/// The baseline: the smallest reasonable output std::streambuf over a socket, as a user
/// would write it by hand. A 64 KiB put area, sent whole when full or on flush; the
/// standard library's own xsputn copies into it.

#include <cstddef>
#include <streambuf>
#include <vector>

namespace bench {

/// A write-only 64 KiB streambuf over a connected socket it does not own.
class bare_streambuf : public std::streambuf {
  public:
    explicit bare_streambuf(int fd, std::size_t size = 64 * 1024);
    ~bare_streambuf() override;

  protected:
    int_type overflow(int_type ch) override;
    int sync() override;

  private:
    bool send_pending() noexcept;

    int fd_;
    std::vector<char> buffer_;
};

}  // namespace bench
