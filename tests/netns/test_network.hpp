#pragma once
/// \file
/// Hosts of a test's own: network namespaces joined by veth pairs, with private addresses
/// drawn for each run, removed with the object that made them.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "redirect/fd.hpp"

namespace netns_test {

/// Network namespaces cannot be made here (not root, a sandbox that forbids them, no `ip`
/// outside CI): the tests skip and say why.
struct unavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The names and addresses of one run's three hosts:
///
///     client 10.A.B.2/30 ---- 10.A.B.1/30 server 10.A.B.5/30 ---- 10.A.B.6/30 other
///            fd00:5357:A:B::2 ---- fd00:5357:A:B::1
///
/// A.B is drawn for the run and the namespaces are named `sockwrap-test-PID-RANDOM-HOST`, so
/// runs side by side never meet. Each namespace has its loopback and its veth ends and nothing
/// else: no route beyond its links and no forwarding, so client and other cannot reach each
/// other and no packet leaves the machine.
struct layout {
    std::string server, client, other;          ///< namespace names
    std::string server_ip, client_ip;           ///< the server-client link, IPv4
    std::string server_ip6, client_ip6;         ///< the same link, IPv6
    std::string other_subnet;                   ///< the server-other link, as a CIDR
    std::string server_ip_for_other, other_ip;  ///< that link's two ends
};

/// The three hosts, made by the constructor and deleted by the destructor (a link goes with
/// its namespace). Processes started in them must be stopped first: a namespace outlives its
/// name while a process is in it.
class test_network {
  public:
    /// Throws unavailable when namespaces cannot be made at all, std::runtime_error when a
    /// later step fails (after removing what it made).
    test_network();
    ~test_network();
    test_network(const test_network&) = delete;
    test_network& operator=(const test_network&) = delete;

    const layout& hosts() const noexcept { return hosts_; }

  private:
    void remove() noexcept;

    layout hosts_;
    std::vector<std::string> made_;  // namespaces to delete
};

/// While it lives, the calling thread is on host `ns`: the sockets it opens belong to that
/// namespace for good, and the processes it starts (forked from this thread) run in it.
/// setns(2) moves only the calling thread into a network namespace, so the test's other
/// threads stay where they are.
class on_host {
  public:
    explicit on_host(const std::string& ns);
    /// Back to the namespace the thread came from.
    ~on_host();
    on_host(const on_host&) = delete;
    on_host& operator=(const on_host&) = delete;

  private:
    redirect::unique_fd home_;
};

/// `make()` run on host `ns`: `on(net.server, [&] { return st::listen_tcp(ip); })`.
template <class Make>
auto on(const std::string& ns, Make make) {
    on_host here(ns);
    return make();
}

/// `ip:port`, with brackets around an IPv6 address: a sockwrap endpoint.
std::string endpoint(const std::string& ip, std::uint16_t port);

/// A test with its own three hosts. SetUp skips the test where they cannot be made.
class netns : public ::testing::Test {
  protected:
    void SetUp() override;
    const layout& net() const { return network_->hosts(); }

  private:
    std::unique_ptr<test_network> network_;
};

}  // namespace netns_test
