#include <boost/iostreams/filter/counter.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <stdexcept>
#include <utility>

#include "gzip_socket.hpp"
#include "redirect/socket_device.hpp"

namespace gzip_example {

received receive_compressed(redirect::unique_fd conn, std::size_t head_lines) {
    namespace io = boost::iostreams;
    io::filtering_istream in;
    // Bytes flow from the last component to the first: the counter sits between the socket
    // and the decompressor, so it counts what crossed the wire.
    in.push(io::gzip_decompressor());
    in.push(io::counter());
    in.push(redirect::socket_device(std::move(conn)));
    received r;
    for (std::string line; std::getline(in, line);) {
        ++r.lines;
        r.bytes += line.size() + 1;
        if (r.head.size() < head_lines) r.head.push_back(line);
        r.last = std::move(line);
    }
    // A truncated or corrupt gzip stream makes the decompressor throw, which the stream
    // records as badbit; a clean end of stream only sets eofbit and failbit.
    if (in.bad()) throw std::runtime_error("gzip reader: the compressed stream is broken");
    r.wire_bytes = static_cast<std::uint64_t>(in.component<io::counter>(1)->characters());
    return r;
}

}  // namespace gzip_example
