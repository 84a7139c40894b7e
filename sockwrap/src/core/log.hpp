#pragma once
/// \file
/// The -v report: one line per event on stderr, prefixed like every sockwrap message.

#include <concepts>
#include <string>
#include <utility>

namespace sockwrap {

/// Writes verbose lines when enabled; silent otherwise.
class verbose_log {
  public:
    explicit verbose_log(bool enabled) noexcept : enabled_(enabled) {}
    bool enabled() const noexcept { return enabled_; }
    /// Writes `sockwrap: <line>` and a newline to stderr in one write, the line shown
    /// printable (redirect::printable(): control bytes and bad UTF-8 as `\xNN`).
    void line(const std::string& text) const;
    /// Writes the line that `make()` returns, calling it only when enabled: for lines whose
    /// text costs something to build (the local time reads the time zone file), so that a
    /// run without -v does none of that work.
    template <std::invocable F>
    void line(F&& make) const {
        if (enabled_) line(std::string(std::forward<F>(make)()));
    }

  private:
    bool enabled_;
};

/// The current local time as the source text's servers print it (`time.ctime()`):
/// "Sat Apr 24 07:50:15 2010".
std::string ctime_now();

/// Writes `sockwrap: <message>` and a newline to stderr in one write (for failures), shown
/// printable as verbose_log::line() does.
void print_error(const std::string& message);

}  // namespace sockwrap
