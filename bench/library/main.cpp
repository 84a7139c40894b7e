// bench_library: how fast short `<<` lines reach a loopback socket through a redirected
// std::cout, compared with a bare hand-written streambuf, a Boost.Iostreams stream_buffer and
// Asio's tcp::iostream. Contenders run interleaved, round after round, so that a change in
// machine load hits them all alike; each figure is the median of its rounds.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "contenders.hpp"
#include "drain.hpp"

namespace {

struct settings {
    std::size_t lines = 10'000'000;
    int rounds = 3;
    std::vector<bench::contender> chosen;  // in table order; the baseline first if chosen
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: bench_library [--quick] [--lines N] [--rounds R] [--only ID]...\n"
                 "  --quick    100000 lines, 1 round: a smoke run, its figures mean nothing\n"
                 "  --only ID  run only this contender (repeatable):");
    for (const auto& c : bench::contenders())
        std::fprintf(stderr, " %.*s", static_cast<int>(c.id.size()), c.id.data());
    std::fprintf(stderr, "\n");
    std::exit(2);
}

long positive(const char* text) {
    char* end = nullptr;
    long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value <= 0) usage();
    return value;
}

settings parse(int argc, char** argv) {
    settings s;
    std::vector<std::string_view> only;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        bool has_value = i + 1 < argc;
        if (arg == "--quick") {
            s.lines = 100'000;
            s.rounds = 1;
        } else if (arg == "--lines" && has_value) {
            s.lines = static_cast<std::size_t>(positive(argv[++i]));
        } else if (arg == "--rounds" && has_value) {
            s.rounds = static_cast<int>(positive(argv[++i]));
        } else if (arg == "--only" && has_value) {
            only.push_back(argv[++i]);
        } else {
            usage();
        }
    }
    for (const auto& c : bench::contenders())
        if (only.empty() || std::ranges::find(only, c.id) != only.end()) s.chosen.push_back(c);
    if (s.chosen.size() < (only.empty() ? 1 : only.size())) usage();
    return s;
}

struct timing {
    double wall = 0;  // seconds from the connect to the reader's end of stream
    double cpu = 0;   // seconds of CPU the writing thread used (user and system)
};

double thread_cpu_seconds() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// One timed run. Wall time runs to the reader's end of stream, so that bytes still in a
// buffer or in the kernel count against the writer. The writer's CPU time says what the
// writing costs even when a loaded machine stretches the wall time.
timing time_one(const bench::contender& c, std::size_t lines, std::uint64_t expected) {
    bench::drain reader;
    auto start = std::chrono::steady_clock::now();
    double cpu_start = thread_cpu_seconds();
    c.run(reader.port(), lines);
    double cpu = thread_cpu_seconds() - cpu_start;
    std::uint64_t got = reader.total();
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (got != expected) {
        throw std::runtime_error(std::string(c.name) + ": " + std::to_string(got) + " of " +
                                 std::to_string(expected) + " bytes arrived");
    }
    return {elapsed.count(), cpu};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::size_t mid = v.size() / 2;
    return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// The first line of `path` that starts with `key`, without the key and the separator that
// follows it (for /proc/cpuinfo's "model name\t: ...").
std::string first_line_of(const char* path, std::string_view key = {}) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with(key)) continue;
        std::size_t value = key.empty() ? 0 : line.find_first_not_of("\t :", key.size());
        return value == std::string::npos ? std::string() : line.substr(value);
    }
    return "?";
}

// "0.97", or "0.012" for ratios too small for two decimals to tell apart.
std::string ratio(double value) {
    char text[32];
    std::snprintf(text, sizeof text, value < 0.1 ? "%.3f" : "%.2f", value);
    return text;
}

void print_table(const settings& s, const std::vector<timing>& medians) {
    const bool have_base = s.chosen[0].id == bench::contenders()[0].id;
    const double bytes = static_cast<double>(bench::bytes_of_lines(s.lines));
    const double lines = static_cast<double>(s.lines);
    std::printf(
        "| writer | MB/s | M lines/s | × bare | writer CPU ns/line | × bare CPU |\n"
        "|---|---:|---:|---:|---:|---:|\n");
    for (std::size_t i = 0; i < s.chosen.size(); ++i) {
        const timing& t = medians[i];
        std::printf("| %.*s | %.0f | %.2f | %s | %.0f | %s |\n",
                    static_cast<int>(s.chosen[i].name.size()), s.chosen[i].name.data(),
                    bytes / t.wall / 1e6, lines / t.wall / 1e6,
                    have_base ? ratio(medians[0].wall / t.wall).c_str() : "—", t.cpu / lines * 1e9,
                    have_base ? ratio(medians[0].cpu / t.cpu).c_str() : "—");
    }
    std::printf("\n%zu lines (%.0f bytes) per run, median of %d rounds\n", s.lines, bytes,
                s.rounds);
}

}  // namespace

int main(int argc, char** argv) {
    settings s = parse(argc, argv);
    const std::size_t n = s.chosen.size();
    std::uint64_t expected = bench::bytes_of_lines(s.lines);
    std::printf("machine: %s; load before: %s\n",
                first_line_of("/proc/cpuinfo", "model name").c_str(),
                first_line_of("/proc/loadavg").c_str());
    std::vector<std::vector<timing>> times(n);
    try {
        for (int round = 0; round < s.rounds; ++round) {
            // Each round starts with a different contender: none always runs first or last.
            for (std::size_t k = 0; k < n; ++k) {
                std::size_t i = (k + static_cast<std::size_t>(round)) % n;
                times[i].push_back(time_one(s.chosen[i], s.lines, expected));
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_library: %s\n", e.what());
        return 1;
    }
    std::vector<timing> medians;
    for (const auto& runs : times) {
        std::vector<double> wall, cpu;
        for (const timing& t : runs) {
            wall.push_back(t.wall);
            cpu.push_back(t.cpu);
        }
        medians.push_back({median(wall), median(cpu)});
    }
    print_table(s, medians);
    std::printf("load after: %s\n", first_line_of("/proc/loadavg").c_str());
    return 0;
}
