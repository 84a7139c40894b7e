/// bench_connect: drives a fork-per-connection server. Opens COUNT connections, WORKERS at a
/// time, reads each reply to end-of-file and checks it is exactly the expected line.
///
///   bench_connect --connect EP --count N [--workers W] [--expect-line TEXT]
///                 [--wait-ms MS] [--report FILE] [--max-seconds S]
///
/// Appends "CONNECTIONS_PER_SECOND FAILURES" to the report (stderr by default). The first
/// connection may wait for the server to come up (--wait-ms); that wait is not timed.

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr std::string_view program = "bench_connect";

/// One connection: connect, read to end-of-file (each read bounded), compare.
bool one_connection(const std::string& where, const std::string& expected) {
    try {
        redirect::unique_fd fd = bench::connect_with_wait(where, std::chrono::milliseconds(0));
        std::string reply;
        std::array<char, 512> buffer{};
        while (reply.size() <= expected.size()) {
            if (!bench::wait_readable(fd.get(), std::chrono::seconds(5))) return false;
            ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            reply.append(buffer.data(), static_cast<std::size_t>(n));
        }
        return reply == expected;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 7> valued{
        "connect", "count", "workers", "expect-line", "wait-ms", "report", "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    ::alarm(static_cast<unsigned>(opts.number("max-seconds", 300)));
    std::string where = opts.text("connect");
    if (where.empty()) bench::fail(program, "--connect is required");
    std::uint64_t count = opts.number("count", 1000);
    std::uint64_t workers = std::max<std::uint64_t>(1, opts.number("workers", 1));
    std::string expected = opts.text("expect-line", "hi") + "\n";

    // Waits for the server to listen; this probe connection is not counted.
    bench::connect_with_wait(where, std::chrono::milliseconds(opts.number("wait-ms", 5000)));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // lets that child finish

    std::atomic<std::uint64_t> next{0};
    std::atomic<std::uint64_t> failures{0};
    auto start = bench::clock::now();
    {
        std::vector<std::jthread> pool;
        for (std::uint64_t w = 0; w < workers; ++w)
            pool.emplace_back([&] {
                while (next.fetch_add(1) < count)
                    if (!one_connection(where, expected)) failures.fetch_add(1);
            });
    }
    double rate = static_cast<double>(count) / bench::seconds_since(start);

    std::string path = opts.text("report");
    std::FILE* out = path.empty() ? stderr : std::fopen(path.c_str(), "a");
    if (out == nullptr) bench::fail(program, "cannot open " + path);
    std::fprintf(out, "%.1f %llu\n", rate, static_cast<unsigned long long>(failures.load()));
    if (out != stderr) std::fclose(out);
    return 0;
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
