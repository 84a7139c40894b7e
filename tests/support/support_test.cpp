// The test support library checked against known answers, so the end-to-end tests can trust
// their instruments.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/proc.hpp"
#include "sockwrap_test/process.hpp"
#include "sockwrap_test/sha256.hpp"
#include "sockwrap_test/stream_pattern.hpp"

namespace st = sockwrap_test;
using namespace std::chrono_literals;

TEST(sha256, matches_the_fips_180_examples) {
    EXPECT_EQ(st::sha256_hex(""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(st::sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(st::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256, gives_the_same_digest_however_the_input_is_split) {
    st::sha256 whole, pieces;
    std::string million(1000000, 'a');
    whole.update(million);
    for (std::size_t at = 0; at < million.size();) {
        std::size_t n = std::min<std::size_t>(1 + at % 131, million.size() - at);
        pieces.update(million.data() + at, n);
        at += n;
    }
    const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    EXPECT_EQ(whole.hex_digest(), expected);
    EXPECT_EQ(pieces.hex_digest(), expected);
}

TEST(process, reports_exit_codes_and_signals_the_shell_way) {
    st::process seven({"sh", "-c", "exit 7"});
    EXPECT_EQ(seven.wait_for(10s), 7);
    st::process killed({"sh", "-c", "kill -9 $$"});
    EXPECT_EQ(killed.wait_for(10s), 137);
}

TEST(process, pipes_stdin_to_stdout_and_sees_eof) {
    st::process cat({"cat"});
    ASSERT_TRUE(st::write_all(cat.in(), "hello\n", 5s));
    cat.close_in();
    auto r = st::read_until_eof(cat.out(), 10s);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.data, "hello\n");
    EXPECT_EQ(cat.wait_for(10s), 0);
}

TEST(process, destructor_stops_a_running_process) {
    pid_t pid;
    {
        st::process sleeper({"sleep", "100"});
        pid = sleeper.pid();
        EXPECT_TRUE(sleeper.running());
    }
    EXPECT_FALSE(st::alive(pid));
}

TEST(process, wait_for_times_out_on_a_running_process) {
    st::process sleeper({"sleep", "100"});
    EXPECT_EQ(sleeper.wait_for(50ms), std::nullopt);
}

TEST(process, passes_environment_changes_and_signal_mask) {
    st::process_options o;
    o.env_set = {"SWT_VALUE=42"};
    o.blocked_signals = {SIGUSR1};
    // Not through sh: a shell empties its signal mask at start-up.
    st::process env({"env"}, o);
    auto r = st::read_until_eof(env.out(), 10s);
    EXPECT_NE(r.data.find("\nSWT_VALUE=42\n"), std::string::npos);
    st::process grep({"grep", "SigBlk", "/proc/self/status"}, o);
    EXPECT_EQ(st::read_until_eof(grep.out(), 10s).data, "SigBlk:\t0000000000000200\n");
}

namespace {

// True once `sh -c '... exec sleep'` has become sleep and sleeps. Until then the shell or the
// dynamic loader (which opens libraries on fd 3) may hold more than the inherited descriptors.
bool sleep_has_replaced(pid_t pid) {
    return st::wait_until_command(pid, "sleep", 10s) && st::wait_until_sleeping(pid, 10s);
}

}  // namespace

TEST(proc, lists_open_fds_of_another_process) {
    st::process_options o;
    o.in = st::stdio_spec::null();
    o.err = st::stdio_spec::null();
    st::process sh({"sh", "-c", "echo ready; exec sleep 100"}, o);
    ASSERT_TRUE(st::read_until_contains(sh.out(), "ready", 10s).data.find("ready") == 0);
    // Once sleep has replaced sh and sleeps, it holds exactly its three standard streams.
    ASSERT_TRUE(sleep_has_replaced(sh.pid()));
    EXPECT_EQ(st::open_fds(sh.pid()), (std::vector<int>{0, 1, 2}));
}

TEST(process, passes_only_the_extra_fds_asked_for) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);  // not close-on-exec: a leak the support must stop
    st::process_options o;
    o.in = st::stdio_spec::null();
    o.err = st::stdio_spec::null();
    o.extra_fds = {p[1]};
    st::process sh({"sh", "-c", "echo ready; exec sleep 100"}, o);
    ::close(p[1]);
    ::close(p[0]);
    ASSERT_EQ(st::read_until_contains(sh.out(), "ready", 10s).data.find("ready"), 0u);
    ASSERT_TRUE(sleep_has_replaced(sh.pid()));
    EXPECT_EQ(st::open_fds(sh.pid()), (std::vector<int>{0, 1, 2, 3}));
}

TEST(process, extra_fds_arrive_as_3_4_in_the_order_given) {
    auto first = st::make_pipe(), second = st::make_pipe();
    st::process_options o;
    o.extra_fds = {second.write_end.get(), first.write_end.get()};
    st::process sh({"sh", "-c", "echo to-3 >&3; echo to-4 >&4"}, o);
    second.write_end.reset();
    first.write_end.reset();
    EXPECT_EQ(st::read_until_eof(second.read_end.get(), 10s).data, "to-3\n");
    EXPECT_EQ(st::read_until_eof(first.read_end.get(), 10s).data, "to-4\n");
    EXPECT_EQ(sh.wait_for(10s), 0);
}

TEST(process, starts_with_default_signal_dispositions) {
    struct sigaction ignore {
    }, before{};
    ignore.sa_handler = SIG_IGN;
    ASSERT_EQ(::sigaction(SIGUSR2, &ignore, &before), 0);
    st::process grep({"grep", "SigIgn", "/proc/self/status"});
    ::sigaction(SIGUSR2, &before, nullptr);
    EXPECT_EQ(st::read_until_eof(grep.out(), 10s).data, "SigIgn:\t0000000000000000\n");
}

TEST(process, a_program_that_is_not_there_throws) {
    EXPECT_THROW(st::process({"no-such-program-swt"}), std::system_error);
    EXPECT_THROW(st::process({"/no/such/program"}), std::system_error);
}

TEST(io, write_all_to_a_pipe_nobody_reads_fails_without_sigpipe) {
    struct sigaction before {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &before), 0);
    ASSERT_EQ(before.sa_handler, SIG_DFL);  // a SIGPIPE would end this test binary
    auto p = st::make_pipe();
    p.read_end.reset();
    EXPECT_FALSE(st::write_all(p.write_end.get(), "nobody", 5s));
    struct sigaction after {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &after), 0);
    EXPECT_EQ(after.sa_handler, SIG_DFL);  // and the disposition is left as it was
    sigset_t pending;
    ::sigpending(&pending);
    EXPECT_FALSE(::sigismember(&pending, SIGPIPE));
}

TEST(net, connected_pairs_carry_data_both_ways) {
    std::vector<st::socket_pair> pairs;
    pairs.push_back(st::connected_tcp_pair());
    pairs.push_back(st::connected_unix_pair());
    for (auto& [client, server] : pairs) {
        ASSERT_TRUE(st::write_all(client.get(), "up", 5s));
        EXPECT_EQ(st::read_until_contains(server.get(), "up", 5s).data, "up");
        ASSERT_TRUE(st::write_all(server.get(), "down", 5s));
        st::shutdown_write(server.get());
        EXPECT_EQ(st::read_until_eof(client.get(), 5s).data, "down");
    }
}

TEST(net, loopback_connection_carries_data_and_reset_is_seen) {
    auto l = st::listen_tcp();
    auto client = st::connect_tcp("127.0.0.1", l.port);
    auto server = st::accept_within(l.fd.get(), 5s);
    ASSERT_TRUE(server);
    ASSERT_TRUE(st::write_all(client.get(), "ping", 5s));
    EXPECT_EQ(st::read_until_contains(server.get(), "ping", 5s).data, "ping");
    ASSERT_TRUE(st::write_all(server.get(), "unread", 5s));
    st::close_with_reset(std::move(client));
    auto r = st::read_until_eof(server.get(), 5s);
    EXPECT_EQ(r.error, ECONNRESET);
}

TEST(net, bound_socket_refuses_until_it_listens) {
    auto b = st::bound_not_listening();
    EXPECT_THROW(st::connect_tcp("127.0.0.1", b.port), std::system_error);
    ASSERT_EQ(::listen(b.fd.get(), 1), 0);
    EXPECT_NO_THROW(st::connect_tcp("127.0.0.1", b.port));
}

TEST(stream_pattern, blocks_differ_and_the_digest_is_of_the_blocks_in_order) {
    EXPECT_EQ(st::pattern_block(0).size(), st::pattern_block_size);
    EXPECT_NE(st::pattern_block(0), st::pattern_block(1));
    EXPECT_EQ(st::pattern_block(1).substr(8), st::pattern_block(2).substr(8));
    st::sha256 h;
    h.update(st::pattern_block(0));
    h.update(st::pattern_block(1));
    EXPECT_EQ(st::pattern_digest(2), h.hex_digest());
    EXPECT_NE(st::pattern_digest(2), st::pattern_digest(1));
}

TEST(stream_pattern, arrives_whole_through_a_socket_and_a_cap_stops_the_reader) {
    for (std::size_t cap_blocks : {4, 2}) {
        auto [client, server] = st::connected_unix_pair();
        bool sent = false;
        std::thread sender([&client = client, &sent] {
            sent = st::send_pattern(client.get(), 3, 5s);
            st::shutdown_write(client.get());
        });
        auto r = st::receive_hashed(server.get(), cap_blocks * st::pattern_block_size, 5s);
        server.reset();  // a sender stopped by the cap fails its write instead of waiting
        sender.join();
        if (cap_blocks > 3) {
            EXPECT_TRUE(sent);
            EXPECT_TRUE(r.eof);
            EXPECT_EQ(r.bytes, 3 * st::pattern_block_size);
            EXPECT_EQ(r.digest, st::pattern_digest(3));
        } else {
            EXPECT_FALSE(r.eof) << "more than the cap arrived, yet it reads as complete";
        }
    }
}
