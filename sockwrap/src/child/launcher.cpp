// Starting every child with posix_spawn(), and --exec's exec in place, from one child_spec.

#include "child/launcher.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "core/failure.hpp"

// Why posix_spawn() for every child, --pty included. glibc runs the child on the parent's
// memory (clone(CLONE_VM | CLONE_VFORK)) until exec, so no page tables are copied and the cost
// does not grow with sockwrap's size, and it reports exec errors as the call's result: no
// error pipe, no fork-safety rules for code between fork and exec. What --pty needs fits in
// its attributes: POSIX_SPAWN_SETSID makes the child a session leader before the file actions
// run, and a session leader without a controlling terminal that opens a terminal without
// O_NOCTTY acquires it (Linux tty_open), so the terminal is opened in the child as
// /proc/self/fd/N: the very terminal sockwrap holds, whatever /dev/pts is mounted in this
// namespace. Measured when --pty moved here from a fork-based Boost.Process v2 launcher
// (connect to a sink and run /bin/true, bench_startup, 7 interleaved rounds of 40 per binary,
// Release): `--pty` 1.98 ms before, 1.78 ms after (p90 3.51 against 1.87 ms: no page tables
// to copy); without a pty, already posix_spawn(), 1.58 and 1.57 ms.

namespace sockwrap {

namespace {

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings)
        out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct spawn_attributes {
    posix_spawnattr_t attr;
    spawn_attributes() { ::posix_spawnattr_init(&attr); }
    ~spawn_attributes() { ::posix_spawnattr_destroy(&attr); }
    spawn_attributes(const spawn_attributes&) = delete;
    spawn_attributes& operator=(const spawn_attributes&) = delete;
};

struct spawn_actions {
    posix_spawn_file_actions_t actions;
    spawn_actions() { ::posix_spawn_file_actions_init(&actions); }
    ~spawn_actions() { ::posix_spawn_file_actions_destroy(&actions); }
    spawn_actions(const spawn_actions&) = delete;
    spawn_actions& operator=(const spawn_actions&) = delete;
};

// The child's signal state: default dispositions for every signal and an empty mask.
// sockwrap blocks the signals it reads from a signalfd and ignores SIGPIPE; neither must
// reach the program. Every bit set, not sigfillset(): glibc's sigfillset() leaves out the two
// signals it reserves for itself (32, 33), and its posix_spawn() makes those ignored in the
// child unless they are in the set to default; an ignored signal survives exec.
void set_signal_state(spawn_attributes& a, bool new_session) {
    sigset_t none;
    ::sigemptyset(&none);
    sigset_t all;
    std::memset(&all, 0xff, sizeof all);
    ::posix_spawnattr_setsigmask(&a.attr, &none);
    ::posix_spawnattr_setsigdefault(&a.attr, &all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (new_session) flags |= POSIX_SPAWN_SETSID;
    ::posix_spawnattr_setflags(&a.attr, flags);
}

// The descriptors: each stream bound to a socket is dup2()ed; the terminal is opened afresh
// for the first stream on it (that open makes it the controlling terminal) and duplicated for
// the others. Sources are all 3 or above (ensure_standard_fds() filled 0-2 before any socket
// existed), so no dup2 overwrites a later one's source.
void bind_streams(spawn_actions& a, const child_spec& spec, const std::string& terminal_path) {
    const int wanted[3] = {spec.stdio.in, spec.stdio.out, spec.stdio.err};
    std::optional<int> terminal_at;
    for (int target = 0; target < 3; ++target) {
        const int fd = wanted[target];
        if (fd < 0) continue;
        if (fd != spec.terminal) {
            ::posix_spawn_file_actions_adddup2(&a.actions, fd, target);
        } else if (!terminal_at) {
            ::posix_spawn_file_actions_addopen(&a.actions, target, terminal_path.c_str(), O_RDWR,
                                               0);
            terminal_at = target;
        } else {
            ::posix_spawn_file_actions_adddup2(&a.actions, *terminal_at, target);
        }
    }
    // Everything of sockwrap's above 2 is close-on-exec already; closing the range as well
    // keeps a descriptor opened by a library without O_CLOEXEC from reaching the child.
    ::posix_spawn_file_actions_addclosefrom_np(&a.actions, 3);
}

void mark_cloexec_from(int first) noexcept {
    if (::syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    // Kernels before 5.11: walk the descriptor table.
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    for (rlim_t fd = static_cast<rlim_t>(first); fd < limit.rlim_cur; ++fd)
        ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
}

// exec_child()'s counterpart of set_signal_state(), in this process.
int reset_signal_state() noexcept {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    ::sigemptyset(&default_action.sa_mask);
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (::sigaction(sig, &default_action, nullptr) == 0 || errno != EINVAL) continue;
        // glibc refuses the signals it reserves for itself (32, 33); the system call itself
        // resets them. All-zero is the kernel's {SIG_DFL, no flags, empty mask}.
        unsigned long kernel_action[4] = {};
        ::syscall(SYS_rt_sigaction, sig, kernel_action, nullptr, sizeof(std::uint64_t));
    }
    sigset_t none;
    ::sigemptyset(&none);
    return ::sigprocmask(SIG_SETMASK, &none, nullptr) == 0 ? 0 : errno;
}

// exec_child()'s counterpart of bind_streams(). dup2(fd, fd) would leave FD_CLOEXEC set and
// lose the stream at exec, hence the flag is cleared on 0-2 whatever happened.
int bind_streams_here(const child_spec& spec) noexcept {
    const int wanted[3] = {spec.stdio.in, spec.stdio.out, spec.stdio.err};
    for (int target = 0; target < 3; ++target) {
        if (wanted[target] >= 0 && ::dup2(wanted[target], target) != target) return errno;
    }
    for (int fd = 0; fd <= 2; ++fd) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0 && (flags & FD_CLOEXEC) != 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
    mark_cloexec_from(3);
    return 0;
}

}  // namespace

int try_spawn_child(const child_spec& spec, pid_t& pid) noexcept {
    try {
        auto argv = c_strings(spec.argv);
        auto envp = c_strings(spec.env);
        const std::string terminal_path =
            spec.terminal >= 0 ? "/proc/self/fd/" + std::to_string(spec.terminal) : std::string();
        spawn_attributes attributes;
        set_signal_state(attributes, spec.terminal >= 0);
        spawn_actions actions;
        bind_streams(actions, spec, terminal_path);
        pid = -1;
        return ::posix_spawn(&pid, spec.executable.c_str(), &actions.actions, &attributes.attr,
                             argv.data(), envp.data());
    } catch (const std::bad_alloc&) {
        return ENOMEM;
    }
}

pid_t spawn_child(const child_spec& spec) {
    pid_t pid = -1;
    if (const int error = try_spawn_child(spec, pid)) throw launch_failure(spec.argv.at(0), error);
    return pid;
}

int exec_child(const child_spec& spec) noexcept {
    std::vector<char*> argv, envp;
    try {
        argv = c_strings(spec.argv);
        envp = c_strings(spec.env);
    } catch (const std::bad_alloc&) {
        return ENOMEM;
    }
    if (int error = bind_streams_here(spec)) return error;
    if (int error = reset_signal_state()) return error;
    ::execve(spec.executable.c_str(), argv.data(), envp.data());
    return errno;
}

}  // namespace sockwrap
