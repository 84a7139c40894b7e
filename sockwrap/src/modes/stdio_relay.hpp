#pragma once
/// \file
/// No PROGRAM: sockwrap relays between the connection and its own stdin/stdout.

#include "cli/options.hpp"
#include "core/log.hpp"
#include "net/connection.hpp"

namespace sockwrap {

/// Relays the directions `o`'s mode names: stdin to the socket (end-of-file shuts the
/// socket's writing side down) and the socket to stdout (end-of-file closes stdout), two
/// flows of the relay engine, spliced where stdin or stdout is a pipe. Returns 0 once every
/// direction reached end-of-file, or 128+N when signal N (SIGINT, SIGTERM, SIGHUP) ended the
/// relay. A reader of stdout that went away ends that direction quietly. Throws
/// sockwrap::failure (125) on any other I/O error, e.g. a peer that resets the connection.
/// The connection is closed with lingering_close().
int relay_stdio(const options& o, connection c, const verbose_log& log);

}  // namespace sockwrap
