#include "connection_launcher.hpp"

#include <signal.h>
#include <spawn.h>

#include <cstring>
#include <stdexcept>

namespace sockwrap {

namespace {

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct spawn_attributes {
    posix_spawnattr_t attr;
    spawn_attributes() { ::posix_spawnattr_init(&attr); }
    ~spawn_attributes() { ::posix_spawnattr_destroy(&attr); }
    spawn_attributes(const spawn_attributes&) = delete;
    spawn_attributes& operator=(const spawn_attributes&) = delete;
};

struct spawn_actions {
    posix_spawn_file_actions_t actions;
    spawn_actions() { ::posix_spawn_file_actions_init(&actions); }
    ~spawn_actions() { ::posix_spawn_file_actions_destroy(&actions); }
    spawn_actions(const spawn_actions&) = delete;
    spawn_actions& operator=(const spawn_actions&) = delete;
};

}  // namespace

connection_launcher::connection_launcher(std::string executable, std::vector<std::string> argv,
                                         connection_streams streams)
    : executable_(std::move(executable)), argv_(std::move(argv)), streams_(streams) {
    if (argv_.empty()) throw std::invalid_argument("connection_launcher: empty argv");
    for (auto& arg : argv_)
        argv_pointers_.push_back(arg.data());
    argv_pointers_.push_back(nullptr);
}

pid_t connection_launcher::launch(int connection, const std::vector<std::string>& env,
                                  int& error) const {
    std::vector<char*> envp;
    envp.reserve(env.size() + 1);
    for (const auto& entry : env)
        envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    spawn_attributes attributes;
    sigset_t none;
    ::sigemptyset(&none);
    // Every bit set, not sigfillset(): glibc's sigfillset() leaves out the two signals it
    // reserves for itself (32, 33), and its posix_spawn() makes those ignored in the child
    // unless they are in the set to default; an ignored signal would survive exec.
    sigset_t all;
    std::memset(&all, 0xff, sizeof all);
    // sockwrap blocks the signals it reads from a signalfd and may ignore SIGPIPE; neither
    // must reach PROGRAM.
    ::posix_spawnattr_setsigmask(&attributes.attr, &none);
    ::posix_spawnattr_setsigdefault(&attributes.attr, &all);
    ::posix_spawnattr_setflags(&attributes.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    spawn_actions actions;
    if (streams_.in) ::posix_spawn_file_actions_adddup2(&actions.actions, connection, 0);
    if (streams_.out) ::posix_spawn_file_actions_adddup2(&actions.actions, connection, 1);
    if (streams_.err) ::posix_spawn_file_actions_adddup2(&actions.actions, connection, 2);
    // Everything of sockwrap's above 2 is close-on-exec already; closing the range as well
    // keeps a descriptor opened by a library without O_CLOEXEC from reaching the child.
    ::posix_spawn_file_actions_addclosefrom_np(&actions.actions, 3);

    pid_t pid = -1;
    error = ::posix_spawn(&pid, executable_.c_str(), &actions.actions, &attributes.attr,
                          argv_pointers_.data(), envp.data());
    return error == 0 ? pid : -1;
}

}  // namespace sockwrap
