// The pipeline: parse → socket → child's fds → environment → run → status.

#include "run.hpp"

#include "core/log.hpp"
#include "modes/exec.hpp"
#include "modes/program.hpp"
#include "modes/stdio_relay.hpp"
#include "net/connection.hpp"
#include "serve/keep_open.hpp"

namespace sockwrap {

int run(const options& o) {
    verbose_log log(o.verbose);
    if (o.program.empty()) return relay_stdio(o, open_connection(o, log), log);
    // PROGRAM is prepared first: a missing program must not cost the peer a connection.
    const child_spec program = program_of(o);
    if (o.keep_open) return run_keep_open(o, program, log);
    connection c = open_connection(o, log);
    if (o.exec) exec_program(o, program, std::move(c), log);
    return run_program(o, program, std::move(c), log);
}

}  // namespace sockwrap
