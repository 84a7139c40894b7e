// sockwrap's event loop on its own: readiness, deadlines, and sources that come and go in the
// middle of a round.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>
#include <vector>

#include "core/event_loop.hpp"
#include "redirect/fd.hpp"

namespace sw = sockwrap;
using namespace std::chrono_literals;

namespace {

// A source waiting for one descriptor to be readable and/or for a time, with a hook.
struct probe final : sw::event_source {
    int fd = -1;
    sw::steady_clock::time_point at = sw::steady_clock::time_point::max();
    int ready_calls = 0;
    int time_calls = 0;
    std::function<void()> on_call;

    void add_pollfds(std::vector<pollfd>& fds) override {
        if (fd >= 0) fds.push_back({fd, POLLIN, 0});
    }
    void on_ready(std::span<const pollfd> ready) override {
        EXPECT_EQ(ready.size(), 1u);
        ++ready_calls;
        if (on_call) on_call();
    }
    sw::steady_clock::time_point deadline() const override { return at; }
    void on_time(sw::steady_clock::time_point) override {
        ++time_calls;
        at = sw::steady_clock::time_point::max();
        if (on_call) on_call();
    }
};

struct pipe_pair {
    redirect::unique_fd read, write;
    pipe_pair() {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0) ADD_FAILURE();
        read.reset(p[0]);
        write.reset(p[1]);
    }
};

}  // namespace

TEST(event_loop, calls_only_the_source_whose_descriptor_is_ready) {
    pipe_pair a, b;
    sw::event_loop loop;
    probe pa, pb;
    pa.fd = a.read.get();
    pb.fd = b.read.get();
    pb.at = sw::steady_clock::now() + 10s;  // bounds the round should nothing be ready
    loop.add(pa);
    loop.add(pb);
    ASSERT_EQ(::write(a.write.get(), "x", 1), 1);
    loop.run_once();
    EXPECT_EQ(pa.ready_calls, 1);
    EXPECT_EQ(pb.ready_calls, 0);
    EXPECT_EQ(pb.time_calls, 0);
    loop.remove(pa);
    loop.remove(pb);
}

TEST(event_loop, wakes_at_the_earliest_deadline_and_not_before) {
    sw::event_loop loop;
    probe early, late;
    const auto start = sw::steady_clock::now();
    early.at = start + 30ms;
    late.at = start + 10s;
    loop.add(early);
    loop.add(late);
    loop.run_until([&] { return early.time_calls > 0; });
    EXPECT_GE(sw::steady_clock::now() - start, 30ms);
    EXPECT_EQ(late.time_calls, 0);
    loop.remove(early);
    loop.remove(late);
}

TEST(event_loop, a_source_removed_during_a_round_is_not_called) {
    pipe_pair a, b;
    sw::event_loop loop;
    probe first, second;
    first.fd = a.read.get();
    second.fd = b.read.get();
    first.on_call = [&] { loop.remove(second); };
    loop.add(first);
    loop.add(second);
    ASSERT_EQ(::write(a.write.get(), "x", 1), 1);
    ASSERT_EQ(::write(b.write.get(), "x", 1), 1);  // ready too, but gone before its turn
    loop.run_once();
    EXPECT_EQ(first.ready_calls, 1);
    EXPECT_EQ(second.ready_calls, 0);
    loop.remove(first);
}

TEST(event_loop, a_source_added_during_a_round_takes_part_from_the_next) {
    pipe_pair a, b;
    sw::event_loop loop;
    probe first, second;
    first.fd = a.read.get();
    second.fd = b.read.get();
    first.on_call = [&] { loop.add(second); };
    loop.add(first);
    ASSERT_EQ(::write(a.write.get(), "x", 1), 1);
    ASSERT_EQ(::write(b.write.get(), "x", 1), 1);
    loop.run_once();
    EXPECT_EQ(second.ready_calls, 0);
    first.on_call = nullptr;
    first.fd = -1;
    loop.run_once();
    EXPECT_EQ(second.ready_calls, 1);
    loop.remove(first);
    loop.remove(second);
}

TEST(event_loop, refuses_a_round_that_could_never_end) {
    sw::event_loop loop;
    probe idle;
    loop.add(idle);
    EXPECT_THROW(loop.run_once(), std::logic_error);
    loop.remove(idle);
}
