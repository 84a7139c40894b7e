#pragma once
/// \file
/// The command line, parsed once into a plain struct.

#include <sys/socket.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/socket_streams.hpp"
#include "net/access_list.hpp"
#include "redirect/endpoint.hpp"

namespace sockwrap {

/// Who opens the connection and which of PROGRAM's standard streams are the socket.
enum class mode {
    out,         ///< connect; PROGRAM's stdout is the socket (the source text's redirectOut)
    in,          ///< connect; PROGRAM's stdin is the socket (redirectIn)
    connect,     ///< connect; stdin and stdout are the socket (redirectBothAsClient)
    listen,      ///< listen, accept one; stdin and stdout are the socket (redirectBothAsServer)
    listen_out,  ///< listen, accept one; PROGRAM's stdout is the socket
    listen_in    ///< listen, accept one; PROGRAM's stdin is the socket
};

/// True for the modes that listen and accept instead of connecting.
bool is_listening(mode m) noexcept;
/// True when the local side (PROGRAM, or sockwrap's own stdin/stdout) reads from the socket.
bool reads_socket(mode m) noexcept;
/// True when the local side writes to the socket.
bool writes_socket(mode m) noexcept;
/// The option that selects `m`, e.g. "--listen-out".
const char* mode_option(mode m) noexcept;

/// Everything the command line says.
struct options {
    sockwrap::mode mode = mode::connect;
    redirect::endpoint endpoint;
    /// PROGRAM and its arguments; empty: sockwrap relays its own stdin/stdout.
    std::vector<std::string> program;
    /// --port-file: where to write the bound port once listening.
    std::optional<std::string> port_file;
    /// --wait: how long a refused connect is retried.
    std::chrono::milliseconds wait{0};
    /// --stderr: PROGRAM's stderr is the socket too.
    bool child_stderr = false;
    /// --line-buffered: PROGRAM's C stdio and Python flush per line (a preload library).
    bool line_buffered = false;
    /// --pty: PROGRAM's socket-bound stdout (and stderr) is a pseudo-terminal, relayed.
    bool pty = false;
    /// --pty-stdin: as --pty, and PROGRAM's socket-bound stdin is the terminal too.
    bool pty_stdin = false;
    /// --exec: sockwrap becomes PROGRAM (execve) instead of starting and watching a child.
    bool exec = false;
    /// -v: report progress on stderr.
    bool verbose = false;
    /// -4 / -6: AF_INET or AF_INET6; AF_UNSPEC for either.
    int family = AF_UNSPEC;
    /// -k / --keep-open: serve every connection with a fresh PROGRAM (listening modes).
    bool keep_open = false;
    /// --max-clients: children running at once under --keep-open.
    std::size_t max_clients = 64;
    /// --grace: after a signal is passed on, how long children may take before SIGKILL.
    std::chrono::milliseconds grace{5000};
    /// --allow / --deny: which peers are served (listening modes, IP endpoints).
    access_list access;
};

/// The streams `o` puts on the socket.
socket_streams socket_streams_of(const options& o) noexcept;

/// Of those, the ones --pty and --pty-stdin put on a pseudo-terminal instead (relayed to the
/// socket); none when PROGRAM's streams are the socket directly.
socket_streams terminal_streams_of(const options& o) noexcept;

/// What the command line asks for: a run, or a text to print before exiting with status 0.
struct parsed_command {
    std::optional<sockwrap::options> options;  ///< set for a run
    std::string text;                          ///< --help or --version output otherwise
};

/// Parses argv. Throws sockwrap::failure (status 125, one line) on a usage error or a bad
/// endpoint.
parsed_command parse_command_line(int argc, const char* const* argv);

/// The --help text.
std::string help_text();

}  // namespace sockwrap
