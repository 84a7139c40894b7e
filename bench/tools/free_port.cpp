/// bench_free_port: prints a TCP port on 127.0.0.1 that is free right now, for the tools
/// that cannot listen on port 0 and report the port they got (socat, ncat, tcpserver).
/// It picks below the kernel's ephemeral range (32768 and up on Linux), so the many client
/// connections of a benchmark never take the port between this probe and the tool's bind.

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <random>

#include "bench_common.hpp"

int main() {
    constexpr unsigned first = 20000;
    constexpr unsigned span = 12000;
    unsigned offset = std::random_device{}() % span;
    for (unsigned tried = 0; tried < span; ++tried) {
        unsigned port = first + (offset + tried) % span;
        try {
            bench::listen_on("127.0.0.1:" + std::to_string(port), "");
            std::printf("%u\n", port);
            return 0;
        } catch (const std::exception&) {
            // taken: try the next one
        }
    }
    bench::fail("bench_free_port", "no free port between 20000 and 32000");
}
