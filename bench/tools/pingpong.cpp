/// bench_pingpong: measures round trips of short lines through an echoing peer (a wrapper
/// running `cat`), checking every reply byte for byte.
///
///   bench_pingpong (--listen EP [--port-file FILE] | --connect EP [--wait-ms MS])
///                  [--rounds N] [--size BYTES] [--warmup N] [--report FILE]
///                  [--max-seconds S]
///
/// Each line is SIZE bytes ending in '\n' and carries its round number, so a stale or
/// reordered reply is caught. Appends "MEDIAN_US MIN_US MAX_US" to the report (stderr by
/// default). Afterwards it shuts down its sending side and waits briefly for the peer's
/// end-of-file, so the wrapper can finish on its own.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr std::string_view program = "bench_pingpong";

std::string make_line(std::uint64_t round, std::size_t size) {
    std::string line(size, '.');
    std::string number = std::to_string(round);
    line.replace(0, std::min(number.size(), size - 1), number, 0, size - 1);
    line.back() = '\n';
    return line;
}

void read_exactly(int fd, char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) bench::fail(program, std::string("read: ") + std::strerror(errno));
        if (n == 0) bench::fail(program, "the peer closed the connection mid-dialog");
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

/// One round trip: send the line, read the same number of bytes back, compare.
double round_trip_us(int fd, const std::string& line, std::vector<char>& reply) {
    auto start = bench::clock::now();
    if (!bench::write_all(fd, line.data(), line.size()))
        bench::fail(program, std::string("write: ") + std::strerror(errno));
    read_exactly(fd, reply.data(), line.size());
    double us = bench::seconds_since(start) * 1e6;
    if (std::memcmp(reply.data(), line.data(), line.size()) != 0)
        bench::fail(program, "a reply differs from the line sent");
    return us;
}

void finish(int fd) {
    ::shutdown(fd, SHUT_WR);
    std::array<char, 4096> rest{};
    while (bench::wait_readable(fd, std::chrono::seconds(2))) {
        ssize_t n = ::read(fd, rest.data(), rest.size());
        if (n > 0) bench::fail(program, "the peer sent bytes nobody asked for");
        if (n == 0 || errno != EINTR) break;
    }
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 9> valued{"listen",  "port-file", "connect",
                                                     "wait-ms", "rounds",    "size",
                                                     "warmup",  "report",    "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    ::alarm(static_cast<unsigned>(opts.number("max-seconds", 120)));
    std::uint64_t rounds = opts.number("rounds", 20000);
    std::uint64_t warmup = opts.number("warmup", 200);
    std::size_t size = opts.number("size", 32);
    if (size < 2 || rounds == 0) bench::fail(program, "--size must be >= 2, --rounds >= 1");

    redirect::unique_fd connection;
    if (std::string where = opts.text("listen"); !where.empty()) {
        connection = bench::listen_on(where, opts.text("port-file")).accept();
    } else if (std::string peer = opts.text("connect"); !peer.empty()) {
        connection =
            bench::connect_with_wait(peer, std::chrono::milliseconds(opts.number("wait-ms", 5000)));
    } else {
        bench::fail(program, "--listen or --connect is required");
    }
    int one = 1;
    ::setsockopt(connection.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    std::vector<char> reply(size);
    std::vector<double> samples;
    samples.reserve(rounds);
    for (std::uint64_t i = 0; i < warmup + rounds; ++i) {
        double us = round_trip_us(connection.get(), make_line(i, size), reply);
        if (i >= warmup) samples.push_back(us);
    }
    finish(connection.get());

    double middle = bench::median(samples);  // sorts
    std::string path = opts.text("report");
    std::FILE* out = path.empty() ? stderr : std::fopen(path.c_str(), "a");
    if (out == nullptr) bench::fail(program, "cannot open " + path);
    std::fprintf(out, "%.2f %.2f %.2f\n", middle, samples.front(), samples.back());
    if (out != stderr) std::fclose(out);
    return 0;
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
