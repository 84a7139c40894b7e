#pragma once
/// \file
/// A bidirectional Boost.Iostreams Device over a connected socket, so that Boost.Iostreams
/// filters (gzip, counters, …) can be put on a socket:
///
///     boost::iostreams::filtering_ostream out;
///     out.push(boost::iostreams::gzip_compressor());
///     out.push(redirect::socket_device(redirect::connect_to(ep)));
///
/// Unlike the other public headers, this one includes Boost, and its code is in a library of
/// its own: link libredirect::iostreams (`find_package(libredirect COMPONENTS iostreams)`).

#include <boost/iostreams/categories.hpp>
#include <ios>
#include <memory>
#include <system_error>

#include "redirect/fd.hpp"

namespace redirect {

/// Reads and writes a socket (or any descriptor: pipes and terminals fall back to
/// read()/write()). Copies share one descriptor and one error record, as Boost.Iostreams
/// copies devices freely. Writes send every byte (partial sends and EINTR are retried) and
/// never raise SIGPIPE. An I/O error is recorded (see error()) and thrown as
/// std::ios_base::failure, which the Boost.Iostreams stream turns into badbit.
class socket_device {
  public:
    using char_type = char;
    struct category : boost::iostreams::bidirectional_device_tag, boost::iostreams::closable_tag {};

    /// Owns `fd`: the last copy of the device closes it.
    explicit socket_device(unique_fd fd);
    /// Uses `fd` without owning it; the caller keeps it open while the device is used.
    explicit socket_device(int fd);

    /// Reads up to `n` bytes, waiting for at least one. Returns -1 at end of stream.
    std::streamsize read(char* s, std::streamsize n);
    /// Sends all `n` bytes and returns `n`.
    std::streamsize write(const char* s, std::streamsize n);
    /// Closing the output side shuts the socket down for writing, so the peer sees end of
    /// stream (after, say, a gzip trailer); closing the input side does nothing.
    void close(std::ios_base::openmode which);

    int fd() const noexcept;
    /// The first I/O error met by any copy of this device, or an empty error_code.
    std::error_code error() const noexcept;

  private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace redirect
