#pragma once
// Helpers of the libredirect tests on top of the shared test support (sockwrap_test): socket
// pairs whose blocking I/O is bounded, reads that stop when the peer goes quiet, forked
// children with a deadline, what this process's descriptors are.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "redirect/fd.hpp"
#include "redirect/socket.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/temp_dir.hpp"

namespace st = sockwrap_test;
using namespace std::chrono_literals;

namespace test {

using sockwrap_test::socket_pair;
using sockwrap_test::temp_dir;

/// A loopback TCP connection (sockwrap_test::connected_tcp_pair) with bound_io() on both
/// ends: the library's blocking reads and writes on it cannot hang a test.
socket_pair bounded_tcp_pair();

/// A listener on a free loopback port, the endpoint text that reaches it, and accept() with
/// bound_io() on the connection it returns.
struct peer_listener {
    redirect::listener l{redirect::parse_endpoint(":0")};
    std::string ep = ":" + std::to_string(l.port());
    redirect::unique_fd accept();
};

/// Bounds every blocking send and receive on `fd` (SO_SNDTIMEO / SO_RCVTIMEO), so that no
/// test can hang on a peer that never answers.
void bound_io(int fd, int seconds = 20);

/// Whether `fd` has bytes (or end of stream) within `ms` milliseconds.
bool readable_within(int fd, int ms);

/// Reads what arrives until `count` bytes are in, the peer closes, or nothing arrives for
/// `idle_ms` milliseconds. Never blocks longer than that.
std::string read_some(int fd, std::size_t count, int idle_ms = 5000);

/// Reads until the peer closes (or nothing arrives for `idle_ms`).
std::string read_to_end(int fd, int idle_ms = 5000);

/// Runs `body` in a forked child and returns its exit status (the value `body` returns, or
/// what it passes to exit()); -1 if it died of a signal or overran `seconds` (it is then
/// killed by its PID). `parent` runs in the parent meanwhile (it plays the peer).
int run_in_child(const std::function<int()>& body, const std::function<void()>& parent = {},
                 int seconds = 30);

/// Runs a program with this process's standard streams and waits for it (up to 30 s); returns
/// its exit status, or -1 if it could not start, died of a signal or overran.
int spawn_and_wait(const std::vector<std::string>& argv);

/// The open descriptors above 2 of this process that are not close-on-exec. Compare before
/// and after: the process may have inherited some from whoever started it.
std::set<int> inheritable_fds();

/// Identity of what descriptor `fd` refers to ({device, inode}), or {-1, -1} if closed.
std::array<long long, 2> fd_identity(int fd);

/// Deterministic pseudo-random bytes (xorshift64*), to fill large test payloads.
class byte_source {
  public:
    explicit byte_source(std::uint64_t seed) : state_(seed | 1) {}
    void fill(char* out, std::size_t size);

  private:
    std::uint64_t state_;
};

}  // namespace test
