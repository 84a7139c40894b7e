/// bench_sink: reads one stream to its end and reports how many bytes came and how fast.
///
///   bench_sink [--listen EP --port-file FILE | --input PATH] [--copy-to FILE]
///              [--report FILE] [--max-seconds S]
///
/// Without --listen or --input (a FIFO, say) it reads its standard input (the socket itself when a
/// wrapper binds it there). The clock runs from the first byte to end-of-file, so a wrapper's
/// start-up does not count in its throughput. --copy-to also writes every byte to FILE (to check
/// the stream's sha256 afterwards); --report appends "BYTES SECONDS" to FILE. The whole run is
/// bounded by an alarm (default 300 s).

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr std::string_view program = "bench_sink";

struct totals {
    std::uint64_t bytes = 0;
    double seconds = 0;
};

totals drain(int fd, int copy) {
    std::vector<char> buffer(256 * 1024);
    totals result;
    bench::clock::time_point first{};
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            bench::fail(program, std::string("read: ") + std::strerror(errno));
        }
        if (n == 0) break;
        if (result.bytes == 0) first = bench::clock::now();
        result.bytes += static_cast<std::uint64_t>(n);
        if (copy >= 0 && !bench::write_all(copy, buffer.data(), static_cast<std::size_t>(n)))
            bench::fail(program, std::string("cannot write the copy: ") + std::strerror(errno));
    }
    if (result.bytes > 0) result.seconds = bench::seconds_since(first);
    return result;
}

void report(const std::string& path, const totals& result) {
    std::FILE* out = path.empty() ? stderr : std::fopen(path.c_str(), "a");
    if (out == nullptr) bench::fail(program, "cannot open " + path);
    std::fprintf(out, "%llu %.6f\n", static_cast<unsigned long long>(result.bytes), result.seconds);
    if (out != stderr && std::fclose(out) != 0) bench::fail(program, "cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 6> valued{"listen", "port-file", "input",
                                                     "report", "copy-to",   "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    ::alarm(static_cast<unsigned>(opts.number("max-seconds", 300)));
    redirect::unique_fd copy;
    if (std::string path = opts.text("copy-to"); !path.empty()) {
        copy.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!copy) bench::fail(program, "cannot create " + path + ": " + std::strerror(errno));
    }

    totals result;
    if (std::string where = opts.text("listen"); !where.empty()) {
        auto server = bench::listen_on(where, opts.text("port-file"));
        redirect::unique_fd connection = server.accept();
        server.close();
        result = drain(connection.get(), copy.get());
    } else if (std::string path = opts.text("input"); !path.empty()) {
        redirect::unique_fd input(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!input) bench::fail(program, "cannot open " + path + ": " + std::strerror(errno));
        result = drain(input.get(), copy.get());
    } else {
        result = drain(STDIN_FILENO, copy.get());
    }
    report(opts.text("report"), result);
    return 0;
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
