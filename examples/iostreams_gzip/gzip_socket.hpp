#pragma once
/// \file
/// Both ends of a gzip-compressed text stream over a socket, each a Boost.Iostreams filter
/// chain ending in a redirect::socket_device.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "redirect/fd.hpp"

namespace gzip_example {

/// The text the writer sends: line `i` of it.
std::string text_line(std::size_t i);

/// Sends `lines` lines of text_line() through a gzip compressor into `conn`, then ends the
/// gzip stream and shuts the socket down for writing. Throws on a write error.
void send_compressed(redirect::unique_fd conn, std::size_t lines);

/// What the reader got.
struct received {
    std::vector<std::string> head;  ///< the first lines (up to the number asked for)
    std::string last;               ///< the last line
    std::size_t lines = 0;          ///< lines decompressed
    std::uint64_t bytes = 0;        ///< bytes decompressed
    std::uint64_t wire_bytes = 0;   ///< compressed bytes read from the socket
};

/// Reads `conn` to its end through a gzip decompressor, keeping the first `head_lines`
/// lines and the last one. Throws if the stream is not well-formed gzip or a read fails.
received receive_compressed(redirect::unique_fd conn, std::size_t head_lines);

}  // namespace gzip_example
