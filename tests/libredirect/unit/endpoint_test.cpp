// Endpoint parsing: every accepted form, and malformed inputs with their messages.

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

#include "redirect/endpoint.hpp"

using redirect::endpoint;
using redirect::endpoint_error;
using redirect::parse_endpoint;

TEST(endpoint, host_and_port) {
    endpoint ep = parse_endpoint("localhost:8080");
    EXPECT_EQ(ep.type, endpoint::kind::tcp);
    EXPECT_EQ(ep.host_type, endpoint::host_kind::named);
    EXPECT_EQ(ep.host, "localhost");
    EXPECT_EQ(ep.port, 8080);
    EXPECT_EQ(ep.to_string(), "localhost:8080");
}

TEST(endpoint, ipv4_address_and_port_zero) {
    endpoint ep = parse_endpoint("127.0.0.1:0");
    EXPECT_EQ(ep.host, "127.0.0.1");
    EXPECT_EQ(ep.port, 0);
}

TEST(endpoint, bracketed_ipv6) {
    endpoint ep = parse_endpoint("[::1]:9000");
    EXPECT_EQ(ep.host_type, endpoint::host_kind::named);
    EXPECT_EQ(ep.host, "::1");
    EXPECT_EQ(ep.port, 9000);
    EXPECT_EQ(ep.to_string(), "[::1]:9000");
}

TEST(endpoint, ipv6_with_zone) {
    endpoint ep = parse_endpoint("[fe80::1%lo]:22");
    EXPECT_EQ(ep.host, "fe80::1%lo");
    EXPECT_EQ(ep.port, 22);
}

TEST(endpoint, empty_host_means_loopback) {
    endpoint ep = parse_endpoint(":9000");
    EXPECT_EQ(ep.host_type, endpoint::host_kind::loopback);
    EXPECT_TRUE(ep.host.empty());
    EXPECT_EQ(ep.to_string(), ":9000");
}

TEST(endpoint, star_means_every_interface) {
    endpoint ep = parse_endpoint("*:65535");
    EXPECT_EQ(ep.host_type, endpoint::host_kind::any);
    EXPECT_EQ(ep.port, 65535);
    EXPECT_EQ(ep.to_string(), "*:65535");
}

TEST(endpoint, unix_path) {
    endpoint ep = parse_endpoint("unix:/tmp/some dir/x.sock");
    EXPECT_TRUE(ep.is_unix());
    EXPECT_EQ(ep.path, "/tmp/some dir/x.sock");
    EXPECT_EQ(ep.to_string(), "unix:/tmp/some dir/x.sock");
}

TEST(endpoint, relative_unix_path) {
    EXPECT_EQ(parse_endpoint("unix:x.sock").path, "x.sock");
}

TEST(endpoint, service_name_port) {
    endpoint ep = parse_endpoint("example.org:http");
    EXPECT_EQ(ep.port, 80);
    EXPECT_EQ(ep.host, "example.org");
}

TEST(endpoint, forms_are_listed) {
    const std::string forms(redirect::endpoint_forms());
    for (const char* form : {"HOST:PORT", "[IPV6]:PORT", ":PORT", "*:PORT", "unix:PATH"})
        EXPECT_NE(forms.find(form), std::string::npos) << form;
}

struct malformed {
    malformed(std::string t, std::string r, std::string q = {})
        : text(std::move(t)), reason(std::move(r)), quoted(std::move(q)) {}
    std::string text;
    std::string reason;  // expected in the message
    std::string quoted;  // how the message quotes `text`, when it differs (control bytes)
};

// Shown by GoogleTest when a case fails.
void PrintTo(const malformed& m, std::ostream* out) {
    *out << '\'' << m.quoted << (m.quoted.empty() ? m.text : std::string()) << '\'';
}

// A test name from the expected reason: its letters and digits, and the case's number.
std::string case_name(const testing::TestParamInfo<malformed>& info) {
    std::string name;
    for (char c : info.param.reason) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            name += c;
        else if (!name.empty() && name.back() != '_')
            name += '_';
    }
    return std::to_string(info.index) + "_" + name;
}

class endpoint_malformed : public testing::TestWithParam<malformed> {};

TEST_P(endpoint_malformed, is_rejected_with_its_reason) {
    const malformed& m = GetParam();
    try {
        parse_endpoint(m.text);
        FAIL() << "accepted: " << m.text;
    } catch (const endpoint_error& e) {
        const std::string message = e.what();
        const std::string quoted = m.quoted.empty() ? m.text : m.quoted;
        EXPECT_NE(message.find("bad endpoint '" + quoted + "'"), std::string::npos) << message;
        EXPECT_NE(message.find(m.reason), std::string::npos) << message;
        EXPECT_NE(message.find(std::string(redirect::endpoint_forms())), std::string::npos)
            << message;
    }
}

INSTANTIATE_TEST_SUITE_P(
    inputs, endpoint_malformed,
    testing::Values(
        malformed{"", "empty"}, malformed{"localhost", "missing ':PORT'"},
        malformed{"localhost:", "missing port"}, malformed{":", "missing port"},
        malformed{"[::1]:", "missing port"},
        malformed{"host:65536", "port 65536 is out of range 0-65535"},
        malformed{"host:99999999999", "is out of range 0-65535"},
        malformed{"host:12x", "port '12x' is not a number"},
        malformed{"host:-1", "port '-1' is not valid"},
        malformed{"host:a.b", "port 'a.b' is not valid"},
        malformed{"host:no-such-service-here", "unknown service 'no-such-service-here'"},
        malformed{"::1:80", "must be written in brackets"},
        malformed{"[::1]80", "missing ':PORT' after ']'"}, malformed{"[::1", "missing ']'"},
        malformed{"[]:80", "empty IPv6 address"},
        malformed{"[example.org]:80", "'example.org' is not an IPv6 address"},
        malformed{"[fe80::1%]:80", "'fe80::1%' is not an IPv6 address"},
        malformed{"ho st:80", "host 'ho st' contains ' '"},
        malformed{"a/b:80", "host 'a/b' contains '/'"},
        malformed{"a\tb:80", "host 'a\\x09b' contains '\\x09'", "a\\x09b:80"},
        malformed{"unix:", "missing socket path after 'unix:'"},
        malformed{"unix:/" + std::string(120, 'x'), "socket path is longer than 107"},
        malformed{std::string("unix:/tmp/a\0b", 13), "contains a NUL byte", "unix:/tmp/a\\x00b"}),
    case_name);

TEST(printable, keeps_text_and_characters_and_escapes_the_rest) {
    using redirect::printable;
    EXPECT_EQ(printable("plain text: 1.2.3.4"), "plain text: 1.2.3.4");
    EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
              "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");  // é € 😀
    EXPECT_EQ(printable(std::string("a\0b\n\x1b[2J\x7f", 9)), "a\\x00b\\x0a\\x1b[2J\\x7f");
    EXPECT_EQ(printable("\xc2\x9b"
                        "31m \xc2\x85"),
              "\\xc2\\x9b31m \\xc2\\x85");         // C1 controls
    EXPECT_EQ(printable("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is a character
    EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");
    EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
    EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");                    // cut short
    EXPECT_EQ(printable("\xe2\x82x"), "\\xe2\\x82x");
}
