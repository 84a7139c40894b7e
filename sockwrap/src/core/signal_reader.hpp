#pragma once
/// \file
/// Signals read as data from a descriptor (signalfd), for a poll() loop.

#include <signal.h>

#include <initializer_list>

#include "redirect/fd.hpp"

namespace sockwrap {

/// Blocks `signals` for as long as it lives and delivers them through a non-blocking,
/// close-on-exec signalfd. On destruction, signals still pending are discarded and the previous
/// signal mask is restored.
class signal_reader {
  public:
    /// Throws std::system_error.
    explicit signal_reader(std::initializer_list<int> signals);
    ~signal_reader();
    signal_reader(const signal_reader&) = delete;
    signal_reader& operator=(const signal_reader&) = delete;

    /// The descriptor to poll for POLLIN.
    int fd() const noexcept { return fd_.get(); }
    /// The next pending signal, or 0 when none is pending.
    int next() noexcept;

  private:
    sigset_t old_mask_;
    redirect::unique_fd fd_;
};

/// Ends the process by `sig` with its default action, as if it had never been caught: for a
/// stop signal that arrived while blocked, once what it should not leave behind is cleaned up.
[[noreturn]] void end_by_signal(int sig) noexcept;

}  // namespace sockwrap
