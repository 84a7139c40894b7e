#pragma once
/// \file
/// The reading end of every benchmark run: a loopback listener whose thread accepts one
/// connection and reads it to the end, counting the bytes.

#include <cstdint>
#include <future>
#include <thread>

#include "redirect/socket.hpp"

namespace bench {

/// Listens on a free loopback port and drains one connection in a thread of its own.
class drain {
  public:
    /// Binds the listener and starts the thread, which waits for the connection.
    drain();
    drain(const drain&) = delete;
    drain& operator=(const drain&) = delete;
    ~drain();

    /// The port the writer connects to.
    std::uint16_t port() const noexcept { return listener_.port(); }

    /// Waits until the writer has closed its end and everything was read; returns the number
    /// of bytes received. Throws what the thread met (accept or recv failure).
    std::uint64_t total();

  private:
    redirect::listener listener_;
    std::future<std::uint64_t> received_;
};

}  // namespace bench
