// Parsing and matching --allow / --deny CIDR rules.

#include "net/access_list.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace sockwrap {

namespace {

// ::ffff:0:0/96, the prefix of IPv4-mapped IPv6 addresses.
constexpr std::array<std::uint8_t, 12> mapped_prefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const std::uint8_t* v6) {
    return std::equal(mapped_prefix.begin(), mapped_prefix.end(), v6);
}

[[noreturn]] void fail(std::string_view text, std::string_view why) {
    throw access_error("bad address rule '" + std::string(text) + "': " + std::string(why) +
                       " (expected ADDRESS or ADDRESS/PREFIX, e.g. 10.0.0.0/8 or fd00::/8)");
}

int parse_prefix(std::string_view full, std::string_view digits, int max) {
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        fail(full, "the prefix length is not a number");
    int value = 0;
    for (char c : digits)
        value = value * 10 + (c - '0');
    if (value > max) fail(full, "the prefix length is above " + std::to_string(max));
    return value;
}

bool host_bits_clear(const cidr_block& block) {
    int total = block.family == AF_INET ? 32 : 128;
    for (int bit = block.prefix; bit < total; ++bit)
        if (block.bytes[bit / 8] & (0x80 >> (bit % 8))) return false;
    return true;
}

// Compares the first `bits` bits of two addresses.
bool same_prefix(const std::uint8_t* a, const std::uint8_t* b, int bits) {
    int whole = bits / 8;
    if (std::memcmp(a, b, whole) != 0) return false;
    int rest = bits % 8;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

bool cidr_block::contains(int address_family, const std::uint8_t* address) const noexcept {
    return address_family == family && same_prefix(bytes.data(), address, prefix);
}

std::string cidr_block::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(family, bytes.data(), text, sizeof text);
    return std::string(text) + "/" + std::to_string(prefix);
}

cidr_block parse_cidr(std::string_view text) {
    std::string_view address = text;
    std::string_view prefix;
    bool has_prefix = false;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
        address = text.substr(0, slash);
        prefix = text.substr(slash + 1);
        has_prefix = true;
    }
    bool bracketed = address.size() >= 2 && address.front() == '[' && address.back() == ']';
    if (bracketed) address = address.substr(1, address.size() - 2);
    if (address.empty()) fail(text, "no address");
    // inet_pton() reads up to a NUL: the text after one would be ignored, not refused.
    if (address.find('\0') != std::string_view::npos) fail(text, "the address has a NUL byte");

    cidr_block block;
    std::string copy(address);  // inet_pton needs a terminated string
    if (!bracketed && ::inet_pton(AF_INET, copy.c_str(), block.bytes.data()) == 1) {
        block.family = AF_INET;
        block.prefix = has_prefix ? parse_prefix(text, prefix, 32) : 32;
    } else if (::inet_pton(AF_INET6, copy.c_str(), block.bytes.data()) == 1) {
        block.family = AF_INET6;
        block.prefix = has_prefix ? parse_prefix(text, prefix, 128) : 128;
    } else {
        fail(text, "not an IPv4 or IPv6 address");
    }
    if (!host_bits_clear(block)) fail(text, "bits are set past the prefix length");
    // Peers arriving as ::ffff:a.b.c.d are judged as IPv4, so such a rule must be IPv4 too.
    if (block.family == AF_INET6 && block.prefix >= 96 && is_v4_mapped(block.bytes.data())) {
        std::array<std::uint8_t, 16> v4{};
        std::copy_n(block.bytes.begin() + 12, 4, v4.begin());
        block.bytes = v4;
        block.family = AF_INET;
        block.prefix -= 96;
    }
    return block;
}

bool access_list::permits(const sockaddr* address, socklen_t length) const noexcept {
    if (empty()) return true;
    int family = AF_UNSPEC;
    const std::uint8_t* bytes = nullptr;
    if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        family = AF_INET;
        bytes = reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in*>(address)->sin_addr);
    } else if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        family = AF_INET6;
        bytes = reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
        if (is_v4_mapped(bytes)) {
            family = AF_INET;
            bytes += 12;
        }
    } else {
        return false;  // rules exist but cannot judge this peer: refuse
    }
    auto matches = [&](const cidr_block& block) { return block.contains(family, bytes); };
    if (std::any_of(denied_.begin(), denied_.end(), matches)) return false;
    return allowed_.empty() || std::any_of(allowed_.begin(), allowed_.end(), matches);
}

}  // namespace sockwrap
