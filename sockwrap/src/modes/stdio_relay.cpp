// No PROGRAM: two flows between the connection and sockwrap's own stdin/stdout.

#include "modes/stdio_relay.hpp"

#include <csignal>
#include <optional>
#include <system_error>

#include "child/supervisor.hpp"
#include "core/event_loop.hpp"
#include "core/failure.hpp"
#include "net/linger.hpp"
#include "relay/fd_streams.hpp"
#include "relay/flow.hpp"

namespace sockwrap {

namespace {

// Per direction when the bytes are copied (a terminal, a regular file): read again only once
// the last chunk is written, so a slow reader slows the writer and memory stays bounded.
constexpr std::size_t copy_buffer = 256 * 1024;

// What ended the relay early, if anything.
struct relay_outcome {
    int running = 0;
    int signal = 0;
    bool stdout_gone = false;  // its reader went away with bytes still to write
    std::optional<failure> failed;

    bool over() const {
        return running == 0 || signal != 0 || stdout_gone || failed.has_value();
    }
};

// The done handler of one direction. A reader of stdout that went away (`| head -1`) ends
// the relay quietly, as SIGPIPE ends cat.
relay::flow::done_handler direction(relay_outcome& outcome, const relay::byte_source& from,
                                    const relay::byte_sink& to, bool writes_stdout) {
    ++outcome.running;
    return [&outcome, &from, &to, writes_stdout](const relay::flow_end& end) {
        --outcome.running;
        using how = relay::flow_end::how;
        if (end.what == how::complete || outcome.failed) return;
        if (end.what == how::sink_failed && end.error == EPIPE && writes_stdout) {
            outcome.stdout_gone = true;
            return;
        }
        const std::error_code error(end.error, std::generic_category());
        outcome.failed = failure(exit_failure, end.what == how::source_failed
                                                   ? describe("read from " + from.name(), error)
                                                   : describe("write to " + to.name(), error));
    };
}

}  // namespace

int relay_stdio(const options& o, connection c, const verbose_log& log) {
    const socket_streams streams = socket_streams_of(o);
    event_loop loop;
    supervisor signals(loop, o.grace, log);
    relay_outcome outcome;
    signals.on_stop_signal([&](int sig) { outcome.signal = sig; });

    // The socket is sockwrap's alone in this mode: it may be made non-blocking and spliced.
    relay::socket_stream net(c.fd.get(), c.peer.to_string(), true);
    std::optional<relay::stdin_source> in;
    std::optional<relay::stdout_sink> out;
    std::optional<relay::flow> sending, receiving;
    if (streams.out) {
        in.emplace();
        sending.emplace(loop, *in, net, copy_buffer, direction(outcome, *in, net, false));
    }
    if (streams.in) {
        out.emplace();
        receiving.emplace(loop, net, *out, copy_buffer, direction(outcome, net, *out, true));
    }
    loop.run_until([&] { return outcome.over(); });

    if (out) out->close();  // also after a broken pipe: whoever reads it sees end-of-file now
    if (in) in->restore();
    if (out) out->restore();
    if (outcome.signal != 0) {
        log.line("relay ended by signal " + std::to_string(outcome.signal));
        return 128 + outcome.signal;
    }
    if (outcome.failed) throw *outcome.failed;
    if (outcome.stdout_gone) {
        // What the peer still sends has nowhere to go: no lingering close.
        log.line("the reader of stdout went away before everything was written");
        return 128 + SIGPIPE;
    }
    // Whatever the peer still sends (a direction the mode does not read) is drained, so the
    // close does not turn into a reset that could cost the peer our last bytes.
    lingering_close(std::move(c.fd));
    return 0;
}

}  // namespace sockwrap
