#pragma once
/// \file
/// Which peers a listening sockwrap serves: `--allow CIDR` and `--deny CIDR` rules.

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sockwrap {

/// Thrown for a rule that is not an address or CIDR block; what() quotes the bad text.
class access_error : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

/// One block of IP addresses: an address family, a network address and a prefix length.
/// An IPv4-mapped IPv6 block (`::ffff:10.0.0.0/104`) is stored as the IPv4 block it maps.
struct cidr_block {
    int family = AF_INET;                  ///< AF_INET or AF_INET6
    std::array<std::uint8_t, 16> bytes{};  ///< network address; IPv4 uses the first 4 bytes
    int prefix = 32;                       ///< leading bits that must match

    /// True when `address` (4 or 16 bytes, by `address_family`) lies in this block.
    bool contains(int address_family, const std::uint8_t* address) const noexcept;
    /// The block in the usual notation, e.g. `10.0.0.0/8` or `fd00::/8`.
    std::string to_string() const;
};

/// Parses `ADDRESS` (a single host: /32 or /128) or `ADDRESS/PREFIX`, IPv4 or IPv6; the
/// IPv6 address may be written in brackets. Host bits set below the prefix are an error (a
/// likely typo). Throws access_error.
cidr_block parse_cidr(std::string_view text);

/// The `--allow` / `--deny` rules. Deny wins; when at least one allow rule exists, a peer
/// must match one of them; with no rules every peer is served.
class access_list {
  public:
    /// Adds an allow rule. Throws access_error.
    void allow(std::string_view text) { allowed_.push_back(parse_cidr(text)); }
    /// Adds a deny rule. Throws access_error.
    void deny(std::string_view text) { denied_.push_back(parse_cidr(text)); }

    /// True when there are no rules at all.
    bool empty() const noexcept { return allowed_.empty() && denied_.empty(); }

    /// Whether the peer at `address` may be served. An IPv4-mapped IPv6 peer (a dual-stack
    /// listener's view of an IPv4 client) is judged by the IPv4 rules. A peer that is not an
    /// IP address passes only an empty list.
    bool permits(const sockaddr* address, socklen_t length) const noexcept;

  private:
    std::vector<cidr_block> allowed_;
    std::vector<cidr_block> denied_;
};

}  // namespace sockwrap
