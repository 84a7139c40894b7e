// Pair 3, client input and output on one socket, the client connects and speaks first: it
// prints a line, reads the server's answer from std::cin and reports it on std::cerr (which
// stays on the terminal).
#include <iostream>

#include "dialog.hpp"
#include "redirect/redirect.hpp"

namespace dialogs {
namespace {

int client(const meeting& m) {
    auto redirection = redirect::both_as_client(m.endpoint);
    for (int i = 0; i < 3; ++i) {
        std::cout << "client " << pid() << ": " << i << '\n';
        // Reading std::cin would also send the line above first: std::cin is tied to std::cout.
        std::string data = input(std::cin);
        std::cerr << "client " << pid() << " got [" << data << "]\n";
    }
    return 0;
}

int server(meeting& m) {
    redirect::socket_stream conn(accept_client(m));
    for (int i = 0; i < 3; ++i)
        conn << "server " << pid() << " got [" << input(conn) << "]\n";
    return 0;
}

}  // namespace

extern const pair pair3{false, client, server};

}  // namespace dialogs
