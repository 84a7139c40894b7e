#pragma once
/// \file
/// Socket endpoints as users write them: `HOST:PORT`, `[IPV6]:PORT`, `:PORT`, `*:PORT`,
/// `unix:PATH`.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace redirect {

/// Where a socket connects to or listens on.
struct endpoint {
    enum class kind {
        tcp,         ///< an IP host (name or address) and a port
        unix_domain  ///< a UNIX-domain stream socket at a filesystem path (not `unix`: GNU
                     ///< dialects of C++ predefine it as a macro)
    };
    /// How the host part was written, which decides what an empty host means.
    enum class host_kind {
        loopback,  ///< `:PORT` — 127.0.0.1 (then ::1 when connecting)
        any,       ///< `*:PORT` — every interface (IPv6 dual-stack, else IPv4)
        named      ///< `HOST:PORT` or `[IPV6]:PORT` — `host` holds the name or address
    };

    kind type = kind::tcp;
    host_kind host_type = host_kind::loopback;
    std::string host;        ///< the host name or address, without brackets (tcp, named only)
    std::uint16_t port = 0;  ///< the resolved port number (tcp only); 0 asks for a free port
    std::string path;        ///< the socket path (unix only)

    bool is_unix() const noexcept { return type == kind::unix_domain; }
    /// The endpoint written back in the accepted syntax (IPv6 hosts in brackets).
    std::string to_string() const;
};

/// Thrown by parse_endpoint(); what() quotes the bad text and lists the accepted forms.
class endpoint_error : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

/// Parses an endpoint. PORT is a number (0 to 65535) or a service name from the services
/// database. Throws endpoint_error on anything else.
endpoint parse_endpoint(std::string_view text);

/// The accepted forms, one line, for help and error texts.
std::string_view endpoint_forms() noexcept;

/// `text` as a one-line message can show it: control bytes (C0, DEL and the C1 range
/// U+0080..U+009F) and bytes that are not well-formed UTF-8 are written as `\xNN`, everything
/// else as it is. The library's own messages show endpoints, hosts and paths this way.
std::string printable(std::string_view text);

}  // namespace redirect
