// Finding PROGRAM on PATH as execvp() would, before any connection exists.

#include "child/program.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "core/failure.hpp"

namespace sockwrap {

namespace {

// 0 if `path` is an executable regular file, else the errno a later execve() would give.
int executable_error(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno;
    if (S_ISDIR(st.st_mode)) return EISDIR;
    if (!S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0) return EACCES;
    return 0;
}

[[noreturn]] void cannot_run(const std::string& name, int error) {
    bool missing = error == ENOENT || error == ENOTDIR;
    throw failure(missing ? exit_not_found : exit_not_executable,
                  describe("run '" + name + "'", {error, std::generic_category()}));
}

}  // namespace

std::string find_program(const std::string& name) {
    if (name.empty()) cannot_run(name, ENOENT);
    if (name.find('/') != std::string::npos) {
        if (int error = executable_error(name)) cannot_run(name, error);
        return name;
    }
    const char* path_env = std::getenv("PATH");
    std::string search = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
    int first_error = 0;  // a file that exists but cannot run decides 126 over 127
    std::size_t start = 0;
    for (;;) {
        std::size_t end = search.find(':', start);
        std::string dir = search.substr(start, end - start);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        int error = executable_error(candidate);
        if (error == 0) return candidate;
        if (first_error == 0 && error != ENOENT && error != ENOTDIR) first_error = error;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    if (first_error != 0) cannot_run(name, first_error);
    throw failure(exit_not_found, "run '" + name + "': command not found");
}

}  // namespace sockwrap
