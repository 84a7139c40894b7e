#include "harness.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <thread>

namespace sockwrap_e2e {

std::string binary() {
    return SOCKWRAP_BINARY;
}

st::process start(const std::vector<std::string>& args, const st::process_options& o) {
    std::vector<std::string> argv{binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return st::process(argv, o);
}

listening start_listening(const std::string& mode, const std::vector<std::string>& args,
                          const st::process_options& o, const std::string& address) {
    st::temp_dir dir;
    const std::string port_file = dir.file("port");
    std::vector<std::string> all{mode, address, "--port-file", port_file};
    all.insert(all.end(), args.begin(), args.end());
    listening l{start(all, o), 0};
    std::string line = st::wait_for_line_in_file(port_file, patience);
    if (line.empty()) {
        ADD_FAILURE() << "sockwrap did not write its port file";
        return l;
    }
    l.port = static_cast<std::uint16_t>(std::stoi(line));
    return l;
}

finished run_to_end(const std::vector<std::string>& args) {
    st::process_options o;
    o.in = st::stdio_spec::null();
    auto p = start(args, o);
    finished f;
    // Read both pipes on two threads so neither can fill up and block sockwrap.
    std::thread out_reader([&] { f.out = st::read_until_eof(p.out(), patience).data; });
    f.err = st::read_until_eof(p.err(), patience).data;
    out_reader.join();
    f.status = p.wait_for(patience).value_or(-1);
    return f;
}

bool wait_for_path(const std::string& path) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
}

transfer whole_transfer(int send_fd, const std::function<void()>& end_input, int receive_fd,
                        std::size_t blocks) {
    transfer t;
    std::thread sender([&] {
        t.sent = st::send_pattern(send_fd, blocks, patience);
        end_input();
    });
    t.got = st::receive_hashed(receive_fd, blocks * st::pattern_block_size, patience);
    sender.join();
    return t;
}

void expect_exact(const transfer& t, std::size_t blocks) {
    EXPECT_TRUE(t.sent);
    EXPECT_TRUE(t.got.eof);
    EXPECT_EQ(t.got.bytes, blocks * st::pattern_block_size);
    EXPECT_EQ(t.got.digest, st::pattern_digest(blocks));
}

void expect_whole_transfer(st::process& p, int send_fd, const std::function<void()>& end_input,
                           int receive_fd, std::size_t blocks) {
    expect_exact(whole_transfer(send_fd, end_input, receive_fd, blocks), blocks);
    EXPECT_EQ(p.wait_for(patience), 0);
}

std::string only_line(const std::string& text) {
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << "not one line: " << text;
    return text.substr(0, text.find('\n'));
}

}  // namespace sockwrap_e2e
