// A job that reports its progress on stdout and takes commands on stdin. It knows nothing of
// sockets: `sockwrap --connect localhost:50008 -- progress_tool` puts it on the network.
#include <iostream>

#include "job_options.hpp"
#include "run_progress.hpp"

int main(int argc, char** argv) {
    progress::job_settings settings;
    const auto options = progress::job_options(settings);
    if (auto status = progress::parse_command_line(argc, argv, options, std::cout, std::cerr))
        return *status;
    return progress::run_progress(std::cin, std::cout, settings);
}
