// Pair 1, redirected client output: the client prints three lines into the socket
// (redirect::out); the server reads them and prints them on its own terminal.
#include <iostream>

#include "dialog.hpp"
#include "redirect/redirect.hpp"

namespace dialogs {
namespace {

int client(const meeting& m) {
    auto redirection = redirect::out(m.endpoint);
    // No flush: under the default line policy each '\n' sends its line.
    for (int i = 0; i < 3; ++i)
        std::cout << "client " << pid() << ": " << i << '\n';
    return 0;
}

int server(meeting& m) {
    redirect::socket_stream conn(accept_client(m));
    for (int i = 0; i < 3; ++i)
        std::cout << "server " << pid() << " got [" << input(conn) << "]\n";
    return 0;
}

}  // namespace

extern const pair pair1{false, client, server};

}  // namespace dialogs
