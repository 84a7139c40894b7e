// Pair 4, client input and output on one socket, the client is the socket server
// (redirect::both_as_server): the server connects, sends a line, and prints the client's
// answer on its terminal.
#include <iostream>

#include "dialog.hpp"
#include "redirect/redirect.hpp"

namespace dialogs {
namespace {

int client(const meeting& m) {
    // On the listener the driver bound before the server started: the server knew where to
    // connect before this side accepted.
    auto redirection = redirect::both_as_server(m.listener.value());
    // No flush: each answer leaves at its '\n' (line policy), so the last one is not held
    // back until the program ends, as it was in the source text without its manual flush.
    for (int i = 0; i < 3; ++i)
        std::cout << "client " << pid() << " got [" << input(std::cin) << "]\n";
    return 0;
}

int server(meeting& m) {
    redirect::socket_stream conn(m.endpoint);
    for (int i = 0; i < 3; ++i) {
        conn << "server " << pid() << ": " << i << '\n';
        std::cout << "server " << pid() << " got [" << input(conn) << "]\n";
    }
    return 0;
}

}  // namespace

extern const pair pair4{true, client, server};

}  // namespace dialogs
