#include "test_network.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <system_error>

#include "sockwrap_test/io.hpp"
#include "sockwrap_test/process.hpp"

namespace netns_test {

namespace {

namespace st = sockwrap_test;
using namespace std::chrono_literals;

// `ip netns add NAME` makes /run/netns/NAME; the prefix marks this test's namespaces.
const std::string netns_dir = "/run/netns";
const std::string name_prefix = "sockwrap-test-";

// Longer than any run of these tests (ctest stops one after two minutes): a namespace of
// ours this old was left by a run that was killed before its destructors ran.
constexpr auto stale_age = std::chrono::minutes(10);

bool under_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && *ci != '\0' && std::string(ci) != "false";
}

// Runs `ip ARGS...` to its end (bounded) and returns its stderr, or "" when it succeeded.
std::string ip(std::vector<std::string> args) {
    args.insert(args.begin(), "ip");
    st::process_options o;
    o.in = st::stdio_spec::null();
    o.out = st::stdio_spec::null();
    st::process p(args, o);
    std::string err = st::read_until_eof(p.err(), 10s).data;
    std::optional<int> status = p.wait_for(10s);
    if (status == 0) return "";
    std::string command;
    for (const auto& a : args)
        command += (command.empty() ? "" : " ") + a;
    return command + ": " + (err.empty() ? "status " + std::to_string(status.value_or(-1)) : err);
}

// Namespaces of ours left by runs that were killed: deleted, so a crashed run costs nothing
// for long. Younger ones may belong to a run going on beside this one and stay.
void remove_stale_namespaces() {
    std::error_code ec;
    const auto now = std::filesystem::file_time_type::clock::now();
    std::vector<std::string> stale;
    std::filesystem::directory_iterator it(netns_dir, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code age_ec;
        const auto made = std::filesystem::last_write_time(it->path(), age_ec);
        if (name.rfind(name_prefix, 0) == 0 && !age_ec && now - made > stale_age)
            stale.push_back(name);
    }
    for (const auto& name : stale)
        (void)ip({"netns", "delete", name});
}

layout draw_layout() {
    std::random_device random;
    const unsigned drawn = random();
    const std::string a = std::to_string((drawn >> 8) & 0xff);
    const std::string b = std::to_string(drawn & 0xff);
    char tag[16];
    std::snprintf(tag, sizeof tag, "%08x", static_cast<unsigned>(random()));
    const std::string base = name_prefix + std::to_string(::getpid()) + "-" + tag + "-";
    const std::string v4 = "10." + a + "." + b + ".";
    char v6[40];
    std::snprintf(v6, sizeof v6, "fd00:5357:%x:%x::", (drawn >> 8) & 0xff, drawn & 0xff);

    layout l;
    l.server = base + "server";
    l.client = base + "client";
    l.other = base + "other";
    l.server_ip = v4 + "1";
    l.client_ip = v4 + "2";
    l.server_ip6 = std::string(v6) + "1";
    l.client_ip6 = std::string(v6) + "2";
    l.other_subnet = v4 + "4/30";
    l.server_ip_for_other = v4 + "5";
    l.other_ip = v4 + "6";
    return l;
}

}  // namespace

test_network::test_network() : hosts_(draw_layout()) {
    const layout& h = hosts_;
    try {
        remove_stale_namespaces();
        for (const auto& ns : {h.server, h.client, h.other}) {
            if (std::string err = ip({"netns", "add", ns}); !err.empty()) {
                remove();
                throw unavailable(err);
            }
            made_.push_back(ns);
        }
    } catch (const std::system_error& e) {  // ip could not be started
        remove();
        if (under_ci())
            throw std::runtime_error(std::string(e.what()) +
                                     ", but scripts/setup.sh installs iproute2 for CI");
        throw unavailable(std::string(e.what()) + ": iproute2 is not installed");
    }
    // Each veth pair is made inside the namespaces, so its interface names are the same in
    // every run and never meet those of the machine or of another run.
    const std::vector<std::vector<std::string>> steps{
        {"-n", h.server, "link", "add", "to-client", "type", "veth", "peer", "name", "to-server",
         "netns", h.client},
        {"-n", h.server, "link", "add", "to-other", "type", "veth", "peer", "name", "to-server",
         "netns", h.other},
        {"-n", h.server, "addr", "add", h.server_ip + "/30", "dev", "to-client"},
        {"-n", h.client, "addr", "add", h.client_ip + "/30", "dev", "to-server"},
        // nodad: the addresses work at once, without duplicate address detection's wait.
        {"-n", h.server, "addr", "add", h.server_ip6 + "/64", "dev", "to-client", "nodad"},
        {"-n", h.client, "addr", "add", h.client_ip6 + "/64", "dev", "to-server", "nodad"},
        {"-n", h.server, "addr", "add", h.server_ip_for_other + "/30", "dev", "to-other"},
        {"-n", h.other, "addr", "add", h.other_ip + "/30", "dev", "to-server"},
        {"-n", h.server, "link", "set", "lo", "up"},
        {"-n", h.server, "link", "set", "to-client", "up"},
        {"-n", h.server, "link", "set", "to-other", "up"},
        {"-n", h.client, "link", "set", "lo", "up"},
        {"-n", h.client, "link", "set", "to-server", "up"},
        {"-n", h.other, "link", "set", "lo", "up"},
        {"-n", h.other, "link", "set", "to-server", "up"},
    };
    try {
        for (const auto& step : steps)
            if (std::string err = ip(step); !err.empty()) throw std::runtime_error(err);
    } catch (...) {
        remove();  // the destructor does not run for an object whose constructor throws
        throw;
    }
}

test_network::~test_network() {
    remove();
}

void test_network::remove() noexcept {
    for (const auto& ns : made_) {
        try {
            if (std::string err = ip({"netns", "delete", ns}); !err.empty())
                std::fprintf(stderr, "netns test: %s\n", err.c_str());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "netns test: cannot delete %s: %s\n", ns.c_str(), e.what());
        }
    }
    made_.clear();
}

on_host::on_host(const std::string& ns)
    : home_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) {
    if (!home_) throw std::system_error(errno, std::generic_category(), "open own namespace");
    redirect::unique_fd target(::open((netns_dir + "/" + ns).c_str(), O_RDONLY | O_CLOEXEC));
    if (!target || ::setns(target.get(), CLONE_NEWNET) != 0)
        throw std::system_error(errno, std::generic_category(), "enter namespace " + ns);
}

on_host::~on_host() {
    // A thread that cannot return would open the test's later sockets on the wrong host,
    // which no check afterwards could tell apart from a sockwrap bug.
    if (::setns(home_.get(), CLONE_NEWNET) != 0) {
        std::perror("netns test: cannot return to the test's namespace");
        std::abort();
    }
}

std::string endpoint(const std::string& ip, std::uint16_t port) {
    const bool v6 = ip.find(':') != std::string::npos;
    return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

void netns::SetUp() {
    try {
        network_ = std::make_unique<test_network>();
    } catch (const unavailable& e) {
        GTEST_SKIP() << "cannot make network namespaces here (needs root and ip): " << e.what();
    }
}

}  // namespace netns_test
