// Blocking signals into a signalfd and reading them as data.

#include "core/signal_reader.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace sockwrap {

signal_reader::signal_reader(std::initializer_list<int> signals) {
    sigset_t set;
    ::sigemptyset(&set);
    for (int sig : signals)
        ::sigaddset(&set, sig);
    // Blocked first, so a signal arriving before the descriptor exists is held, not lost.
    ::pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
    fd_.reset(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!fd_) {
        int error = errno;
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
        throw std::system_error(error, std::generic_category(), "signalfd");
    }
}

signal_reader::~signal_reader() {
    // Consume what is still pending: unblocking it would run its default action, and a late
    // second SIGTERM must not turn a clean shutdown into death by signal.
    while (next() != 0) {
    }
    fd_.reset();
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

int signal_reader::next() noexcept {
    signalfd_siginfo info{};
    for (;;) {
        ssize_t n = ::read(fd_.get(), &info, sizeof info);
        if (n == static_cast<ssize_t>(sizeof info)) return static_cast<int>(info.ssi_signo);
        if (n < 0 && errno == EINTR) continue;
        return 0;
    }
}

void end_by_signal(int sig) noexcept {
    ::signal(sig, SIG_DFL);
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, sig);
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    ::raise(sig);
    ::_exit(128 + sig);  // for a signal whose default action does not end the process
}

}  // namespace sockwrap
