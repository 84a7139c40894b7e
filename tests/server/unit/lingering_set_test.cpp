#include "serve/lingering_set.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "sockwrap_test/net.hpp"

namespace {

using sockwrap::lingering_set;
using namespace std::chrono_literals;

namespace st = sockwrap_test;
// In each socket pair, the server end is sockwrap's and the client end the peer's.

// One poll() round over the set, as the server does it.
void poll_once(lingering_set& set, int timeout_ms) {
    std::vector<pollfd> fds;
    set.add_pollfds(fds);
    ASSERT_GE(::poll(fds.data(), fds.size(), timeout_ms), 0);
    set.drain(fds.data(), fds.size());
}

TEST(lingering_set, sends_fin_at_once) {
    st::socket_pair p = st::connected_unix_pair();
    lingering_set set;
    set.add(std::move(p.server), lingering_set::clock::now() + 10s);
    char c;
    EXPECT_EQ(::recv(p.client.get(), &c, 1, MSG_DONTWAIT), 0);  // end of file, not EAGAIN
    EXPECT_EQ(set.size(), 1u);
}

TEST(lingering_set, drains_until_the_peer_closes) {
    st::socket_pair p = st::connected_unix_pair();
    ASSERT_EQ(::send(p.client.get(), "unread", 6, 0), 6);
    lingering_set set;
    set.add(std::move(p.server), lingering_set::clock::now() + 10s);
    poll_once(set, 1000);
    EXPECT_EQ(set.size(), 1u);  // data drained, but the peer is still there
    p.client.reset();
    poll_once(set, 1000);
    EXPECT_TRUE(set.empty());
}

TEST(lingering_set, deadline_closes_a_silent_peer) {
    st::socket_pair p = st::connected_unix_pair();
    lingering_set set;
    auto now = lingering_set::clock::now();
    set.add(std::move(p.server), now + 5s);
    EXPECT_EQ(set.next_deadline(), now + 5s);
    set.expire(now + 4s);
    EXPECT_EQ(set.size(), 1u);
    set.expire(now + 5s);
    EXPECT_TRUE(set.empty());
    char c;
    EXPECT_EQ(::recv(p.client.get(), &c, 1, MSG_DONTWAIT), 0);
}

TEST(lingering_set, entries_added_after_polling_are_left_alone) {
    st::socket_pair first = st::connected_unix_pair(), second = st::connected_unix_pair();
    lingering_set set;
    set.add(std::move(first.server), lingering_set::clock::now() + 10s);
    std::vector<pollfd> fds;
    set.add_pollfds(fds);
    first.client.reset();
    ASSERT_EQ(::poll(fds.data(), fds.size(), 1000), 1);
    second.client.reset();  // ready too, but it was not polled
    set.add(std::move(second.server), lingering_set::clock::now() + 10s);
    set.drain(fds.data(), fds.size());
    EXPECT_EQ(set.size(), 1u);
}

TEST(lingering_set, a_settled_connection_is_closed_at_once) {
    st::socket_pair p = st::connected_unix_pair();
    EXPECT_TRUE(sockwrap::close_if_settled(p.server));
    EXPECT_FALSE(p.server);
    char c;
    EXPECT_EQ(::recv(p.client.get(), &c, 1, MSG_DONTWAIT), 0);  // end of file, not a reset
}

TEST(lingering_set, unread_input_keeps_the_connection_for_a_lingering_close) {
    st::socket_pair p = st::connected_unix_pair();
    ASSERT_EQ(::send(p.client.get(), "unread", 6, 0), 6);
    EXPECT_FALSE(sockwrap::close_if_settled(p.server));
    ASSERT_TRUE(p.server);
    char c;
    EXPECT_EQ(::recv(p.client.get(), &c, 1, MSG_DONTWAIT), -1);  // no FIN yet: left untouched
}

TEST(lingering_set, output_the_peer_has_not_taken_keeps_the_connection) {
    st::socket_pair p = st::connected_unix_pair();
    ASSERT_EQ(::send(p.server.get(), "last words", 10, 0), 10);
    EXPECT_FALSE(sockwrap::close_if_settled(p.server));
    ASSERT_TRUE(p.server);
    char text[16];
    EXPECT_EQ(::recv(p.client.get(), text, sizeof text, MSG_DONTWAIT), 10);
    EXPECT_TRUE(sockwrap::close_if_settled(p.server));  // taken now: nothing left to protect
}

}  // namespace
