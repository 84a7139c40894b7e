// What a hostile or unlucky environment must not do to sockwrap: a file in place of a UNIX
// socket, a second listener on a live path, a planted symlink, escape codes in arguments,
// tcpserver variables from outside, a stop signal before the client, a missing preload library.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"

namespace sockwrap_e2e {
namespace {

namespace fs = std::filesystem;

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::string contents(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// True when `text` is one line with no control byte and no byte that is not UTF-8 before its
// newline: what a terminal shows as it is.
bool one_printable_line(const std::string& text) {
    if (text.empty() || text.back() != '\n') return false;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7f || byte >= 0x80) return false;  // the tests use ASCII
    }
    return true;
}

// True when `text`, lines of `NAME=VALUE`, has the line `entry`.
bool has_line(const std::string& text, const std::string& entry) {
    return ("\n" + text).find("\n" + entry + "\n") != std::string::npos;
}

// The socket file a process that died left behind: bound, never listened on, closed.
void make_stale_socket(const std::string& path) {
    redirect::unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(fd);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
}

// --- a UNIX socket path ------------------------------------------------------------------

TEST(hardening, unix_listen_never_removes_a_file_that_is_not_a_socket) {
    st::temp_dir dir;
    const std::string notes = dir.file("notes.txt");
    std::ofstream(notes) << "important\n";
    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string link = dir.file("link");
    ASSERT_EQ(::symlink(notes.c_str(), link.c_str()), 0);
    const std::string dangling = dir.file("dangling");
    ASSERT_EQ(::symlink(dir.file("nowhere").c_str(), dangling.c_str()), 0);

    for (const auto& path : {notes, fifo, link, dangling}) {
        for (bool keep_open : {false, true}) {
            std::vector<std::string> args{"--listen", "unix:" + path, "cat"};
            if (keep_open) args.insert(args.begin(), "-k");
            auto f = run_to_end(args);
            EXPECT_EQ(f.status, 125) << path;
            EXPECT_TRUE(one_printable_line(f.err)) << f.err;
            EXPECT_NE(f.err.find("left untouched"), std::string::npos) << f.err;
            EXPECT_TRUE(exists(path)) << path << " was removed";
            EXPECT_FALSE(exists(path + ".lock")) << "the lock file stayed behind";
        }
    }
    EXPECT_EQ(contents(notes), "important\n");
    struct stat st {};
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    ASSERT_EQ(::lstat(link.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST(hardening, unix_listen_replaces_a_stale_socket_and_leaves_nothing_behind) {
    st::temp_dir dir;
    const std::string path = dir.file("s");
    make_stale_socket(path);
    auto server = start({"--listen", "unix:" + path, "sh", "-c", "echo served"});
    ASSERT_TRUE(wait_for_path(path + ".lock"));
    redirect::unique_fd c;
    for (int i = 0; i < 3000 && !c; ++i) {  // the stale file is replaced right after the lock
        try {
            c = st::connect_unix(path);
        } catch (const std::system_error&) {
            std::this_thread::sleep_for(10ms);
        }
    }
    ASSERT_TRUE(c);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "served\n");
    EXPECT_EQ(server.wait_for(patience), 0);
    EXPECT_FALSE(exists(path));
    EXPECT_FALSE(exists(path + ".lock"));
}

TEST(hardening, a_second_listener_fails_without_consuming_the_first) {
    st::temp_dir dir;
    const std::string path = dir.file("s");
    auto first = start({"--listen", "unix:" + path, "sh", "-c", "echo served"});
    ASSERT_TRUE(wait_for_path(path));
    for (bool keep_open : {false, true}) {
        std::vector<std::string> args{"--listen", "unix:" + path, "cat"};
        if (keep_open) args.insert(args.begin(), "-k");
        auto second = run_to_end(args);
        EXPECT_EQ(second.status, 125);
        EXPECT_NE(second.err.find("in use"), std::string::npos) << second.err;
    }
    EXPECT_TRUE(first.running()) << "the first listener took the probe for its client";
    auto c = st::connect_unix(path);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "served\n");
    EXPECT_EQ(first.wait_for(patience), 0);
    EXPECT_FALSE(exists(path));
}

TEST(hardening, of_two_listeners_started_at_once_exactly_one_listens) {
    st::temp_dir dir;
    const std::string path = dir.file("s");
    const std::vector<std::string> args{"--listen", "unix:" + path, "sh", "-c", "echo served"};
    auto a = start(args);
    auto b = start(args);
    // One of them gives up at once; which one is up to the scheduler.
    std::optional<int> a_end, b_end;
    for (int i = 0; i < 3000 && !a_end && !b_end; ++i) {
        a_end = a.wait_for(5ms);
        b_end = b.wait_for(5ms);
    }
    ASSERT_TRUE(a_end.has_value() != b_end.has_value()) << "both or neither ended";
    auto& loser = a_end ? a : b;
    auto& winner = a_end ? b : a;
    EXPECT_EQ(a_end ? *a_end : *b_end, 125);
    EXPECT_NE(st::read_until_eof(loser.err(), patience).data.find("in use"), std::string::npos);
    ASSERT_TRUE(wait_for_path(path));
    auto c = st::connect_unix(path);
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "served\n");
    EXPECT_EQ(winner.wait_for(patience), 0);
}

TEST(hardening, a_live_socket_of_another_program_is_left_alone) {
    st::temp_dir dir;
    const std::string path = dir.file("s");
    auto theirs = st::listen_unix(path);
    auto f = run_to_end({"--listen", "unix:" + path, "cat"});
    EXPECT_EQ(f.status, 125);
    EXPECT_NE(f.err.find("in use"), std::string::npos) << f.err;
    EXPECT_TRUE(exists(path));
    EXPECT_NO_THROW(st::connect_unix(path)) << "their socket no longer answers";
}

TEST(hardening, a_stop_signal_before_the_client_removes_the_socket_file) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        st::temp_dir dir;
        const std::string path = dir.file("s");
        auto server = start({"--listen", "unix:" + path, "cat"});
        ASSERT_TRUE(wait_for_path(path));
        server.signal(sig);
        EXPECT_EQ(server.wait_for(patience), 128 + sig) << "it ends by the signal, as before";
        EXPECT_FALSE(exists(path)) << "signal " << sig;
        EXPECT_FALSE(exists(path + ".lock")) << "signal " << sig;
    }
}

// --- files and messages -----------------------------------------------------------------

TEST(hardening, port_file_never_follows_a_planted_symlink) {
    st::temp_dir dir;
    const std::string victim = dir.file("victim");
    std::ofstream(victim) << "precious\n";
    const std::string port_file = dir.file("port");
    // The shell plants links at the names a temporary file beside FILE could be given with
    // the pid sockwrap will have ($$: exec keeps it), then becomes sockwrap.
    const std::string plant =
        "for name in \"$1.tmp.$$\" \"$1.$$\" \"$1.tmp\"; do ln -s \"$2\" "
        "\"$name\"; done; exec \"$3\" --listen 127.0.0.1:0 --port-file "
        "\"$1\" sh -c 'echo hi'";
    st::process server({"sh", "-c", plant, "sh", port_file, victim, binary()});
    const std::string line = st::wait_for_line_in_file(port_file, patience);
    ASSERT_FALSE(line.empty());
    auto c = st::connect_tcp("127.0.0.1", static_cast<std::uint16_t>(std::stoi(line)));
    EXPECT_EQ(st::read_until_eof(c.get(), patience).data, "hi\n");
    EXPECT_EQ(server.wait_for(patience), 0);
    EXPECT_EQ(contents(victim), "precious\n");
    struct stat st {};
    ASSERT_EQ(::lstat(port_file.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(hardening, messages_show_user_text_printable_on_one_line) {
    const std::vector<std::vector<std::string>> commands = {
        {"--out", ":1", "no\nsuch"},                           // a program name
        {"--out", ":1", "--grace", "\x1b[31mred"},             // an option value
        {"--out", ":1", "--\x1b]0;title\x07", "cat"},          // an unknown option
        {"--listen", ":0", "--allow", "10.0.0.0/8\n", "cat"},  // a CIDR
        {"--out", "\xff\xfe:1", "cat"},                        // not UTF-8
        {"--out",
         "\xc2\x9b"
         "31m:1",
         "cat"},                                           // a C1 control (CSI)
        {"--listen", "unix:/nonexistent/dir\n/s", "cat"},  // a path
        {"--listen", ":0", "--port-file", "/nonexistent\x1b/p", "cat"},
    };
    for (const auto& args : commands) {
        auto f = run_to_end(args);
        EXPECT_GE(f.status, 125);
        EXPECT_TRUE(one_printable_line(f.err)) << "for " << args.back() << ": " << f.err;
        EXPECT_NE(f.err.find("\\x"), std::string::npos) << f.err;
    }
}

TEST(hardening, verbose_lines_show_a_client_socket_path_printable) {
    st::temp_dir dir;
    const std::string path = dir.file("s");
    auto server = start({"-v", "--listen", "unix:" + path, "true"});
    ASSERT_TRUE(wait_for_path(path));
    redirect::unique_fd c(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un own{};
    own.sun_family = AF_UNIX;
    const std::string own_path = dir.file("client\n\x1b[2J");
    std::strncpy(own.sun_path, own_path.c_str(), sizeof own.sun_path - 1);
    ASSERT_EQ(::bind(c.get(), reinterpret_cast<sockaddr*>(&own), sizeof own), 0);
    sockaddr_un to{};
    to.sun_family = AF_UNIX;
    std::strncpy(to.sun_path, path.c_str(), sizeof to.sun_path - 1);
    ASSERT_EQ(::connect(c.get(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    EXPECT_EQ(server.wait_for(patience), 0);
    const std::string log = st::read_until_eof(server.err(), patience).data;
    std::istringstream lines(log);
    bool seen = false;
    for (std::string line; std::getline(lines, line);) {
        EXPECT_TRUE(one_printable_line(line + "\n")) << line;
        seen = seen || line.find("client\\x0a\\x1b[2J") != std::string::npos;
    }
    EXPECT_TRUE(seen) << log;
}

// --- the program's environment and preparation ----------------------------------------------

TEST(hardening, tcpserver_variables_from_outside_never_reach_the_program) {
    st::process_options o;
    o.env_set = {"TCPREMOTEHOST=spoofed", "TCPREMOTEINFO=spoofed", "TCPLOCALHOST=spoofed",
                 "TCP6REMOTEIP=spoofed",  "TCP6INTERFACE=spoofed", "TCPREMOTEIP=spoofed",
                 "PROTO=spoofed",         "TCP_KEEP_THIS=kept"};
    auto s = start_listening("--listen", {"env"}, o);
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);
    const std::string env = st::read_until_eof(c.get(), patience).data;
    EXPECT_EQ(s.proc.wait_for(patience), 0);
    EXPECT_EQ(env.find("spoofed"), std::string::npos) << env;
    EXPECT_TRUE(has_line(env, "TCPREMOTEIP=127.0.0.1")) << env;
    EXPECT_TRUE(has_line(env, "PROTO=TCP")) << env;
    EXPECT_TRUE(has_line(env, "TCP_KEEP_THIS=kept")) << "not a tcpserver name: " << env;
}

TEST(hardening, a_missing_line_buffering_library_costs_no_connection) {
    st::temp_dir dir;
    const std::string copy = dir.file("sockwrap");  // a sockwrap with no library beside it
    fs::copy_file(binary(), copy);
    auto l = st::listen_tcp();
    st::process_options o;
    o.in = st::stdio_spec::null();
    st::process client(
        {copy, "--line-buffered", "--out", "127.0.0.1:" + std::to_string(l.port), "cat"}, o);
    EXPECT_EQ(client.wait_for(patience), 125);
    const std::string err = st::read_until_eof(client.err(), patience).data;
    EXPECT_TRUE(one_printable_line(err)) << err;
    EXPECT_NE(err.find(dir.file("libsockwrap-linebuf.so")), std::string::npos) << err;
    EXPECT_FALSE(st::accept_within(l.fd.get(), 100ms)) << "it connected first";

    const std::string port_file = dir.file("port");
    st::process server(
        {copy, "--line-buffered", "--listen", "127.0.0.1:0", "--port-file", port_file, "cat"}, o);
    EXPECT_EQ(server.wait_for(patience), 125);
    EXPECT_FALSE(exists(port_file)) << "it listened first";
}

// --- decided edge cases -----------------------------------------------------------------

TEST(hardening, wait_with_a_listening_mode_is_a_usage_error_even_zero) {
    for (const char* seconds : {"0", "5"}) {
        auto f = run_to_end({"--wait", seconds, "--listen", ":0", "cat"});
        EXPECT_EQ(f.status, 125);
        EXPECT_NE(f.err.find("--wait needs a connecting mode"), std::string::npos) << f.err;
    }
}

}  // namespace
}  // namespace sockwrap_e2e
