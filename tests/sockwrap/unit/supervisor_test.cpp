// The supervisor on its own: real children, signals sent to this test process itself.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "child/launcher.hpp"
#include "child/supervisor.hpp"
#include "core/event_loop.hpp"
#include "redirect/fd.hpp"
#include "sockwrap_test/proc.hpp"

namespace st = sockwrap_test;
using namespace std::chrono_literals;

namespace {

const sockwrap::verbose_log quiet(false);

// A child started the way sockwrap starts PROGRAM (stdin on /dev/null), killed and reaped if
// a test ends before the supervisor reaped it.
class child {
  public:
    explicit child(std::vector<std::string> argv) {
        const redirect::unique_fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        sockwrap::child_spec spec;
        spec.executable = argv.front();
        spec.argv = std::move(argv);
        spec.env = {"PATH=/usr/bin:/bin"};
        spec.stdio.in = null.get();
        pid_ = sockwrap::spawn_child(spec);
    }
    ~child() {
        if (pid_ <= 0 || reaped_) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    child(const child&) = delete;
    child& operator=(const child&) = delete;

    pid_t pid() const noexcept { return pid_; }
    /// The supervisor's wait() reaped it.
    void reaped() noexcept { reaped_ = true; }

  private:
    pid_t pid_ = -1;
    bool reaped_ = false;
};

bool blocked_now(int sig) {
    sigset_t mask;
    ::pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return ::sigismember(&mask, sig) == 1;
}

bool pending_now(int sig) {
    sigset_t set;
    ::sigpending(&set);
    return ::sigismember(&set, sig) == 1;
}

// A supervisor of its own loop, as the single-connection run has it.
struct supervised {
    sockwrap::event_loop loop;
    sockwrap::supervisor supervisor;
    explicit supervised(std::chrono::milliseconds grace) : supervisor(loop, grace, quiet) {}
    int wait(pid_t pid) { return sockwrap::wait_for_child(loop, supervisor, pid); }
};

}  // namespace

TEST(supervisor, returns_the_exit_status) {
    supervised s(10s);
    child c({"/bin/sh", "-c", "exit 3"});
    ASSERT_GT(c.pid(), 0);
    const int status = s.wait(c.pid());
    c.reaped();
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST(supervisor, passes_on_a_signal_that_came_before_the_child_existed) {
    supervised s(10s);
    // Held, not acted on: without the supervisor this would end the test process. (A
    // supervisor that failed to pass it on would see sleep exit 0 after 20 s.)
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    child c({"/bin/sleep", "20"});
    ASSERT_GT(c.pid(), 0);
    const int status = s.wait(c.pid());
    c.reaped();
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST(supervisor, kills_a_child_that_ignores_the_signal_once_the_grace_is_over) {
    supervised s(100ms);
    child c({"/bin/sh", "-c", "trap '' TERM; exec sleep 20"});
    ASSERT_GT(c.pid(), 0);
    // Only once sleep ignores SIGTERM does the test say what it means to.
    const auto sigterm = std::uint64_t{1} << (SIGTERM - 1);
    ASSERT_TRUE(st::wait_until_command(c.pid(), "sleep", 10s));
    ASSERT_NE(st::status_mask(c.pid(), "SigIgn") & sigterm, 0u);
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    const int status = s.wait(c.pid());
    c.reaped();
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST(supervisor, discards_a_signal_that_comes_after_the_child_ended) {
    ASSERT_FALSE(blocked_now(SIGINT));
    {
        supervised s(10s);
        child c({"/bin/true"});
        ASSERT_GT(c.pid(), 0);
        const int status = s.wait(c.pid());
        c.reaped();
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        ASSERT_EQ(::kill(::getpid(), SIGINT), 0);
        EXPECT_TRUE(pending_now(SIGINT));
    }
    // Still alive, nothing left pending, and the signal mask is what it was.
    EXPECT_FALSE(pending_now(SIGINT));
    EXPECT_FALSE(blocked_now(SIGINT));
    EXPECT_FALSE(blocked_now(SIGCHLD));
}
