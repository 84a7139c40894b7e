#pragma once
/// \file
/// --pty-stdin: what the peer sends, made safe for a terminal in canonical mode. A
/// transforming stream of the relay engine: it reads another source and hands on the quoted
/// bytes.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "relay/stream.hpp"

namespace sockwrap {

/// Appends `raw` to `out` with NUL, VEOF and VLNEXT quoted by VLNEXT, and a VEOF after every
/// `push_every` bytes of an unfinished line (a canonical line holds at most 4095 bytes; the
/// VEOF hands the reader what is there); `line_length` carries the length of the unfinished
/// line between calls.
void quote_terminal_input(std::string_view raw, std::string& out, std::size_t& line_length,
                          std::size_t push_every);

/// The bytes that end terminal input: VEOF, twice if a line is unfinished (a VEOF after
/// unfinished text only delivers that text).
std::string terminal_end_of_input(std::size_t line_length);

/// The peer's bytes on their way into the terminal: quoted (quote_terminal_input()), and
/// the end of the source turned into terminal_end_of_input() instead of a close, which would
/// hang up the child. The source is read again only once the quoted bytes are handed on.
class terminal_input final : public relay::byte_source {
  public:
    /// Reads `raw` (which must outlive this).
    explicit terminal_input(relay::byte_source& raw) : raw_(raw) {}

    relay::transfer read(std::span<char> into) override;
    std::string name() const override { return raw_.name(); }

  private:
    relay::byte_source& raw_;
    std::vector<char> raw_chunk_ = std::vector<char>(16 * 1024);
    std::string quoted_;      // quoted bytes not yet handed on
    std::size_t handed_ = 0;  // how many of quoted_ are
    std::size_t line_length_ = 0;
    bool raw_ended_ = false;
};

}  // namespace sockwrap
