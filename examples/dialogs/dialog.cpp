#include "dialog.hpp"

#include <unistd.h>

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

std::string input(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("end of input before a whole line");
    return line;
}

}  // namespace dialogs
