// sockwrap: put a program's standard streams on a socket. See sockwrap(1).

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <new>
#include <string_view>
#include <system_error>

#include "cli/options.hpp"
#include "core/failure.hpp"
#include "core/log.hpp"
#include "relay/local_stream.hpp"
#include "run.hpp"

namespace {

void print_text(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace sockwrap;
    try {
        ensure_standard_fds();
        // A peer that goes away must show up as EPIPE on a write, not kill sockwrap; the child
        // gets the default disposition back before exec.
        ::signal(SIGPIPE, SIG_IGN);
        auto command = parse_command_line(argc, argv);
        if (!command.options) {
            print_text(command.text);
            return 0;
        }
        return run(*command.options);
    } catch (const failure& f) {
        print_error(f.what());
        return f.status();
    } catch (const std::system_error& e) {
        print_error(describe(e));
    } catch (const std::bad_alloc&) {
        print_error("out of memory");
    } catch (const std::exception& e) {
        print_error(lower_first(e.what()));
    }
    return exit_failure;
}
