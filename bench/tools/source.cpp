/// bench_source: sends a file into a socket with sendfile(), the fastest way the kernel
/// offers to fill a loopback connection (the raw limit the wrappers are compared with).
///
///   bench_source (--listen EP [--port-file FILE] | --connect EP [--wait-ms MS])
///                --file PATH [--max-seconds S]
///
/// It sends the whole file, then closes the connection (the peer sees end-of-file).

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>

#include "bench_common.hpp"

namespace {

constexpr std::string_view program = "bench_source";

void send_file(int socket, const std::string& path) {
    redirect::unique_fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) bench::fail(program, "cannot open " + path + ": " + std::strerror(errno));
    struct stat info {};
    if (::fstat(file.get(), &info) != 0) bench::fail(program, "cannot stat " + path);
    off_t offset = 0;
    while (offset < info.st_size) {
        ssize_t n = ::sendfile(socket, file.get(), &offset,
                               static_cast<std::size_t>(info.st_size - offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) bench::fail(program, std::string("sendfile: ") + std::strerror(errno));
    }
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 6> valued{"listen",  "port-file", "connect",
                                                     "wait-ms", "file",      "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    ::alarm(static_cast<unsigned>(opts.number("max-seconds", 300)));
    std::string path = opts.text("file");
    if (path.empty()) bench::fail(program, "--file is required");

    redirect::unique_fd connection;
    if (std::string where = opts.text("listen"); !where.empty()) {
        auto server = bench::listen_on(where, opts.text("port-file"));
        connection = server.accept();
    } else if (std::string peer = opts.text("connect"); !peer.empty()) {
        connection =
            bench::connect_with_wait(peer, std::chrono::milliseconds(opts.number("wait-ms", 5000)));
    } else {
        bench::fail(program, "--listen or --connect is required");
    }
    send_file(connection.get(), path);
    return 0;
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
