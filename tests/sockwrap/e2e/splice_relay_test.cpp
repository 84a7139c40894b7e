// The relay without PROGRAM where its stdin or stdout is a pipe (moved with splice()) and where
// it is a regular file (the read/write copy): every byte arrives, in order, and both
// half-closes behave as on the copy path.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/sha256.hpp"

namespace sockwrap_e2e {
namespace {

constexpr std::size_t block_count = 64;  // 64 MiB
constexpr std::size_t stream_size = st::pattern_block_size * block_count;
constexpr int grown_pipe_size = 1 << 20;

std::string at(std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

st::received_stream hash_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    st::sha256 h;
    st::received_stream r;
    std::string buffer(st::pattern_block_size, '\0');
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
        h.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
        r.bytes += static_cast<std::size_t>(in.gcount());
    }
    r.eof = in.eof();
    r.digest = h.hex_digest();
    return r;
}

// The size the relay can give a pipe: 1 MiB unless the system forbids it to this user.
bool pipe_can_grow() {
    if (::geteuid() == 0) return true;
    std::ifstream limit("/proc/sys/fs/pipe-max-size");
    long max = 0;
    return static_cast<bool>(limit >> max) && max >= grown_pipe_size;
}

TEST(splice_relay, viewer_delivers_64_mib_exactly_into_a_stdout_pipe) {
    st::process_options o;
    o.in = st::stdio_spec::null();
    auto viewer = start_listening("--listen", {}, o);
    ASSERT_NE(viewer.port, 0);
    auto c = st::connect_tcp("127.0.0.1", viewer.port);
    expect_whole_transfer(
        viewer.proc, c.get(), [&c] { st::shutdown_write(c.get()); }, viewer.proc.out(),
        block_count);
}

TEST(splice_relay, viewer_delivers_64_mib_exactly_into_a_regular_file) {
    st::temp_dir dir;
    const std::string path = dir.file("received");
    redirect::unique_fd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    ASSERT_TRUE(file);
    st::process_options o;
    o.in = st::stdio_spec::null();
    o.out = st::stdio_spec::from(file.get());
    auto viewer = start_listening("--listen", {}, o);
    ASSERT_NE(viewer.port, 0);
    auto c = st::connect_tcp("127.0.0.1", viewer.port);
    ASSERT_TRUE(st::send_pattern(c.get(), block_count, patience))
        << "the viewer stopped taking bytes";
    st::shutdown_write(c.get());
    ASSERT_EQ(viewer.proc.wait_for(patience), 0);
    const st::received_stream got = hash_file(path);
    EXPECT_EQ(got.bytes, stream_size);
    EXPECT_EQ(got.digest, st::pattern_digest(block_count));
}

TEST(splice_relay, connect_delivers_64_mib_exactly_from_a_stdin_pipe) {
    auto l = st::listen_tcp();
    st::process_options o;
    o.out = st::stdio_spec::null();
    auto relay = start({"--connect", at(l.port)}, o);
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    // The test's end of the pipe is its own description: non-blocking keeps every write bounded.
    ASSERT_EQ(::fcntl(relay.in(), F_SETFL, ::fcntl(relay.in(), F_GETFL) | O_NONBLOCK), 0);
    const transfer t = whole_transfer(
        relay.in(), [&relay] { relay.close_in(); }, c.get(), block_count);
    EXPECT_TRUE(t.got.eof) << "end of the stdin pipe did not become FIN";
    expect_exact(t, block_count);
    st::shutdown_write(c.get());
    EXPECT_EQ(relay.wait_for(patience), 0);
}

// The pipes the test created have the capacity the relay gave them once it ran: the proof
// that the pipe path was taken, seen from outside.
TEST(splice_relay, grows_the_stdin_and_stdout_pipes) {
    if (!pipe_can_grow()) GTEST_SKIP() << "pipe-max-size is below 1 MiB for this user";
    auto [in_read, in_write] = st::make_pipe();
    auto [out_read, out_write] = st::make_pipe();
    ASSERT_LT(::fcntl(in_write.get(), F_GETPIPE_SZ), grown_pipe_size);
    ASSERT_LT(::fcntl(out_read.get(), F_GETPIPE_SZ), grown_pipe_size);
    auto l = st::listen_tcp();
    st::process_options o;
    o.in = st::stdio_spec::from(in_read.get());
    o.out = st::stdio_spec::from(out_write.get());
    auto relay = start({"--connect", at(l.port)}, o);
    in_read.reset();
    out_write.reset();
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(in_write.get(), "up\n", patience));
    ASSERT_EQ(st::read_lines(c.get(), 1, patience).data, "up\n");
    ASSERT_TRUE(st::write_all(c.get(), "down\n", patience));
    ASSERT_EQ(st::read_lines(out_read.get(), 1, patience).data, "down\n");
    EXPECT_EQ(::fcntl(in_write.get(), F_GETPIPE_SZ), grown_pipe_size);
    EXPECT_EQ(::fcntl(out_read.get(), F_GETPIPE_SZ), grown_pipe_size);
    in_write.reset();
    st::shutdown_write(c.get());
    EXPECT_TRUE(st::read_until_eof(out_read.get(), patience).eof);
    EXPECT_EQ(relay.wait_for(patience), 0);
}

// stdin's end-of-file becomes FIN while the other direction keeps relaying.
TEST(splice_relay, stdin_end_shuts_down_writing_and_stdout_keeps_flowing) {
    auto l = st::listen_tcp();
    auto relay = start({"--connect", at(l.port)});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(relay.in(), "last words\n", patience));
    relay.close_in();
    const auto up = st::read_until_eof(c.get(), patience);
    EXPECT_TRUE(up.eof);
    EXPECT_EQ(up.data, "last words\n");
    ASSERT_TRUE(st::write_all(c.get(), "still heard\n", patience));
    EXPECT_EQ(st::read_lines(relay.out(), 1, patience).data, "still heard\n");
    EXPECT_TRUE(relay.running());
    st::shutdown_write(c.get());
    EXPECT_TRUE(st::read_until_eof(relay.out(), patience).eof);
    EXPECT_EQ(relay.wait_for(patience), 0);
}

// The peer's FIN closes stdout at once while stdin keeps relaying.
TEST(splice_relay, socket_end_closes_stdout_and_stdin_keeps_flowing) {
    auto l = st::listen_tcp();
    auto relay = start({"--connect", at(l.port)});
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), "bye\n", patience));
    st::shutdown_write(c.get());
    const auto down = st::read_until_eof(relay.out(), patience);
    EXPECT_TRUE(down.eof) << "FIN did not close stdout";
    EXPECT_EQ(down.data, "bye\n");
    EXPECT_TRUE(relay.running());
    ASSERT_TRUE(st::write_all(relay.in(), "one more\n", patience));
    EXPECT_EQ(st::read_lines(c.get(), 1, patience).data, "one more\n");
    relay.close_in();
    EXPECT_TRUE(st::read_until_eof(c.get(), patience).eof);
    EXPECT_EQ(relay.wait_for(patience), 0);
}

// A reader of stdout that went away with bytes undelivered ends the relay quietly with 141, as
// SIGPIPE ends cat, without waiting for stdin to end.
TEST(splice_relay, stdout_reader_gone_ends_the_relay_quietly_with_141) {
    auto l = st::listen_tcp();
    auto [read_end, write_end] = st::make_pipe();
    st::process_options o;
    o.out = st::stdio_spec::from(write_end.get());
    auto relay = start({"--connect", at(l.port)}, o);
    write_end.reset();
    read_end.reset();
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), std::string(65536, 'x'), patience));
    EXPECT_EQ(relay.wait_for(patience), 141);
    EXPECT_FALSE(st::read_until_eof(c.get(), patience).timed_out) << "the connection stayed open";
    EXPECT_EQ(st::read_until_eof(relay.err(), patience).data, "");
}

TEST(splice_relay, never_makes_a_shared_stdout_pipe_nonblocking) {
    auto [read_end, write_end] = st::make_pipe();
    auto l = st::listen_tcp();
    st::process_options o;
    o.out = st::stdio_spec::from(write_end.get());  // the test keeps this description too
    auto relay = start({"--connect", at(l.port)}, o);
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    ASSERT_TRUE(st::write_all(c.get(), "x\n", patience));
    ASSERT_EQ(st::read_lines(read_end.get(), 1, patience).data, "x\n");
    EXPECT_FALSE(st::nonblocking(write_end.get())) << "the relay changed a description it shares";
    relay.close_in();
    st::shutdown_write(c.get());
    EXPECT_EQ(relay.wait_for(patience), 0);
}

}  // namespace
}  // namespace sockwrap_e2e
