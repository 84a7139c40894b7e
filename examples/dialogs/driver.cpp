// dialog N: runs client/server pair N of the source text like its
// test-socket_stream_redirect.py N: the server in a child process, the client in this one,
// meeting on a socket no other program uses (a free loopback port).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "dialog.hpp"
#include "redirect/redirect.hpp"

namespace {

/// A dialog that deadlocks (what the flush rules exist to prevent) is ended by SIGALRM in
/// both processes instead of hanging whoever runs it.
constexpr unsigned watchdog_seconds = 20;

const dialogs::pair* const pairs[] = {&dialogs::pair1, &dialogs::pair2, &dialogs::pair3,
                                      &dialogs::pair4, &dialogs::pair5};

// Runs one side, turning an exception into a message and a failure status.
template <typename Side, typename Meeting>
int run_side(const char* name, Side side, Meeting& m) {
    try {
        return side(m);
    } catch (const std::exception& e) {
        std::cerr << "dialog: " << name << ": " << e.what() << '\n';
        return 1;
    }
}

[[noreturn]] void run_server_child(const dialogs::pair& p, dialogs::meeting& m) {
    ::alarm(watchdog_seconds);
    if (p.client_listens) m.listener.reset();  // this side connects
    int status = run_side("server", p.server, m);
    std::cout.flush();
    std::fflush(nullptr);
    // _exit: the exit handlers and static objects belong to the driver's process.
    ::_exit(status);
}

// Waits for the server; returns its exit status, or 1 (with a message) if it did not exit.
int wait_for_server(pid_t child) {
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            std::cerr << "dialog: waitpid: " << std::strerror(errno) << '\n';
            return 1;
        }
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    std::cerr << "dialog: server killed by signal " << WTERMSIG(status) << '\n';
    return 1;
}

int run_pair(const dialogs::pair& p) {
    dialogs::meeting m;
    // Listening before the fork: the connecting side finds the port known and the socket
    // ready, whichever side accepts.
    m.listener = redirect::listen(":0");
    m.endpoint = ":" + std::to_string(m.listener->port());
    std::cout.flush();
    std::fflush(nullptr);  // or the child would print this process's pending output again
    pid_t child = ::fork();
    if (child < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (child == 0) run_server_child(p, m);
    if (!p.client_listens) m.listener.reset();  // the server holds the listening socket now
    ::alarm(watchdog_seconds);
    int client_status = run_side("client", p.client, std::as_const(m));
    int server_status = wait_for_server(child);
    if (client_status != 0 || server_status != 0) {
        std::cerr << "dialog: client exit status " << client_status << ", server " << server_status
                  << '\n';
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string_view arg = argc == 2 ? argv[1] : "";
    if (arg.size() != 1 || arg[0] < '1' || arg[0] > '5') {
        std::cerr << "usage: dialog N   (N = 1..5: the source text's client/server pairs)\n";
        return 2;
    }
    try {
        return run_pair(*pairs[arg[0] - '1']);
    } catch (const std::exception& e) {
        std::cerr << "dialog: " << e.what() << '\n';
        return 1;
    }
}
