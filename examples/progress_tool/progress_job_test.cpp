#include "progress_job.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace progress {
namespace {

TEST(progress_job, ticks_one_step_at_a_time_until_finished) {
    progress_job job(2);
    EXPECT_EQ(job.tick(), "[##########..........] step 1/2 (50%)");
    EXPECT_EQ(job.tick(),
              "[####################] step 2/2 (100%) - done; quit or end of input exits");
    EXPECT_TRUE(job.finished());
    EXPECT_EQ(job.tick(), "");
    EXPECT_EQ(job.done(), 2);
}

TEST(progress_job, does_not_advance_while_paused) {
    progress_job job(10);
    job.tick();
    EXPECT_EQ(job.handle("pause").text, "paused at step 1/10 (10%)");
    EXPECT_EQ(job.tick(), "");
    EXPECT_EQ(job.handle("pause").text, "already paused");
    EXPECT_EQ(job.handle("status").text, "status: paused, step 1/10 (10%)");
    EXPECT_EQ(job.handle("resume").text, "resumed at step 1/10 (10%)");
    EXPECT_EQ(job.handle("resume").text, "not paused");
    EXPECT_FALSE(job.tick().empty());
    EXPECT_EQ(job.done(), 2);
}

TEST(progress_job, takes_commands_from_terminals_and_sockets_alike) {
    progress_job job(4);
    EXPECT_EQ(job.handle("  Status\r").text, "status: running, step 0/4 (0%)");
    EXPECT_TRUE(job.handle("QUIT\r\n").quit);
    EXPECT_TRUE(progress_job::is_quit(" quit\r"));
    EXPECT_FALSE(progress_job::is_quit("quitter"));
    EXPECT_EQ(job.handle("   ").text, "");
}

TEST(progress_job, answers_unknown_commands_with_the_list) {
    progress_job job(4);
    const command_reply reply = job.handle("faster");
    EXPECT_FALSE(reply.quit);
    EXPECT_EQ(reply.text, "unknown command 'faster'; commands: pause, resume, status, help, quit");
}

TEST(progress_job, cannot_pause_a_finished_job) {
    progress_job job(1);
    job.tick();
    EXPECT_EQ(job.handle("pause").text, "nothing to pause: the job is finished");
    EXPECT_EQ(job.handle("status").text, "status: finished, step 1/1 (100%)");
}

TEST(progress_job, needs_at_least_one_step) {
    EXPECT_THROW(progress_job(0), std::invalid_argument);
}

}  // namespace
}  // namespace progress
