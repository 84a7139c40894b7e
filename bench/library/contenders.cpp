#include "contenders.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/iostreams/stream_buffer.hpp>
#include <iostream>
#include <stdexcept>
#include <string>

#include "bare_streambuf.hpp"
#include "redirect/redirect.hpp"
#include "redirect/socket_device.hpp"

namespace bench {

namespace {

constexpr std::size_t buffer_size = 64 * 1024;

redirect::endpoint loopback(std::uint16_t port) {
    redirect::endpoint ep;  // as `:PORT` is parsed: 127.0.0.1
    ep.port = port;
    return ep;
}

void check(const std::ostream& os, std::string_view who) {
    if (!os) throw std::runtime_error(std::string(who) + ": the stream failed");
}

void run_bare(std::uint16_t port, std::size_t lines) {
    redirect::unique_fd fd = redirect::connect_to(loopback(port));
    bare_streambuf buf(fd.get(), buffer_size);
    std::ostream os(&buf);
    write_lines(os, lines);
    os.flush();
    check(os, "bare streambuf");
}

void run_redirect(std::uint16_t port, std::size_t lines, redirect::flush_policy policy) {
    redirect::redirect_options options;
    options.policy = policy;
    options.buffer_size = buffer_size;
    auto redirection = redirect::out(loopback(port), options);
    write_lines(std::cout, lines);
    bool ok = static_cast<bool>(std::cout);
    redirection.end();
    if (!ok || redirection.error()) throw std::runtime_error("redirect::out: the stream failed");
}

void run_redirect_full(std::uint16_t port, std::size_t lines) {
    run_redirect(port, lines, redirect::flush_policy::full);
}

void run_redirect_line(std::uint16_t port, std::size_t lines) {
    run_redirect(port, lines, redirect::flush_policy::line);
}

void run_boost_stream_buffer(std::uint16_t port, std::size_t lines) {
    namespace io = boost::iostreams;
    redirect::socket_device device(redirect::connect_to(loopback(port)));
    io::stream_buffer<redirect::socket_device> buf(device, buffer_size);
    std::ostream os(&buf);
    write_lines(os, lines);
    os.flush();
    check(os, "boost stream_buffer");
    buf.close();
}

void run_asio_iostream(std::uint16_t port, std::size_t lines) {
    boost::asio::ip::tcp::iostream os("127.0.0.1", std::to_string(port));
    if (!os) throw std::runtime_error("asio tcp::iostream: " + os.error().message());
    write_lines(os, lines);
    os.flush();
    check(os, "asio tcp::iostream");
    os.close();
}

constexpr contender all[] = {
    {"bare", "bare 64 KiB streambuf", run_bare},
    {"redirect-full", "redirect::out, full", run_redirect_full},
    {"redirect-line", "redirect::out, line", run_redirect_line},
    {"boost", "boost stream_buffer<socket_device>", run_boost_stream_buffer},
    {"asio", "asio ip::tcp::iostream", run_asio_iostream},
};

}  // namespace

void write_lines(std::ostream& os, std::size_t lines) {
    for (std::size_t i = 0; i < lines; ++i)
        os << "line " << i << '\n';
}

std::uint64_t bytes_of_lines(std::size_t lines) noexcept {
    std::uint64_t total = 0;
    std::uint64_t digits = 1;
    for (std::uint64_t first = 0, next = 10; first < lines; first = next, next *= 10, ++digits) {
        std::uint64_t count = std::min<std::uint64_t>(lines, next) - first;
        total += count * (sizeof "line " - 1 + digits + 1);
    }
    return total;
}

std::span<const contender> contenders() noexcept {
    return all;
}

}  // namespace bench
