// Sockets: connect, listen, accept, addresses, UNIX-domain files, waiting for a listener, and
// close-on-exec on every descriptor made.

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>

#include "redirect/socket.hpp"
#include "sockwrap_test/net.hpp"
#include "support.hpp"

using namespace redirect;
using namespace std::chrono_literals;

namespace {

bool cloexec(int fd) {
    return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

std::string port_text(const listener& l) {
    return std::to_string(l.port());
}

bool ipv6_loopback_available() {
    unique_fd fd(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return false;
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    return ::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

// Leaves a socket file with nobody listening on it, as a killed server would.
void make_stale_socket_file(const std::string& path) {
    unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, path.c_str());
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(fd.get(), 1), 0);
}  // closed without unlink

}  // namespace

TEST(socket, port_zero_gets_a_free_port_on_loopback) {
    listener l(parse_endpoint(":0"));
    EXPECT_NE(l.port(), 0);
    EXPECT_EQ(l.address().ip(), "127.0.0.1");
    EXPECT_TRUE(cloexec(l.fd()));
}

TEST(socket, star_listens_on_every_interface) {
    listener l(parse_endpoint("*:0"));
    const std::string ip = l.address().ip();
    EXPECT_TRUE(ip == "::" || ip == "0.0.0.0") << ip;
}

TEST(socket, connect_and_accept_over_ipv4) {
    listener l(parse_endpoint("127.0.0.1:0"));
    unique_fd client = connect_to(parse_endpoint("127.0.0.1:" + port_text(l)));
    socket_address peer;
    unique_fd server = l.accept(&peer);
    EXPECT_TRUE(cloexec(client.get()));
    EXPECT_TRUE(cloexec(server.get()));
    EXPECT_EQ(peer.to_string(), local_address(client.get()).to_string());
    EXPECT_EQ(peer_address(client.get()).port(), l.port());
    EXPECT_EQ(peer_address(server.get()).to_string(), local_address(client.get()).to_string());
    EXPECT_TRUE(st::write_all(client.get(), "ping", 20s));
    EXPECT_EQ(test::read_some(server.get(), 4), "ping");
}

TEST(socket, loopback_shorthand_connects) {
    listener l(parse_endpoint(":0"));
    unique_fd client = connect_to(parse_endpoint(":" + port_text(l)));
    unique_fd server = l.accept();
    EXPECT_EQ(peer_address(client.get()).ip(), "127.0.0.1");
}

TEST(socket, connect_and_accept_over_ipv6_loopback) {
    if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback on this machine";
    listener l(parse_endpoint("[::1]:0"));
    EXPECT_EQ(l.address().ip(), "::1");
    EXPECT_EQ(l.address().to_string(), "[::1]:" + port_text(l));
    unique_fd client = connect_to(parse_endpoint("[::1]:" + port_text(l)));
    unique_fd server = l.accept();
    EXPECT_EQ(peer_address(server.get()).ip(), "::1");
    EXPECT_TRUE(st::write_all(server.get(), "six", 20s));
    EXPECT_EQ(test::read_some(client.get(), 3), "six");
}

TEST(socket, refused_connect_names_the_endpoint) {
    // Bound but never listening: refused, and no other test can take the port meanwhile.
    const auto reserved = sockwrap_test::bound_not_listening();
    const unsigned short port = reserved.port;
    try {
        connect_to(parse_endpoint("127.0.0.1:" + std::to_string(port)));
        FAIL() << "connected to a closed port";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), ECONNREFUSED);
        EXPECT_NE(std::string(e.what()).find("connect to 127.0.0.1:" + std::to_string(port)),
                  std::string::npos)
            << e.what();
    }
}

TEST(socket, connect_waits_for_a_unix_listener_that_appears_later) {
    test::temp_dir dir;
    const std::string path = dir.file("late.sock");
    std::thread late([&] {
        std::this_thread::sleep_for(150ms);
        listener l(parse_endpoint("unix:" + path));
        unique_fd c = l.accept();
        EXPECT_TRUE(st::write_all(c.get(), "late", 20s));
    });
    connect_options wait;
    wait.wait = 20s;
    unique_fd client = connect_to(parse_endpoint("unix:" + path), wait);
    EXPECT_EQ(test::read_some(client.get(), 4), "late");
    late.join();
}

TEST(socket, connect_waits_for_a_tcp_listener_that_appears_later) {
    auto reserved = sockwrap_test::bound_not_listening();  // refuses until the listener comes
    const endpoint ep = parse_endpoint("127.0.0.1:" + std::to_string(reserved.port));
    std::thread late([&] {
        std::this_thread::sleep_for(150ms);
        reserved.fd.reset();
        listener l(ep);
        unique_fd c = l.accept();
        EXPECT_TRUE(st::write_all(c.get(), "up", 20s));
    });
    connect_options wait;
    wait.wait = 20s;
    unique_fd client = connect_to(ep, wait);
    EXPECT_EQ(test::read_some(client.get(), 2), "up");
    late.join();
}

TEST(socket, connect_without_wait_fails_at_once_on_a_missing_unix_socket) {
    test::temp_dir dir;
    EXPECT_THROW(connect_to(parse_endpoint("unix:" + dir.file("none.sock"))), std::system_error);
}

TEST(socket, unix_connect_accept_and_addresses) {
    test::temp_dir dir;
    const std::string path = dir.file("s.sock");
    listener l(parse_endpoint("unix:" + path));
    EXPECT_EQ(l.address().to_string(), "unix:" + path);
    unique_fd client = connect_to(parse_endpoint("unix:" + path));
    unique_fd server = l.accept();
    EXPECT_TRUE(cloexec(client.get()));
    EXPECT_TRUE(cloexec(server.get()));
    EXPECT_EQ(peer_address(client.get()).path(), path);
    EXPECT_TRUE(st::write_all(client.get(), "unix", 20s));
    EXPECT_EQ(test::read_some(server.get(), 4), "unix");
}

TEST(socket, unix_listener_removes_its_file_when_closed) {
    test::temp_dir dir;
    const std::string path = dir.file("gone.sock");
    {
        listener l(parse_endpoint("unix:" + path));
        struct stat st {};
        EXPECT_EQ(::stat(path.c_str(), &st), 0);
    }
    struct stat st {};
    EXPECT_NE(::stat(path.c_str(), &st), 0);
}

TEST(socket, stale_unix_socket_file_is_replaced) {
    test::temp_dir dir;
    const std::string path = dir.file("stale.sock");
    make_stale_socket_file(path);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    listener l(parse_endpoint("unix:" + path));
    unique_fd client = connect_to(parse_endpoint("unix:" + path));
    unique_fd server = l.accept();
    EXPECT_TRUE(st::write_all(server.get(), "fresh", 20s));
    EXPECT_EQ(test::read_some(client.get(), 5), "fresh");
}

TEST(socket, live_unix_socket_is_not_taken_over) {
    test::temp_dir dir;
    const std::string path = dir.file("live.sock");
    listener first(parse_endpoint("unix:" + path));
    try {
        listener second(parse_endpoint("unix:" + path));
        FAIL() << "a second listener took a live socket";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), EADDRINUSE);
        EXPECT_NE(std::string(e.what()).find("listen on unix:" + path), std::string::npos);
    }
    // The first listener still works, and its first connection is the client's, not a probe.
    unique_fd client = connect_to(parse_endpoint("unix:" + path));
    unique_fd server = first.accept();
    ASSERT_TRUE(st::write_all(client.get(), "me", 20s));
    EXPECT_EQ(test::read_some(server.get(), 2), "me");
}

TEST(socket, unix_listener_never_replaces_a_file_that_is_not_a_socket) {
    test::temp_dir dir;
    const std::string file = dir.file("notes.txt");
    std::ofstream(file) << "important\n";
    const std::string link = dir.file("link");
    ASSERT_EQ(::symlink(file.c_str(), link.c_str()), 0);
    for (const auto& path : {file, link}) {
        try {
            listener l(parse_endpoint("unix:" + path));
            FAIL() << "listened in place of " << path;
        } catch (const std::system_error& e) {
            EXPECT_EQ(e.code().value(), EEXIST);
            EXPECT_NE(std::string(e.what()).find("left untouched"), std::string::npos) << e.what();
        }
        struct stat st {};
        EXPECT_NE(::lstat((path + ".lock").c_str(), &st), 0) << "the lock file stayed";
    }
    std::string text;
    std::getline(std::ifstream(file), text);
    EXPECT_EQ(text, "important");
}

TEST(socket, unix_listener_holds_a_lock_file_and_removes_it) {
    test::temp_dir dir;
    const std::string path = dir.file("s");
    struct stat st {};
    {
        listener l(parse_endpoint("unix:" + path));
        ASSERT_EQ(::lstat((path + ".lock").c_str(), &st), 0);
        EXPECT_TRUE(S_ISREG(st.st_mode));
        listener moved(std::move(l));
        l.close();  // the moved-from listener owns nothing any more
        EXPECT_EQ(::lstat(path.c_str(), &st), 0);
        EXPECT_EQ(::lstat((path + ".lock").c_str(), &st), 0);
    }
    EXPECT_NE(::lstat(path.c_str(), &st), 0);
    EXPECT_NE(::lstat((path + ".lock").c_str(), &st), 0);
    listener again(parse_endpoint("unix:" + path));  // and the path is free again
    EXPECT_TRUE(again.fd() >= 0);
}

TEST(socket, every_descriptor_made_is_close_on_exec) {
    const std::set<int> inherited = test::inheritable_fds();
    test::temp_dir dir;
    listener tcp(parse_endpoint(":0"));
    listener unix_listener(parse_endpoint("unix:" + dir.file("c.sock")));
    unique_fd a = connect_to(parse_endpoint(":" + port_text(tcp)));
    unique_fd b = tcp.accept();
    unique_fd c = connect_to(parse_endpoint("unix:" + dir.file("c.sock")));
    unique_fd d = unix_listener.accept();
    for (int fd : {tcp.fd(), unix_listener.fd(), a.get(), b.get(), c.get(), d.get()})
        EXPECT_TRUE(cloexec(fd)) << fd;
    EXPECT_EQ(test::inheritable_fds(), inherited);
}

TEST(socket, unique_fd_closes_and_moves) {
    int raw[2];
    ASSERT_EQ(::pipe2(raw, O_CLOEXEC), 0);
    unique_fd keep(raw[1]);
    {
        unique_fd owner(raw[0]);
        unique_fd moved(std::move(owner));
        EXPECT_FALSE(owner.valid());
        EXPECT_EQ(moved.get(), raw[0]);
    }
    EXPECT_EQ(::fcntl(raw[0], F_GETFD), -1) << "not closed";
}
