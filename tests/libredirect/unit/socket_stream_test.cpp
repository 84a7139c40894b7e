// socket_stream: connecting from an endpoint, moving a stream with the bytes its buffer
// holds, and the error it reports when a connection fails.

#include <sys/socket.h>

#include <gtest/gtest.h>

#include <chrono>
#include <ios>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "redirect/socket_streambuf.hpp"
#include "sockwrap_test/net.hpp"
#include "support.hpp"

using namespace redirect;
using namespace std::chrono_literals;

namespace {

constexpr int absent_ms = 50;

// Whether the kernel still holds unread bytes for `fd` (none: a buffer has taken them all).
bool kernel_has_bytes(int fd) {
    char c;
    return ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

}  // namespace

TEST(socket_stream, connects_to_an_endpoint_given_as_text) {
    test::peer_listener p;
    socket_stream s(p.ep);
    test::bound_io(s.fd());
    unique_fd peer = p.accept();
    EXPECT_EQ(peer_address(s.fd()).port(), p.l.port());
    s << "hello\n";  // the default line policy sends at '\n'
    EXPECT_EQ(test::read_some(peer.get(), 6), "hello\n");
    EXPECT_TRUE(st::write_all(peer.get(), "back\n", 20s));
    std::string line;
    EXPECT_TRUE(std::getline(s, line));
    EXPECT_EQ(line, "back");
}

TEST(socket_stream, connects_to_an_endpoint_with_the_policy_asked_for) {
    test::peer_listener p;
    socket_stream s(parse_endpoint(p.ep), {}, flush_policy::full);
    unique_fd peer = p.accept();
    EXPECT_EQ(s.buffer().policy(), flush_policy::full);
    s << "held\n";
    EXPECT_FALSE(test::readable_within(peer.get(), absent_ms)) << "full policy: no send at '\\n'";
    s << std::flush;
    EXPECT_EQ(test::read_some(peer.get(), 5), "held\n");
}

TEST(socket_stream, connect_wait_reaches_a_listener_that_starts_later) {
    test::temp_dir dir;
    const std::string ep = "unix:" + dir.file("late.sock");
    std::string received;
    std::thread late_listener([&] {
        std::this_thread::sleep_for(150ms);
        listener l(parse_endpoint(ep));
        unique_fd c = l.accept();
        test::bound_io(c.get());
        received = test::read_to_end(c.get());
    });
    {
        connect_options how;
        how.wait = 20s;
        socket_stream s(ep, how);
        s << "made it\n";
    }
    late_listener.join();
    EXPECT_EQ(received, "made it\n");
}

TEST(socket_stream, connect_failures_throw) {
    test::temp_dir dir;
    EXPECT_THROW(socket_stream("unix:" + dir.file("nobody.sock")), std::system_error);
    EXPECT_THROW(socket_stream("localhost"), endpoint_error);
}

TEST(socket_stream, moving_keeps_flags_pending_output_and_unread_input) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_stream first(std::move(pair.client), flush_policy::full);
    const int fd = first.fd();
    EXPECT_TRUE(st::write_all(pair.server.get(), "one\ntwo\n", 20s));
    ASSERT_TRUE(test::readable_within(fd, 5000));
    std::string line;
    ASSERT_TRUE(std::getline(first, line));
    EXPECT_EQ(line, "one");
    ASSERT_FALSE(kernel_has_bytes(fd)) << "the buffer should hold the second line";
    first << std::hex << "pending ";

    socket_stream second(std::move(first));
    EXPECT_EQ(second.fd(), fd);
    EXPECT_EQ(first.fd(), -1);
    EXPECT_TRUE(first.bad()) << "a moved-from stream fails instead of using a buffer";
    first << "lost" << std::flush;  // fails quietly
    ASSERT_TRUE(std::getline(second, line));
    EXPECT_EQ(line, "two") << "input buffered before the move";
    EXPECT_FALSE(test::readable_within(pair.server.get(), absent_ms)) << "nothing sent yet";
    second << 255 << std::flush;
    EXPECT_EQ(test::read_some(pair.server.get(), 10), "pending ff");
}

TEST(socket_stream, move_assignment_ends_the_replaced_connection) {
    test::socket_pair old_pair = test::bounded_tcp_pair();
    test::socket_pair new_pair = test::bounded_tcp_pair();
    socket_stream s(std::move(old_pair.client), flush_policy::full);
    socket_stream other(std::move(new_pair.client));
    s << "last words";
    s = std::move(other);
    EXPECT_EQ(test::read_some(old_pair.server.get(), 10), "last words");
    char c;
    EXPECT_EQ(::recv(old_pair.server.get(), &c, 1, 0), 0) << "the replaced socket is closed";
    EXPECT_EQ(other.fd(), -1);
    EXPECT_TRUE(other.bad());
    EXPECT_EQ(s.buffer().policy(), flush_policy::line);
    s << "to the new peer\n";
    EXPECT_EQ(test::read_some(new_pair.server.get(), 16), "to the new peer\n");
}

TEST(socket_stream, streams_live_in_a_growing_vector) {
    test::peer_listener p;
    std::vector<socket_stream> clients;
    std::vector<unique_fd> peers;
    for (int i = 0; i < 5; ++i) {  // each growth moves the streams already in it
        clients.emplace_back(p.ep);
        peers.push_back(p.accept());
    }
    for (int i = 0; i < 5; ++i)
        clients[i] << "client " << i << '\n';
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(test::read_some(peers[i].get(), 9), "client " + std::to_string(i) + "\n");
}

TEST(socket_stream, error_tells_what_failed_and_moves_with_the_stream) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_stream s(std::move(pair.client), flush_policy::full);
    EXPECT_FALSE(s.error());
    sockwrap_test::close_with_reset(std::move(pair.server));
    const std::string block(65536, 'r');
    // The first send may still be accepted by the kernel; the reset shows on a later one.
    for (int i = 0; i < 100 && s; ++i)
        s.write(block.data(), static_cast<std::streamsize>(block.size())) << std::flush;
    EXPECT_TRUE(s.bad());
    const std::error_code error = s.error();
    EXPECT_TRUE(error == std::errc::connection_reset || error == std::errc::broken_pipe)
        << error.message();
    EXPECT_EQ(error, s.buffer().error());
    socket_stream moved(std::move(s));
    EXPECT_EQ(moved.error(), error);
    EXPECT_FALSE(s.error()) << "a moved-from stream has no error of its own";
}
