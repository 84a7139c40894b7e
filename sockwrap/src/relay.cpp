#include "relay.hpp"

#include <signal.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <optional>
#include <vector>

#include "failure.hpp"
#include "linger.hpp"
#include "local_stream.hpp"

namespace sockwrap {

namespace {

namespace asio = boost::asio;
using descriptor = asio::posix::stream_descriptor;
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t buffer_size = 256 * 1024;

// One direction: read a chunk, write it all, repeat until end-of-file. Returns normally at
// end-of-file of `from` or when `quiet_broken_pipe` and the reader of `to` went away.
asio::awaitable<void> copy(descriptor& from, descriptor& to, std::string from_name,
                           std::string to_name, bool quiet_broken_pipe) {
    std::vector<char> buffer(buffer_size);
    for (;;) {
        auto [read_error, n] = co_await from.async_read_some(asio::buffer(buffer), no_throw);
        if (read_error == asio::error::eof) co_return;
        if (read_error) throw failure(exit_failure, describe("read from " + from_name, read_error));
        auto [write_error, written] =
            co_await asio::async_write(to, asio::buffer(buffer.data(), n), no_throw);
        if (write_error == asio::error::broken_pipe && quiet_broken_pipe) co_return;
        if (write_error) throw failure(exit_failure, describe("write to " + to_name, write_error));
    }
}

// stdin → socket; end-of-file becomes FIN, so the peer reads end-of-file too.
asio::awaitable<void> send_stdin(descriptor& in, descriptor& net, std::string peer) {
    co_await copy(in, net, "standard input", peer, false);
    ::shutdown(net.native_handle(), SHUT_WR);
}

// socket → stdout; end-of-file closes stdout, so whoever reads it sees end-of-file now.
asio::awaitable<void> receive_to_stdout(descriptor& net, descriptor& out, local_stream& stream,
                                        std::string peer) {
    co_await copy(net, out, peer, "standard output", true);
    out.close();
    stream.detach_stdout();
}

// The state shared by the directions: how many still run, and what ended the relay early.
struct relay_run {
    asio::io_context& ctx;
    asio::signal_set& signals;
    int running = 0;
    std::optional<failure> failed;

    auto completion() {
        ++running;
        return [this](std::exception_ptr error) {
            --running;
            if (error && !failed) {
                try {
                    std::rethrow_exception(error);
                } catch (const failure& f) {
                    failed = f;
                } catch (const std::exception& e) {
                    failed = failure(exit_failure, lower_first(e.what()));
                }
            }
            if (failed || running == 0) {
                signals.cancel();
                ctx.stop();
            }
        };
    }
};

}  // namespace

int relay(redirect::unique_fd socket, const relay_plan& plan, const verbose_log& log) {
    asio::io_context ctx;
    asio::signal_set signals(ctx, SIGINT, SIGTERM, SIGHUP);
    int caught = 0;
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        caught = sig;
        ctx.stop();
    });

    std::optional<local_stream> in_stream, out_stream;
    descriptor net(ctx, socket.release()), in(ctx), out(ctx);
    relay_run run{ctx, signals, 0, std::nullopt};
    if (plan.stdin_to_socket) {
        in_stream.emplace(0);
        in.assign(in_stream->release_fd());
        asio::co_spawn(ctx, send_stdin(in, net, plan.peer_name), run.completion());
    }
    if (plan.socket_to_stdout) {
        out_stream.emplace(1);
        out.assign(out_stream->release_fd());
        asio::co_spawn(ctx, receive_to_stdout(net, out, *out_stream, plan.peer_name),
                       run.completion());
    }
    ctx.run();

    if (in_stream) in_stream->restore();
    if (out_stream) out_stream->restore();
    if (caught != 0) {
        log.line(std::string("relay ended by signal ") + std::to_string(caught));
        return 128 + caught;
    }
    if (run.failed) throw *run.failed;
    // Whatever the peer still sends (a direction the plan does not read) is drained, so the
    // close does not turn into a reset that could cost the peer our last bytes.
    lingering_close(redirect::unique_fd(net.release()));
    return 0;
}

}  // namespace sockwrap
