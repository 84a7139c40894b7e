#include <utility>

#include "redirection_state.hpp"

namespace redirect {

namespace {

unique_fd connect_for(const endpoint& ep, const redirect_options& options) {
    connect_options how;
    how.wait = options.connect_wait;
    return connect_to(ep, how);
}

}  // namespace

listener listen(const endpoint& ep) {
    return listener(ep);
}

listener listen(std::string_view ep) {
    return listen(parse_endpoint(ep));
}

redirection out(const endpoint& ep, const redirect_options& options) {
    return detail::make_redirection(connect_for(ep, options), false, true, options);
}

redirection out(std::string_view ep, const redirect_options& options) {
    return out(parse_endpoint(ep), options);
}

redirection in(const endpoint& ep, const redirect_options& options) {
    return detail::make_redirection(connect_for(ep, options), true, false, options);
}

redirection in(std::string_view ep, const redirect_options& options) {
    return in(parse_endpoint(ep), options);
}

redirection both_as_client(const endpoint& ep, const redirect_options& options) {
    return detail::make_redirection(connect_for(ep, options), true, true, options);
}

redirection both_as_client(std::string_view ep, const redirect_options& options) {
    return both_as_client(parse_endpoint(ep), options);
}

redirection both_as_server(const endpoint& ep, const redirect_options& options) {
    // The listener closes before the redirection is made: in process scope, one that had
    // landed on descriptor 0 or 1 (a process started with them closed) must not be closed
    // after the socket has been bound there.
    unique_fd connection = listen(ep).accept();
    return detail::make_redirection(std::move(connection), true, true, options);
}

redirection both_as_server(std::string_view ep, const redirect_options& options) {
    return both_as_server(parse_endpoint(ep), options);
}

redirection both_as_server(const listener& l, const redirect_options& options) {
    return detail::make_redirection(l.accept(), true, true, options);
}

}  // namespace redirect
