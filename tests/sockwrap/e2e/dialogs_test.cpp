// The source text's five dialogs: its Python client functions (dialogs/clients.py) run
// unmodified under sockwrap, and the test plays each server function's part.

#include <gtest/gtest.h>
#include <unistd.h>

#include "harness.hpp"
#include "sockwrap_test/net.hpp"

namespace sockwrap_e2e {
namespace {

class dialog : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!st::python3_available()) GTEST_SKIP() << "python3 is missing";
    }
    std::vector<std::string> client(const std::string& mode, const std::string& endpoint, int n) {
        return {mode, endpoint, "python3", DIALOGS_DIR "/clients.py", std::to_string(n)};
    }
    const std::string server_pid = std::to_string(::getpid());
    std::string at(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }
};

// The client's pid as it printed it in `line` of the form "...client PID...".
std::string pid_in(const std::string& line) {
    auto at = line.find("client ");
    if (at == std::string::npos) return "";
    at += 7;
    auto end = line.find_first_not_of("0123456789", at);
    return line.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

TEST_F(dialog, one_redirected_output) {
    auto l = st::listen_tcp();
    auto p = start(client("--out", at(l.port), 1));
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    // server1: read the client's three prints, line by line, as they come.
    auto got = st::read_lines(c.get(), 3, patience).data;
    std::string pid = pid_in(got);
    ASSERT_FALSE(pid.empty()) << got;
    EXPECT_EQ(got, "client " + pid + ": 0\nclient " + pid + ": 1\nclient " + pid + ": 2\n");
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST_F(dialog, two_redirected_input) {
    auto l = st::listen_tcp();
    auto p = start(client("--in", at(l.port), 2));
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    // server2: send three lines to the client's input().
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(st::write_all(c.get(), "server " + server_pid + ": " + std::to_string(i) + "\n",
                                  patience));
    auto shown = st::read_until_eof(p.out(), patience).data;
    std::string pid = pid_in(shown);
    std::string want;
    for (int i = 0; i < 3; ++i)
        want += "client " + pid + " got [server " + server_pid + ": " + std::to_string(i) + "]\n";
    EXPECT_EQ(shown, want);
    EXPECT_EQ(p.wait_for(patience), 0);
}

TEST_F(dialog, three_both_as_client) {
    auto l = st::listen_tcp();
    auto p = start(client("--connect", at(l.port), 3));
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    // server3: read a line, answer "server PID got [line]".
    std::string pid;
    for (int i = 0; i < 3; ++i) {
        auto line = st::read_lines(c.get(), 1, patience).data;
        if (pid.empty()) pid = pid_in(line);
        ASSERT_EQ(line, "client " + pid + ": " + std::to_string(i) + "\n");
        ASSERT_TRUE(st::write_all(
            c.get(), "server " + server_pid + " got [" + line.substr(0, line.size() - 1) + "]\n",
            patience));
    }
    std::string want;
    for (int i = 0; i < 3; ++i)
        want += "client " + pid + " got [server " + server_pid + " got [client " + pid + ": " +
                std::to_string(i) + "]]\n";
    EXPECT_EQ(st::read_until_eof(p.err(), patience).data, want);
    EXPECT_EQ(p.wait_for(patience), 0);
}

// server4 and server5 talk the same way: send "server PID: i", read the client's answer.
std::string serve_first(int fd, const std::string& server_pid) {
    std::string answers;
    for (int i = 0; i < 3; ++i) {
        if (!st::write_all(fd, "server " + server_pid + ": " + std::to_string(i) + "\n", patience))
            break;
        auto line = st::read_lines(fd, 1, patience).data;
        answers += "server " + server_pid + " got [" + line.substr(0, line.size() - 1) + "]\n";
    }
    return answers;
}

std::string expected_answers(const std::string& server_pid, const std::string& client_pid) {
    std::string want;
    for (int i = 0; i < 3; ++i)
        want += "server " + server_pid + " got [client " + client_pid + " got [server " +
                server_pid + ": " + std::to_string(i) + "]]\n";
    return want;
}

TEST_F(dialog, four_both_as_server) {
    auto s = start_listening("--listen", {"python3", DIALOGS_DIR "/clients.py", "4"});
    ASSERT_NE(s.port, 0);
    auto c = st::connect_tcp("127.0.0.1", s.port);  // server4 connects to the client
    auto answers = serve_first(c.get(), server_pid);
    EXPECT_EQ(answers, expected_answers(server_pid, pid_in(answers)));
    EXPECT_EQ(s.proc.wait_for(patience), 0);
}

TEST_F(dialog, five_both_as_client_server_first) {
    auto l = st::listen_tcp();
    auto p = start(client("--connect", at(l.port), 5));
    auto c = st::accept_within(l.fd.get(), patience);
    ASSERT_TRUE(c);
    auto answers = serve_first(c.get(), server_pid);
    EXPECT_EQ(answers, expected_answers(server_pid, pid_in(answers)));
    EXPECT_EQ(p.wait_for(patience), 0);
}

}  // namespace
}  // namespace sockwrap_e2e
