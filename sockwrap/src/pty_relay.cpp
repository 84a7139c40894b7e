#include "pty_relay.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <utility>

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
    // A VEOF after unfinished text delivers that text; only a VEOF at the start of a line reads
    // as end-of-file.
    return line_length > 0 ? std::string{veof, veof} : std::string{veof};
}

pty_relay::pty_relay(boost::asio::io_context& io, redirect::unique_fd master,
                     redirect::unique_fd socket, pty_stdin input, std::size_t buffer_size)
    : master_(io),
      socket_(std::move(socket)),
      socket_writable_(io, socket_.get(), EPOLLOUT),
      input_(input),
      buffer_size_(buffer_size) {
    if (input_ == pty_stdin::terminal) socket_readable_.emplace(io, socket_.get(), EPOLLIN);
    master_.assign(master.release());
}

pty_relay::~pty_relay() {
    stop();
}

void pty_relay::start(std::function<void(std::error_code)> done) {
    output_ = byte_pump::create(master_source(), socket_sink(), buffer_size_);
    if (input_ == pty_stdin::terminal) {
        input_pump_ = byte_pump::create(socket_source(), master_sink(), buffer_size_);
        // The input direction ends on its own (VEOF written) or fails when the child is gone;
        // either way the output direction decides when the relay is over.
        input_pump_->start([](std::error_code) {});
    }
    output_->start([this, done = std::move(done)](std::error_code ec) {
        if (ec) {
            stop();  // hang up the child's terminal: its output has nowhere to go
        } else if (input_pump_) {
            input_pump_->stop();
        }
        done(ec);
    });
}

void pty_relay::stop() noexcept {
    if (output_) output_->stop();
    if (input_pump_) input_pump_->stop();
    socket_writable_.close();
    if (socket_readable_) socket_readable_->close();
    boost::system::error_code ignored;
    master_.close(ignored);
}

byte_pump::source pty_relay::master_source() {
    return {
        [this](std::span<char> into) {
            return transfer::from_read(::read(master_.native_handle(), into.data(), into.size()));
        },
        [this](wait_handler handler) {
            master_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                               std::move(handler));
        },
        nullptr,
    };
}

byte_pump::sink pty_relay::socket_sink() {
    return {
        [this](std::span<const char> from) {
            return transfer::from_write(
                ::send(socket_.get(), from.data(), from.size(), MSG_DONTWAIT | MSG_NOSIGNAL));
        },
        [this](wait_handler handler) { socket_writable_.async_wait(std::move(handler)); },
        // The child's output is complete: the peer reads end-of-file, and can still send.
        [this] { return ::shutdown(socket_.get(), SHUT_WR) == 0 ? 0 : errno; },
    };
}

byte_pump::source pty_relay::socket_source() {
    return {
        [this](std::span<char> into) {
            // Quoting at most triples the bytes (two per byte, plus the pushes).
            raw_input_.resize(into.size() / 3);
            const transfer t = transfer::from_read(
                ::recv(socket_.get(), raw_input_.data(), raw_input_.size(), MSG_DONTWAIT));
            if (t.what != transfer::status::moved) return t;
            quoted_input_.clear();
            quote_terminal_input(std::string_view(raw_input_).substr(0, t.bytes), quoted_input_,
                                 line_length_, push_every);
            std::memcpy(into.data(), quoted_input_.data(), quoted_input_.size());
            return transfer{transfer::status::moved, quoted_input_.size(), 0};
        },
        [this](wait_handler handler) { socket_readable_->async_wait(std::move(handler)); },
        [this] { return terminal_end_of_input(line_length_); },
        3,
    };
}

byte_pump::sink pty_relay::master_sink() {
    return {
        [this](std::span<const char> from) {
            return transfer::from_write(::write(master_.native_handle(), from.data(), from.size()));
        },
        [this](wait_handler handler) {
            master_.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                               std::move(handler));
        },
        nullptr,
    };
}

std::error_code relay_pty(redirect::unique_fd master, redirect::unique_fd socket, pty_stdin input,
                          std::size_t buffer_size) {
    boost::asio::io_context io;
    std::error_code result;
    pty_relay relay(io, std::move(master), std::move(socket), input, buffer_size);
    relay.start([&result](std::error_code ec) { result = ec; });
    io.run();
    return result;
}

}  // namespace sockwrap
