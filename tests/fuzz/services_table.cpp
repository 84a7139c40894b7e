// A fixed services database for the fuzz targets: replaces the C library's
// getservbyname_r(), so that a PORT written as a service name is resolved in a few
// instructions instead of a scan of /etc/services (tens of microseconds for an unknown name,
// which the fuzzer would otherwise spend most of its time on), and the same way on every
// machine. The linker takes this definition over the C library's for the whole executable.

#include <arpa/inet.h>
#include <netdb.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace {

struct service {
    std::string_view name;
    int port;
};

// Names and aliases of /etc/services (Debian's netbase), with the ports it gives them for TCP.
constexpr service table[] = {
    {"echo", 7},    {"ssh", 22},     {"smtp", 25},         {"mail", 25},
    {"domain", 53}, {"http", 80},    {"www", 80},          {"https", 443},
    {"x11", 6000},  {"x11-0", 6000}, {"postgresql", 5432}, {"postgres", 5432},
};

}  // namespace

extern "C" int getservbyname_r(const char* name, const char* proto, struct servent* result,
                               char* buffer, std::size_t length, struct servent** found) {
    *found = nullptr;
    if (proto == nullptr || std::strcmp(proto, "tcp") != 0) return ENOENT;
    for (const service& s : table) {
        if (s.name != name) continue;
        // The strings and the empty alias list live in the caller's buffer, as the C
        // library's do: "NAME\0tcp\0", then a null char* at the next aligned address.
        const std::size_t strings = s.name.size() + 1 + 4;
        void* rest = buffer + strings;
        std::size_t space = length >= strings ? length - strings : 0;
        if (std::align(alignof(char*), sizeof(char*), rest, space) == nullptr) return ERANGE;
        std::memcpy(buffer, s.name.data(), s.name.size());
        buffer[s.name.size()] = '\0';
        std::memcpy(buffer + s.name.size() + 1, "tcp", 4);
        auto** aliases = static_cast<char**>(rest);
        aliases[0] = nullptr;
        result->s_name = buffer;
        result->s_aliases = aliases;
        result->s_port = static_cast<int>(htons(static_cast<std::uint16_t>(s.port)));
        result->s_proto = buffer + s.name.size() + 1;
        *found = result;
        return 0;
    }
    return ENOENT;
}
