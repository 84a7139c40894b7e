// The two flows between a pty master and the socket.

#include "pty/pty_relay.hpp"

#include <utility>

namespace sockwrap {

pty_relay::pty_relay(event_loop& loop, redirect::unique_fd master, redirect::unique_fd socket,
                     pty_stdin input, std::size_t buffer_size)
    : loop_(loop),
      master_fd_(std::move(master)),
      socket_fd_(std::move(socket)),
      master_(master_fd_.get()),
      socket_(socket_fd_.get(), "the peer", false),
      input_(input),
      buffer_size_(buffer_size) {}

void pty_relay::start(std::function<void(std::error_code)> done) {
    if (input_ == pty_stdin::terminal) {
        quoted_input_.emplace(socket_);
        // The input direction ends on its own (VEOF written) or fails when the child is gone;
        // either way the output direction decides when the relay is over.
        input_flow_.emplace(loop_, *quoted_input_, master_, buffer_size_,
                            [](const relay::flow_end&) {});
    }
    output_.emplace(loop_, master_, socket_, buffer_size_,
                    [this, done = std::move(done)](const relay::flow_end& end) {
                        std::error_code ec;
                        if (end.what != relay::flow_end::how::complete)
                            ec = std::error_code(end.error, std::generic_category());
                        if (ec) {
                            stop();  // hang up the child's terminal: its output has nowhere to go
                        } else if (input_flow_) {
                            input_flow_->stop();
                        }
                        done(ec);
                    });
}

void pty_relay::stop() noexcept {
    if (output_) output_->stop();
    if (input_flow_) input_flow_->stop();
    master_fd_.reset();
}

}  // namespace sockwrap
