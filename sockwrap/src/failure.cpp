#include "failure.hpp"

#include <cctype>

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
