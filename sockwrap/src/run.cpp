// The pipeline: parse → socket → child's fds → environment → run → status.

#include "run.hpp"

#include "child/program.hpp"
#include "core/log.hpp"
#include "modes/exec.hpp"
#include "modes/program.hpp"
#include "modes/stdio_relay.hpp"
#include "net/connection.hpp"
#include "serve/keep_open.hpp"

namespace sockwrap {

int run(const options& o) {
    verbose_log log(o.verbose);
    // PROGRAM is looked up first: a missing program must not cost the peer a connection.
    std::string executable = o.program.empty() ? std::string() : find_program(o.program.front());
    if (o.keep_open) return run_keep_open(o, executable, log);
    connection c = open_connection(o, log);
    if (o.program.empty()) return relay_stdio(o, std::move(c), log);
    if (o.exec) exec_program(o, executable, std::move(c), log);
    return run_program(o, executable, std::move(c), log);
}

}  // namespace sockwrap
