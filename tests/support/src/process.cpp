#include "sockwrap_test/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <system_error>

#include "sockwrap_test/io.hpp"

extern char** environ;

namespace sockwrap_test {

namespace {

[[noreturn]] void throw_errno(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

// The environment of the new process: ours, edited as asked.
std::vector<std::string> build_env(const process_options& options) {
    std::map<std::string, std::string> vars;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        vars[entry.substr(0, entry.find('='))] = entry;
    }
    for (const auto& name : options.env_unset)
        vars.erase(name);
    for (const auto& entry : options.env_set)
        vars[entry.substr(0, entry.find('='))] = entry;
    std::vector<std::string> out;
    for (auto& [name, entry] : vars)
        out.push_back(std::move(entry));
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// RAII for the posix_spawn attribute objects.
struct spawn_setup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    spawn_setup() {
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawnattr_init(&attr);
    }
    ~spawn_setup() {
        ::posix_spawn_file_actions_destroy(&actions);
        ::posix_spawnattr_destroy(&attr);
    }
    spawn_setup(const spawn_setup&) = delete;
    spawn_setup& operator=(const spawn_setup&) = delete;
};

// Connects stream `target` as `spec` asks; returns the test's end of a pipe, if any.
redirect::unique_fd plan_stream(spawn_setup& s, const stdio_spec& spec, int target,
                                std::vector<redirect::unique_fd>& child_ends) {
    switch (spec.type) {
        case stdio_spec::kind::inherit:
            return {};
        case stdio_spec::kind::null:
            ::posix_spawn_file_actions_addopen(&s.actions, target, "/dev/null",
                                               target == 0 ? O_RDONLY : O_WRONLY, 0);
            return {};
        case stdio_spec::kind::fd:
            ::posix_spawn_file_actions_adddup2(&s.actions, spec.fd, target);
            return {};
        case stdio_spec::kind::pipe:
            break;
    }
    auto p = make_pipe();
    bool child_reads = target == 0;
    int child_end = child_reads ? p.read_end.get() : p.write_end.get();
    ::posix_spawn_file_actions_adddup2(&s.actions, child_end, target);
    child_ends.push_back(child_reads ? std::move(p.read_end) : std::move(p.write_end));
    return child_reads ? std::move(p.write_end) : std::move(p.read_end);
}

}  // namespace

int shell_status(int wait_status) noexcept {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return -1;
}

process::process(const std::vector<std::string>& argv, const process_options& options) {
    spawn_setup s;
    std::vector<redirect::unique_fd> child_ends;  // closed here once the child has them
    in_ = plan_stream(s, options.in, 0, child_ends);
    out_ = plan_stream(s, options.out, 1, child_ends);
    err_ = plan_stream(s, options.err, 2, child_ends);
    // Extra fds go through a high number first, so a source that is itself 3, 4, ... is not
    // overwritten before it is copied.
    constexpr int parking = 900;
    const int extra = static_cast<int>(options.extra_fds.size());
    for (int i = 0; i < extra; ++i)
        ::posix_spawn_file_actions_adddup2(&s.actions, options.extra_fds[i], parking + i);
    for (int i = 0; i < extra; ++i)
        ::posix_spawn_file_actions_adddup2(&s.actions, parking + i, 3 + i);
    ::posix_spawn_file_actions_addclosefrom_np(&s.actions, 3 + extra);

    // The child starts with default dispositions for every signal and the asked-for mask,
    // whatever the test runner did to its own.
    sigset_t all, mask;
    ::sigfillset(&all);
    ::sigemptyset(&mask);
    for (int sig : options.blocked_signals)
        ::sigaddset(&mask, sig);
    ::posix_spawnattr_setsigdefault(&s.attr, &all);
    ::posix_spawnattr_setsigmask(&s.attr, &mask);
    ::posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<std::string> args = argv;
    std::vector<std::string> env = build_env(options);
    auto c_args = c_strings(args);
    auto c_env = c_strings(env);
    int rc = ::posix_spawnp(&pid_, c_args[0], &s.actions, &s.attr, c_args.data(), c_env.data());
    if (rc != 0) {
        pid_ = -1;
        throw_errno(rc, "posix_spawnp " + argv.at(0));
    }
}

process::process(process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      status_(other.status_),
      in_(std::move(other.in_)),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)) {}

process& process::operator=(process&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = std::exchange(other.pid_, -1);
        status_ = other.status_;
        in_ = std::move(other.in_);
        out_ = std::move(other.out_);
        err_ = std::move(other.err_);
    }
    return *this;
}

process::~process() {
    stop();
}

void process::stop() noexcept {
    in_.reset();
    out_.reset();
    err_.reset();
    if (pid_ < 0 || status_) return;
    ::kill(pid_, SIGKILL);
    // SIGKILL cannot be caught; the bound only protects against an unkillable (D-state) child.
    (void)wait_for(std::chrono::seconds(10));
}

std::optional<int> process::wait_for(std::chrono::milliseconds timeout) {
    if (status_ || pid_ < 0) return status_;
    // A pidfd becomes readable when the process ends: a bounded wait without SIGCHLD games.
    redirect::unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
    if (pidfd) {
        pollfd p{pidfd.get(), POLLIN, 0};
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            int n = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
            break;
        }
    }
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &status, pidfd ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r != pid_) return std::nullopt;
    status_ = shell_status(status);
    return status_;
}

bool process::running() {
    return !wait_for(std::chrono::milliseconds(0)).has_value();
}

void process::signal(int sig) const {
    if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

bool python3_available() {
    static const bool found = std::system("python3 -c '' >/dev/null 2>&1") == 0;
    const char* ci = std::getenv("CI");
    if (!found && ci != nullptr && *ci != '\0' && std::string(ci) != "false")
        throw std::runtime_error("python3 is missing, but scripts/setup.sh installs it for CI");
    return found;
}

}  // namespace sockwrap_test
