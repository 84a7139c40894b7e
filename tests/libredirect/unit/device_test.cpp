// redirect::socket_device: Boost.Iostreams filter chains over a socket.

#include <sys/socket.h>

#include <gtest/gtest.h>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <boost/iostreams/stream.hpp>

#include <string>
#include <thread>
#include <vector>

#include "redirect/socket_device.hpp"
#include "support.hpp"

namespace io = boost::iostreams;
using redirect::socket_device;

TEST(socket_device, gzip_chain_round_trips_data) {
    test::socket_pair pair = test::bounded_tcp_pair();
    std::string data(4 * 1024 * 1024, '\0');
    test::byte_source(5).fill(data.data(), data.size() / 2);  // half noise, half zeros
    std::thread writer([&] {
        io::filtering_ostream out;
        out.push(io::gzip_compressor());
        out.push(socket_device(std::move(pair.client)));
        for (std::size_t at = 0; at < data.size(); at += 100000)
            out.write(data.data() + at, static_cast<std::streamsize>(
                                            std::min<std::size_t>(100000, data.size() - at)));
        EXPECT_TRUE(out.good());
        out.reset();  // writes the gzip trailer, then the device shuts the socket down
    });
    io::filtering_istream in;
    in.push(io::gzip_decompressor());
    in.push(socket_device(pair.server.get()));
    std::string got;
    std::vector<char> chunk(65536);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())), in.gcount() > 0)
        got.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    writer.join();
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data);
}

TEST(socket_device, bidirectional_stream_talks_both_ways) {
    test::socket_pair pair = test::bounded_tcp_pair();
    io::stream<socket_device> s(socket_device(pair.client.get()));
    s << "ping" << std::endl;
    EXPECT_EQ(test::read_some(pair.server.get(), 5), "ping\n");
    EXPECT_TRUE(st::write_all(pair.server.get(), "pong\n", 20s));
    std::string reply;
    std::getline(s, reply);
    EXPECT_EQ(reply, "pong");
}

TEST(socket_device, read_returns_minus_one_at_end_of_stream) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_device device(pair.client.get());
    EXPECT_TRUE(st::write_all(pair.server.get(), "ab", 20s));
    ::shutdown(pair.server.get(), SHUT_WR);
    char buffer[8];
    std::string got;
    std::streamsize n;
    while ((n = device.read(buffer, sizeof buffer)) > 0)
        got.append(buffer, n);
    EXPECT_EQ(n, -1);
    EXPECT_EQ(got, "ab");
}

TEST(socket_device, write_sends_everything_and_copies_share_the_socket) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_device device(std::move(pair.client));
    socket_device copy = device;
    EXPECT_EQ(copy.fd(), device.fd());
    std::string big(8 * 1024 * 1024, 'w');
    std::string got;
    std::thread reader([&] { got = test::read_some(pair.server.get(), big.size() + 1); });
    EXPECT_EQ(copy.write(big.data(), static_cast<std::streamsize>(big.size())),
              static_cast<std::streamsize>(big.size()));
    device.write("!", 1);
    reader.join();
    EXPECT_EQ(got, big + "!");
}

TEST(socket_device, closing_the_output_side_signals_end_of_stream) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_device device(pair.client.get());
    device.write("last", 4);
    device.close(std::ios_base::out);
    EXPECT_EQ(test::read_to_end(pair.server.get()), "last");
}

TEST(socket_device, peer_reset_becomes_badbit_and_a_recorded_error) {
    test::socket_pair pair = test::bounded_tcp_pair();
    linger abort_on_close{1, 0};
    ::setsockopt(pair.server.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    pair.server.reset();
    socket_device device(pair.client.get());
    io::stream<socket_device> s(device);
    const std::string block(65536, 'r');
    for (int i = 0; i < 100 && s; ++i)
        s.write(block.data(), block.size()) << std::flush;
    EXPECT_TRUE(s.bad());
    EXPECT_TRUE(device.error() == std::errc::connection_reset ||
                device.error() == std::errc::broken_pipe)
        << device.error().message();
}
