// Pair 2, redirected client input: the server sends three lines on the raw socket; the
// client reads them from std::cin (redirect::in) and prints them on its terminal.
#include <iostream>

#include "dialog.hpp"
#include "redirect/redirect.hpp"

namespace dialogs {
namespace {

int client(const meeting& m) {
    auto redirection = redirect::in(m.endpoint);
    for (int i = 0; i < 3; ++i)
        std::cout << "client " << pid() << " got [" << input(std::cin) << "]\n";
    return 0;
}

int server(meeting& m) {
    redirect::socket_stream conn(accept_client(m));
    for (int i = 0; i < 3; ++i)
        conn << "server " << pid() << ": " << i << '\n';
    return 0;
}

}  // namespace

extern const pair pair2{false, client, server};

}  // namespace dialogs
