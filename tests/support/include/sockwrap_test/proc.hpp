#pragma once
/// \file
/// What /proc tells about another process: its open descriptors, signal state, children.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sockwrap_test {

/// The open file descriptors of `pid`, sorted (empty if the process is gone).
std::vector<int> open_fds(pid_t pid);

/// A hex mask field of /proc/PID/status such as "SigBlk" or "SigIgn"; throws if absent.
std::uint64_t status_mask(pid_t pid, const std::string& field);

/// The direct children of `pid` (from /proc/PID/task/*/children).
std::vector<pid_t> children_of(pid_t pid);

/// The command name of `pid` (/proc/PID/comm: what it exec'd, at most 15 characters); empty
/// if the process is gone.
std::string command_name(pid_t pid);

/// True while `pid` exists and is not a zombie.
bool alive(pid_t pid);

/// Waits up to `limit` until `pid` is asleep (state S), e.g. `cat` blocked reading its input:
/// past its start-up, where the dynamic loader briefly holds libraries open on fd 3. False if
/// that does not happen in time.
bool wait_until_sleeping(pid_t pid, std::chrono::milliseconds limit);

/// Waits up to `limit` until `pid` runs the program `name` (its /proc comm), e.g. until
/// `sh -c '... exec sleep 20'` has exec'd sleep. False if that does not happen in time.
bool wait_until_command(pid_t pid, const std::string& name, std::chrono::milliseconds limit);

}  // namespace sockwrap_test
