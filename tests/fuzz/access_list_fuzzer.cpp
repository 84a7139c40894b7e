// Fuzz target: sockwrap::parse_cidr() and the access list built from the rules it accepts.
//
// The input is up to 16 lines. A line that starts with '+' is an --allow rule, one that starts
// with '-' a --deny rule (the rest of the line is the rule), any other line only a block to
// parse. Properties checked:
// - the only exception is access_error, and allow()/deny() accept exactly what parse_cidr()
//   accepts;
// - an accepted text has no NUL byte (nothing may hide behind one) and gives a well-formed
//   block: AF_INET or AF_INET6, a prefix within the family's width, no host bits set;
// - to_string() parses back to the same block and is canonical; an IPv4 block written as the
//   IPv4-mapped IPv6 block, and an IPv6 block written in brackets, parse to the same block;
// - a block contains its first and last address, not the first address with the last prefix
//   bit flipped, and nothing of the other family;
// - permits() answers as the rules say (deny wins; with allow rules a peer must match one) for
//   the first and last address of every block, an IPv4 peer the same as an IPv4-mapped IPv6
//   one (which only the IPv4 rules judge), and refuses what it cannot judge once there are
//   rules.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "net/access_list.hpp"

namespace {

using sockwrap::cidr_block;

constexpr std::size_t max_lines = 16;

int width(const cidr_block& b) {
    return b.family == AF_INET ? 32 : 128;
}

bool same_block(const cidr_block& a, const cidr_block& b) {
    return a.family == b.family && a.prefix == b.prefix && a.bytes == b.bytes;
}

std::optional<cidr_block> parsed(std::string_view text) {
    try {
        return sockwrap::parse_cidr(text);
    } catch (const sockwrap::access_error&) {
        return std::nullopt;
    }
}

// The block's address with every bit from `prefix` on set: the last address in it.
std::array<std::uint8_t, 16> last_address(const cidr_block& b) {
    auto bytes = b.bytes;
    for (int bit = b.prefix; bit < width(b); ++bit)
        bytes[bit / 8] = static_cast<std::uint8_t>(bytes[bit / 8] | (0x80 >> (bit % 8)));
    return bytes;
}

std::string address_text(const cidr_block& b) {
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(b.family, b.bytes.data(), text, sizeof text);
    return text;
}

void check_block(std::string_view text, const cidr_block& b) {
    fuzz::require(text.find('\0') == std::string_view::npos, "an accepted rule has no NUL byte",
                  text);
    fuzz::require(b.family == AF_INET || b.family == AF_INET6, "the family is IPv4 or IPv6", text);
    fuzz::require(b.prefix >= 0 && b.prefix <= width(b), "the prefix fits the family", text);
    if (b.family == AF_INET)
        fuzz::require(std::all_of(b.bytes.begin() + 4, b.bytes.end(), [](auto x) { return !x; }),
                      "an IPv4 block uses 4 bytes", text);

    const std::string written = b.to_string();
    const auto again = parsed(written);
    fuzz::require(again && same_block(*again, b), "parse(to_string()) gives the same block",
                  written);
    fuzz::require(again->to_string() == written, "to_string() is canonical", written);
    const std::string prefix = "/" + std::to_string(b.prefix);
    const auto other_form =
        b.family == AF_INET
            ? parsed("::ffff:" + address_text(b) + "/" + std::to_string(b.prefix + 96))
            : parsed("[" + address_text(b) + "]" + prefix);
    fuzz::require(other_form && same_block(*other_form, b),
                  "the mapped or bracketed form gives the same block", written);

    fuzz::require(b.contains(b.family, b.bytes.data()), "a block contains its first address",
                  written);
    const auto last = last_address(b);
    fuzz::require(b.contains(b.family, last.data()), "a block contains its last address", written);
    if (b.prefix > 0) {
        auto outside = b.bytes;
        const int bit = b.prefix - 1;
        outside[bit / 8] = static_cast<std::uint8_t>(outside[bit / 8] ^ (0x80 >> (bit % 8)));
        fuzz::require(!b.contains(b.family, outside.data()),
                      "a block does not contain an address outside its prefix", written);
    }
    const int other_family = b.family == AF_INET ? AF_INET6 : AF_INET;
    fuzz::require(!b.contains(other_family, b.bytes.data()),
                  "a block contains nothing of the other family", written);
}

struct rules {
    std::vector<cidr_block> allowed;
    std::vector<cidr_block> denied;
    sockwrap::access_list list;
};

bool expected_permit(const rules& r, int family, const std::uint8_t* address) {
    auto matches = [&](const cidr_block& b) { return b.contains(family, address); };
    if (std::any_of(r.denied.begin(), r.denied.end(), matches)) return false;
    return r.allowed.empty() || std::any_of(r.allowed.begin(), r.allowed.end(), matches);
}

bool is_v4_mapped(const std::uint8_t* v6) {
    constexpr std::uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::equal(std::begin(prefix), std::end(prefix), v6);
}

bool permits_v4(const rules& r, const std::uint8_t* address) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    std::memcpy(&in.sin_addr, address, 4);
    return r.list.permits(reinterpret_cast<const sockaddr*>(&in), sizeof in);
}

bool permits_v6(const rules& r, const std::uint8_t* address) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    std::memcpy(&in6.sin6_addr, address, 16);
    return r.list.permits(reinterpret_cast<const sockaddr*>(&in6), sizeof in6);
}

void check_peer(const rules& r, int family, const std::uint8_t* address) {
    if (family == AF_INET6) {
        // A mapped address (the last one of ::/80, say) is an IPv4 peer: the IPv4 rules
        // judge it, and an IPv6 block that spans it does not count.
        const bool expected = is_v4_mapped(address) ? expected_permit(r, AF_INET, address + 12)
                                                    : expected_permit(r, AF_INET6, address);
        fuzz::require(permits_v6(r, address) == expected, "permits() follows the IPv6 rules");
        return;
    }
    const bool expected = expected_permit(r, family, address);
    fuzz::require(permits_v4(r, address) == expected, "permits() follows the IPv4 rules");
    std::array<std::uint8_t, 16> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    std::copy_n(address, 4, mapped.begin() + 12);
    fuzz::require(permits_v6(r, mapped.data()) == expected,
                  "an IPv4-mapped peer is judged as IPv4");
}

void check_list(const rules& r, const std::vector<cidr_block>& blocks) {
    const bool empty = r.allowed.empty() && r.denied.empty();
    fuzz::require(r.list.empty() == empty, "empty() says whether there are rules");
    for (const cidr_block& b : blocks) {
        check_peer(r, b.family, b.bytes.data());
        check_peer(r, b.family, last_address(b).data());
    }
    sockaddr_un local{};
    local.sun_family = AF_UNIX;
    fuzz::require(r.list.permits(reinterpret_cast<const sockaddr*>(&local), sizeof local) == empty,
                  "a peer that is not IP passes only an empty list");
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    fuzz::require(
        r.list.permits(reinterpret_cast<const sockaddr*>(&in6), sizeof(sockaddr_in)) == empty,
        "a truncated address passes only an empty list");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    rules r;
    std::vector<cidr_block> blocks;
    for (std::size_t n = 0; n < max_lines && !input.empty(); ++n) {
        const auto end = std::min(input.find('\n'), input.size());
        std::string_view line = input.substr(0, end);
        input.remove_prefix(std::min(end + 1, input.size()));

        const char kind = line.empty() ? ' ' : line.front();
        const std::string_view text = kind == '+' || kind == '-' ? line.substr(1) : line;
        const auto block = parsed(text);
        if (block) {
            check_block(text, *block);
            blocks.push_back(*block);
        }
        if (kind != '+' && kind != '-') continue;
        try {
            if (kind == '+')
                r.list.allow(text);
            else
                r.list.deny(text);
            fuzz::require(block.has_value(), "a rule is accepted only when it parses", text);
            (kind == '+' ? r.allowed : r.denied).push_back(*block);
        } catch (const sockwrap::access_error&) {
            fuzz::require(!block, "a rule is refused only when it does not parse", text);
        }
    }
    check_list(r, blocks);
    return 0;
}
