// The preload library of --line-buffered: where sockwrap finds it, the environment it sets,
// and what it does to unmodified programs whose stdout is a socket.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "locate.hpp"
#include "redirect/fd.hpp"
#include "sockwrap_test/io.hpp"
#include "sockwrap_test/net.hpp"
#include "sockwrap_test/process.hpp"
#include "sockwrap_test/temp_dir.hpp"
#include "spawn.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const fs::path built_library = LINEBUF_LIBRARY;

// The environment --line-buffered gives a child, as NAME=VALUE entries.
std::vector<std::string> line_buffered_env() {
    std::vector<std::string> env;
    auto no_python_switch = [](const char* name) -> const char* {
        return std::string(name) == "PYTHONUNBUFFERED" ? nullptr : ::getenv(name);
    };
    for (const auto& [name, value] :
         sockwrap::line_buffering_environment(built_library, no_python_switch)) {
        env.push_back(name + "=" + value);
    }
    return env;
}

// Starts `argv` with stdin and stdout on a socket; the peer's end is returned in `peer`.
// PYTHONUNBUFFERED is removed from the inherited environment so that only what the test
// passes in `env` decides the buffering.
std::unique_ptr<pty_test::child> start_on_socket(const std::vector<std::string>& argv,
                                                 const std::vector<std::string>& env,
                                                 redirect::unique_fd& peer) {
    auto pair = sockwrap_test::connected_unix_pair();  // client: the peer's end
    auto child = std::make_unique<pty_test::child>(
        argv, pty_test::child_stdio{pair.server.get(), pair.server.get(), 2}, -1, env,
        std::vector<std::string>{"PYTHONUNBUFFERED", "LD_PRELOAD"});
    peer = std::move(pair.client);
    return child;
}

// The three-question dialog; returns the transcript, or what arrived before it stalled.
std::string run_dialog(int peer) {
    std::string transcript;
    for (int i = 0; i < 3; ++i) {
        const std::string question = "question " + std::to_string(i) + "\n";
        auto got = sockwrap_test::read_until_contains(peer, question, 10s);
        transcript += got.data;
        if (got.timed_out) return transcript;
        sockwrap_test::write_all(peer, "answer " + std::to_string(i) + "\n", 10s);
    }
    transcript += sockwrap_test::read_until_eof(peer, 10s).data;
    return transcript;
}

const char* const full_dialog =
    "question 0\nchild got [answer 0]\nquestion 1\nchild got [answer 1]\n"
    "question 2\nchild got [answer 2]\n";

std::vector<std::vector<std::string>> dialog_programs() {
    std::vector<std::vector<std::string>> programs{{DIALOG_C}, {DIALOG_CPP}};
    if (sockwrap_test::python3_available()) programs.push_back({"python3", DIALOG_PY});
    return programs;
}

}  // namespace

TEST(line_buffering_library, is_found_next_to_the_executable) {
    const auto found = sockwrap::find_line_buffering_library(
        sockwrap::line_buffering_library_places(built_library.parent_path() / "sockwrap"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(fs::canonical(*found), fs::canonical(built_library));
}

TEST(line_buffering_library, is_found_in_the_install_libdir_relative_to_the_executable) {
    sockwrap_test::temp_dir root;
    const fs::path bindir = fs::path(root.path()) / "bin";
    fs::create_directories(bindir);
    EXPECT_FALSE(sockwrap::find_line_buffering_library(
                     sockwrap::line_buffering_library_places(bindir / "sockwrap"))
                     .has_value());

    // Install the library where an installed sockwrap looks: some libdir/sockwrap/ that the
    // lookup reaches from bindir (try the common layouts).
    bool found = false;
    for (const char* libdir : {"lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"}) {
        const fs::path dir = fs::path(root.path()) / libdir / "sockwrap";
        fs::create_directories(dir);
        fs::copy_file(built_library, dir / built_library.filename());
        const auto hit = sockwrap::find_line_buffering_library(
            sockwrap::line_buffering_library_places(bindir / "sockwrap"));
        if (hit) {
            EXPECT_EQ(fs::canonical(*hit), fs::canonical(dir / built_library.filename()));
            found = true;
            break;
        }
        fs::remove_all(dir);
    }
    EXPECT_TRUE(found);
}

TEST(line_buffering_environment, appends_to_ld_preload_and_keeps_the_users_switches) {
    std::map<std::string, const char*> user{{"LD_PRELOAD", "/opt/libother.so"},
                                            {"PYTHONUNBUFFERED", "0"}};
    auto lookup = [&](const char* name) -> const char* {
        auto it = user.find(name);
        return it == user.end() ? nullptr : it->second;
    };
    std::map<std::string, std::string> set;
    for (auto& [name, value] : sockwrap::line_buffering_environment("/lib/x.so", lookup)) {
        set[name] = value;
    }
    EXPECT_EQ(set["LD_PRELOAD"], "/opt/libother.so /lib/x.so");
    EXPECT_EQ(set["SOCKWRAP_STDOUT_BUFFERING"], "line");
    EXPECT_EQ(set["SOCKWRAP_STDIN_BUFFERING"], "line");
    EXPECT_EQ(set.count("PYTHONUNBUFFERED"), 0u);  // the user's choice stands
    EXPECT_EQ(set["GFORTRAN_UNBUFFERED_PRECONNECTED"], "y");
}

TEST(line_buffering_environment, sets_python_unbuffered_and_refuses_unloadable_paths) {
    auto nothing = [](const char*) -> const char* { return nullptr; };
    bool python = false;
    for (auto& [name, value] : sockwrap::line_buffering_environment("/lib/x.so", nothing)) {
        if (name == "PYTHONUNBUFFERED") python = value == "1";
        if (name == "LD_PRELOAD") {
            EXPECT_EQ(value, "/lib/x.so");
        }
    }
    EXPECT_TRUE(python);
    EXPECT_THROW(sockwrap::line_buffering_environment("/my libs/x.so", nothing),
                 std::invalid_argument);
    EXPECT_THROW(sockwrap::line_buffering_environment("/a:b/x.so", nothing), std::invalid_argument);
}

TEST(line_buffering_library, dialogs_stall_without_it) {
    for (const auto& argv : dialog_programs()) {
        redirect::unique_fd peer;
        auto child = start_on_socket(argv, {}, peer);
        // A bounded wait that sees nothing: the question sits in the child's buffer.
        const auto got = sockwrap_test::read_until_contains(peer.get(), "\n", 500ms);
        EXPECT_TRUE(got.timed_out) << argv.back();
        EXPECT_EQ(got.data, "") << argv.back();
    }
}

TEST(line_buffering_library, dialogs_complete_with_it) {
    for (const auto& argv : dialog_programs()) {
        redirect::unique_fd peer;
        auto child = start_on_socket(argv, line_buffered_env(), peer);
        EXPECT_EQ(run_dialog(peer.get()), full_dialog) << argv.back();
        EXPECT_EQ(child->wait_for(10s), 0) << argv.back();
    }
}

TEST(line_buffering_library, sed_answers_each_line_as_it_comes) {
    for (const bool preload : {false, true}) {
        redirect::unique_fd peer;
        auto sed =
            start_on_socket({"sed", "s/^/got: /"},
                            preload ? line_buffered_env() : std::vector<std::string>{}, peer);
        ASSERT_TRUE(sockwrap_test::write_all(peer.get(), "one\n", 10s));
        const auto got =
            sockwrap_test::read_until_contains(peer.get(), "\n", preload ? 10s : 500ms);
        EXPECT_EQ(got.data, preload ? "got: one\n" : "") << "preload " << preload;
    }
}

TEST(line_buffering_library, a_prompt_without_newline_leaves_when_the_program_reads) {
    redirect::unique_fd peer;
    auto child = start_on_socket({PROMPT_C}, line_buffered_env(), peer);
    EXPECT_EQ(sockwrap_test::read_until_contains(peer.get(), "? ", 10s).data, "name? ");
    ASSERT_TRUE(sockwrap_test::write_all(peer.get(), "Ada\n", 10s));
    EXPECT_EQ(sockwrap_test::read_until_eof(peer.get(), 10s).data, "hello Ada\n");
    EXPECT_EQ(child->wait_for(10s), 0);
}

TEST(line_buffering_environment, edits_a_child_environment_in_place) {
    const auto env =
        sockwrap::with_line_buffering({"PATH=/bin", "LD_PRELOAD=/opt/a.so",
                                       "PYTHONUNBUFFERED=", "SOCKWRAP_STDOUT_BUFFERING=none"},
                                      "/lib/x.so");
    const std::vector<std::string> expected{"PATH=/bin",
                                            "LD_PRELOAD=/opt/a.so /lib/x.so",
                                            "PYTHONUNBUFFERED=",
                                            "SOCKWRAP_STDOUT_BUFFERING=line",
                                            "SOCKWRAP_STDIN_BUFFERING=line",
                                            "GFORTRAN_UNBUFFERED_PRECONNECTED=y"};
    EXPECT_EQ(env, expected);
}
