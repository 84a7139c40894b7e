// Quoting the peer's bytes for a canonical-mode terminal, VEOF at the end.

#include "pty/terminal_input.hpp"

#include <algorithm>
#include <cstring>

namespace sockwrap {

namespace {

constexpr char veof = 0x04;    // ^D, as set by open_pty()
constexpr char vlnext = 0x16;  // ^V, as set by open_pty()
// Pushes an unfinished line to the reader well before the 4095-byte canonical limit.
constexpr std::size_t push_every = 2048;

// A byte the canonical line discipline would act on: VEOF, VLNEXT, and NUL, the value every
// disabled special character has on Linux.
bool needs_quoting(char c) {
    return c == veof || c == vlnext || c == '\0';
}

}  // namespace

void quote_terminal_input(std::string_view raw, std::string& out, std::size_t& line_length,
                          std::size_t push) {
    for (const char c : raw) {
        if (needs_quoting(c)) out += vlnext;
        out += c;
        if (c == '\n') {
            line_length = 0;
        } else if (++line_length >= push) {
            out += veof;  // the line is not empty, so this VEOF delivers it, not end-of-file
            line_length = 0;
        }
    }
}

std::string terminal_end_of_input(std::size_t line_length) {
    return line_length > 0 ? std::string{veof, veof} : std::string{veof};
}

relay::transfer terminal_input::read(std::span<char> into) {
    using relay::transfer;
    if (handed_ == quoted_.size()) {
        if (raw_ended_) return transfer::end();
        quoted_.clear();
        handed_ = 0;
        const transfer t = raw_.read(raw_chunk_);
        if (t.what == transfer::status::end_of_file) {
            raw_ended_ = true;
            quoted_ = terminal_end_of_input(line_length_);
        } else if (t.what == transfer::status::moved) {
            quote_terminal_input(std::string_view(raw_chunk_.data(), t.bytes), quoted_,
                                 line_length_, push_every);
        } else {
            return t;  // the raw source's would-block or failure, unchanged
        }
    }
    const std::size_t n = std::min(into.size(), quoted_.size() - handed_);
    std::memcpy(into.data(), quoted_.data() + handed_, n);
    handed_ += n;
    return transfer::moved(n);
}

}  // namespace sockwrap
