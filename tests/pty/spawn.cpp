#include "spawn.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "pty.hpp"

namespace bp = boost::process::v2;

extern char** environ;

namespace pty_test {

namespace {

// The environment and argv to hand over, and the descriptor hygiene of sockwrap's own launcher:
// nothing but fds 0-2 reaches the program (Boost.Process 1.81 closes too few).
struct child_setup {
    const char* const* argv;
    const char* const* envp;

    template <typename Launcher>
    bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&,
                            const char* const*& cmd_line) {
        launcher.env = envp;
        cmd_line = argv;
        return {};
    }

    template <typename Launcher>
    bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
        if (::syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            return {errno, bp::system_category()};
        }
        return {};
    }

    template <typename Launcher, typename... Rest>
    void on_exec_error(Launcher&, Rest&&...) {
        ::_exit(127);
    }
};

bool has_name(const std::string& entry, const std::string& name) {
    return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
           entry[name.size()] == '=';
}

std::vector<std::string> environment(const std::vector<std::string>& set,
                                     const std::vector<std::string>& unset) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        bool drop = false;
        for (const auto& name : unset)
            drop = drop || has_name(entry, name);
        for (const auto& s : set)
            drop = drop || has_name(entry, s.substr(0, s.find('=')));
        if (!drop) env.push_back(entry);
    }
    env.insert(env.end(), set.begin(), set.end());
    return env;
}

std::vector<const char*> pointers(const std::vector<std::string>& strings) {
    std::vector<const char*> out;
    for (const auto& s : strings)
        out.push_back(s.c_str());
    out.push_back(nullptr);
    return out;
}

}  // namespace

child::child(const std::vector<std::string>& argv, child_stdio stdio, int terminal,
             const std::vector<std::string>& env_set, const std::vector<std::string>& env_unset) {
    // A name with a slash is a path; any other is looked up on PATH.
    const bp::filesystem::path exe = argv.at(0).find('/') != std::string::npos
                                         ? bp::filesystem::path(argv.at(0))
                                         : bp::environment::find_executable(argv.at(0));
    if (exe.empty()) throw std::runtime_error("not found: " + argv.at(0));
    const auto env = environment(env_set, env_unset);
    const auto argv_ptrs = pointers(argv);
    const auto env_ptrs = pointers(env);

    boost::asio::io_context io;
    bp::posix::default_launcher launcher;
    bp::error_code ec;
    std::fflush(nullptr);
    auto started = launcher(io.get_executor(), ec, exe, std::vector<std::string>{},
                            bp::process_stdio{{stdio.in}, {stdio.out}, {stdio.err}},
                            child_setup{argv_ptrs.data(), env_ptrs.data()},
                            sockwrap::pty_session_initializer{terminal});
    if (ec) {
        if (launcher.pid > 0) ::waitpid(launcher.pid, nullptr, 0);
        throw std::system_error(ec.value(), std::generic_category(), "start " + argv.at(0));
    }
    pid_ = started.id();
    started.detach();
}

child::~child() {
    if (status_ || pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
}

std::optional<int> child::wait_for(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            status_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
            return status_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace pty_test
