// Claiming a UNIX socket's path: the lock file beside it, the stale-socket check, the clean-up.

#include "unix_socket_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace redirect::detail {

namespace {

[[noreturn]] void fail(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Opens and locks `lock_path`. A holder removes the lock file before it unlocks, so a lock
// taken on a file that is no longer (or not yet again) at the path is worthless: try again.
unique_fd take_lock(const std::string& lock_path, const std::string& what) {
    constexpr int attempts = 8;  // each lost race means another listener came and went
    for (int attempt = 0; attempt < attempts; ++attempt) {
        unique_fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!fd) fail(errno, what + " (cannot open its lock file)");
        struct stat held {};
        if (::fstat(fd.get(), &held) != 0) fail(errno, what);
        if (!S_ISREG(held.st_mode) || held.st_size != 0)
            fail(EEXIST, what + " (" + lock_path + " is there and is not an empty lock file)");
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK) fail(EADDRINUSE, what + " (another listener has it)");
            fail(errno, what + " (cannot lock its lock file)");
        }
        struct stat now {};
        if (::lstat(lock_path.c_str(), &now) == 0 && same_file(held, now)) return fd;
    }
    fail(EADDRINUSE, what + " (its lock file keeps changing)");
}

// True when a process accepts connections on the socket at `path`. Only reached for a socket
// whose lock is free: one not made by a listener of this library, or left by a dead one.
bool someone_listens(const std::string& path) {
    unique_fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!probe) return true;  // cannot tell: never remove what might be in use
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    const int rc =
        ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address),
                  static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1));
    return rc == 0 || errno != ECONNREFUSED;
}

const char* kind_of(mode_t mode) {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    return "a file that is not a socket";
}

// With the lock held: nothing at `path`, or a stale socket that is removed.
void clear_path(const std::string& path, const std::string& what) {
    struct stat before {};
    if (::lstat(path.c_str(), &before) != 0) {
        if (errno == ENOENT) return;
        fail(errno, what);
    }
    if (!S_ISSOCK(before.st_mode))
        fail(EEXIST, what + " (" + kind_of(before.st_mode) + " is there; left untouched)");
    if (someone_listens(path)) fail(EADDRINUSE, what + " (a live socket is there)");
    // Still the socket that was probed: remove it.
    struct stat after {};
    if (::lstat(path.c_str(), &after) == 0 && S_ISSOCK(after.st_mode) && same_file(before, after))
        ::unlink(path.c_str());
}

}  // namespace

unix_socket_claim::unix_socket_claim(const std::string& path, const std::string& what)
    : path_(path), lock_(take_lock(path + ".lock", what)) {
    try {
        clear_path(path, what);
    } catch (...) {
        release();
        throw;
    }
}

unix_socket_claim::~unix_socket_claim() {
    release();
}

void unix_socket_claim::bound() {
    struct stat st {};
    if (::lstat(path_.c_str(), &st) != 0) return;
    socket_dev_ = st.st_dev;
    socket_ino_ = st.st_ino;
    socket_bound_ = true;
}

void unix_socket_claim::release() noexcept {
    if (!lock_) return;
    // Remove only what is still ours: a successor may have replaced either file.
    struct stat st {};
    if (socket_bound_ && ::lstat(path_.c_str(), &st) == 0 && st.st_dev == socket_dev_ &&
        st.st_ino == socket_ino_)
        ::unlink(path_.c_str());
    const std::string lock_path = path_ + ".lock";
    struct stat held {};
    if (::fstat(lock_.get(), &held) == 0 && ::lstat(lock_path.c_str(), &st) == 0 &&
        same_file(held, st))
        ::unlink(lock_path.c_str());
    lock_.reset();  // unlocks
    socket_bound_ = false;
    path_.clear();
}

}  // namespace redirect::detail
