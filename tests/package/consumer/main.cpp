// Uses the installed library with the compiler's default dialect (GNU extensions on): every
// public header, two endpoints parsed, and a stream buffer over a pipe.
#include <unistd.h>

#include <iostream>

#include <redirect/endpoint.hpp>
#include <redirect/redirect.hpp>
#include <redirect/socket_device.hpp>
#include <redirect/socket_streambuf.hpp>

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
