// The progress tool, putting itself on the network: one call to redirect::both_as_client
// and std::cout / std::cin use the socket; the job's code is the very same.
#include <sys/socket.h>

#include <boost/program_options/value_semantic.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "job_options.hpp"
#include "redirect/redirect.hpp"
#include "run_progress.hpp"

int main(int argc, char** argv) {
    progress::job_settings settings;
    std::string endpoint = "localhost:50008";
    auto options = progress::job_options(settings);
    options.add_options()("connect,c",
                          boost::program_options::value(&endpoint)->default_value(endpoint),
                          "the listener to connect to (HOST:PORT, :PORT, unix:PATH)");
    if (auto status = progress::parse_command_line(argc, argv, options, std::cout, std::cerr))
        return *status;

    redirect::redirection redirected;
    try {
        redirected = redirect::both_as_client(endpoint);
    } catch (const std::exception& e) {
        std::cerr << argv[0] << ": " << e.what() << '\n';
        return 1;
    }
    // Ending the reading side wakes a read still blocked on the socket, so the reading
    // thread can be joined before the redirection ends.
    const int socket = redirected.socket();
    return progress::run_progress(std::cin, std::cout, settings,
                                  [socket] { ::shutdown(socket, SHUT_RD); });
}
