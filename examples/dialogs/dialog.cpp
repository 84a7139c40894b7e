#include "dialog.hpp"

#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace dialogs {

long pid() noexcept {
    return static_cast<long>(::getpid());
}

redirect::unique_fd accept_client(meeting& m) {
    redirect::unique_fd conn = m.listener.value().accept();
    m.listener.reset();
    return conn;
}

redirect::unique_fd connect_to_client(const meeting& m) {
    // The client binds its socket only once its redirect call runs: until then connecting
    // fails (no socket file yet), which connect_to retries within this wait.
    redirect::connect_options options;
    options.wait = std::chrono::seconds(10);
    return redirect::connect_to(redirect::parse_endpoint(m.endpoint), options);
}

std::string input(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("end of input before a whole line");
    return line;
}

}  // namespace dialogs
