#include "child_env.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace sockwrap {

namespace {

constexpr std::array<std::string_view, 5> connection_names = {"PROTO", "TCPLOCALIP", "TCPLOCALPORT",
                                                              "TCPREMOTEIP", "TCPREMOTEPORT"};

bool names_connection(std::string_view entry) {
    auto name = entry.substr(0, entry.find('='));
    return std::find(connection_names.begin(), connection_names.end(), name) !=
           connection_names.end();
}

}  // namespace

std::vector<std::string> child_environment(const char* const* base,
                                           const redirect::socket_address& local,
                                           const redirect::socket_address& peer) {
    std::vector<std::string> env;
    for (auto e = base; e != nullptr && *e != nullptr; ++e) {
        // Values from an outer tcpserver would describe some other connection.
        if (!names_connection(*e)) env.emplace_back(*e);
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
