// Pair 5, pair 4 with the roles of the socket swapped: the client connects
// (redirect::both_as_client), the server accepts and speaks first.
#include <iostream>

#include "dialog.hpp"
#include "redirect/redirect.hpp"

namespace dialogs {
namespace {

int client(const meeting& m) {
    auto redirection = redirect::both_as_client(m.endpoint);
    for (int i = 0; i < 3; ++i)
        std::cout << "client " << pid() << " got [" << input(std::cin) << "]\n";
    return 0;
}

int server(meeting& m) {
    redirect::socket_stream conn(accept_client(m));
    for (int i = 0; i < 3; ++i) {
        conn << "server " << pid() << ": " << i << '\n';
        std::cout << "server " << pid() << " got [" << input(conn) << "]\n";
    }
    return 0;
}

}  // namespace

extern const pair pair5{false, client, server};

}  // namespace dialogs
