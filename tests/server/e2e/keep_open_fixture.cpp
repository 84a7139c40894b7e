#include "keep_open_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/proc.hpp"

namespace keep_open_test {

std::string sockwrap_binary() {
    return SOCKWRAP_BINARY;
}

namespace {

redirect::unique_fd open_log(const std::string& path) {
    redirect::unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd) throw std::runtime_error("cannot create " + path);
    return fd;
}

std::vector<std::string> command(const std::vector<std::string>& wrapper,
                                 const std::vector<std::string>& options,
                                 const std::string& endpoint,
                                 const std::vector<std::string>& program,
                                 const std::string& port_file) {
    std::vector<std::string> argv = wrapper;
    argv.push_back(sockwrap_binary());
    argv.push_back("--keep-open");
    argv.push_back("--port-file");
    argv.push_back(port_file);
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("--listen");
    argv.push_back(endpoint);
    argv.push_back("--");
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
}

sockwrap_test::process_options server_stdio(int log_fd, const std::vector<std::string>& env_set) {
    sockwrap_test::process_options options;
    options.env_set = env_set;
    options.in = sockwrap_test::stdio_spec::null();
    options.out = sockwrap_test::stdio_spec::null();
    options.err = sockwrap_test::stdio_spec::from(log_fd);
    return options;
}

}  // namespace

server::server(const std::vector<std::string>& options, const std::string& endpoint,
               const std::vector<std::string>& program, const std::vector<std::string>& wrapper,
               const std::vector<std::string>& env_set)
    : log_fd_(open_log(dir_.file("stderr"))),
      process_(command(wrapper, options, endpoint, program, dir_.file("port")),
               server_stdio(log_fd_.get(), env_set)) {
    std::string line = sockwrap_test::wait_for_line_in_file(dir_.file("port"), 10s);
    if (line.empty()) throw std::runtime_error("the server did not listen: " + log());
    port_ = static_cast<std::uint16_t>(std::stoi(line));
}

std::string server::log() const {
    std::ifstream in(dir_.file("stderr"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<pid_t> server::children() const {
    return sockwrap_test::children_of(pid());
}

bool server::wait_for_children(std::size_t count, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (children().size() != count) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::optional<int> server::stop(std::chrono::milliseconds timeout) {
    process_.signal(SIGTERM);
    return process_.wait_for(timeout);
}

std::string exchange(const std::string& ip, std::uint16_t port, const std::string& send,
                     std::chrono::milliseconds timeout) {
    redirect::unique_fd fd = sockwrap_test::connect_tcp(ip, port);
    if (!send.empty() && !sockwrap_test::write_all(fd.get(), send, timeout)) return "<write>";
    sockwrap_test::shutdown_write(fd.get());
    auto reply = sockwrap_test::read_until_eof(fd.get(), timeout);
    if (reply.timed_out) return "<timeout>";
    if (reply.error != 0) return "<error " + std::to_string(reply.error) + ">";
    return reply.data;
}

std::size_t fd_count(pid_t pid) {
    return sockwrap_test::open_fds(pid).size();
}

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            long value = 0;
            in >> value;
            return value;
        }
        in.ignore(1 << 20, '\n');
    }
    return -1;
}

}  // namespace keep_open_test
