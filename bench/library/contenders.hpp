#pragma once
/// \file
/// The ways of writing short `<<` lines into a socket that the benchmark compares.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string_view>

namespace bench {

/// The work every contender does, through whatever std::ostream it sets up:
/// `os << "line " << i << '\n'` for i in [0, lines).
void write_lines(std::ostream& os, std::size_t lines);

/// The exact number of bytes write_lines() produces.
std::uint64_t bytes_of_lines(std::size_t lines) noexcept;

/// One way of getting a std::ostream onto a loopback socket.
struct contender {
    std::string_view id;    ///< short name for --only
    std::string_view name;  ///< as shown in the table
    /// Connects to 127.0.0.1:`port`, writes `lines` lines and closes the connection so that
    /// the reader sees the end. Throws if a write fails.
    void (*run)(std::uint16_t port, std::size_t lines);
};

/// Every contender; the first is the baseline the others are compared to.
std::span<const contender> contenders() noexcept;

}  // namespace bench
