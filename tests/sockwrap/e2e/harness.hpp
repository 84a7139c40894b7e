#pragma once
/// \file
/// Starting the built sockwrap binary from tests.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sockwrap_test/io.hpp"
#include "sockwrap_test/process.hpp"
#include "sockwrap_test/stream_pattern.hpp"
#include "sockwrap_test/temp_dir.hpp"

namespace sockwrap_e2e {

namespace st = sockwrap_test;
using namespace std::chrono_literals;

/// Generous bound for anything that should take milliseconds (sanitizer builds on a loaded
/// machine are slow); a test that hits it has hung.
inline constexpr auto patience = std::chrono::seconds(30);

/// The sockwrap binary under test.
std::string binary();

/// Starts sockwrap with `args` (not including argv[0]).
st::process start(const std::vector<std::string>& args, const st::process_options& o = {});

/// A sockwrap started in a listening mode, with the port it bound.
struct listening {
    st::process proc;
    std::uint16_t port = 0;
};

/// Starts `sockwrap MODE 127.0.0.1:0 --port-file F ARGS...` (or with `address` instead of
/// 127.0.0.1:0) and waits for the port file. Fails the test (ADD_FAILURE) and returns port 0
/// if no port appears.
listening start_listening(const std::string& mode, const std::vector<std::string>& args,
                          const st::process_options& o = {},
                          const std::string& address = "127.0.0.1:0");

/// Runs sockwrap to completion with stdin from /dev/null and returns {status, stderr}.
struct finished {
    int status = -1;
    std::string out;
    std::string err;
};
finished run_to_end(const std::vector<std::string>& args);

/// Waits (up to `patience`) for something to exist at `path`, e.g. a UNIX socket file.
bool wait_for_path(const std::string& path);

/// What one transfer of the test pattern (sockwrap_test/stream_pattern.hpp) saw.
struct transfer {
    bool sent = false;  ///< every block was written
    st::received_stream got;
};

/// Writes `blocks` blocks of the pattern into `send_fd` on a thread and calls `end_input` once
/// they are written (or a write failed), while reading `receive_fd` to end-of-file.
transfer whole_transfer(int send_fd, const std::function<void()>& end_input, int receive_fd,
                        std::size_t blocks);

/// Checks that `t` sent everything and received exactly `blocks` blocks of the pattern, then
/// end-of-file.
void expect_exact(const transfer& t, std::size_t blocks);

/// whole_transfer() and expect_exact(), then checks that `p` exits 0.
void expect_whole_transfer(st::process& p, int send_fd, const std::function<void()>& end_input,
                           int receive_fd, std::size_t blocks);

/// The only line of `text` without its newline; fails the test if there is not exactly one.
std::string only_line(const std::string& text);

}  // namespace sockwrap_e2e
