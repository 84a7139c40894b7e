#pragma once
/// \file
/// The relay engine's ends that are descriptors: a connected socket, sockwrap's own stdin and
/// stdout (pipes included), and a pseudo-terminal's master.

#include <optional>
#include <string>

#include "relay/local_stream.hpp"
#include "relay/stream.hpp"

namespace sockwrap::relay {

/// A connected socket, the source of one flow and the sink of the other. Reads and writes
/// use MSG_DONTWAIT, so the socket's flags need not change: a child may share its open file
/// description as its stdin, and would find its blocking reads failing with EAGAIN. finish()
/// shuts the socket down for writing, so the peer reads end-of-file and can still send.
class socket_stream final : public byte_source, public byte_sink {
  public:
    /// Uses `fd` (not owned; it must outlive this). `exclusive`: no other process holds the
    /// description, so it is made non-blocking and offered to splice(), which needs that.
    socket_stream(int fd, std::string name, bool exclusive);

    transfer read(std::span<char> into) override;
    transfer write(std::span<const char> from) override;
    transfer finish() override;
    int splice_fd() const noexcept override { return exclusive_ ? fd_ : -1; }
    std::string name() const override { return name_; }

  private:
    int fd_;
    std::string name_;
    bool exclusive_;
};

/// sockwrap's own stdin (no PROGRAM). A pipe is grown to relay_pipe_size and offered to
/// splice().
class stdin_source final : public byte_source {
  public:
    /// Throws sockwrap::failure.
    stdin_source();
    transfer read(std::span<char> into) override;
    int splice_fd() const noexcept override { return pipe_ ? stream_.fd() : -1; }
    std::string name() const override { return "standard input"; }
    /// Puts back the flags of a shared description (see local_stream).
    void restore() noexcept { stream_.restore(); }

  private:
    local_stream stream_{0};
    bool pipe_;
};

/// sockwrap's own stdout (no PROGRAM). finish() closes it, so whoever reads it sees
/// end-of-file now, not when sockwrap exits. A pipe is grown and offered to splice().
class stdout_sink final : public byte_sink {
  public:
    /// Throws sockwrap::failure.
    stdout_sink();
    transfer write(std::span<const char> from) override;
    transfer finish() override;
    int splice_fd() const noexcept override { return pipe_ ? stream_.fd() : -1; }
    std::string name() const override { return "standard output"; }
    /// Closes stdout now (also what finish() does). Idempotent.
    void close() noexcept { stream_.detach_stdout(); }
    /// Puts back the flags of a shared description (see local_stream).
    void restore() noexcept { stream_.restore(); }

  private:
    local_stream stream_{1};
    bool pipe_;
};

/// A pseudo-terminal's master (non-blocking, sockwrap's alone): read, it gives what the child
/// writes to its terminal, and EIO, which is end-of-file here, once no process holds the
/// terminal any more; written, it is the child's terminal input.
class pty_master_stream final : public byte_source, public byte_sink {
  public:
    /// Uses `fd` (not owned).
    explicit pty_master_stream(int fd) noexcept : fd_(fd) {}
    transfer read(std::span<char> into) override;
    transfer write(std::span<const char> from) override;
    /// Nothing to pass on: the end of terminal input is a byte (VEOF) the source sends.
    transfer finish() override { return transfer::moved(0); }
    std::string name() const override { return "the terminal"; }

  private:
    int fd_;
};

}  // namespace sockwrap::relay
