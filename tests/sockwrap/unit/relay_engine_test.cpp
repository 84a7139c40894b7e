// The relay engine on its own: flows between byte streams on the event loop, and the seam for
// streams the engine does not know (a transforming adapter, one source feeding two sinks),
// written here against the public interface only.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/event_loop.hpp"
#include "redirect/fd.hpp"
#include "relay/fd_streams.hpp"
#include "relay/flow.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"

namespace sw = sockwrap;
namespace relay = sockwrap::relay;
namespace st = sockwrap_test;
using namespace std::chrono_literals;

namespace {

// In each socket pair, the server end is the relay's and the client end the peer the test
// plays.

// Ends a test's loop should it run away.
struct time_limit final : sw::event_source {
    sw::steady_clock::time_point at = sw::steady_clock::now() + 20s;
    bool reached = false;
    void add_pollfds(std::vector<pollfd>&) override {}
    void on_ready(std::span<const pollfd>) override {}
    sw::steady_clock::time_point deadline() const override { return at; }
    void on_time(sw::steady_clock::time_point) override { reached = true; }
};

// A transforming source: upper-cases what another source gives, passing its would-block and
// end on unchanged.
class upper_case final : public relay::byte_source {
  public:
    explicit upper_case(relay::byte_source& inner) : inner_(inner) {}
    relay::transfer read(std::span<char> into) override {
        const relay::transfer t = inner_.read(into);
        if (t.what == relay::transfer::status::moved)
            std::transform(into.begin(), into.begin() + static_cast<long>(t.bytes), into.begin(),
                           [](char c) { return static_cast<char>(std::toupper(c)); });
        return t;
    }
    std::string name() const override { return "upper(" + inner_.name() + ")"; }

  private:
    relay::byte_source& inner_;
};

// One source, two sinks: a byte counts as written once both have it; the sink that blocks is
// the one to wait for. Finishing finishes both.
class two_sinks final : public relay::byte_sink {
  public:
    two_sinks(relay::byte_sink& first, relay::byte_sink& second) : sinks_{&first, &second} {}
    relay::transfer write(std::span<const char> from) override {
        for (std::size_t i = 0; i < 2; ++i) {
            while (done_[i] < from.size()) {
                const relay::transfer t = sinks_[i]->write(from.subspan(done_[i]));
                if (t.what != relay::transfer::status::moved) return t;
                done_[i] += t.bytes;
            }
        }
        const std::size_t n = from.size();
        done_[0] = done_[1] = 0;
        return relay::transfer::moved(n);
    }
    relay::transfer finish() override {
        for (auto* sink : sinks_) {
            const relay::transfer t = sink->finish();
            if (t.what != relay::transfer::status::moved) return t;
        }
        return relay::transfer::moved(0);
    }
    std::string name() const override { return "tee"; }

  private:
    relay::byte_sink* sinks_[2];
    std::size_t done_[2] = {0, 0};
};

// Runs `loop` until `done` or the limit.
template <typename Predicate>
void run(sw::event_loop& loop, Predicate done) {
    time_limit limit;
    loop.add(limit);
    loop.run_until([&] { return done() || limit.reached; });
    loop.remove(limit);
    ASSERT_FALSE(limit.reached) << "the loop did not finish in time";
}

}  // namespace

TEST(relay_flow, moves_every_byte_then_half_closes_and_the_other_direction_goes_on) {
    st::socket_pair left = st::connected_unix_pair(), right = st::connected_unix_pair();
    sw::event_loop loop;
    relay::socket_stream l(left.server.get(), "left", false), r(right.server.get(), "right", false);
    std::optional<relay::flow_end> forward_end;
    relay::flow forward(loop, l, r, 4096, [&](const relay::flow_end& e) { forward_end = e; });
    relay::flow backward(loop, r, l, 4096, [](const relay::flow_end&) {});

    std::string data(100'000, 'x');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>('a' + i % 26);
    std::thread writer([&] {
        st::write_all(left.client.get(), data, 10s);
        ::shutdown(left.client.get(), SHUT_WR);
    });
    std::string got;
    std::thread reader([&] { got = st::read_until_eof(right.client.get(), 10s).data; });
    run(loop, [&] { return forward_end.has_value(); });
    writer.join();
    reader.join();
    EXPECT_EQ(forward_end->what, relay::flow_end::how::complete);
    EXPECT_EQ(got, data);  // and end-of-file came after it: the sink's finish() shut it down

    // The other direction is untouched by the half-close.
    ASSERT_TRUE(st::write_all(right.client.get(), "back\n", 5s));
    run(loop, [&] { return st::poll_for(left.client.get(), POLLIN, 0ms) != 0; });
    EXPECT_EQ(st::read_lines(left.client.get(), 1, 5s).data, "back\n");
}

TEST(relay_flow, a_sink_that_takes_nothing_stops_the_reading_memory_stays_bounded) {
    st::socket_pair in = st::connected_unix_pair(), out = st::connected_unix_pair();
    sw::event_loop loop;
    relay::socket_stream from(in.server.get(), "in", false), to(out.server.get(), "out", false);
    relay::flow f(loop, from, to, 4096, [](const relay::flow_end&) {});
    // The peer of `out` reads nothing: once the socket buffers and the flow's 4 KiB are full,
    // the writer into `in` is held back.
    ASSERT_EQ(::fcntl(in.client.get(), F_SETFL, O_NONBLOCK), 0);
    const std::string block(4096, 'b');
    std::size_t written = 0;
    for (int round = 0; round < 2000; ++round) {
        const ssize_t n = ::send(in.client.get(), block.data(), block.size(), MSG_NOSIGNAL);
        if (n > 0) written += static_cast<std::size_t>(n);
        time_limit once;
        once.at = sw::steady_clock::now() + 1ms;
        loop.add(once);
        loop.run_until([&] { return once.reached; });
        loop.remove(once);
    }
    EXPECT_LT(written, 2000u * 4096u) << "the writer was never held back";
    EXPECT_TRUE(f.running());
}

TEST(relay_flow, hosts_a_transforming_source_without_knowing_it) {
    st::socket_pair in = st::connected_unix_pair(), out = st::connected_unix_pair();
    sw::event_loop loop;
    relay::socket_stream raw(in.server.get(), "in", false), to(out.server.get(), "out", false);
    upper_case transformed(raw);
    bool done = false;
    relay::flow f(loop, transformed, to, 64, [&](const relay::flow_end& e) {
        EXPECT_EQ(e.what, relay::flow_end::how::complete);
        done = true;
    });
    ASSERT_TRUE(st::write_all(in.client.get(), "hello, relay engine\n", 5s));
    ::shutdown(in.client.get(), SHUT_WR);
    run(loop, [&] { return done; });
    const auto got = st::read_until_eof(out.client.get(), 5s);
    EXPECT_TRUE(got.eof);
    EXPECT_EQ(got.data, "HELLO, RELAY ENGINE\n");
}

TEST(relay_flow, hosts_one_source_feeding_two_sinks_without_knowing_it) {
    st::socket_pair in = st::connected_unix_pair(), first = st::connected_unix_pair(),
                    second = st::connected_unix_pair();
    sw::event_loop loop;
    relay::socket_stream from(in.server.get(), "in", false);
    relay::socket_stream one(first.server.get(), "one", false),
        two(second.server.get(), "two", false);
    two_sinks both(one, two);
    bool done = false;
    relay::flow f(loop, from, both, 1024, [&](const relay::flow_end&) { done = true; });
    std::string data(300'000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i * 7);
    std::thread writer([&] {
        st::write_all(in.client.get(), data, 10s);
        ::shutdown(in.client.get(), SHUT_WR);
    });
    std::string got_one, got_two;
    std::thread reader_one([&] { got_one = st::read_until_eof(first.client.get(), 10s).data; });
    std::thread reader_two([&] { got_two = st::read_until_eof(second.client.get(), 10s).data; });
    run(loop, [&] { return done; });
    writer.join();
    reader_one.join();
    reader_two.join();
    EXPECT_EQ(got_one, data);
    EXPECT_EQ(got_two, data);
}

TEST(relay_flow, splices_between_a_pipe_and_an_exclusive_socket) {
    st::socket_pair net = st::connected_unix_pair();
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    redirect::unique_fd pipe_read(p[0]), pipe_write(p[1]);
    // A byte sink on the pipe's write end that offers it to splice().
    struct pipe_sink final : relay::byte_sink {
        int fd;
        explicit pipe_sink(int f) : fd(f) {}
        relay::transfer write(std::span<const char> from) override {
            return relay::transfer::from_write(::write(fd, from.data(), from.size()), fd);
        }
        relay::transfer finish() override { return relay::transfer::moved(0); }
        int splice_fd() const noexcept override { return fd; }
        std::string name() const override { return "pipe"; }
    } sink(pipe_write.get());
    sw::event_loop loop;
    relay::socket_stream from(net.server.get(), "net", true);
    bool done = false;
    relay::flow f(loop, from, sink, 4096, [&](const relay::flow_end& e) {
        EXPECT_EQ(e.what, relay::flow_end::how::complete);
        done = true;
    });
    EXPECT_TRUE(f.splicing());
    ASSERT_TRUE(st::write_all(net.client.get(), "through the kernel\n", 5s));
    ::shutdown(net.client.get(), SHUT_WR);
    run(loop, [&] { return done; });
    pipe_write.reset();
    EXPECT_EQ(st::read_until_eof(pipe_read.get(), 5s).data, "through the kernel\n");
}

TEST(relay_flow, a_reset_source_is_reported_with_its_errno) {
    auto listener = st::listen_tcp("127.0.0.1");
    auto peer = st::connect_tcp("127.0.0.1", listener.port);
    auto ours = st::accept_within(listener.fd.get(), 10s);
    ASSERT_TRUE(ours);
    st::socket_pair out = st::connected_unix_pair();
    sw::event_loop loop;
    relay::socket_stream from(ours.get(), "127.0.0.1", false), to(out.server.get(), "out", false);
    std::optional<relay::flow_end> end;
    relay::flow f(loop, from, to, 4096, [&](const relay::flow_end& e) { end = e; });
    st::close_with_reset(std::move(peer));
    run(loop, [&] { return end.has_value(); });
    EXPECT_EQ(end->what, relay::flow_end::how::source_failed);
    EXPECT_EQ(end->error, ECONNRESET);
}
