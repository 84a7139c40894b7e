#include "redirection_state.hpp"

namespace redirect {

namespace {

unique_fd connect_for(const endpoint& ep, const redirect_options& options) {
    connect_options how;
    how.wait = options.connect_wait;
    return connect_to(ep, how);
}

}  // namespace

unique_fd listen(const endpoint& ep) {
    return accept_one(ep);
}

unique_fd listen(std::string_view ep) {
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
    return detail::make_redirection(accept_one(ep), true, true, options);
}

redirection both_as_server(std::string_view ep, const redirect_options& options) {
    return both_as_server(parse_endpoint(ep), options);
}

}  // namespace redirect
