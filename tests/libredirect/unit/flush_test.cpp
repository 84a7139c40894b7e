// Each flush rule of socket_streambuf, proven by a peer that polls the socket: the bytes are
// absent before the trigger (a short poll sees nothing) and present right after it.

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <ostream>
#include <string>
#include <thread>

#include "redirect/redirect.hpp"
#include "redirect/socket_streambuf.hpp"
#include "support.hpp"

using namespace redirect;

namespace {

// How long "nothing arrives" is watched for. Bytes that were sent are already in the peer's
// receive queue on loopback, so a short look suffices; a late arrival would still be caught
// by the exact comparison of the next read.
constexpr int absent_ms = 50;

class flush_rules : public testing::Test {
  protected:
    test::socket_pair pair = test::bounded_tcp_pair();
    int peer() const { return pair.server.get(); }
    bool nothing_arrives() const { return !test::readable_within(peer(), absent_ms); }
    std::string arrived(std::size_t count) const { return test::read_some(peer(), count); }
};

}  // namespace

TEST_F(flush_rules, explicit_flush_sends) {
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    out << "abc";
    EXPECT_TRUE(nothing_arrives());
    EXPECT_EQ(buf.pending(), 3u);
    out.flush();
    EXPECT_EQ(arrived(3), "abc");
    EXPECT_EQ(buf.pending(), 0u);
}

TEST_F(flush_rules, std_flush_sends) {
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    out << "abc";
    EXPECT_TRUE(nothing_arrives());
    out << std::flush;
    EXPECT_EQ(arrived(3), "abc");
}

TEST_F(flush_rules, endl_sends) {
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    out << "abc";
    EXPECT_TRUE(nothing_arrives());
    out << std::endl;
    EXPECT_EQ(arrived(4), "abc\n");
}

TEST_F(flush_rules, explicit_policy_holds_newlines) {
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::ostream out(&buf);
    out << "one\n" << '\n' << 42 << "\n";
    EXPECT_TRUE(nothing_arrives());
    buf.pubsync();
    EXPECT_EQ(arrived(8), "one\n\n42\n");
}

TEST_F(flush_rules, full_buffer_sends_when_the_next_byte_comes) {
    socket_streambuf buf(pair.client.get(), flush_policy::full, 16);
    std::ostream out(&buf);
    out << std::string(16, 'a');
    EXPECT_TRUE(nothing_arrives()) << "a buffer that is only full yet holds its bytes";
    out << 'b';
    EXPECT_EQ(arrived(16), std::string(16, 'a'));
    EXPECT_TRUE(nothing_arrives()) << "the byte that did not fit waits in the fresh buffer";
    EXPECT_EQ(buf.pending(), 1u);
}

TEST_F(flush_rules, write_that_does_not_fit_sends_the_pending_bytes) {
    socket_streambuf buf(pair.client.get(), flush_policy::full, 16);
    std::ostream out(&buf);
    out << std::string(10, 'a');
    EXPECT_TRUE(nothing_arrives());
    out << std::string(10, 'b');
    EXPECT_EQ(arrived(10), std::string(10, 'a'));
    EXPECT_TRUE(nothing_arrives());
    EXPECT_EQ(buf.pending(), 10u);
}

TEST_F(flush_rules, block_larger_than_the_buffer_goes_at_once_behind_pending_bytes) {
    socket_streambuf buf(pair.client.get(), flush_policy::full, 16);
    std::ostream out(&buf);
    out << "xy";
    EXPECT_TRUE(nothing_arrives());
    const std::string big(100, 'z');
    out.write(big.data(), static_cast<std::streamsize>(big.size()));
    EXPECT_EQ(arrived(102), "xy" + big);
    EXPECT_EQ(buf.pending(), 0u);
}

TEST_F(flush_rules, destruction_sends) {
    {
        socket_streambuf buf(pair.client.get(), flush_policy::full);
        std::ostream out(&buf);
        out << "last words";
        EXPECT_TRUE(nothing_arrives());
    }
    EXPECT_EQ(arrived(10), "last words");
}

TEST_F(flush_rules, line_policy_sends_a_string_ending_in_newline) {
    socket_streambuf buf(pair.client.get(), flush_policy::line);
    std::ostream out(&buf);
    out << "x";
    EXPECT_TRUE(nothing_arrives());
    out << "y\n";
    EXPECT_EQ(arrived(3), "xy\n");
}

TEST_F(flush_rules, line_policy_sends_a_lone_newline_char) {
    socket_streambuf buf(pair.client.get(), flush_policy::line);
    std::ostream out(&buf);
    out << "x" << 7;
    EXPECT_TRUE(nothing_arrives());
    out << '\n';
    EXPECT_EQ(arrived(3), "x7\n");
}

TEST_F(flush_rules, line_policy_sends_a_newline_through_sputc) {
    socket_streambuf buf(pair.client.get(), flush_policy::line);
    buf.sputc('q');
    EXPECT_TRUE(nothing_arrives());
    buf.sputc('\n');
    EXPECT_EQ(arrived(2), "q\n");
}

TEST_F(flush_rules, line_policy_keeps_what_follows_the_last_newline) {
    socket_streambuf buf(pair.client.get(), flush_policy::line);
    std::ostream out(&buf);
    out << "a\nb\nc";
    EXPECT_EQ(arrived(4), "a\nb\n");
    EXPECT_TRUE(nothing_arrives());
    EXPECT_EQ(buf.pending(), 1u);
    out << std::flush;
    EXPECT_EQ(arrived(1), "c");
}

TEST_F(flush_rules, line_policy_with_a_full_buffer) {
    socket_streambuf buf(pair.client.get(), flush_policy::line, 8);
    std::ostream out(&buf);
    out << "12345678";
    EXPECT_TRUE(nothing_arrives());
    out << '9';
    EXPECT_EQ(arrived(8), "12345678");
    EXPECT_TRUE(nothing_arrives());
}

TEST_F(flush_rules, unit_policy_sends_after_each_output_operation) {
    socket_stream out(std::move(pair.client), flush_policy::unit);
    EXPECT_TRUE(out.flags() & std::ios_base::unitbuf);
    out << "ab";
    EXPECT_EQ(arrived(2), "ab");
    out << 12;
    EXPECT_EQ(arrived(2), "12");
}

TEST_F(flush_rules, read_on_the_same_buffer_sends_the_question_first) {
    socket_streambuf buf(pair.client.get(), flush_policy::full);
    std::iostream io(&buf);
    io << "question?";
    EXPECT_TRUE(nothing_arrives());
    std::string answer;
    std::thread reader([&] { io >> answer; });
    EXPECT_EQ(arrived(9), "question?");
    EXPECT_TRUE(st::write_all(peer(), "yes\n", 20s));
    reader.join();
    EXPECT_EQ(answer, "yes");
}

TEST_F(flush_rules, read_on_a_tied_input_stream_sends_pending_output) {
    socket_streambuf out_buf(pair.client.get(), flush_policy::full);
    socket_streambuf in_buf(pair.client.get(), flush_policy::full);
    std::ostream out(&out_buf);
    std::istream in(&in_buf);
    in.tie(&out);
    out << "name?";
    EXPECT_TRUE(nothing_arrives());
    std::string name;
    std::thread reader([&] { in >> name; });
    EXPECT_EQ(arrived(5), "name?");
    EXPECT_TRUE(st::write_all(peer(), "ada\n", 20s));
    reader.join();
    EXPECT_EQ(name, "ada");
}

TEST_F(flush_rules, read_on_an_untied_input_stream_sends_nothing) {
    socket_streambuf out_buf(pair.client.get(), flush_policy::full);
    socket_streambuf in_buf(pair.client.get(), flush_policy::full);
    std::ostream out(&out_buf);
    std::istream in(&in_buf);
    out << "held";
    std::string word;
    std::thread reader([&] { in >> word; });
    EXPECT_TRUE(st::write_all(peer(), "go\n", 20s));
    reader.join();
    EXPECT_EQ(word, "go");
    EXPECT_TRUE(nothing_arrives());
    out.flush();
    EXPECT_EQ(arrived(4), "held");
}

// exit() unwinds no stack: the redirection guard's destructor never runs, yet the bytes
// must arrive.
TEST(flush_at_exit, redirection_active_at_exit_delivers_its_output) {
    for (flush_policy policy : {flush_policy::full, flush_policy::line}) {
        listener l(parse_endpoint(":0"));
        const std::string ep = ":" + std::to_string(l.port());
        std::string received;
        int status = test::run_in_child(
            [&] {
                redirect_options options;
                options.policy = policy;
                redirection g = out(ep, options);  // exit() never runs its destructor
                std::cout << "unflushed, no newline";
                std::exit(7);
                return 0;
            },
            [&] {
                unique_fd c = l.accept();
                received = test::read_to_end(c.get());
            });
        EXPECT_EQ(status, 7);
        EXPECT_EQ(received, "unflushed, no newline") << "policy " << static_cast<int>(policy);
    }
}

TEST(flush_at_exit, process_scope_delivers_c_stdio_at_exit) {
    listener l(parse_endpoint(":0"));
    const std::string ep = ":" + std::to_string(l.port());
    std::string received;
    int status = test::run_in_child(
        [&] {
            redirect_options options;
            options.policy = flush_policy::full;
            options.scope = redirect_scope::process;
            redirection g = out(ep, options);
            std::printf("printf ");
            std::cout << "cout";
            std::exit(0);
            return 0;
        },
        [&] {
            unique_fd c = l.accept();
            received = test::read_to_end(c.get());
        });
    EXPECT_EQ(status, 0);
    // Each stream's bytes arrive whole; their relative order is the order of the flushes.
    EXPECT_EQ(received.size(), 11u) << received;
    EXPECT_NE(received.find("printf "), std::string::npos) << received;
    EXPECT_NE(received.find("cout"), std::string::npos) << received;
}
