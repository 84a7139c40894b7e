// iostreams_gzip [LINES]: Boost.Iostreams filters on a socket. A child process sends LINES
// lines (default 10000) through a gzip compressor into a socket; this process reads them
// back through a gzip decompressor and prints what it got, and how few bytes crossed the wire.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <system_error>

#include "gzip_socket.hpp"
#include "redirect/socket.hpp"

namespace {

constexpr std::size_t head_lines = 3;

/// If the writer dies before it connects, the reader would wait in accept() forever: both
/// processes end by SIGALRM instead.
constexpr unsigned watchdog_seconds = 20;

[[noreturn]] void run_writer_child(const redirect::listener& listener, std::size_t lines) {
    ::alarm(watchdog_seconds);
    int status = 0;
    try {
        gzip_example::send_compressed(
            redirect::connect_to(redirect::parse_endpoint(":" + std::to_string(listener.port()))),
            lines);
    } catch (const std::exception& e) {
        std::cerr << "iostreams_gzip: " << e.what() << '\n';
        status = 1;
    }
    ::_exit(status);  // the exit handlers belong to the parent
}

bool writer_succeeded(pid_t child) {
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void print(const gzip_example::received& r) {
    for (const auto& line : r.head)
        std::cout << line << '\n';
    if (r.lines > r.head.size() + 1) {
        std::size_t skipped = r.lines - r.head.size() - 1;
        std::cout << "[" << skipped << (skipped == 1 ? " more line]\n" : " more lines]\n");
    }
    if (r.lines > r.head.size()) std::cout << r.last << '\n';
    std::cout << "received " << r.lines << " lines, " << r.bytes << " bytes, from " << r.wire_bytes
              << " gzip bytes on the socket\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t lines = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
    if (argc > 2 || lines == 0) {
        std::cerr << "usage: iostreams_gzip [LINES]\n";
        return 2;
    }
    ::alarm(watchdog_seconds);  // fork() does not pass a pending alarm on: the child sets its own
    try {
        redirect::listener listener(redirect::parse_endpoint(":0"));
        std::cout.flush();
        pid_t child = ::fork();
        if (child < 0) throw std::system_error(errno, std::generic_category(), "fork");
        if (child == 0) run_writer_child(listener, lines);
        gzip_example::received r = gzip_example::receive_compressed(listener.accept(), head_lines);
        print(r);
        if (!writer_succeeded(child)) return 1;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "iostreams_gzip: " << e.what() << '\n';
        return 1;
    }
}
