#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <stdexcept>
#include <utility>

#include "gzip_socket.hpp"
#include "redirect/socket_device.hpp"

namespace gzip_example {

std::string text_line(std::size_t i) {
    std::string line = "line ";
    line += std::to_string(i);
    line += ": sockets can look like files and streams";
    return line;
}

void send_compressed(redirect::unique_fd conn, std::size_t lines) {
    namespace io = boost::iostreams;
    // Copies of a socket_device share its descriptor and error record: `device` keeps
    // telling what happened to the copy inside the chain.
    redirect::socket_device device(std::move(conn));
    io::filtering_ostream out;
    out.push(io::gzip_compressor());
    out.push(device);
    for (std::size_t i = 0; i < lines; ++i)
        out << text_line(i) << '\n';
    bool written = static_cast<bool>(out);
    // Closing the chain makes the compressor write its trailer, then shuts the socket down
    // for writing, so the reader sees the end of the gzip stream and then end of stream.
    out.reset();
    if (!written || device.error())
        throw std::runtime_error("gzip writer: " + device.error().message());
}

}  // namespace gzip_example
