// Uses the installed library with the compiler's default dialect (GNU extensions on): every
// public header but socket_device.hpp, two endpoints parsed, and a stream over a pipe.
#include <unistd.h>

#include <iostream>
#include <string>

#include <redirect/endpoint.hpp>
#include <redirect/fd.hpp>
#include <redirect/redirect.hpp>
#include <redirect/socket.hpp>
#include <redirect/socket_streambuf.hpp>

// Only socket_device.hpp may bring Boost in. Had any header above declared namespace boost,
// this variable of the same name would not compile.
[[maybe_unused]] static int boost = 0;

int main() {
    int fds[2];
    if (::pipe(fds) != 0) return 1;
    redirect::unique_fd read_end(fds[0]);
    {
        redirect::socket_stream out{redirect::unique_fd(fds[1])};
        out << redirect::parse_endpoint(":8080").to_string() << ' '
            << redirect::parse_endpoint("unix:/tmp/x.sock").to_string() << '\n';
    }
    redirect::socket_stream in(std::move(read_end));
    std::string line;
    std::getline(in, line);
    std::cout << "consumer: " << line << '\n';
    return line.empty() ? 1 : 0;
}
