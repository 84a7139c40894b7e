// sockwrap's failure messages and the exit status each one carries.

#include "core/failure.hpp"

#include <cctype>
#include <cerrno>

namespace sockwrap {

failure usage_error(const std::string& message) {
    return failure(exit_failure, message + " (see sockwrap --help)");
}

std::string lower_first(std::string text) {
    auto upper = [&](std::size_t i) {
        return i < text.size() && std::isupper(static_cast<unsigned char>(text[i]));
    };
    if (upper(0) && !upper(1)) text[0] = static_cast<char>(std::tolower(text[0]));
    return text;
}

failure launch_failure(const std::string& name, int error) {
    int status = exit_not_executable;
    if (error == ENOENT) status = exit_not_found;
    if (error == EAGAIN || error == ENOMEM) status = exit_failure;
    return failure(status, describe("run '" + name + "'", {error, std::generic_category()}));
}

std::string describe(const std::string& what, const std::error_code& code) {
    return what + ": " + lower_first(code.message());
}

std::string describe(const std::system_error& error) {
    std::string text = error.what();
    std::string why = error.code().message();
    // std::system_error::what() is "<what_arg>: <message>"; keep the step, reword the reason.
    if (text.size() > why.size() + 2 && text.ends_with(": " + why))
        return describe(text.substr(0, text.size() - why.size() - 2), error.code());
    return describe(text, error.code());
}

}  // namespace sockwrap
