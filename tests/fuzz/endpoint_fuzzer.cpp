// Fuzz target: redirect::parse_endpoint() on any text, and endpoint::to_string() on what it
// accepts.
//
// Properties checked on every input:
// - the only exception is endpoint_error, and its message is one printable line (no control
//   byte: what() is quoted in sockwrap's one-line failures);
// - an accepted endpoint writes back as text that parses to the same endpoint, and writing
//   that one back gives the same text again (to_string() is canonical);
// - a unix: endpoint keeps every byte after "unix:" as its path; a named host is a part of
//   the text as written.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "redirect/endpoint.hpp"

namespace {

bool one_printable_line(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) return false;
    }
    return true;
}

void check_accepted(std::string_view text, const redirect::endpoint& ep) {
    if (ep.is_unix()) {
        fuzz::require(ep.path == text.substr(5), "unix: path is the text after 'unix:'", text);
        fuzz::require(ep.host.empty() && ep.port == 0, "unix: endpoint has no host or port", text);
    } else {
        fuzz::require(ep.path.empty(), "tcp endpoint has no path", text);
        fuzz::require((ep.host_type == redirect::endpoint::host_kind::named) != ep.host.empty(),
                      "a host is given exactly for a named host", text);
        fuzz::require(text.find(ep.host) != std::string_view::npos,
                      "the host is written in the text", text);
    }

    const std::string written = ep.to_string();
    redirect::endpoint again;
    try {
        again = redirect::parse_endpoint(written);
    } catch (const redirect::endpoint_error&) {
        fuzz::require(false, "to_string() of an accepted endpoint parses", written);
    }
    fuzz::require(fuzz::same_endpoint(ep, again), "parse(to_string()) gives the same endpoint",
                  written);
    fuzz::require(again.to_string() == written, "to_string() is canonical", written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    redirect::endpoint ep;
    try {
        ep = redirect::parse_endpoint(text);
    } catch (const redirect::endpoint_error& e) {
        fuzz::require(one_printable_line(e.what()), "the error message is one printable line",
                      e.what());
        return 0;
    }
    check_accepted(text, ep);
    return 0;
}
