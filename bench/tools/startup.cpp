/// bench_startup: times whole commands, start to exit, one after another.
///
///   bench_startup [--runs N] [--report FILE] [--max-seconds S] -- COMMAND [ARG...]
///
/// Appends one line per run, "MILLISECONDS EXIT_STATUS", to the report (stderr by default).
/// The command's standard input is /dev/null; its output goes where ours goes. It is started
/// with posix_spawn, the cheapest launch, so the timer adds as little as it can.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

#include "bench_common.hpp"

extern char** environ;

namespace {

constexpr std::string_view program = "bench_startup";

/// Runs the command once; returns its exit status (128+N for signal N).
int run_once(std::vector<char*>& argv) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t child = -1;
    int error = posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) bench::fail(program, std::string("cannot start: ") + std::strerror(error));
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR) bench::fail(program, "waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) try {
    constexpr std::array<std::string_view, 3> valued{"runs", "report", "max-seconds"};
    bench::options opts(program, argc, argv, valued, {});
    ::alarm(static_cast<unsigned>(opts.number("max-seconds", 300)));
    std::vector<std::string> command = opts.rest();
    if (command.empty()) bench::fail(program, "no command given");
    std::vector<char*> child_argv;
    for (auto& word : command)
        child_argv.push_back(word.data());
    child_argv.push_back(nullptr);

    std::string path = opts.text("report");
    std::FILE* out = path.empty() ? stderr : std::fopen(path.c_str(), "a");
    if (out == nullptr) bench::fail(program, "cannot open " + path);
    std::uint64_t runs = opts.number("runs", 200);
    for (std::uint64_t i = 0; i < runs; ++i) {
        auto start = bench::clock::now();
        int status = run_once(child_argv);
        std::fprintf(out, "%.3f %d\n", bench::seconds_since(start) * 1e3, status);
    }
    if (out != stderr) std::fclose(out);
    return 0;
} catch (const std::exception& error) {
    bench::fail(program, error.what());
}
