#include "sockwrap_test/process.hpp"

// Boost.Process v2 starts the command: PATH lookup, fork and exec with the exec error reported
// back, the standard streams bound, every other descriptor closed. What it has no initializer
// for (the extra descriptors, the signal state) is the one initializer below.
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
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
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <system_error>

#include "sockwrap_test/io.hpp"

extern char** environ;

namespace sockwrap_test {

namespace {

namespace bp = boost::process::v2;

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

// The descriptor stream `target` of the child gets, as `spec` asks; a pipe's other end goes
// to `ours`, and the child's end is kept in `child_end` until the child has it.
int plan_stream(const stdio_spec& spec, int target, redirect::unique_fd& ours,
                redirect::unique_fd& child_end) {
    switch (spec.type) {
        case stdio_spec::kind::inherit:
            return target;
        case stdio_spec::kind::null:
            child_end = redirect::unique_fd(
                ::open("/dev/null", (target == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC));
            return child_end.get();
        case stdio_spec::kind::fd:
            return spec.fd;
        case stdio_spec::kind::pipe:
            break;
    }
    auto p = make_pipe();
    const bool child_reads = target == 0;
    ours = std::move(child_reads ? p.write_end : p.read_end);
    child_end = std::move(child_reads ? p.read_end : p.write_end);
    return child_end.get();
}

// The rest of the child's set-up, run between fork and exec (async-signal-safe calls only):
// the test's extra descriptors become 3, 4, ... and the signal state starts clean.
struct child_setup {
    std::vector<int> extra_fds;
    sigset_t mask;
    std::vector<char*> env;

    bp::error_code on_setup(bp::posix::default_launcher& launcher, const bp::filesystem::path&,
                            const char* const*) {
        launcher.env = env.data();
        for (int i = 0; i < static_cast<int>(extra_fds.size()); ++i)
            launcher.fd_whitelist.push_back(3 + i);
        return {};
    }

    bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&,
                                 const char* const*) {
        // Each source moves above every target first, so a source that is itself 3, 4, ...
        // is not overwritten before it is copied.
        const int count = static_cast<int>(extra_fds.size());
        std::vector<int>& parked = extra_fds;
        for (int i = 0; i < count; ++i)
            if ((parked[i] = ::fcntl(parked[i], F_DUPFD_CLOEXEC, 3 + count)) < 0) return failed();
        for (int i = 0; i < count; ++i)
            if (::dup2(parked[i], 3 + i) < 0) return failed();
        // Default dispositions for every signal and the asked-for mask, whatever the test
        // runner did to its own.
        for (int sig = 1; sig < NSIG; ++sig)
            if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
        if (::sigprocmask(SIG_SETMASK, &mask, nullptr) != 0) return failed();
        // Boost 1.81's close_all() leaves the gaps between whitelisted descriptors open;
        // close-on-exec on everything above the extras closes them at exec, while the
        // launcher's error pipe still reports a failed exec.
        if (::close_range(3 + count, ~0U, CLOSE_RANGE_CLOEXEC) != 0) return failed();
        return {};
    }

    static bp::error_code failed() { return {errno, bp::system_category()}; }
};

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

bp::filesystem::path executable(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    bp::filesystem::path found = bp::environment::find_executable(name);
    if (found.empty()) throw std::system_error(ENOENT, std::generic_category(), "find " + name);
    return found;
}

}  // namespace

int shell_status(int wait_status) noexcept {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return -1;
}

process::process(const std::vector<std::string>& argv, const process_options& options) {
    redirect::unique_fd child_in, child_out, child_err;  // closed here once the child has them
    bp::process_stdio stdio{plan_stream(options.in, 0, in_, child_in),
                            plan_stream(options.out, 1, out_, child_out),
                            plan_stream(options.err, 2, err_, child_err)};
    child_setup setup{options.extra_fds, {}, {}};
    ::sigemptyset(&setup.mask);
    for (int sig : options.blocked_signals)
        ::sigaddset(&setup.mask, sig);
    std::vector<std::string> env = build_env(options);
    setup.env = c_strings(env);

    const bp::filesystem::path program = executable(argv.at(0));
    const std::vector<std::string> args(argv.begin() + 1, argv.end());
    std::fflush(nullptr);  // a failed exec exits the forked copy, which flushes what it has
    boost::asio::io_context context;
    bp::posix::default_launcher launch;
    bp::error_code error;
    auto started = launch(context.get_executor(), error, program, args, stdio, setup);
    if (error) {
        // A failed exec leaves the forked copy exiting at once; reap it.
        if (launch.pid > 0) ::waitpid(launch.pid, nullptr, 0);
        throw std::system_error(error.value(), std::generic_category(), "start " + argv[0]);
    }
    pid_ = started.id();
    started.detach();  // this object waits for it and kills it, by its PID
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
