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
#include "splice_relay.hpp"

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

// One direction. Where the local end is a pipe, splice() moves the bytes inside the kernel
// (several times the speed of a copy through user space); a terminal, a regular file, or a
// pair splice() refuses takes the read/write copy. Either way backpressure is the kernel's: a
// full pipe or socket stops the transfer, nothing is buffered without bound.
asio::awaitable<void> move_bytes(descriptor& from, descriptor& to, bool use_splice,
                                 std::string from_name, std::string to_name, std::string peer,
                                 bool quiet_broken_pipe) {
    if (use_splice) {
        // Kept out of a switch condition: GCC 12 miscompiles co_await there.
        const splice_end end = co_await splice_copy(from, to, peer);
        if (end == splice_end::end_of_file) co_return;
        if (end == splice_end::reader_gone) {
            if (quiet_broken_pipe) co_return;
            throw failure(exit_failure, describe("write to " + to_name,
                                                 std::make_error_code(std::errc::broken_pipe)));
        }
    }
    co_await copy(from, to, std::move(from_name), std::move(to_name), quiet_broken_pipe);
}

// stdin → socket; end-of-file becomes FIN, so the peer reads end-of-file too.
asio::awaitable<void> send_stdin(descriptor& in, descriptor& net, bool use_splice,
                                 std::string peer) {
    co_await move_bytes(in, net, use_splice, "standard input", peer, peer, false);
    ::shutdown(net.native_handle(), SHUT_WR);
}

// socket → stdout; end-of-file closes stdout, so whoever reads it sees end-of-file now.
asio::awaitable<void> receive_to_stdout(descriptor& net, descriptor& out, bool use_splice,
                                        local_stream& stream, std::string peer) {
    co_await move_bytes(net, out, use_splice, peer, "standard output", peer, true);
    out.close();
    stream.detach_stdout();
}

// Takes fd 0 or 1 for the event loop. A pipe is grown (fewer wake-ups per megabyte, whichever
// path moves the bytes); the result says whether to splice it.
bool take_local(local_stream& stream, descriptor& d) {
    d.assign(stream.release_fd());
    if (!is_pipe(d.native_handle())) return false;
    grow_pipe(d.native_handle(), relay_pipe_size);
    return true;
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
    // splice() takes the socket's own O_NONBLOCK for the socket side (SPLICE_F_NONBLOCK covers
    // only the pipe). The copy path sets it too, on its first operation; the socket is
    // sockwrap's alone, no child shares it in this mode.
    boost::system::error_code ignored;
    net.native_non_blocking(true, ignored);
    if (plan.stdin_to_socket) {
        in_stream.emplace(0);
        const bool splice_in = take_local(*in_stream, in);
        asio::co_spawn(ctx, send_stdin(in, net, splice_in, plan.peer_name), run.completion());
    }
    if (plan.socket_to_stdout) {
        out_stream.emplace(1);
        const bool splice_out = take_local(*out_stream, out);
        asio::co_spawn(ctx, receive_to_stdout(net, out, splice_out, *out_stream, plan.peer_name),
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
