// socket_streambuf moving data: a large binary round trip, partial writes, a peer that resets,
// end of stream, pipes, and errors that become stream state instead of exceptions or signals.

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <istream>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "redirect/socket_streambuf.hpp"
#include "sockwrap_test/sha256.hpp"
#include "support.hpp"

using namespace redirect;

namespace {

constexpr std::size_t mib = 1024 * 1024;

// Chunk sizes that take every path: single bytes (sputc), short writes into the buffer,
// writes that overflow it, and blocks larger than it.
constexpr std::size_t chunk_sizes[] = {1, 7, 100, 4093, 65536, 70000, 300000};

// Writes `total` pseudo-random bytes from `seed` through `out` in varied chunks; returns
// their SHA-256.
std::string send_pattern(std::ostream& out, std::uint64_t seed, std::size_t total) {
    test::byte_source source(seed);
    sockwrap_test::sha256 hash;
    std::vector<char> chunk(300000);
    std::size_t sent = 0;
    for (std::size_t i = 0; sent < total && out; ++i) {
        const std::size_t size = std::min(chunk_sizes[i % std::size(chunk_sizes)], total - sent);
        source.fill(chunk.data(), size);
        hash.update(chunk.data(), size);
        if (size == 1)
            out.put(chunk[0]);
        else
            out.write(chunk.data(), static_cast<std::streamsize>(size));
        sent += size;
    }
    out.flush();
    return hash.hex_digest();
}

// Reads `in` to its end in varied chunks; returns the SHA-256 and the count.
std::pair<std::string, std::size_t> receive_all(std::istream& in) {
    sockwrap_test::sha256 hash;
    std::vector<char> chunk(300000);
    std::size_t total = 0;
    for (std::size_t i = 0;; ++i) {
        const std::size_t size = chunk_sizes[(i + 3) % std::size(chunk_sizes)];
        in.read(chunk.data(), static_cast<std::streamsize>(size));
        const auto got = static_cast<std::size_t>(in.gcount());
        hash.update(chunk.data(), got);
        total += got;
        if (got < size) break;
    }
    return {hash.hex_digest(), total};
}

// A peer that echoes everything back through its own socket_streambufs until end of stream,
// then shuts down its side.
void echo(int fd) {
    socket_streambuf in_buf(fd, flush_policy::full);
    socket_streambuf out_buf(fd, flush_policy::full);
    std::istream in(&in_buf);
    std::ostream out(&out_buf);
    std::vector<char> chunk(50000);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        out.write(chunk.data(), in.gcount());
    }
    out.flush();
    ::shutdown(fd, SHUT_WR);
}

void no_sigalrm_here() {
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alarm, nullptr);
}

}  // namespace

TEST(streambuf_io, round_trip_of_64_mib_keeps_every_byte) {
    test::socket_pair pair = test::bounded_tcp_pair();
    const std::size_t total = 64 * mib;
    std::thread echoer(echo, pair.server.get());
    std::string sent_hash;
    std::thread writer([&] {
        socket_streambuf buf(pair.client.get(), flush_policy::full);
        std::ostream out(&buf);
        sent_hash = send_pattern(out, 42, total);
        EXPECT_TRUE(out.good());
        ::shutdown(pair.client.get(), SHUT_WR);
    });
    socket_streambuf in_buf(pair.client.get(), flush_policy::full);
    std::istream in(&in_buf);
    auto [received_hash, received] = receive_all(in);
    writer.join();
    echoer.join();
    EXPECT_EQ(received, total);
    EXPECT_EQ(received_hash, sent_hash);
    EXPECT_FALSE(in_buf.error());
}

// Blocking sends interrupted by a signal return short counts (or EINTR); with a tiny send
// buffer and a slow reader that happens again and again.
TEST(streambuf_io, partial_writes_and_interruptions_lose_nothing) {
    test::socket_pair pair = test::bounded_tcp_pair();
    // Only the sender's buffer is shrunk: a tiny receive window would stall on delayed ACKs.
    int small = 4096;
    ::setsockopt(pair.client.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    struct sigaction on_alarm {};
    on_alarm.sa_handler = [](int) {};  // no SA_RESTART: interrupts the send
    struct sigaction previous {};
    ASSERT_EQ(::sigaction(SIGALRM, &on_alarm, &previous), 0);

    const std::size_t total = 2 * mib;
    std::pair<std::string, std::size_t> got;
    std::thread slow_reader([&] {
        no_sigalrm_here();
        socket_streambuf buf(pair.server.get(), flush_policy::full, 512);
        std::istream in(&buf);
        std::vector<char> chunk(1000);
        sockwrap_test::sha256 hash;
        while (in.read(chunk.data(), 1000), in.gcount() > 0) {
            hash.update(chunk.data(), static_cast<std::size_t>(in.gcount()));
            got.second += static_cast<std::size_t>(in.gcount());
            if (got.second % 100000 < 1000)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        got.first = hash.hex_digest();
    });
    itimerval every_ms{{0, 1000}, {0, 1000}};
    ::setitimer(ITIMER_REAL, &every_ms, nullptr);
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    const std::string sent_hash = send_pattern(out, 7, total);
    itimerval stop{};
    ::setitimer(ITIMER_REAL, &stop, nullptr);
    ::sigaction(SIGALRM, &previous, nullptr);
    EXPECT_TRUE(out.good());
    ::shutdown(pair.client.get(), SHUT_WR);
    slow_reader.join();
    EXPECT_EQ(got.second, total);
    EXPECT_EQ(got.first, sent_hash);
}

TEST(streambuf_io, non_blocking_socket_waits_instead_of_failing) {
    test::socket_pair pair = test::bounded_tcp_pair();
    int small = 4096;
    ::setsockopt(pair.client.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    set_nonblocking(pair.client.get(), true);
    const std::size_t total = 2 * mib;
    std::pair<std::string, std::size_t> got;
    std::thread reader([&] {
        socket_streambuf buf(pair.server.get(), flush_policy::full);
        std::istream in(&buf);
        got = receive_all(in);
    });
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    const std::string sent_hash = send_pattern(out, 9, total);
    EXPECT_TRUE(out.good());
    ::shutdown(pair.client.get(), SHUT_WR);
    reader.join();
    EXPECT_EQ(got.second, total);
    EXPECT_EQ(got.first, sent_hash);
}

TEST(streambuf_io, peer_reset_fails_the_stream_without_sigpipe) {
    test::socket_pair pair = test::bounded_tcp_pair();
    linger abort_on_close{1, 0};  // close() sends RST
    ::setsockopt(pair.server.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    pair.server.reset();
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    const std::string block(65536, 'r');
    // The first send may still be accepted by the kernel; the reset shows on a later one.
    for (int i = 0; i < 100 && out; ++i)
        out.write(block.data(), block.size()) << std::flush;
    EXPECT_TRUE(out.bad());
    EXPECT_TRUE(buf.error() == std::errc::connection_reset || buf.error() == std::errc::broken_pipe)
        << buf.error().message();
    EXPECT_EQ(buf.pending(), 0u);
}

TEST(streambuf_io, peer_reset_while_reading_is_end_of_stream_with_error) {
    test::socket_pair pair = test::bounded_tcp_pair();
    // Unread data makes close() send RST.
    EXPECT_TRUE(st::write_all(pair.client.get(), "unread", 20s));
    linger abort_on_close{1, 0};
    ::setsockopt(pair.server.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    ASSERT_TRUE(test::readable_within(pair.server.get(), 5000));
    pair.server.reset();
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::istream in(&buf);
    std::string word;
    EXPECT_FALSE(in >> word);
    EXPECT_EQ(buf.error(), std::errc::connection_reset) << buf.error().message();
}

TEST(streambuf_io, end_of_stream_after_the_last_bytes) {
    test::socket_pair pair = test::bounded_tcp_pair();
    EXPECT_TRUE(st::write_all(pair.server.get(), "one two\nthree", 20s));
    ::shutdown(pair.server.get(), SHUT_WR);
    socket_stream in(std::move(pair.client));
    std::string a, b, line;
    in >> a >> b;
    std::getline(in, line);  // the rest of the first line
    std::getline(in, line);
    EXPECT_EQ(a, "one");
    EXPECT_EQ(b, "two");
    EXPECT_EQ(line, "three");
    EXPECT_TRUE(in.eof());
    EXPECT_EQ(in.get(), std::char_traits<char>::eof());
    EXPECT_FALSE(in.buffer().error()) << "a clean end of stream is not an error";
}

TEST(streambuf_io, large_read_arrives_whole_across_many_packets) {
    test::socket_pair pair = test::bounded_tcp_pair();
    const std::string data = [] {
        std::string s(3 * mib, '\0');
        test::byte_source(3).fill(s.data(), s.size());
        return s;
    }();
    std::thread writer([&] {
        for (std::size_t at = 0; at < data.size(); at += 10000)
            EXPECT_TRUE(
                st::write_all(pair.server.get(), std::string_view(data).substr(at, 10000), 20s));
    });
    socket_streambuf buf(pair.client.get(), flush_policy::full, 4096);
    std::string got(data.size(), '\0');
    EXPECT_EQ(buf.sgetn(got.data(), static_cast<std::streamsize>(got.size())),
              static_cast<std::streamsize>(data.size()));
    writer.join();
    EXPECT_TRUE(got == data);
}

TEST(streambuf_io, characters_can_be_put_back_after_a_refill) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_streambuf buf(pair.client.get(), flush_policy::full, 4);
    EXPECT_TRUE(st::write_all(pair.server.get(), "abcdefgh", 20s));
    std::string got;
    for (int i = 0; i < 6; ++i)
        got += static_cast<char>(buf.sbumpc());  // refills twice
    EXPECT_EQ(got, "abcdef");
    EXPECT_EQ(buf.sungetc(), 'f');
    EXPECT_EQ(buf.sungetc(), 'e');
    EXPECT_EQ(buf.sbumpc(), 'e');
}

TEST(streambuf_io, in_avail_counts_what_waits_in_the_socket) {
    test::socket_pair pair = test::bounded_tcp_pair();
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    EXPECT_EQ(buf.in_avail(), 0);
    EXPECT_TRUE(st::write_all(pair.server.get(), "12345", 20s));
    ASSERT_TRUE(test::readable_within(pair.client.get(), 5000));
    EXPECT_EQ(buf.in_avail(), 5);
}

TEST(streambuf_io, pipes_use_write_and_read) {
    int raw[2];
    ASSERT_EQ(::pipe2(raw, O_CLOEXEC), 0);
    unique_fd read_end(raw[0]);
    unique_fd write_end(raw[1]);
    {
        socket_streambuf out_buf(write_end.get(), flush_policy::line);
        std::ostream out(&out_buf);
        out << "through a pipe\n";
        EXPECT_EQ(test::read_some(read_end.get(), 15), "through a pipe\n");
        out << "more\n";
        EXPECT_FALSE(out_buf.error());
    }
    write_end.reset();
    socket_stream in(std::move(read_end));
    std::string line;
    EXPECT_TRUE(std::getline(in, line));
    EXPECT_EQ(line, "more");
    EXPECT_FALSE(std::getline(in, line));
}

TEST(streambuf_io, pipe_without_reader_fails_without_sigpipe) {
    int raw[2];
    ASSERT_EQ(::pipe2(raw, O_CLOEXEC), 0);
    unique_fd write_end(raw[1]);
    ::close(raw[0]);
    socket_streambuf buf(write_end.get(), flush_policy::full);
    std::ostream out(&buf);
    out << "nobody reads this" << std::flush;
    EXPECT_TRUE(out.bad());
    EXPECT_EQ(buf.error(), std::errc::broken_pipe);
    // No SIGPIPE is left pending for the process either.
    sigset_t pending;
    sigpending(&pending);
    EXPECT_FALSE(sigismember(&pending, SIGPIPE));
}

TEST(streambuf_io, expired_receive_timeout_is_an_error_not_a_hang) {
    test::socket_pair pair = test::bounded_tcp_pair();
    timeval brief{0, 20000};
    ::setsockopt(pair.client.get(), SOL_SOCKET, SO_RCVTIMEO, &brief, sizeof brief);
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    EXPECT_EQ(buf.sgetc(), std::char_traits<char>::eof());
    EXPECT_TRUE(buf.error() == std::errc::resource_unavailable_try_again) << buf.error().message();
}

TEST(streambuf_io, owning_buffer_closes_its_socket) {
    test::socket_pair pair = test::bounded_tcp_pair();
    const int fd = pair.client.get();
    {
        socket_stream s(std::move(pair.client));
        EXPECT_EQ(s.fd(), fd);
        s << "bye";
    }
    EXPECT_EQ(test::read_to_end(pair.server.get()), "bye");
}
