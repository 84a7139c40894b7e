// bench_library: how fast short `<<` lines reach a loopback socket through a redirected
// std::cout, compared with a bare hand-written streambuf, a Boost.Iostreams stream_buffer and
// Asio's tcp::iostream. Contenders run interleaved, round after round, so that a change in
// machine load hits them all alike; each figure is the median of its rounds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "contenders.hpp"
#include "drain.hpp"

namespace {

struct settings {
    std::size_t lines = 10'000'000;
    int rounds = 5;
};

struct result {
    double seconds = 0;  // median over the rounds
};

[[noreturn]] void usage() {
    std::cerr << "usage: bench_library [--quick] [--lines N] [--rounds R]\n"
                 "  --quick   100000 lines, 1 round: a smoke run, its figures mean nothing\n";
    std::exit(2);
}

settings parse(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--quick") {
            s.lines = 100'000;
            s.rounds = 1;
        } else if ((arg == "--lines" || arg == "--rounds") && i + 1 < argc) {
            long value = std::strtol(argv[++i], nullptr, 10);
            if (value <= 0) usage();
            if (arg == "--lines")
                s.lines = static_cast<std::size_t>(value);
            else
                s.rounds = static_cast<int>(value);
        } else {
            usage();
        }
    }
    return s;
}

// One timed run: from the connect to the reader's end of stream, so that bytes still in a
// buffer or in the kernel count against the writer.
double time_one(const bench::contender& c, std::size_t lines, std::uint64_t expected) {
    bench::drain reader;
    auto start = std::chrono::steady_clock::now();
    c.run(reader.port(), lines);
    std::uint64_t got = reader.total();
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (got != expected) {
        throw std::runtime_error(std::string(c.name) + ": " + std::to_string(got) + " of " +
                                 std::to_string(expected) + " bytes arrived");
    }
    return elapsed.count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::size_t mid = v.size() / 2;
    return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

std::string first_line_of(const char* path, std::string_view prefix = {}) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) return line;
    return "?";
}

void print_table(const settings& s, const std::vector<result>& results) {
    auto all = bench::contenders();
    double bytes = static_cast<double>(bench::bytes_of_lines(s.lines));
    double base = results[0].seconds;
    std::printf("| writer | MB/s | M lines/s | × bare |\n|---|---:|---:|---:|\n");
    for (std::size_t i = 0; i < all.size(); ++i) {
        double t = results[i].seconds;
        std::printf("| %.*s | %.0f | %.2f | %.2f |\n", static_cast<int>(all[i].name.size()),
                    all[i].name.data(), bytes / t / 1e6, static_cast<double>(s.lines) / t / 1e6,
                    base / t);
    }
    std::printf("\n%zu lines (%.0f bytes) per run, median of %d rounds\n", s.lines, bytes,
                s.rounds);
}

}  // namespace

int main(int argc, char** argv) {
    settings s = parse(argc, argv);
    auto all = bench::contenders();
    std::uint64_t expected = bench::bytes_of_lines(s.lines);
    std::printf("machine: %s; load before: %s\n",
                first_line_of("/proc/cpuinfo", "model name").c_str(),
                first_line_of("/proc/loadavg").c_str());
    std::vector<std::vector<double>> times(all.size());
    try {
        for (int round = 0; round < s.rounds; ++round) {
            // Each round starts with a different contender: none always runs first or last.
            for (std::size_t k = 0; k < all.size(); ++k) {
                std::size_t i = (k + static_cast<std::size_t>(round)) % all.size();
                times[i].push_back(time_one(all[i], s.lines, expected));
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_library: %s\n", e.what());
        return 1;
    }
    std::vector<result> results;
    for (auto& t : times)
        results.push_back({median(t)});
    print_table(s, results);
    std::printf("load after: %s\n", first_line_of("/proc/loadavg").c_str());
    return 0;
}
