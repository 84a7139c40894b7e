// Fuzz target: sockwrap::parse_command_line() on argument vectors made from the input.
//
// The input is split at NUL bytes into at most 64 arguments, after argv[0] = "sockwrap" (an
// argument can hold any byte but NUL, as a real one; an empty input is no argument at all).
// Properties checked:
// - the only exception is sockwrap::failure, with status 125 (a usage error or a bad
//   endpoint), never another type;
// - --help and --version give a text and no run; a run gives no text;
// - a run is one that sockwrap can carry out: the combinations the manual forbids are absent
//   (e.g. --keep-open only listening and with a PROGRAM, --exec never with --pty), the numbers
//   are in range, and the endpoint parses back from its text;
// - the command line written back from the options (one canonical argument per setting,
//   --allow/--deny left out) parses to the same options.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.hpp"
#include "core/failure.hpp"
#include "fuzz_check.hpp"

namespace {

constexpr std::size_t max_arguments = 64;

// SECONDS as parse_seconds() reads it back: whole seconds, a dot, three digits.
std::string seconds_text(std::chrono::milliseconds ms) {
    std::string fraction = std::to_string(ms.count() % 1000);
    fraction.insert(0, 3 - fraction.size(), '0');
    return std::to_string(ms.count() / 1000) + "." + fraction;
}

// One argument per setting, in a fixed order; PROGRAM after "--".
std::vector<std::string> canonical_arguments(const sockwrap::options& o) {
    std::vector<std::string> args = {"sockwrap"};
    args.push_back(std::string(sockwrap::mode_option(o.mode)) + "=" + o.endpoint.to_string());
    if (o.port_file) args.push_back("--port-file=" + *o.port_file);
    if (o.wait.count() > 0) args.push_back("--wait=" + seconds_text(o.wait));
    if (o.child_stderr) args.emplace_back("--stderr");
    if (o.line_buffered) args.emplace_back("--line-buffered");
    if (o.pty_stdin)
        args.emplace_back("--pty-stdin");
    else if (o.pty)
        args.emplace_back("--pty");
    if (o.exec) args.emplace_back("--exec");
    if (o.verbose) args.emplace_back("-v");
    if (o.family == AF_INET) args.emplace_back("-4");
    if (o.family == AF_INET6) args.emplace_back("-6");
    if (o.keep_open) {
        args.emplace_back("--keep-open");
        args.push_back("--max-clients=" + std::to_string(o.max_clients));
    }
    args.push_back("--grace=" + seconds_text(o.grace));
    args.emplace_back("--");
    args.insert(args.end(), o.program.begin(), o.program.end());
    return args;
}

sockwrap::parsed_command parse(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);
    return sockwrap::parse_command_line(static_cast<int>(args.size()), argv.data());
}

void check_run(const sockwrap::options& o) {
    using sockwrap::is_listening;
    const bool listening = is_listening(o.mode);
    const bool has_program = !o.program.empty();
    fuzz::require(!o.port_file || (listening && !o.port_file->empty() && !o.endpoint.is_unix()),
                  "--port-file: a listening TCP mode and a file name");
    fuzz::require(o.wait.count() == 0 || !listening, "--wait: a connecting mode");
    fuzz::require(o.wait.count() >= 0 && o.wait.count() <= 1'000'000'000, "--wait in range");
    fuzz::require(o.grace.count() >= 0 && o.grace.count() <= 1'000'000'000, "--grace in range");
    fuzz::require(o.family == AF_UNSPEC || !o.endpoint.is_unix(), "-4/-6: a TCP endpoint");
    fuzz::require(has_program || (!o.child_stderr && !o.line_buffered && !o.pty && !o.exec),
                  "--stderr, --line-buffered, --pty, --exec: a PROGRAM");
    fuzz::require(!o.pty_stdin || o.pty, "--pty-stdin implies --pty");
    fuzz::require(!o.exec || (!o.pty && !o.keep_open), "--exec: neither --pty nor --keep-open");
    fuzz::require(!o.keep_open || (listening && has_program && !o.pty),
                  "--keep-open: a listening mode, a PROGRAM, no --pty");
    fuzz::require(o.max_clients >= 1 && o.max_clients <= 1'000'000, "--max-clients in range");
    fuzz::require(o.keep_open || o.max_clients == 64, "--max-clients: --keep-open");
    fuzz::require(o.access.empty() || (listening && !o.endpoint.is_unix()),
                  "--allow/--deny: a listening TCP mode");

    const redirect::endpoint again = redirect::parse_endpoint(o.endpoint.to_string());
    fuzz::require(fuzz::same_endpoint(again, o.endpoint), "the endpoint parses back",
                  o.endpoint.to_string());
}

void check_canonical(const sockwrap::options& o) {
    const auto args = canonical_arguments(o);
    sockwrap::parsed_command back;
    try {
        back = parse(args);
    } catch (const sockwrap::failure& f) {
        fuzz::require(false, "the canonical command line parses", f.what());
    }
    fuzz::require(back.options.has_value(), "the canonical command line is a run");
    const sockwrap::options& p = *back.options;
    fuzz::require(p.mode == o.mode && fuzz::same_endpoint(p.endpoint, o.endpoint) &&
                      p.program == o.program && p.port_file == o.port_file && p.wait == o.wait &&
                      p.child_stderr == o.child_stderr && p.line_buffered == o.line_buffered &&
                      p.pty == o.pty && p.pty_stdin == o.pty_stdin && p.exec == o.exec &&
                      p.verbose == o.verbose && p.family == o.family &&
                      p.keep_open == o.keep_open && p.max_clients == o.max_clients &&
                      p.grace == o.grace && p.access.empty(),
                  "the canonical command line gives the same options");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    // N NUL bytes make N + 1 arguments, so that the last one can be empty too.
    std::vector<std::string> args = {"sockwrap"};
    bool more = !input.empty();
    for (std::size_t n = 0; n < max_arguments && more; ++n) {
        const auto end = input.find('\0');
        more = end != std::string_view::npos;
        args.emplace_back(input.substr(0, end));
        input.remove_prefix(more ? end + 1 : input.size());
    }

    sockwrap::parsed_command command;
    try {
        command = parse(args);
    } catch (const sockwrap::failure& f) {
        fuzz::require(f.status() == sockwrap::exit_failure, "a usage error exits 125", f.what());
        return 0;
    }
    if (!command.options) {
        fuzz::require(!command.text.empty(), "--help and --version print a text");
        return 0;
    }
    fuzz::require(command.text.empty(), "a run prints no text");
    check_run(*command.options);
    check_canonical(*command.options);
    return 0;
}
