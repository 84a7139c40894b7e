#include "launch.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <system_error>

#include "failure.hpp"
#include "pty.hpp"

namespace bp = boost::process::v2;

namespace sockwrap {

namespace {

// Boost.Process 1.81 traps this initializer guards against (notes/boost-1.81.md):
//  1. its close-all closes only fds above its error pipe: every fd > 2 is made close-on-exec;
//  2. on exec failure the child calls exit(), flushing the parent's stdio twice: stdio is
//     flushed before the fork and the exec-error hook leaves with _exit();
//  3. hooks with ordinary signatures are silently never called: on_exec_error is variadic;
//  4. the (context, ec, ...) overload throws: launch() passes an executor;
//  5. an error returned without errno set looks like success: errno is set with it;
//  6. posix::bind_fd crashes at -O2: not used, process_stdio takes raw fds instead;
//  7. ~process() kills the child: launch() detaches it at once.
struct child_setup {
    const char* const* argv;
    const char* const* envp;

    // In the parent: argv[0] as the user wrote it (not the resolved path), and our environment.
    template <typename Launcher>
    bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&,
                            const char* const*& cmd_line) {
        launcher.env = envp;
        cmd_line = argv;
        return {};
    }

    // In the child, after process_stdio's dup2()s (it precedes this initializer).
    template <typename Launcher>
    bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
        if (int error = prepare_exec_in_child()) {
            errno = error;
            return bp::error_code(error, bp::system_category());
        }
        return {};
    }

    // In the child when execve() failed; the errno already went to the parent.
    template <typename Launcher, typename... Rest>
    void on_exec_error(Launcher&, Rest&&...) {
        ::_exit(errno == ENOENT ? exit_not_found : exit_not_executable);
    }
};

std::vector<const char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<const char*> out;
    for (const auto& s : strings)
        out.push_back(s.c_str());
    out.push_back(nullptr);
    return out;
}

// Blocks the signals sockwrap handles for as long as it lives.
class signal_block {
  public:
    signal_block() {
        sigset_t set;
        ::sigemptyset(&set);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD})
            ::sigaddset(&set, sig);
        ::pthread_sigmask(SIG_BLOCK, &set, &old_);
    }
    ~signal_block() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
    signal_block(const signal_block&) = delete;
    signal_block& operator=(const signal_block&) = delete;

  private:
    sigset_t old_;
};

void mark_cloexec_from(int first) noexcept {
    if (::syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    // Kernels before 5.11: walk the descriptor table.
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    for (rlim_t fd = static_cast<rlim_t>(first); fd < limit.rlim_cur; ++fd)
        ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
}

}  // namespace

int prepare_exec_in_child() noexcept {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    ::sigemptyset(&default_action.sa_mask);
    // SIG_IGN survives exec: a sockwrap started with SIGPIPE or SIGINT ignored must not pass
    // that on.
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (::sigaction(sig, &default_action, nullptr) == 0 || errno != EINVAL) continue;
        // glibc refuses the signals it reserves for itself (32, 33), and its posix_spawn()
        // leaves them ignored in every process it starts; the system call itself resets them.
        // All-zero is the kernel's {SIG_DFL, no flags, empty mask} whatever its layout.
        unsigned long kernel_action[4] = {};
        ::syscall(SYS_rt_sigaction, sig, kernel_action, nullptr, sizeof(std::uint64_t));
    }
    for (int fd = 0; fd <= 2; ++fd) {
        int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0 && (flags & FD_CLOEXEC) != 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
    mark_cloexec_from(3);
    sigset_t none;
    ::sigemptyset(&none);
    if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) return errno;
    return 0;
}

// GCC 12 reports a false out-of-bounds memcpy inside default_launcher's reset of its fd
// whitelist (a std::vector assigned from {0, 1, 2}, GCC bug 107138-style); nothing is copied
// out of bounds.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wrestrict"
pid_t launch(boost::asio::io_context& ctx, const launch_request& request) {
    auto argv = c_strings(request.argv);
    auto envp = c_strings(request.env);
    std::fflush(nullptr);
    signal_block blocked;
    bp::posix::default_launcher launcher;
    bp::error_code ec;
    auto child =
        launcher(ctx.get_executor(), ec, bp::filesystem::path(request.executable),
                 std::vector<std::string>{},
                 bp::process_stdio{{request.stdin_fd}, {request.stdout_fd}, {request.stderr_fd}},
                 child_setup{argv.data(), envp.data()},
                 pty_session_initializer{request.controlling_terminal});
    if (ec) {
        const std::string what = "run '" + request.argv.at(0) + "'";
        if (launcher.pid <= 0) throw failure(exit_failure, describe(what, ec));
        // The child told us why exec failed and is exiting; reap it.
        while (::waitpid(launcher.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        throw launch_failure(request.argv.at(0), ec.value());
    }
    pid_t pid = child.id();
    child.detach();
    return pid;
}
#pragma GCC diagnostic pop

}  // namespace sockwrap
