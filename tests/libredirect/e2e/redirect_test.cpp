// The five redirections in streams scope (std::cout / std::cin only): what they connect,
// the options, exact restoration, moving guards, and ending them in any order.

#include <sys/socket.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "redirect/redirect.hpp"
#include "sockwrap_test/net.hpp"
#include "support.hpp"

using namespace redirect;
using namespace std::chrono_literals;

namespace {

// Everything of std::cout and std::cin that a redirection touches.
struct standard_streams {
    std::streambuf* out_buffer = std::cout.rdbuf();
    std::streambuf* in_buffer = std::cin.rdbuf();
    std::ostream* in_tie = std::cin.tie();
    std::ios_base::fmtflags out_flags = std::cout.flags();
    std::ios_base::fmtflags in_flags = std::cin.flags();
    std::ios_base::iostate out_state = std::cout.rdstate();
    std::ios_base::iostate in_state = std::cin.rdstate();
    bool operator==(const standard_streams&) const = default;
};

constexpr int absent_ms = 50;

class redirect_streams : public testing::Test {
  protected:
    standard_streams before;
    void TearDown() override { EXPECT_TRUE(standard_streams{} == before) << "not restored"; }
};

}  // namespace

TEST_F(redirect_streams, out_sends_std_cout_to_the_socket) {
    test::peer_listener p;
    redirection g = out(p.ep);
    unique_fd peer = p.accept();
    EXPECT_TRUE(g.active());
    EXPECT_NE(std::cout.rdbuf(), before.out_buffer);
    EXPECT_EQ(std::cin.rdbuf(), before.in_buffer) << "std::cin is not out's business";
    std::cout << "hello " << 42 << '\n';
    EXPECT_EQ(test::read_some(peer.get(), 9), "hello 42\n");
    g.end();
    EXPECT_FALSE(g.active());
    EXPECT_EQ(test::read_to_end(peer.get()), "") << "the socket is closed at the end";
}

TEST_F(redirect_streams, in_reads_std_cin_from_the_socket) {
    test::peer_listener p;
    redirection g = in(p.ep);
    unique_fd peer = p.accept();
    EXPECT_EQ(std::cout.rdbuf(), before.out_buffer) << "std::cout is not in's business";
    EXPECT_TRUE(st::write_all(peer.get(), "7 seas\nrest of it", 20s));
    ::shutdown(peer.get(), SHUT_WR);
    int n = 0;
    std::string word, rest;
    std::cin >> n >> word;
    std::cin.ignore();
    std::getline(std::cin, rest);
    EXPECT_EQ(n, 7);
    EXPECT_EQ(word, "seas");
    EXPECT_EQ(rest, "rest of it");
    EXPECT_TRUE(std::cin.eof());
}

TEST_F(redirect_streams, both_as_client_holds_a_dialog_without_a_manual_flush) {
    test::peer_listener p;
    redirection g = both_as_client(p.ep);
    unique_fd peer = p.accept();
    std::thread server([&] {
        EXPECT_TRUE(st::write_all(peer.get(), "21\n", 20s));
        EXPECT_EQ(test::read_some(peer.get(), 11), "question? \n");
        EXPECT_EQ(test::read_some(peer.get(), 3), "42\n");
    });
    int n = 0;
    std::cin >> n;
    std::cout << "question? " << '\n';
    std::cout << n * 2 << "\n";
    server.join();
}

TEST_F(redirect_streams, both_as_server_accepts_and_talks_over_unix) {
    test::temp_dir dir;
    const std::string ep = "unix:" + dir.file("server.sock");
    std::thread client([&] {
        connect_options wait;
        wait.wait = 20s;
        unique_fd c = connect_to(parse_endpoint(ep), wait);
        test::bound_io(c.get());
        EXPECT_TRUE(st::write_all(c.get(), "hi server\n", 20s));
        EXPECT_EQ(test::read_some(c.get(), 22), "server got: hi server\n");
    });
    {
        redirection g = both_as_server(ep);
        std::string line;
        std::getline(std::cin, line);
        std::cout << "server got: " << line << '\n';
    }
    client.join();
}

TEST_F(redirect_streams, both_as_server_on_a_listener_knows_its_port_before_accepting) {
    listener l = redirect::listen(":0");
    ASSERT_NE(l.port(), 0) << "port 0 asks the kernel for a free port";
    const std::string ep = ":" + std::to_string(l.port());
    std::thread client([&] {
        unique_fd c = connect_to(parse_endpoint(ep));
        test::bound_io(c.get());
        EXPECT_TRUE(st::write_all(c.get(), "ping\n", 20s));
        EXPECT_EQ(test::read_some(c.get(), 5), "pong\n");
    });
    {
        redirection g = both_as_server(l);
        std::string word;
        std::cin >> word;
        std::cout << (word == "ping" ? "pong" : "what?") << '\n';
    }
    client.join();
}

TEST_F(redirect_streams, both_as_server_serves_clients_in_turn_on_one_listener) {
    listener l = redirect::listen(":0");
    const std::string ep = ":" + std::to_string(l.port());
    std::thread clients([&] {
        for (std::string name : {"first", "second"}) {
            unique_fd c = connect_to(parse_endpoint(ep));
            test::bound_io(c.get());
            EXPECT_TRUE(st::write_all(c.get(), name + "\n", 20s));
            // To the end: each redirection closes its connection when it ends.
            EXPECT_EQ(test::read_to_end(c.get()), "hello " + name + "\n");
        }
    });
    for (int i = 0; i < 2; ++i) {
        redirection g = both_as_server(l);
        std::string name;
        std::getline(std::cin, name);
        std::cout << "hello " << name << '\n';
    }
    clients.join();
    EXPECT_TRUE(l.fd() >= 0) << "the caller's listener stays open";
}

TEST_F(redirect_streams, listen_reports_its_port_before_a_client_connects) {
    listener gui = redirect::listen(":0");
    ASSERT_NE(gui.port(), 0);
    EXPECT_EQ(gui.address().ip(), "127.0.0.1") << ":PORT listens on loopback only";
    const std::string ep = ":" + std::to_string(gui.port());
    std::thread program([&] {
        unique_fd c = connect_to(parse_endpoint(ep));
        test::bound_io(c.get());
        socket_stream s(std::move(c));
        s << "progress 50%\n";
        std::string reply;
        std::getline(s, reply);
        EXPECT_EQ(reply, "ok");
    });
    unique_fd conn = gui.accept();
    test::bound_io(conn.get());
    socket_stream from_program(std::move(conn));
    std::string line;
    std::getline(from_program, line);
    EXPECT_EQ(line, "progress 50%");
    from_program << "ok\n";
    program.join();
    EXPECT_EQ(std::cout.rdbuf(), before.out_buffer) << "listen() redirects nothing";
}

TEST_F(redirect_streams, listen_accepts_one_client_after_another) {
    test::temp_dir dir;
    const std::string path = dir.file("many.sock");
    listener l = redirect::listen("unix:" + path);
    EXPECT_EQ(l.address().path(), path);
    // Both connect before either is accepted: the listener queues them in order.
    unique_fd a = connect_to(parse_endpoint("unix:" + path));
    unique_fd b = connect_to(parse_endpoint("unix:" + path));
    EXPECT_TRUE(st::write_all(a.get(), "from a\n", 20s));
    EXPECT_TRUE(st::write_all(b.get(), "from b\n", 20s));
    for (const char* expected : {"from a", "from b"}) {
        unique_fd conn = l.accept();
        test::bound_io(conn.get());
        socket_stream s(std::move(conn));
        std::string line;
        std::getline(s, line);
        EXPECT_EQ(line, expected);
    }
}

TEST_F(redirect_streams, listen_then_accept_is_init_listener_socket_in_one_statement) {
    test::temp_dir dir;
    const std::string path = dir.file("one.sock");
    std::thread client_side([&] {
        connect_options wait;
        wait.wait = 20s;
        unique_fd c = connect_to(parse_endpoint("unix:" + path), wait);
        EXPECT_TRUE(st::write_all(c.get(), "1", 20s));
    });
    unique_fd server = redirect::listen("unix:" + path).accept();
    client_side.join();
    EXPECT_EQ(test::read_some(server.get(), 1), "1");
    struct stat st {};
    EXPECT_NE(::stat(path.c_str(), &st), 0) << "the listener outlived the statement";
}

TEST_F(redirect_streams, connect_wait_reaches_a_listener_that_starts_later) {
    test::temp_dir dir;
    const std::string ep = "unix:" + dir.file("later.sock");
    std::string received;
    std::thread late_listener([&] {
        std::this_thread::sleep_for(150ms);
        listener l(parse_endpoint(ep));
        unique_fd c = l.accept();
        received = test::read_to_end(c.get());
    });
    {
        redirect_options options;
        options.connect_wait = 20s;
        redirection g = out(ep, options);
        std::cout << "made it\n";
    }
    late_listener.join();
    EXPECT_EQ(received, "made it\n");
}

TEST_F(redirect_streams, restoration_is_exact) {
    std::cout.setf(std::ios_base::hex | std::ios_base::showbase);
    std::cin.setf(std::ios_base::skipws);
    std::cin.unsetf(std::ios_base::dec);
    std::cin.tie(nullptr);
    std::cin.setstate(std::ios_base::eofbit);
    const standard_streams odd;
    test::peer_listener p;
    {
        redirect_options options;
        options.policy = flush_policy::unit;
        redirection g = both_as_client(p.ep, options);
        unique_fd peer = p.accept();
        EXPECT_EQ(std::cin.tie(), &std::cout);
        EXPECT_TRUE(std::cout.flags() & std::ios_base::unitbuf);
        EXPECT_TRUE(std::cin.good()) << "the redirected stream starts clean";
    }
    EXPECT_TRUE(standard_streams{} == odd);
    std::cout.flags(before.out_flags);
    std::cin.flags(before.in_flags);
    std::cin.tie(before.in_tie);
    std::cin.clear(before.in_state);
}

TEST_F(redirect_streams, tied_input_sends_the_question_before_waiting) {
    test::peer_listener p;
    redirect_options options;
    options.policy = flush_policy::full;
    redirection g = both_as_client(p.ep, options);
    unique_fd peer = p.accept();
    std::cout << "name? ";
    EXPECT_FALSE(test::readable_within(peer.get(), absent_ms));
    std::string name;
    std::thread reader([&] { std::cin >> name; });
    EXPECT_EQ(test::read_some(peer.get(), 6), "name? ");
    EXPECT_TRUE(st::write_all(peer.get(), "ada\n", 20s));
    reader.join();
    EXPECT_EQ(name, "ada");
}

TEST_F(redirect_streams, untied_input_leaves_output_waiting) {
    test::peer_listener p;
    redirect_options options;
    options.policy = flush_policy::full;
    options.tie = false;
    redirection g = both_as_client(p.ep, options);
    unique_fd peer = p.accept();
    EXPECT_EQ(std::cin.tie(), nullptr);
    std::cout << "held";
    EXPECT_TRUE(st::write_all(peer.get(), "go\n", 20s));
    std::string word;
    std::cin >> word;
    EXPECT_EQ(word, "go");
    EXPECT_FALSE(test::readable_within(peer.get(), absent_ms));
    std::cout.flush();
    EXPECT_EQ(test::read_some(peer.get(), 4), "held");
}

TEST_F(redirect_streams, default_policy_is_line) {
    EXPECT_EQ(redirect_options{}.policy, flush_policy::line);
    EXPECT_TRUE(redirect_options{}.tie);
    EXPECT_EQ(redirect_options{}.scope, redirect_scope::streams);
    test::peer_listener p;
    redirection g = out(p.ep);
    unique_fd peer = p.accept();
    std::cout << "part";
    EXPECT_FALSE(test::readable_within(peer.get(), absent_ms));
    std::cout << '\n';
    EXPECT_EQ(test::read_some(peer.get(), 5), "part\n");
}

TEST_F(redirect_streams, unit_policy_sends_each_operation) {
    test::peer_listener p;
    redirect_options options;
    options.policy = flush_policy::unit;
    redirection g = out(p.ep, options);
    unique_fd peer = p.accept();
    std::cout << "u";
    EXPECT_EQ(test::read_some(peer.get(), 1), "u");
    std::cout << 3.5;
    EXPECT_EQ(test::read_some(peer.get(), 3), "3.5");
}

TEST_F(redirect_streams, guards_move) {
    test::peer_listener p;
    redirection a = out(p.ep);
    unique_fd peer = p.accept();
    const int fd = a.socket();
    redirection b(std::move(a));
    EXPECT_FALSE(a.active());
    EXPECT_EQ(a.socket(), -1);
    EXPECT_TRUE(b.active());
    EXPECT_EQ(b.socket(), fd);
    std::cout << "via b\n";
    EXPECT_EQ(test::read_some(peer.get(), 6), "via b\n");
    redirection c;
    EXPECT_FALSE(c.active());
    c = std::move(b);
    std::cout << "via c\n";
    EXPECT_EQ(test::read_some(peer.get(), 6), "via c\n");
    a.end();  // ending a moved-from guard does nothing
    c.end();
    c.end();  // idempotent
    EXPECT_EQ(test::read_to_end(peer.get()), "");
}

TEST_F(redirect_streams, older_guard_may_end_first) {
    test::peer_listener p1, p2;
    redirection first = out(p1.ep);
    unique_fd peer1 = p1.accept();
    redirection second = out(p2.ep);
    unique_fd peer2 = p2.accept();
    first.end();
    EXPECT_EQ(test::read_to_end(peer1.get()), "");
    std::cout << "still second\n";
    EXPECT_EQ(test::read_some(peer2.get(), 13), "still second\n");
    second.end();
}

TEST_F(redirect_streams, moving_onto_an_active_guard_ends_it) {
    test::peer_listener p1, p2;
    redirection a = both_as_client(p1.ep);
    unique_fd peer1 = p1.accept();
    redirection b = out(p2.ep);
    unique_fd peer2 = p2.accept();
    a = std::move(b);
    EXPECT_EQ(test::read_to_end(peer1.get()), "") << "a's connection ended";
    EXPECT_EQ(std::cin.rdbuf(), before.in_buffer) << "a's std::cin redirection ended";
    std::cout << "to two\n";
    EXPECT_EQ(test::read_some(peer2.get(), 7), "to two\n");
}

TEST_F(redirect_streams, io_error_is_reported_and_the_stream_recovers_at_the_end) {
    test::peer_listener p;
    redirect_options options;
    options.policy = flush_policy::full;
    redirection g = out(p.ep, options);
    {
        unique_fd peer = p.accept();
        linger abort_on_close{1, 0};
        ::setsockopt(peer.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    }
    const std::string block(65536, 'x');
    for (int i = 0; i < 100 && std::cout; ++i)
        std::cout << block << std::flush;
    EXPECT_TRUE(std::cout.bad());
    EXPECT_TRUE(g.error());
    g.end();
    EXPECT_TRUE(std::cout.good());
}

TEST_F(redirect_streams, setup_errors_throw_and_change_nothing) {
    EXPECT_THROW(out("no port here"), endpoint_error);
    const auto reserved = sockwrap_test::bound_not_listening();  // bound, never listening
    try {
        both_as_client("127.0.0.1:" + std::to_string(reserved.port));
        FAIL() << "connected to a closed port";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), ECONNREFUSED);
    }
}
