// Uses the installed iostreams component: a redirect::socket_device in a Boost.Iostreams
// stream, over a pipe (the device falls back to write() and read() there).
#include <unistd.h>

#include <boost/iostreams/stream.hpp>
#include <iostream>
#include <string>
#include <utility>

#include <redirect/socket_device.hpp>

int main() {
    namespace io = boost::iostreams;
    int fds[2];
    if (::pipe(fds) != 0) return 1;
    redirect::unique_fd read_end(fds[0]);
    {
        io::stream<redirect::socket_device> out{
            redirect::socket_device(redirect::unique_fd(fds[1]))};
        out << "through a socket_device\n";
    }  // the stream closes, and with its device the write end: end of stream for the reader
    io::stream<redirect::socket_device> in{redirect::socket_device(std::move(read_end))};
    std::string line;
    std::getline(in, line);
    std::cout << "consumer_iostreams: " << line << '\n';
    return line.empty() ? 1 : 0;
}
