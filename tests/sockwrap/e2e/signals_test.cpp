// Signals reach the child and decide sockwrap's status; a peer that resets ends the run.

#include <gtest/gtest.h>
#include <signal.h>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/proc.hpp"

namespace sockwrap_e2e {
namespace {

std::string at(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

class passed_on : public ::testing::TestWithParam<int> {};

TEST_P(passed_on, to_the_child_and_its_death_is_the_status) {
    const int sig = GetParam();
    auto l = st::listen_tcp();
    auto p = start({"--connect", at(l.port), "sh", "-c", "echo ready; exec sleep 100"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_EQ(st::read_lines(c.get(), 1, patience).data, "ready\n");
    auto children = st::children_of(p.pid());
    ASSERT_EQ(children.size(), 1u);
    p.signal(sig);
    EXPECT_EQ(p.wait_for(patience), 128 + sig);
    EXPECT_FALSE(st::alive(children[0]));  // no orphan left behind
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);
}

INSTANTIATE_TEST_SUITE_P(signals, passed_on, ::testing::Values(SIGTERM, SIGINT, SIGHUP));

TEST(signals, a_child_that_handles_sigterm_decides_the_status) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", at(l.port), "sh", "-c",
                    "trap 'echo got TERM; exit 3' TERM; echo ready; "
                    "while :; do sleep 0.05; done"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_EQ(st::read_lines(c.get(), 1, patience).data, "ready\n");
    p.signal(SIGTERM);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "got TERM\n");
    EXPECT_EQ(p.wait_for(patience), 3);
}

TEST(signals, a_child_that_ignores_sigterm_is_killed_after_the_grace_period) {
    auto l = st::listen_tcp();
    // trap '' makes TERM ignored, and exec keeps it ignored in sleep.
    auto p =
        start({"--connect", at(l.port), "sh", "-c", "trap '' TERM; echo ready; exec sleep 100"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_EQ(st::read_lines(c.get(), 1, patience).data, "ready\n");
    auto children = st::children_of(p.pid());
    ASSERT_EQ(children.size(), 1u);
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait_for(patience), 128 + SIGKILL);
    EXPECT_FALSE(st::alive(children[0]));
}

TEST(peer_reset, ends_a_run_with_a_program) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", at(l.port), "cat"});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), std::string(100000, 'x'), patience));
    st::close_with_reset(std::move(c));
    auto status = p.wait_for(patience);
    ASSERT_TRUE(status.has_value()) << "sockwrap hangs after a reset";
    EXPECT_NE(*status, 0);  // cat fails on ECONNRESET (1) or EPIPE (141)
}

TEST(peer_reset, ends_the_relay_with_a_message) {
    auto l = st::listen_tcp();
    auto p = start({"--connect", at(l.port)});  // stdin stays open: only the reset can end it
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), "before\n", patience));
    ASSERT_EQ(st::read_lines(p.out(), 1, patience).data, "before\n");
    ASSERT_TRUE(st::write_all(p.in(), "unread by the peer\n", patience));
    st::close_with_reset(std::move(c));
    EXPECT_EQ(p.wait_for(patience), 125);
    auto err = st::read_until_eof(p.err(), patience).data;
    EXPECT_EQ(only_line(err).rfind("sockwrap: ", 0), 0u);
    EXPECT_NE(err.find("connection reset by peer"), std::string::npos) << err;
}

}  // namespace
}  // namespace sockwrap_e2e
