#include "locate.hpp"

#include <cstring>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace sockwrap {

namespace {

// The entry of `env` that sets `name`, or env.end().
std::vector<std::string>::iterator find_variable(std::vector<std::string>& env,
                                                 std::string_view name) {
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (it->size() > name.size() && it->compare(0, name.size(), name) == 0 &&
            (*it)[name.size()] == '=') {
            return it;
        }
    }
    return env.end();
}

bool is_readable_file(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

std::vector<std::filesystem::path> line_buffering_library_places(
    const std::filesystem::path& executable) {
    const std::filesystem::path bindir = executable.parent_path();
    std::vector<std::filesystem::path> places;
    for (const std::filesystem::path& dir : {bindir, bindir / SOCKWRAP_PRELOAD_DIR_FROM_BINDIR})
        places.push_back((dir / SOCKWRAP_PRELOAD_FILE).lexically_normal());
    return places;
}

std::vector<std::filesystem::path> line_buffering_library_places() {
    std::error_code ec;
    // The real location, not argv[0]: sockwrap may be run through a symlink or from PATH.
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return line_buffering_library_places(self);
}

std::optional<std::filesystem::path> find_line_buffering_library(
    const std::vector<std::filesystem::path>& places) {
    for (const auto& candidate : places) {
        if (is_readable_file(candidate)) return candidate;
    }
    return std::nullopt;
}

std::vector<env_setting> line_buffering_environment(const std::filesystem::path& library,
                                                    const env_lookup& lookup) {
    const std::string path = library.string();
    if (path.find_first_of(" :") != std::string::npos) {
        throw std::invalid_argument("cannot preload " + path +
                                    ": the path holds a space or a colon");
    }
    const char* inherited = lookup("LD_PRELOAD");
    std::string preload = inherited != nullptr ? inherited : "";
    if (!preload.empty()) preload += ' ';
    preload += path;

    std::vector<env_setting> settings{
        {"LD_PRELOAD", preload},
        {"SOCKWRAP_STDOUT_BUFFERING", "line"},
        // Waiting for input flushes a pending prompt that has no newline yet (see the library).
        {"SOCKWRAP_STDIN_BUFFERING", "line"},
    };
    // Runtimes that do not buffer through the C library have switches of their own; a value
    // the user chose is kept.
    const env_setting runtime_switches[] = {
        {"PYTHONUNBUFFERED", "1"},
        {"GFORTRAN_UNBUFFERED_PRECONNECTED", "y"},
    };
    for (const env_setting& setting : runtime_switches) {
        if (lookup(setting.first.c_str()) == nullptr) settings.push_back(setting);
    }
    return settings;
}

std::vector<std::string> with_line_buffering(std::vector<std::string> env,
                                             const std::filesystem::path& library) {
    auto lookup = [&env](const char* name) -> const char* {
        auto it = find_variable(env, name);
        return it == env.end() ? nullptr : it->c_str() + std::strlen(name) + 1;
    };
    // Computed in full before `env` changes: the lookups point into its strings.
    std::vector<env_setting> settings = line_buffering_environment(library, lookup);
    for (const auto& [name, value] : settings) {
        auto it = find_variable(env, name);
        if (it != env.end()) {
            *it = name + "=" + value;
        } else {
            env.push_back(name + "=" + value);
        }
    }
    return env;
}

}  // namespace sockwrap
