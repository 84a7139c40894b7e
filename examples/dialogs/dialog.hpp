#pragma once
/// \file
/// What the five client/server pairs of the dialog example share: how the two sides meet,
/// the source text's `input()`, and the table entry each pair provides.

#include <istream>
#include <optional>
#include <string>

#include "redirect/socket.hpp"

namespace dialogs {

/// How the two sides of a dialog find each other. The driver sets it up before it forks the
/// server, so no fixed port is ever used.
struct meeting {
    /// The listening socket, bound by the driver on a free loopback port. Only the side that
    /// accepts keeps it: the server (pairs 1, 2, 3, 5) or the client (pair 4).
    std::optional<redirect::listener> listener;
    /// What the connecting side connects to: `:PORT`.
    std::string endpoint;
};

/// One client/server pair of the source text.
struct pair {
    /// Pair 4: the client is the socket server (redirect::both_as_server).
    bool client_listens;
    /// Runs in the driver's own process; returns the exit status.
    int (*client)(const meeting& m);
    /// Runs in a child process; returns its exit status.
    int (*server)(meeting& m);
};

/// The five pairs, numbered as in the source text.
extern const pair pair1, pair2, pair3, pair4, pair5;

/// The process id, as the source text prints it in every message.
long pid() noexcept;

/// The server side's initListenerSocket: accepts the client on the driver's listener and
/// closes the listener.
redirect::unique_fd accept_client(meeting& m);

/// Python's input(): the next line without its '\n'. Throws std::runtime_error at end of
/// input, as input() raises EOFError, so a broken dialog fails loudly instead of printing
/// empty messages.
std::string input(std::istream& in);

}  // namespace dialogs
