#include "net/access_list.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>
#include <string_view>

namespace {

using sockwrap::access_error;
using sockwrap::access_list;
using sockwrap::parse_cidr;

// A peer address as accept() would report it.
struct peer {
    sockaddr_storage storage{};
    socklen_t length = 0;

    explicit peer(const std::string& ip) {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
        if (::inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            length = sizeof *v4;
        } else if (::inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            length = sizeof *v6;
        } else {
            ADD_FAILURE() << "test address " << ip;
        }
    }
    const sockaddr* address() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

bool permits(const access_list& list, const std::string& ip) {
    peer p(ip);
    return list.permits(p.address(), p.length);
}

TEST(parse_cidr, plain_addresses_are_single_hosts) {
    EXPECT_EQ(parse_cidr("192.0.2.7").to_string(), "192.0.2.7/32");
    EXPECT_EQ(parse_cidr("2001:db8::1").to_string(), "2001:db8::1/128");
    EXPECT_EQ(parse_cidr("[::1]").to_string(), "::1/128");
}

TEST(parse_cidr, blocks_keep_their_prefix) {
    EXPECT_EQ(parse_cidr("10.0.0.0/8").to_string(), "10.0.0.0/8");
    EXPECT_EQ(parse_cidr("0.0.0.0/0").to_string(), "0.0.0.0/0");
    EXPECT_EQ(parse_cidr("fd00::/8").to_string(), "fd00::/8");
    EXPECT_EQ(parse_cidr("[2001:db8::]/32").to_string(), "2001:db8::/32");
    EXPECT_EQ(parse_cidr("::/0").to_string(), "::/0");
}

TEST(parse_cidr, ipv4_mapped_blocks_become_ipv4) {
    auto block = parse_cidr("::ffff:10.1.0.0/112");
    EXPECT_EQ(block.family, AF_INET);
    EXPECT_EQ(block.to_string(), "10.1.0.0/16");
}

TEST(parse_cidr, errors_name_the_bad_text) {
    for (const char* bad :
         {"", "/8", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0/8", "10.0.0.0/x",
          "10.0.0.1/8", "fd00::1/8", "1.2.3.4.5", "[10.0.0.1]", "10.0.0.0/-1", "10.0.0.0/0008"}) {
        try {
            parse_cidr(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const access_error& e) {
            EXPECT_NE(std::string(e.what()).find("'" + std::string(bad) + "'"), std::string::npos)
                << e.what();
        }
    }
}

TEST(parse_cidr, nothing_hides_behind_a_nul_byte) {
    using namespace std::string_view_literals;
    for (std::string_view bad : {"10.0.0.0\0/8"sv, "::\0\0"sv, "192.0.2.7\0junk"sv, "[::1\0]"sv})
        EXPECT_THROW(parse_cidr(bad), access_error) << bad.size() << " bytes";
}

TEST(access_list, empty_list_serves_everyone) {
    access_list list;
    EXPECT_TRUE(list.empty());
    EXPECT_TRUE(permits(list, "127.0.0.1"));
    EXPECT_TRUE(permits(list, "::1"));
}

TEST(access_list, allow_rules_make_a_whitelist) {
    access_list list;
    list.allow("10.0.0.0/8");
    list.allow("192.0.2.7");
    EXPECT_TRUE(permits(list, "10.200.3.4"));
    EXPECT_TRUE(permits(list, "192.0.2.7"));
    EXPECT_FALSE(permits(list, "192.0.2.8"));
    EXPECT_FALSE(permits(list, "11.0.0.1"));
    EXPECT_FALSE(permits(list, "::1"));
}

TEST(access_list, deny_rules_alone_block_only_their_blocks) {
    access_list list;
    list.deny("127.0.0.0/8");
    EXPECT_FALSE(permits(list, "127.0.0.1"));
    EXPECT_FALSE(permits(list, "127.255.255.254"));
    EXPECT_TRUE(permits(list, "128.0.0.1"));
    EXPECT_TRUE(permits(list, "::1"));
}

TEST(access_list, deny_wins_over_allow) {
    access_list list;
    list.allow("10.0.0.0/8");
    list.deny("10.9.0.0/16");
    EXPECT_TRUE(permits(list, "10.8.255.255"));
    EXPECT_FALSE(permits(list, "10.9.0.1"));
    // The order of the options does not matter.
    access_list reversed;
    reversed.deny("10.9.0.0/16");
    reversed.allow("10.0.0.0/8");
    EXPECT_FALSE(permits(reversed, "10.9.0.1"));
}

TEST(access_list, ipv6_rules_match_ipv6_peers) {
    access_list list;
    list.allow("2001:db8::/33");
    list.deny("2001:db8:0:1::/64");
    EXPECT_TRUE(permits(list, "2001:db8::5"));
    EXPECT_TRUE(permits(list, "2001:db8:7fff::1"));
    EXPECT_FALSE(permits(list, "2001:db8:8000::1"));
    EXPECT_FALSE(permits(list, "2001:db8:0:1::9"));
    EXPECT_FALSE(permits(list, "10.0.0.1"));
}

TEST(access_list, ipv4_mapped_peers_are_judged_by_ipv4_rules) {
    access_list list;
    list.allow("127.0.0.1");
    list.deny("10.0.0.0/8");
    EXPECT_TRUE(permits(list, "::ffff:127.0.0.1"));
    EXPECT_FALSE(permits(list, "::ffff:127.0.0.2"));
    access_list deny_v4;
    deny_v4.deny("10.0.0.0/8");
    EXPECT_FALSE(permits(deny_v4, "::ffff:10.1.2.3"));
    EXPECT_TRUE(permits(deny_v4, "::ffff:11.1.2.3"));
}

TEST(access_list, mixed_lists) {
    access_list list;
    list.allow("127.0.0.1");
    list.allow("::1");
    list.deny("::/0");
    EXPECT_TRUE(permits(list, "127.0.0.1"));
    EXPECT_FALSE(permits(list, "::1"));  // deny wins, even over an exact allow
    EXPECT_FALSE(permits(list, "127.0.0.2"));
}

TEST(access_list, odd_prefix_lengths) {
    access_list list;
    list.allow("192.0.2.128/25");
    EXPECT_TRUE(permits(list, "192.0.2.128"));
    EXPECT_TRUE(permits(list, "192.0.2.255"));
    EXPECT_FALSE(permits(list, "192.0.2.127"));
}

TEST(access_list, non_ip_peers_pass_only_an_empty_list) {
    sockaddr_storage unix_peer{};
    unix_peer.ss_family = AF_UNIX;
    const auto* address = reinterpret_cast<const sockaddr*>(&unix_peer);
    access_list open;
    EXPECT_TRUE(open.permits(address, sizeof unix_peer));
    access_list closed;
    closed.deny("10.0.0.0/8");
    EXPECT_FALSE(closed.permits(address, sizeof unix_peer));
}

}  // namespace
