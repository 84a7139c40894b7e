#pragma once
/// \file
/// What the fuzz targets share: a property check that stops the run as a crash (so libFuzzer
/// saves the input), and endpoint equality.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "redirect/endpoint.hpp"

namespace fuzz {

/// Stops the process with a message when `property` is false: libFuzzer takes the abort for
/// a crash and writes the input to a crash-* file.
/// `detail` (the text concerned) is shown with bytes outside printable ASCII as \xNN.
inline void require(bool property, const char* what, std::string_view detail = {}) {
    if (property) return;
    std::fprintf(stderr, "property failed: %s [", what);
    for (char c : detail) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f)
            std::fputc(byte, stderr);
        else
            std::fprintf(stderr, "\\x%02x", byte);
    }
    std::fputs("]\n", stderr);
    std::abort();
}

/// True when every field of `a` and `b` is the same.
inline bool same_endpoint(const redirect::endpoint& a, const redirect::endpoint& b) {
    return a.type == b.type && a.host_type == b.host_type && a.host == b.host && a.port == b.port &&
           a.path == b.path;
}

}  // namespace fuzz
