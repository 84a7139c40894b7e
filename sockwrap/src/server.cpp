#include "server.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <string>
#include <system_error>
#include <vector>

#include "child_env.hpp"
#include "child_table.hpp"
#include "deadline.hpp"
#include "failure.hpp"
#include "lingering_set.hpp"
#include "signal_reader.hpp"
#include "supervise.hpp"

namespace sockwrap {

namespace {

using clock = std::chrono::steady_clock;

constexpr int accepts_per_wakeup = 64;  // then look at signals and exits again

// Descriptors open now; a connection may use only what the RLIMIT_NOFILE leaves beyond them.
std::size_t open_descriptors() {
    std::size_t count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (const dirent* entry = ::readdir(dir))
            if (entry->d_name[0] != '.') ++count;
        ::closedir(dir);
        return count;  // the directory's own descriptor is counted: one spare
    }
    return 16;
}

// How many connections (children plus lingering closes) the descriptor limit leaves room for.
// Accepting more would only end in EMFILE, or in accepting a connection that cannot be served.
std::size_t descriptor_budget() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
    constexpr std::size_t spare = 4;  // getsockname/log/libc needs, and accept's own fd
    std::size_t used = open_descriptors() + spare;
    return limit.rlim_cur > used ? static_cast<std::size_t>(limit.rlim_cur) - used : 1;
}

// accept() failures that say nothing about the listener: the connection at the head of the
// queue went away (Linux reports its pending network errors here too).
bool connection_gone(int error) {
    switch (error) {
        case ECONNABORTED:
        case EPROTO:
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case EOPNOTSUPP:
        case ENETUNREACH:
        case EPERM:
            return true;
        default:
            return false;
    }
}

// accept() or spawn failures from a resource running out: worth waiting for, never fatal.
bool resources_short(int error) {
    return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM ||
           error == EAGAIN;
}

class server {
  public:
    server(redirect::listener& listener, const server_settings& settings,
           const connection_launcher& launcher, const verbose_log& log);
    int run();

  private:
    bool accepting(clock::time_point now) const;
    void accept_batch();
    void admit(redirect::unique_fd connection, const redirect::socket_address& peer);
    void start_child(redirect::unique_fd connection, const redirect::socket_address& peer);
    void retry_pending(clock::time_point now);
    void handle_signals();
    void reap_children();
    void begin_shutdown(int signal);
    void kill_remaining();
    void fail(const std::string& message);
    int poll_timeout(clock::time_point now) const;

    redirect::listener& listener_;
    const server_settings& settings_;
    const connection_launcher& launcher_;
    const verbose_log& log_;
    signal_reader signals_{SIGCHLD, SIGINT, SIGTERM, SIGHUP};
    child_table children_;
    lingering_set lingering_;
    std::size_t descriptor_budget_;
    // A connection accepted but not started for want of a process slot; retried after backoff.
    redirect::unique_fd pending_;
    redirect::socket_address pending_peer_;
    clock::time_point backoff_until_{};
    bool short_of_resources_ = false;  // in a run of failures: logged once per run
    bool stopping_ = false;
    bool killed_ = false;
    clock::time_point grace_deadline_ = clock::time_point::max();
    int status_ = 0;
};

server::server(redirect::listener& listener, const server_settings& settings,
               const connection_launcher& launcher, const verbose_log& log)
    : listener_(listener),
      settings_(settings),
      launcher_(launcher),
      log_(log),
      descriptor_budget_(descriptor_budget()) {
    // Only this loop uses the listener; non-blocking so a connection that vanishes between
    // poll() and accept() cannot block the server.
    redirect::set_nonblocking(listener_.fd(), true);
    if (descriptor_budget_ < settings_.max_clients)
        log_.line("serving at most " + std::to_string(descriptor_budget_) +
                  " clients at once: the open file limit leaves no room for more");
}

bool server::accepting(clock::time_point now) const {
    return !stopping_ && !pending_ && now >= backoff_until_ &&
           children_.size() < settings_.max_clients &&
           children_.size() + lingering_.size() < descriptor_budget_;
}

int server::run() {
    std::vector<pollfd> fds;
    for (;;) {
        auto now = clock::now();
        lingering_.expire(now);
        if (stopping_ && !killed_ && now >= grace_deadline_) kill_remaining();
        if (stopping_ && children_.empty() && lingering_.empty()) break;
        retry_pending(now);
        bool listen = accepting(now);
        fds.clear();
        fds.push_back({signals_.fd(), POLLIN, 0});
        if (listen) fds.push_back({listener_.fd(), POLLIN, 0});
        std::size_t first_lingering = fds.size();
        lingering_.add_pollfds(fds);
        int n = ::poll(fds.data(), fds.size(), poll_timeout(now));
        if (n < 0 && errno != EINTR) {
            // Cannot happen with valid arguments; if it does, no event can be seen any more.
            print_error(describe("poll", std::error_code(errno, std::generic_category())));
            children_.kill_and_reap_all();
            return exit_failure;
        }
        if (n <= 0) continue;
        // The lingering set first: handling signals changes it, and then the pollfds that
        // follow `first_lingering` would no longer match its entries.
        lingering_.drain(fds.data() + first_lingering, fds.size() - first_lingering);
        if (fds[0].revents != 0) handle_signals();
        if (listen && fds[1].revents != 0 && !stopping_) accept_batch();
    }
    return status_;
}

int server::poll_timeout(clock::time_point now) const {
    auto wake = lingering_.next_deadline();
    if (!stopping_ && now < backoff_until_) wake = std::min(wake, backoff_until_);
    if (stopping_ && !killed_) wake = std::min(wake, grace_deadline_);
    return milliseconds_until(wake, now);
}

void server::accept_batch() {
    for (int i = 0; i < accepts_per_wakeup && accepting(clock::now()); ++i) {
        redirect::socket_address peer;
        peer.length = sizeof peer.storage;
        int fd = ::accept4(listener_.fd(), reinterpret_cast<sockaddr*>(&peer.storage), &peer.length,
                           SOCK_CLOEXEC);
        if (fd >= 0) {
            short_of_resources_ = false;
            admit(redirect::unique_fd(fd), peer);
            continue;
        }
        int error = errno;
        if (error == EAGAIN || error == EWOULDBLOCK) return;
        if (error == EINTR) continue;
        if (connection_gone(error)) {
            if (log_.enabled())
                log_.line("a connection went away before it was accepted: " +
                          lower_first(std::generic_category().message(error)));
            continue;
        }
        if (resources_short(error)) {
            if (!short_of_resources_)
                print_error(describe("accept", std::error_code(error, std::generic_category())) +
                            " (waiting, then accepting again)");
            short_of_resources_ = true;
            backoff_until_ = clock::now() + settings_.backoff;
            return;
        }
        fail(describe("accept", std::error_code(error, std::generic_category())));
        return;
    }
}

void server::admit(redirect::unique_fd connection, const redirect::socket_address& peer) {
    if (!settings_.access.permits(reinterpret_cast<const sockaddr*>(&peer.storage), peer.length)) {
        if (log_.enabled())
            log_.line("refused " + peer.to_string() + " at " + ctime_now() + " (access rules)");
        return;  // closed here: the peer sees EOF, nothing was started
    }
    if (connection.get() <= 2) {
        // sockwrap was started with a standard stream closed and accept() reused its number;
        // move the connection out of the way of the child's fds 0-2.
        redirect::unique_fd moved(::fcntl(connection.get(), F_DUPFD_CLOEXEC, 3));
        if (!moved) return;
        connection = std::move(moved);
    }
    start_child(std::move(connection), peer);
}

void server::start_child(redirect::unique_fd connection, const redirect::socket_address& peer) {
    redirect::socket_address local;
    try {
        local = redirect::local_address(connection.get());
    } catch (const std::system_error&) {
        return;  // the connection is already unusable; the peer has gone
    }
    std::vector<const char*> base;
    base.reserve(settings_.environment.size() + 1);
    for (const auto& entry : settings_.environment)
        base.push_back(entry.c_str());
    base.push_back(nullptr);
    auto env = child_environment(base.data(), local, peer);
    // tcpserver's count of connections being served, this one included; an inherited value
    // would describe some other server.
    std::erase_if(env, [](const std::string& e) { return e.starts_with("TCPCONNNUM="); });
    env.push_back("TCPCONNNUM=" + std::to_string(children_.size() + 1));

    int error = 0;
    pid_t pid = launcher_.launch(connection.get(), env, error);
    if (pid < 0 && (error == EAGAIN || error == ENOMEM)) {
        // No process slot now: keep the connection and try again shortly, rather than
        // dropping a client that was already accepted.
        if (!short_of_resources_)
            print_error(launch_failure(launcher_.name(), error).what() +
                        std::string(" (waiting, then trying again)"));
        short_of_resources_ = true;
        pending_ = std::move(connection);
        pending_peer_ = peer;
        backoff_until_ = clock::now() + settings_.backoff;
        return;
    }
    if (pid < 0) {
        print_error(launch_failure(launcher_.name(), error).what());
        return;  // this client gets EOF; the next one may fare better (the file may return)
    }
    short_of_resources_ = false;
    std::string who = peer.to_string();
    if (log_.enabled())
        log_.line("connected by " + who + " at " + ctime_now() + ", pid " + std::to_string(pid));
    children_.add(pid, served_child{std::move(connection), std::move(who)});
}

void server::retry_pending(clock::time_point now) {
    if (!pending_ || now < backoff_until_) return;
    if (stopping_) {
        pending_.reset();
        return;
    }
    start_child(std::move(pending_), pending_peer_);
}

void server::handle_signals() {
    while (int sig = signals_.next()) {
        if (sig == SIGCHLD) {
            reap_children();
        } else if (!stopping_) {
            begin_shutdown(sig);
        } else if (!killed_) {
            log_.line("second signal " + std::to_string(sig) + ": not waiting any longer");
            kill_remaining();
        }
    }
}

void server::reap_children() {
    while (auto reaped = reap_one()) {
        auto child = children_.remove(reaped->pid);
        if (!child) continue;
        if (log_.enabled())
            log_.line("pid " + std::to_string(reaped->pid) + " (" + child->peer + ") " +
                      describe_end(reaped->status));
        if (killed_) continue;  // past the grace period: close at once
        if (close_if_settled(child->connection)) continue;
        auto deadline = clock::now() + settings_.linger;
        if (stopping_) deadline = std::min(deadline, grace_deadline_);
        lingering_.add(std::move(child->connection), deadline);
    }
}

void server::begin_shutdown(int signal) {
    stopping_ = true;
    listener_.close();  // new clients are refused now, instead of waiting in the backlog
    pending_.reset();
    grace_deadline_ = clock::now() + settings_.grace;
    log_.line("signal " + std::to_string(signal) + ": stopping; passing it to " +
              std::to_string(children_.size()) + " running children");
    children_.signal_all(signal);
}

void server::kill_remaining() {
    killed_ = true;
    if (!children_.empty())
        log_.line("killing " + std::to_string(children_.size()) + " children still running");
    children_.signal_all(SIGKILL);
    lingering_.close_all();
}

void server::fail(const std::string& message) {
    print_error(message);
    status_ = exit_failure;
    if (!stopping_) begin_shutdown(SIGTERM);
}

}  // namespace

int serve_clients(redirect::listener& listener, const server_settings& settings,
                  const connection_launcher& launcher, const verbose_log& log) {
    server s(listener, settings, launcher, log);
    const int status = s.run();
    // The outcome is decided. The server unblocks its signals when it goes: a late SIGINT,
    // SIGTERM or SIGHUP (a second Ctrl-C, a supervisor's repeat) must not then turn a clean
    // shutdown into death by signal.
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        ::signal(sig, SIG_IGN);
    return status;
}

}  // namespace sockwrap
