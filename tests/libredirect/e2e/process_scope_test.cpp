// The redirections in process scope: file descriptors 0 and 1 become the socket, so printf,
// write(2) and child processes use it; C stdio buffering follows the flush policy; and every
// descriptor is put back at the end. Each case runs in a forked child (it changes fds 0/1
// of the whole process) that returns 0 on success or the number of the check that failed.

#include <fcntl.h>
#include <stdio_ext.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "redirect/redirect.hpp"
#include "support.hpp"

using namespace redirect;
using namespace std::chrono_literals;

namespace {

redirect_options process_scope(flush_policy policy = flush_policy::line) {
    redirect_options options;
    options.scope = redirect_scope::process;
    options.policy = policy;
    options.connect_wait = 20s;
    return options;
}

// A line from C stdin (fd 0), or "" if none comes within 20 seconds.
std::string stdin_line() {
    if (!test::readable_within(STDIN_FILENO, 20000)) return "";
    char line[256] = {};
    if (std::fgets(line, sizeof line, stdin) == nullptr) return "";
    return line;
}

}  // namespace

TEST(process_scope, out_binds_fd_1_for_printf_write_and_child_processes) {
    test::peer_listener p;
    std::string received;
    int status = test::run_in_child(
        [&] {
            const auto stdout_before = test::fd_identity(STDOUT_FILENO);
            const auto inheritable_before = test::inheritable_fds();
            redirection g = out(p.ep, process_scope());
            if (test::inheritable_fds() != inheritable_before) return 1;  // all close-on-exec
            std::printf("printf\n");
            if (::write(STDOUT_FILENO, "write ", 6) != 6) return 2;
            if (test::spawn_and_wait({"/bin/echo", "echo"}) != 0) return 3;
            std::cout << "cout\n";
            g.end();
            if (test::fd_identity(STDOUT_FILENO) != stdout_before) return 4;
            if (test::inheritable_fds() != inheritable_before) return 5;
            return 0;
        },
        [&] {
            unique_fd c = p.accept();
            received = test::read_to_end(c.get());
        });
    EXPECT_EQ(status, 0);
    EXPECT_EQ(received, "printf\nwrite echo\ncout\n");
}

TEST(process_scope, in_binds_fd_0_for_stdio_and_child_processes) {
    test::peer_listener p;
    int status = test::run_in_child(
        [&] {
            const auto stdin_before = test::fd_identity(STDIN_FILENO);
            redirection g = in(p.ep, process_scope());
            if (stdin_line() != "first\n") return 1;
            if (!st::write_all(g.socket(), "ready\n", 20s)) return 6;  // the peer sends more now
            // The shell exits 0 only if it read the second line from its fd 0.
            if (test::spawn_and_wait({"/bin/sh", "-c", "read v && test \"$v\" = second"}) != 0)
                return 2;
            g.end();
            if (test::fd_identity(STDIN_FILENO) != stdin_before) return 3;
            if (std::feof(stdin) || std::ferror(stdin)) return 4;
            return 0;
        },
        [&] {
            unique_fd c = p.accept();
            EXPECT_TRUE(st::write_all(c.get(), "first\n", 20s));
            EXPECT_EQ(test::read_some(c.get(), 6), "ready\n");
            EXPECT_TRUE(st::write_all(c.get(), "second\n", 20s));
            ::shutdown(c.get(), SHUT_WR);
        });
    EXPECT_EQ(status, 0);
}

TEST(process_scope, both_as_client_binds_fds_0_and_1) {
    test::peer_listener p;
    int status = test::run_in_child(
        [&] {
            const auto in_before = test::fd_identity(STDIN_FILENO);
            const auto out_before = test::fd_identity(STDOUT_FILENO);
            {
                redirection g = both_as_client(p.ep, process_scope());
                std::string question = stdin_line();
                std::printf("answer to %s", question.c_str());
                if (test::spawn_and_wait({"/bin/sh", "-c", "read v; echo \"sh got $v\""}) != 0)
                    return 1;
            }
            if (test::fd_identity(STDIN_FILENO) != in_before) return 2;
            if (test::fd_identity(STDOUT_FILENO) != out_before) return 3;
            return 0;
        },
        [&] {
            unique_fd c = p.accept();
            EXPECT_TRUE(st::write_all(c.get(), "ask\n", 20s));
            EXPECT_EQ(test::read_some(c.get(), 14), "answer to ask\n");
            EXPECT_TRUE(st::write_all(c.get(), "v1\n", 20s));
            EXPECT_EQ(test::read_to_end(c.get()), "sh got v1\n");
        });
    EXPECT_EQ(status, 0);
}

TEST(process_scope, both_as_server_binds_fds_0_and_1) {
    test::temp_dir dir;
    const std::string ep = "unix:" + dir.file("ps.sock");
    int status = test::run_in_child(
        [&] {
            const auto out_before = test::fd_identity(STDOUT_FILENO);
            {
                redirection g = both_as_server(ep, process_scope());
                if (stdin_line() != "hello\n") return 1;
                if (test::spawn_and_wait({"/bin/echo", "served"}) != 0) return 2;
            }
            if (test::fd_identity(STDOUT_FILENO) != out_before) return 3;
            return 0;
        },
        [&] {
            connect_options wait;
            wait.wait = 20s;
            unique_fd c = connect_to(parse_endpoint(ep), wait);
            test::bound_io(c.get());
            EXPECT_TRUE(st::write_all(c.get(), "hello\n", 20s));
            EXPECT_EQ(test::read_to_end(c.get()), "served\n");
        });
    EXPECT_EQ(status, 0);
}

TEST(process_scope, works_when_fds_0_and_1_start_closed) {
    test::peer_listener p;
    int status = test::run_in_child(
        [&] {
            ::close(STDIN_FILENO);
            ::close(STDOUT_FILENO);
            {
                redirection g = both_as_client(p.ep, process_scope());
                if (g.socket() <= 2) return 1;  // moved out of the way of fds 0 and 1
                if (::write(STDOUT_FILENO, "fd1 ", 4) != 4) return 2;
                if (test::spawn_and_wait({"/bin/echo", "child"}) != 0) return 3;
                if (stdin_line() != "in\n") return 4;
            }
            if (::fcntl(STDIN_FILENO, F_GETFD) != -1) return 5;  // closed again
            if (::fcntl(STDOUT_FILENO, F_GETFD) != -1) return 6;
            return 0;
        },
        [&] {
            unique_fd c = p.accept();
            EXPECT_EQ(test::read_some(c.get(), 10), "fd1 child\n");
            EXPECT_TRUE(st::write_all(c.get(), "in\n", 20s));
            EXPECT_EQ(test::read_to_end(c.get()), "");
        });
    EXPECT_EQ(status, 0);
}

TEST(process_scope, both_as_server_works_when_fds_0_and_1_start_closed) {
    test::temp_dir dir;
    const std::string ep = "unix:" + dir.file("closed.sock");
    int status = test::run_in_child(
        [&] {
            ::close(STDIN_FILENO);
            ::close(STDOUT_FILENO);
            {
                // The listener lands on fd 0 and the connection on fd 1: the listener must be
                // gone before the socket is bound there, or closing it would close fd 0.
                redirection g = both_as_server(ep, process_scope());
                if (g.socket() <= 2) return 1;
                if (stdin_line() != "in\n") return 2;
                if (test::spawn_and_wait({"/bin/echo", "served"}) != 0) return 3;
            }
            if (::fcntl(STDIN_FILENO, F_GETFD) != -1) return 4;  // closed again
            if (::fcntl(STDOUT_FILENO, F_GETFD) != -1) return 5;
            return 0;
        },
        [&] {
            connect_options wait;
            wait.wait = 20s;
            unique_fd c = connect_to(parse_endpoint(ep), wait);
            test::bound_io(c.get());
            EXPECT_TRUE(st::write_all(c.get(), "in\n", 20s));
            EXPECT_EQ(test::read_to_end(c.get()), "served\n");
        });
    EXPECT_EQ(status, 0);
}

// C stdout buffering during the redirection matches the policy, and what it was comes back.
TEST(process_scope, stdio_buffering_follows_the_policy_and_is_restored) {
    struct mode_case {
        flush_policy policy;
        int before;
    };
    for (mode_case m :
         {mode_case{flush_policy::line, _IONBF}, mode_case{flush_policy::unit, _IOFBF},
          mode_case{flush_policy::full, _IOLBF}}) {
        test::peer_listener p;
        int status = test::run_in_child(
            [&] {
                std::setvbuf(stdout, nullptr, m.before, BUFSIZ);
                auto mode = [] {
                    if (__flbf(stdout)) return _IOLBF;
                    return __fbufsize(stdout) <= 1 ? _IONBF : _IOFBF;
                };
                const int before = mode();
                if (before != m.before) return 3;
                {
                    redirection g = out(p.ep, process_scope(m.policy));
                    std::printf("y");
                    const int during = mode();
                    const int expected = m.policy == flush_policy::line   ? _IOLBF
                                         : m.policy == flush_policy::unit ? _IONBF
                                                                          : _IOFBF;
                    if (during != expected) return 1;
                }
                if (mode() != before) return 2;
                return 0;
            },
            [&] {
                unique_fd c = p.accept();
                EXPECT_EQ(test::read_to_end(c.get()), "y");
            });
        EXPECT_EQ(status, 0) << "policy " << static_cast<int>(m.policy);
    }
}

// Under the unit policy printf's bytes leave at once; under the explicit policy they wait.
TEST(process_scope, printf_flushing_follows_the_policy) {
    for (flush_policy policy : {flush_policy::unit, flush_policy::full}) {
        test::peer_listener p;
        int status = test::run_in_child(
            [&] {
                redirection g = both_as_client(p.ep, process_scope(policy));
                std::printf("q");
                if (stdin_line() != "seen\n") return 1;  // wait for the peer's verdict
                return 0;
            },
            [&] {
                unique_fd c = p.accept();
                if (policy == flush_policy::unit) {
                    EXPECT_EQ(test::read_some(c.get(), 1), "q");
                } else {
                    EXPECT_FALSE(test::readable_within(c.get(), 50));
                }
                EXPECT_TRUE(st::write_all(c.get(), "seen\n", 20s));
                EXPECT_EQ(test::read_to_end(c.get()), policy == flush_policy::unit ? "" : "q");
            });
        EXPECT_EQ(status, 0) << "policy " << static_cast<int>(policy);
    }
}

TEST(process_scope, older_guard_may_end_first) {
    test::peer_listener p1, p2;
    int status = test::run_in_child(
        [&] {
            const auto out_before = test::fd_identity(STDOUT_FILENO);
            redirection first = out(p1.ep, process_scope());
            redirection second = out(p2.ep, process_scope());
            first.end();
            std::printf("to second\n");
            second.end();
            if (test::fd_identity(STDOUT_FILENO) != out_before) return 1;
            return 0;
        },
        [&] {
            unique_fd c1 = p1.accept();
            unique_fd c2 = p2.accept();
            EXPECT_EQ(test::read_to_end(c1.get()), "");
            EXPECT_EQ(test::read_to_end(c2.get()), "to second\n");
        });
    EXPECT_EQ(status, 0);
}
