#include "redirect/endpoint.hpp"

#include <netdb.h>
#include <sys/un.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace redirect {

namespace {

void append_escape(std::string& out, unsigned char byte) {
    static const char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
}

// The length of the well-formed UTF-8 sequence at the start of `s` (2 to 4 bytes; RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view s) {
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = at(0);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // the allowed range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) low = 0xa0;
        if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) low = 0x90;
        if (lead == 0xf4) high = 0x8f;
    } else {
        return 0;
    }
    if (s.size() < length || at(1) < low || at(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (at(i) < 0x80 || at(i) > 0xbf) return 0;
    }
    return length;
}

}  // namespace

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        const auto byte = static_cast<unsigned char>(text.front());
        const std::size_t sequence = byte >= 0x80 ? utf8_sequence_length(text) : 0;
        // U+0080..U+009F: a terminal takes these for control codes (0x9b starts a CSI).
        const bool c1_control =
            sequence == 2 && byte == 0xc2 && static_cast<unsigned char>(text[1]) < 0xa0;
        std::size_t length = 1;
        if (byte >= 0x20 && byte < 0x7f) {
            out += text.front();
        } else if (sequence != 0 && !c1_control) {
            length = sequence;
            out.append(text.substr(0, length));
        } else {
            length = c1_control ? 2 : 1;
            for (std::size_t i = 0; i < length; ++i)
                append_escape(out, static_cast<unsigned char>(text[i]));
        }
        text.remove_prefix(length);
    }
    return out;
}

namespace {

constexpr std::string_view forms =
    "HOST:PORT, [IPV6]:PORT, :PORT (loopback), *:PORT (all interfaces) or unix:PATH";

[[noreturn]] void fail(std::string_view text, std::string_view why) {
    throw endpoint_error("bad endpoint '" + printable(text) + "': " + printable(why) +
                         "; expected " + std::string(forms));
}

bool is_service_name(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s.front()))) return false;
    for (char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    }
    return true;
}

std::uint16_t parse_port(std::string_view text, std::string_view port) {
    if (port.empty()) fail(text, "missing port");
    if (std::isdigit(static_cast<unsigned char>(port.front()))) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (end != port.data() + port.size())
            fail(text, "port '" + std::string(port) + "' is not a number");
        if (ec == std::errc::result_out_of_range || value > 65535)
            fail(text, "port " + std::string(port) + " is out of range 0-65535");
        return static_cast<std::uint16_t>(value);
    }
    if (!is_service_name(port)) fail(text, "port '" + std::string(port) + "' is not valid");
    servent result{};
    servent* found = nullptr;
    char buffer[1024];
    std::string name(port);
    if (::getservbyname_r(name.c_str(), "tcp", &result, buffer, sizeof buffer, &found) != 0 ||
        found == nullptr)
        fail(text, "unknown service '" + name + "'");
    return ntohs(static_cast<std::uint16_t>(found->s_port));
}

bool is_host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

endpoint parse_unix(std::string_view text, std::string_view path) {
    if (path.empty()) fail(text, "missing socket path after 'unix:'");
    if (path.size() >= sizeof(sockaddr_un{}.sun_path))
        fail(text, "socket path is longer than " +
                       std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes");
    if (path.find('\0') != std::string_view::npos) fail(text, "socket path contains a NUL byte");
    endpoint ep;
    ep.type = endpoint::kind::unix_domain;
    ep.path = std::string(path);
    return ep;
}

}  // namespace

std::string_view endpoint_forms() noexcept {
    return forms;
}

endpoint parse_endpoint(std::string_view text) {
    if (text.empty()) fail(text, "empty");
    if (text.starts_with("unix:")) return parse_unix(text, text.substr(5));

    endpoint ep;
    std::string_view host;
    std::string_view port;
    if (text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos) fail(text, "missing ']' after IPv6 address");
        host = text.substr(1, close - 1);
        if (host.empty()) fail(text, "empty IPv6 address");
        if (close + 1 >= text.size() || text[close + 1] != ':')
            fail(text, "missing ':PORT' after ']'");
        port = text.substr(close + 2);
        // An address, then an optional zone (an interface name or number) after '%'.
        const auto percent = host.find('%');
        const auto address = host.substr(0, percent);
        const auto zone =
            percent == std::string_view::npos ? std::string_view{} : host.substr(percent + 1);
        if (address.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos ||
            address.find(':') == std::string_view::npos ||
            (percent != std::string_view::npos &&
             (zone.empty() || !std::all_of(zone.begin(), zone.end(), is_host_char))))
            fail(text, "'" + std::string(host) + "' is not an IPv6 address");
        ep.host_type = endpoint::host_kind::named;
        ep.host = std::string(host);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) fail(text, "missing ':PORT'");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            fail(text, "an IPv6 address must be written in brackets, as [::1]:PORT");
        if (host.empty()) {
            ep.host_type = endpoint::host_kind::loopback;
        } else if (host == "*") {
            ep.host_type = endpoint::host_kind::any;
        } else {
            for (char c : host) {
                if (!is_host_char(c))
                    fail(text, "host '" + std::string(host) + "' contains '" + c + "'");
            }
            ep.host_type = endpoint::host_kind::named;
            ep.host = std::string(host);
        }
    }
    ep.port = parse_port(text, port);
    return ep;
}

std::string endpoint::to_string() const {
    if (is_unix()) return "unix:" + path;
    std::string port_text = std::to_string(port);
    switch (host_type) {
        case host_kind::loopback:
            return ":" + port_text;
        case host_kind::any:
            return "*:" + port_text;
        case host_kind::named:
            break;
    }
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + port_text;
    return host + ":" + port_text;
}

}  // namespace redirect
