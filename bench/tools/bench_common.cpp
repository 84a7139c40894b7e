#include "bench_common.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "redirect/endpoint.hpp"

namespace bench {

double seconds_since(clock::time_point start) {
    return std::chrono::duration<double>(clock::now() - start).count();
}

void fail(std::string_view program, std::string_view message) {
    std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(program.size()), program.data(),
                 static_cast<int>(message.size()), message.data());
    std::exit(2);
}

namespace {
bool contains(std::span<const std::string_view> names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

options::options(std::string_view program, int argc, char** argv,
                 std::span<const std::string_view> valued, std::span<const std::string_view> flags)
    : program_(program) {
    int i = 1;
    for (; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (!arg.starts_with("--")) break;
        std::string_view name = arg.substr(2);
        if (contains(flags, name)) {
            flags_.emplace_back(name);
        } else if (contains(valued, name)) {
            if (i + 1 >= argc) fail(program_, "option " + std::string(arg) + " needs a value");
            values_.emplace_back(name, argv[++i]);
        } else {
            fail(program_, "unknown option " + std::string(arg));
        }
    }
    for (; i < argc; ++i)
        rest_.emplace_back(argv[i]);
}

std::string options::text(std::string_view name, std::string_view fallback) const {
    for (const auto& [key, value] : values_)
        if (key == name) return value;
    return std::string(fallback);
}

std::uint64_t options::number(std::string_view name, std::uint64_t fallback) const {
    std::string value = text(name);
    if (value.empty()) return fallback;
    std::uint64_t result = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
    if (ec != std::errc{} || end != value.data() + value.size())
        fail(program_, "--" + std::string(name) + " needs a number, not '" + value + "'");
    return result;
}

bool options::flag(std::string_view name) const {
    return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

void write_port_file(const std::string& path, std::uint16_t port) {
    std::string aside = path + ".tmp";
    {
        std::ofstream out(aside, std::ios::trunc);
        out << port << '\n';
        if (!out.flush()) throw std::runtime_error("cannot write " + aside);
    }
    if (std::rename(aside.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot rename " + aside + " to " + path);
}

redirect::listener listen_on(const std::string& endpoint_text, const std::string& port_file) {
    redirect::listener server(redirect::parse_endpoint(endpoint_text), 1024);
    if (!port_file.empty()) write_port_file(port_file, server.port());
    return server;
}

redirect::unique_fd connect_with_wait(const std::string& endpoint_text,
                                      std::chrono::milliseconds wait) {
    redirect::connect_options how;
    how.wait = wait;
    return redirect::connect_to(redirect::parse_endpoint(endpoint_text), how);
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
    pollfd entry{fd, POLLIN, 0};
    for (;;) {
        int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
        if (ready >= 0) return ready > 0;
        if (errno != EINTR) return false;
    }
}

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

double median(std::vector<double>& samples) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    std::size_t middle = samples.size() / 2;
    if (samples.size() % 2 == 1) return samples[middle];
    return (samples[middle - 1] + samples[middle]) / 2;
}

}  // namespace bench
