#pragma once
// Helpers shared by the libredirect tests: connected socket pairs over real sockets, bounded
// waits on a peer, forked children with a deadline, and a SHA-256 for data checks.

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

namespace test {

/// The two ends of one loopback TCP connection.
struct socket_pair {
    redirect::unique_fd client;
    redirect::unique_fd server;
};

/// Connects a fresh pair over 127.0.0.1 (a listener on port 0, closed afterwards).
socket_pair tcp_pair();

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

/// Writes all of `data` (test side; throws on failure).
void write_all(int fd, std::string_view data);

/// A directory removed with its contents at destruction.
class temp_dir {
  public:
    temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir();
    std::string path(std::string_view name) const { return path_ + "/" + std::string(name); }

  private:
    std::string path_;
};

/// Runs `body` in a forked child and returns its exit status (the value `body` returns, or
/// what it passes to exit()); -1 if it died of a signal or overran `seconds` (it is then
/// killed by its PID). `parent` runs in the parent meanwhile (it plays the peer).
int run_in_child(const std::function<int()>& body, const std::function<void()>& parent = {},
                 int seconds = 30);

/// Runs a program (no PATH search) with this process's descriptors and waits for it;
/// returns its exit status, or -1 if it could not start or died of a signal.
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
