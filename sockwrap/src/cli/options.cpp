// Parsing the command line (Boost.Program_options) into sockwrap::options, and --help.

#include "cli/options.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <sstream>
#include <string_view>

#include "core/failure.hpp"

namespace po = boost::program_options;

namespace sockwrap {

namespace {

constexpr mode all_modes[] = {mode::out,    mode::in,         mode::connect,
                              mode::listen, mode::listen_out, mode::listen_in};

po::options_description mode_options() {
    po::options_description d("Modes (exactly one; ENDPOINT is where to connect or listen)");
    auto endpoint = [] { return po::value<std::string>()->value_name("ENDPOINT"); };
    d.add_options()                                                                         //
        ("out", endpoint(), "connect; PROGRAM's stdout is the socket, stdin is inherited")  //
        ("in", endpoint(), "connect; PROGRAM's stdin is the socket, stdout is inherited")   //
        ("connect", endpoint(), "connect; PROGRAM's stdin and stdout are the socket")       //
        ("listen", endpoint(),
         "listen, accept one connection, close the listener; stdin and stdout are the "
         "socket")                                                                          //
        ("listen-out", endpoint(), "as --listen, but only PROGRAM's stdout is the socket")  //
        ("listen-in", endpoint(), "as --listen, but only PROGRAM's stdin is the socket");
    return d;
}

po::options_description general_options() {
    po::options_description d("Options");
    d.add_options()  //
        ("port-file", po::value<std::string>()->value_name("FILE"),
         "once listening, write the bound port and a newline to FILE (for port 0)")  //
        ("wait", po::value<std::string>()->value_name("SECONDS"),
         "connect modes: retry a refused connection until a listener is up, for at most "
         "SECONDS")                                                          //
        ("stderr", po::bool_switch(), "PROGRAM's stderr is the socket too")  //
        ("line-buffered", po::bool_switch(),
         "make PROGRAM flush its output per line (C stdio through a preloaded library, Python "
         "through PYTHONUNBUFFERED); the socket stays PROGRAM's own fd; works with "
         "--keep-open")  //
        ("pty", po::bool_switch(),
         "PROGRAM's stdout (and stderr with --stderr) is a pseudo-terminal that sockwrap relays "
         "to the socket, so any program line-buffers; stdin stays the socket. No effect on a "
         "stream that is not bound to the socket")  //
        ("pty-stdin", po::bool_switch(),
         "as --pty, and PROGRAM's stdin is the terminal too, for programs that insist on one; "
         "the peer's end-of-input arrives as end-of-file")  //
        ("exec", po::bool_switch(),
         "once connected, become PROGRAM (execve, as tcpclient does) instead of running it as "
         "a child: same pid, signals reach it directly, no lingering close; not with --pty or "
         "--keep-open")  //
        ("verbose,v", po::bool_switch(),
         "report on stderr where sockwrap listens, who connected and when, the child's pid "
         "and how it ended")                                       //
        (",4", po::bool_switch(), "use IPv4 addresses only")       //
        (",6", po::bool_switch(), "use IPv6 addresses only")       //
        ("help,h", po::bool_switch(), "print this help and exit")  //
        ("version", po::bool_switch(), "print the version and exit");
    return d;
}

po::options_description server_options() {
    po::options_description d("Serving many clients (listening modes)");
    auto rule = [] {
        return po::value<std::vector<std::string>>()->value_name("CIDR")->composing();
    };
    d.add_options()  //
        ("keep-open,k", po::bool_switch(),
         "serve every connection with a fresh PROGRAM, concurrently, until SIGINT, SIGTERM or "
         "SIGHUP (needs a PROGRAM)")  //
        ("max-clients", po::value<std::string>()->value_name("N"),
         "with --keep-open: run at most N children at once (default 64); further clients wait "
         "in the kernel's queue")  //
        ("allow", rule(),
         "serve only peers in CIDR (ADDRESS or ADDRESS/PREFIX, IPv4 or IPv6; repeatable)")  //
        ("deny", rule(), "never serve peers in CIDR (repeatable; wins over --allow)")       //
        ("grace", po::value<std::string>()->value_name("SECONDS"),
         "after passing a signal on, wait this long for PROGRAM to exit before SIGKILL "
         "(default 5)");
    return d;
}

po::options_description all_options() {
    po::options_description d;
    d.add(mode_options()).add(general_options()).add(server_options());
    return d;
}

bool takes_value(const po::option_description& d) {
    return d.semantic()->max_tokens() > 0;
}

// The options part of argv in `--name=value` form, and PROGRAM with its arguments. Option
// parsing stops at `--` or at the first word that is not an option, so PROGRAM's own options
// (`sh -c ...`) are never taken for sockwrap's.
struct split_command_line {
    std::vector<std::string> option_args;
    std::vector<std::string> program;
};

const po::option_description& find_option(const po::options_description& all,
                                          const std::string& name, const std::string& shown) {
    const po::option_description* d = all.find_nothrow(name, false);
    if (d == nullptr) throw usage_error("unknown option '" + shown + "'");
    return *d;
}

split_command_line split(int argc, const char* const* argv, const po::options_description& all) {
    split_command_line out;
    int i = 1;
    auto next_value = [&](const std::string& shown) {
        if (i + 1 >= argc) throw usage_error("option '" + shown + "' needs a value");
        return std::string(argv[++i]);
    };
    for (; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') break;
        if (arg.starts_with("--")) {
            std::string name = arg.substr(2, arg.find('=') - 2);
            // Boost finds every option for an empty name, and throws that it is ambiguous.
            if (name.empty()) throw usage_error("no option name in '" + arg + "'");
            const auto& d = find_option(all, name, "--" + name);
            if (takes_value(d) && arg.find('=') == std::string::npos) {
                std::string value = next_value(arg);
                // "--name=" with nothing after it is a syntax error to Boost; an empty value
                // must reach the endpoint parser, which says what is wrong with it.
                if (value.empty()) {
                    out.option_args.insert(out.option_args.end(), {arg, value});
                    continue;
                }
                arg += "=" + value;
            }
            out.option_args.push_back(arg);
            continue;
        }
        // A cluster of short options such as -v4; a short option with a value takes the rest.
        for (std::size_t j = 1; j < arg.size(); ++j) {
            std::string shown = std::string("-") + arg[j];
            const auto& d = find_option(all, shown, shown);
            out.option_args.push_back(shown);
            if (!takes_value(d)) continue;
            out.option_args.push_back(j + 1 < arg.size() ? arg.substr(j + 1) : next_value(shown));
            break;
        }
    }
    for (; i < argc; ++i)
        out.program.emplace_back(argv[i]);
    return out;
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// SECONDS as "2", "1.5" or ".25", at most 1000000; a fraction finer than a millisecond
// rounds up. Whole milliseconds in integers: no floating point, so sockwrap needs no libm.
std::chrono::milliseconds parse_seconds(const std::string& text,
                                        const std::string& option = "--wait") {
    const auto dot = text.find('.');
    const std::string_view whole = std::string_view(text).substr(0, dot);
    const std::string_view fraction =
        dot == std::string::npos ? std::string_view() : std::string_view(text).substr(dot + 1);
    long long ms = 0;
    bool valid = !(whole.empty() && fraction.empty()) && all_digits(whole) &&
                 all_digits(fraction) && whole.size() <= 7;
    if (valid && !whole.empty()) std::from_chars(whole.data(), whole.data() + whole.size(), ms);
    ms *= 1000;
    for (std::size_t i = 0; valid && i < fraction.size(); ++i) {
        const int digit = fraction[i] - '0';
        if (i < 3)
            ms += digit * (i == 0 ? 100 : i == 1 ? 10 : 1);
        else if (digit != 0) {
            ++ms;  // round up, once
            break;
        }
    }
    if (!valid || ms > 1'000'000'000)
        throw usage_error(option + ": '" + text + "' is not a number of seconds");
    return std::chrono::milliseconds(ms);
}

mode chosen_mode(const po::variables_map& vm) {
    std::optional<mode> chosen;
    for (mode m : all_modes) {
        if (!vm.count(mode_option(m) + 2)) continue;
        if (chosen)
            throw usage_error(std::string("choose one mode, not both ") + mode_option(*chosen) +
                              " and " + mode_option(m));
        chosen = m;
    }
    if (!chosen)
        throw usage_error(
            "no mode given: use one of --out, --in, --connect, --listen, --listen-out, "
            "--listen-in with an ENDPOINT");
    return *chosen;
}

redirect::endpoint endpoint_of(const std::string& text) {
    try {
        return redirect::parse_endpoint(text);
    } catch (const redirect::endpoint_error& e) {
        throw failure(exit_failure, e.what());
    }
}

// Combinations that parse but mean nothing.
void check_combinations(const options& o) {
    bool listening = is_listening(o.mode);
    if (o.port_file && !listening) throw usage_error("--port-file needs a listening mode");
    if (o.port_file && o.endpoint.is_unix())
        throw usage_error("--port-file needs a TCP endpoint, not unix:");
    if (o.family != AF_UNSPEC && o.endpoint.is_unix())
        throw usage_error("-4 and -6 need a TCP endpoint, not unix:");
    if (o.child_stderr && o.program.empty()) throw usage_error("--stderr needs a PROGRAM");
    if (o.program.empty()) {
        if (o.line_buffered) throw usage_error("--line-buffered needs a PROGRAM");
        if (o.pty_stdin) throw usage_error("--pty-stdin needs a PROGRAM");
        if (o.pty) throw usage_error("--pty needs a PROGRAM");
    }
    if (o.exec) {
        if (o.program.empty()) throw usage_error("--exec needs a PROGRAM");
        if (o.pty) throw usage_error("--exec does not combine with --pty or --pty-stdin");
        if (o.keep_open) throw usage_error("--exec does not combine with --keep-open");
    }
    if (o.keep_open) {
        if (o.pty_stdin) throw usage_error("--pty-stdin does not combine with --keep-open");
        if (o.pty) throw usage_error("--pty does not combine with --keep-open");
    }
    if (o.keep_open && !listening) throw usage_error("--keep-open needs a listening mode");
    if (o.keep_open && o.program.empty()) throw usage_error("--keep-open needs a PROGRAM");
    if (!o.access.empty() && !listening)
        throw usage_error("--allow and --deny need a listening mode");
    if (!o.access.empty() && o.endpoint.is_unix())
        throw usage_error("--allow and --deny need a TCP endpoint, not unix:");
}

std::size_t parse_max_clients(const std::string& text) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > 1'000'000)
        throw usage_error("--max-clients: '" + text + "' is not a number from 1 to 1000000");
    return n;
}

void read_access_rules(const po::variables_map& vm, const std::string& name, options& o) {
    if (!vm.count(name)) return;
    for (const auto& text : vm[name].as<std::vector<std::string>>()) {
        try {
            if (name == "allow")
                o.access.allow(text);
            else
                o.access.deny(text);
        } catch (const access_error& e) {
            throw usage_error("--" + name + ": " + e.what());
        }
    }
}

void read_server_options(const po::variables_map& vm, options& o) {
    o.keep_open = vm["keep-open"].as<bool>();
    if (vm.count("max-clients")) {
        if (!o.keep_open) throw usage_error("--max-clients needs --keep-open");
        o.max_clients = parse_max_clients(vm["max-clients"].as<std::string>());
    }
    if (vm.count("grace")) o.grace = parse_seconds(vm["grace"].as<std::string>(), "--grace");
    read_access_rules(vm, "allow", o);
    read_access_rules(vm, "deny", o);
}

options to_options(const po::variables_map& vm, std::vector<std::string> program) {
    options o;
    o.mode = chosen_mode(vm);
    o.endpoint = endpoint_of(vm[mode_option(o.mode) + 2].as<std::string>());
    o.program = std::move(program);
    if (vm.count("port-file")) o.port_file = vm["port-file"].as<std::string>();
    if (vm.count("wait")) {
        // Even `--wait 0`: a listening mode given it was meant to be a connecting one.
        if (is_listening(o.mode)) throw usage_error("--wait needs a connecting mode");
        o.wait = parse_seconds(vm["wait"].as<std::string>());
    }
    o.child_stderr = vm["stderr"].as<bool>();
    o.verbose = vm["verbose"].as<bool>();
    o.line_buffered = vm["line-buffered"].as<bool>();
    o.exec = vm["exec"].as<bool>();
    o.pty_stdin = vm["pty-stdin"].as<bool>();
    o.pty = vm["pty"].as<bool>() || o.pty_stdin;
    bool v4 = vm["-4"].as<bool>(), v6 = vm["-6"].as<bool>();
    if (v4 && v6) throw usage_error("-4 and -6 exclude each other");
    o.family = v4 ? AF_INET : v6 ? AF_INET6 : AF_UNSPEC;
    if (o.port_file && o.port_file->empty()) throw usage_error("--port-file: empty file name");
    read_server_options(vm, o);
    check_combinations(o);
    return o;
}

}  // namespace

bool is_listening(mode m) noexcept {
    return m == mode::listen || m == mode::listen_out || m == mode::listen_in;
}

bool reads_socket(mode m) noexcept {
    return m != mode::out && m != mode::listen_out;
}

bool writes_socket(mode m) noexcept {
    return m != mode::in && m != mode::listen_in;
}

socket_streams socket_streams_of(const options& o) noexcept {
    return {reads_socket(o.mode), writes_socket(o.mode), o.child_stderr};
}

socket_streams terminal_streams_of(const options& o) noexcept {
    const socket_streams s = socket_streams_of(o);
    return {o.pty_stdin && s.in, o.pty && s.out, o.pty && s.err};
}

const char* mode_option(mode m) noexcept {
    switch (m) {
        case mode::out:
            return "--out";
        case mode::in:
            return "--in";
        case mode::connect:
            return "--connect";
        case mode::listen:
            return "--listen";
        case mode::listen_out:
            return "--listen-out";
        case mode::listen_in:
            return "--listen-in";
    }
    return "--connect";
}

std::string help_text() {
    std::ostringstream out;
    out << "Usage: sockwrap [OPTIONS] MODE ENDPOINT [--] [PROGRAM [ARG...]]\n\n"
           "Runs PROGRAM (looked up on PATH) with its standard input and/or output bound\n"
           "directly to a TCP or UNIX-domain socket. Without PROGRAM, sockwrap copies between\n"
           "the socket and its own stdin/stdout (a viewer or console for the other side).\n\n"
        << mode_options() << "\n"
        << general_options() << "\n"
        << server_options() << "\n"
        << "Endpoints: " << redirect::endpoint_forms()
        << ".\n"
           "  A listener binds loopback unless an address is named (*:PORT for all).\n\n"
           "Environment of PROGRAM: PROTO (TCP or UNIX), TCPLOCALIP, TCPLOCALPORT,\n"
           "  TCPREMOTEIP, TCPREMOTEPORT (unset when unknown, as with tcpserver); with\n"
           "  --keep-open also TCPCONNNUM, the connections being served, this one included.\n\n"
           "Exit status: PROGRAM's status; 128+N if it died of signal N; 126 if PROGRAM\n"
           "  cannot be run; 127 if it is not found; 125 if sockwrap itself failed.\n"
           "  SIGINT, SIGTERM and SIGHUP are passed on to PROGRAM.\n"
           "  With --keep-open, such a signal stops accepting, is passed on to every child,\n"
           "  children still running after --grace get SIGKILL, and sockwrap exits 0.\n\n"
           "Buffering: a program whose stdout is a socket buffers its output in blocks (C\n"
           "  stdio, Python, C++ with sync_with_stdio(false)); in a dialog its question stays\n"
           "  in the buffer and both sides wait for ever. --line-buffered fixes C stdio and\n"
           "  Python programs that are dynamically linked and keep the default buffering, at\n"
           "  no cost; --pty fixes any program that buffers only off a terminal, at the cost\n"
           "  of a copy through sockwrap. A program you can change: flush, or use\n"
           "  libredirect. See BUFFERING in sockwrap(1).\n";
    return out.str();
}

parsed_command parse_command_line(int argc, const char* const* argv) {
    const auto all = all_options();
    auto parts = split(argc, argv, all);
    po::variables_map vm;
    try {
        auto style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(parts.option_args).options(all).style(style).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(e.what());
    }
    if (vm["help"].as<bool>()) return {std::nullopt, help_text()};
    if (vm["version"].as<bool>()) return {std::nullopt, "sockwrap " SOCKWRAP_VERSION "\n"};
    return {to_options(vm, std::move(parts.program)), {}};
}

}  // namespace sockwrap
