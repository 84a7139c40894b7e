// The child's environment: sockwrap's own, --line-buffered's settings, the connection's names.

#include "child/environment.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "cli/options.hpp"
#include "core/failure.hpp"
#include "locate.hpp"

extern char** environ;

namespace sockwrap {

namespace {

// What tcpserver (ucspi-tcp, ucspi-tcp6, s6-tcpserver) sets to describe a connection: PROTO,
// and TCPLOCALIP, TCPREMOTEHOST, TCP6REMOTEIP, TCP6INTERFACE... Inherited from an outer
// server they would describe some other connection, so every one is removed; sockwrap sets
// its own.
bool names_connection(std::string_view entry) {
    const auto name = entry.substr(0, entry.find('='));
    constexpr std::array<std::string_view, 5> prefixes = {"TCPLOCAL", "TCPREMOTE", "TCP6LOCAL",
                                                          "TCP6REMOTE", "TCP6INTERFACE"};
    return name == "PROTO" || std::any_of(prefixes.begin(), prefixes.end(),
                                          [&](auto prefix) { return name.starts_with(prefix); });
}

std::vector<std::string> line_buffered(std::vector<std::string> env) {
    const auto places = line_buffering_library_places();
    const auto library = find_line_buffering_library(places);
    if (!library) {
        std::string looked;
        for (const auto& place : places)
            looked += (looked.empty() ? "'" : " or '") + place.string() + "'";
        throw failure(exit_failure, "--line-buffered: cannot find its preload library" +
                                        (looked.empty() ? std::string() : ": no " + looked));
    }
    try {
        return with_line_buffering(std::move(env), *library);
    } catch (const std::invalid_argument& e) {
        throw failure(exit_failure, std::string("--line-buffered: ") + e.what());
    }
}

}  // namespace

std::vector<std::string> program_environment(const options& o) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry)
        env.emplace_back(*entry);
    return o.line_buffered ? line_buffered(std::move(env)) : env;
}

std::vector<std::string> child_environment(const std::vector<std::string>& base,
                                           const redirect::socket_address& local,
                                           const redirect::socket_address& peer) {
    std::vector<std::string> env;
    env.reserve(base.size() + 5);
    for (const auto& e : base) {
        if (!names_connection(e)) env.push_back(e);
    }
    if (local.family() == AF_UNIX) {
        env.emplace_back("PROTO=UNIX");
        return env;
    }
    env.emplace_back("PROTO=TCP");
    std::pair<const char*, const redirect::socket_address*> sides[] = {{"LOCAL", &local},
                                                                       {"REMOTE", &peer}};
    for (auto [side, address] : sides) {
        if (!address->is_ip()) continue;
        env.push_back(std::string("TCP") + side + "IP=" + address->ip());
        env.push_back(std::string("TCP") + side + "PORT=" + std::to_string(address->port()));
    }
    return env;
}

}  // namespace sockwrap
