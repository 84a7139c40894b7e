// Many clients over a long run: every reply right, and nothing accumulates in the server.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "keep_open_fixture.hpp"
#include "sockwrap_test/net.hpp"

namespace {

using namespace keep_open_test;

constexpr long rss_bound_kib = 2 * 1024;

// AddressSanitizer keeps freed memory in quarantine (256 MiB by default), which would hide the
// server's real memory use; with none, RSS measures the same thing in both builds.
std::vector<std::string> server_env() {
    const char* asan = std::getenv("ASAN_OPTIONS");
    std::string options = asan != nullptr ? std::string(asan) + ":" : "";
    return {"ASAN_OPTIONS=" + options + "quarantine_size_mb=0"};
}

// Waits (bounded) until the server holds no more descriptors than `expected`: the last
// connections may still be in their lingering close.
std::size_t settled_fd_count(const server& s, std::size_t expected) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    std::size_t count = fd_count(s.pid());
    while (count > expected && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
        count = fd_count(s.pid());
    }
    return count;
}

TEST(keep_open_stress, ten_thousand_sequential_and_sixteen_concurrent_clients) {
    server s({}, ":0", {"/bin/echo", "hi"}, {}, server_env());
    // Warm up, so allocator pools and lazily loaded libraries are in place before measuring.
    for (int i = 0; i < 200; ++i)
        ASSERT_EQ(exchange("127.0.0.1", s.port()), "hi\n");
    ASSERT_TRUE(s.wait_for_children(0, 10s));
    const std::size_t fds_before = settled_fd_count(s, 0);
    const long rss_before = rss_kib(s.pid());

    int wrong = 0;
    for (int i = 0; i < 10000; ++i)
        if (exchange("127.0.0.1", s.port()) != "hi\n") ++wrong;
    EXPECT_EQ(wrong, 0);

    constexpr int workers = 16;
    constexpr int per_worker = 100;
    std::atomic<int> concurrent_wrong{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&] {
            for (int i = 0; i < per_worker; ++i)
                if (exchange("127.0.0.1", s.port()) != "hi\n") ++concurrent_wrong;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(concurrent_wrong.load(), 0);

    EXPECT_TRUE(s.wait_for_children(0, 10s)) << "zombies or stragglers remain";
    EXPECT_EQ(settled_fd_count(s, fds_before), fds_before);
    EXPECT_LE(rss_kib(s.pid()) - rss_before, rss_bound_kib);
    EXPECT_EQ(s.stop(), 0);
}

}  // namespace
