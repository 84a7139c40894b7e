// The --keep-open server: accepting, starting one child per connection, shutting down.

#include "serve/server.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "child/environment.hpp"
#include "child/exit_status.hpp"
#include "child/supervisor.hpp"
#include "core/event_loop.hpp"
#include "core/failure.hpp"
#include "serve/lingering_set.hpp"

namespace sockwrap {

namespace {

using clock = steady_clock;

constexpr int accepts_per_wakeup = 64;  // then look at signals and exits again
// A shortage of descriptors or processes comes and goes as children end: one that follows
// the last within this time belongs to the same episode and is not reported again.
constexpr auto shortage_episode_gap = std::chrono::seconds(10);

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

// The accepting part of the server; the supervisor (children, signals) and the lingering
// closes are the loop's other sources.
class server final : public event_source {
  public:
    server(redirect::listener& listener, const server_settings& settings, const verbose_log& log);
    ~server() override;
    int run();

    void add_pollfds(std::vector<pollfd>& fds) override;
    void on_ready(std::span<const pollfd> ready) override;
    clock::time_point deadline() const override;
    void on_time(clock::time_point now) override;

  private:
    bool accepting(clock::time_point now) const;
    void accept_batch();
    void admit(redirect::unique_fd connection, const redirect::socket_address& peer);
    void start_child(redirect::unique_fd connection, const redirect::socket_address& peer);
    void child_ended(int connection, const std::string& peer, pid_t pid, int status);
    void on_stop_signal(int signal);
    void begin_shutdown(int signal);
    void kill_remaining();
    bool new_shortage();
    void fail(const std::string& message);

    redirect::listener& listener_;
    const server_settings& settings_;
    const verbose_log& log_;
    event_loop loop_;
    lingering_set lingering_;
    supervisor supervisor_;
    // Each running child's connection, kept only for the lingering close after it exits.
    std::vector<redirect::unique_fd> connections_;
    std::size_t descriptor_budget_;
    // A connection accepted but not started for want of a process slot; retried after backoff.
    redirect::unique_fd pending_;
    redirect::socket_address pending_peer_;
    clock::time_point backoff_until_{};
    // The last time resources ran short: a shortage is reported once per episode.
    std::optional<clock::time_point> last_shortage_;
    bool stopping_ = false;
    int status_ = 0;
};

server::server(redirect::listener& listener, const server_settings& settings,
               const verbose_log& log)
    : listener_(listener),
      settings_(settings),
      log_(log),
      supervisor_(loop_, settings.grace, log),
      descriptor_budget_(descriptor_budget()) {
    // Only this loop uses the listener; non-blocking so a connection that vanishes between
    // poll() and accept() cannot block the server.
    redirect::set_nonblocking(listener_.fd(), true);
    if (descriptor_budget_ < settings_.max_clients)
        log_.line("serving at most " + std::to_string(descriptor_budget_) +
                  " clients at once: the open file limit leaves no room for more");
    supervisor_.on_stop_signal([this](int sig) { on_stop_signal(sig); });
    loop_.add(lingering_);
    loop_.add(*this);
}

server::~server() {
    loop_.remove(*this);
    loop_.remove(lingering_);
}

bool server::accepting(clock::time_point now) const {
    return !stopping_ && !pending_ && now >= backoff_until_ &&
           supervisor_.running() < settings_.max_clients &&
           supervisor_.running() + lingering_.size() < descriptor_budget_;
}

int server::run() {
    try {
        loop_.run_until(
            [&] { return stopping_ && supervisor_.running() == 0 && lingering_.empty(); });
    } catch (const std::system_error& e) {
        // Cannot happen with valid arguments; if it does, no event can be seen any more.
        print_error(describe(e));
        supervisor_.kill_and_reap_all();
        return exit_failure;
    }
    return status_;
}

void server::add_pollfds(std::vector<pollfd>& fds) {
    if (accepting(clock::now())) fds.push_back({listener_.fd(), POLLIN, 0});
}

void server::on_ready(std::span<const pollfd>) {
    if (!stopping_) accept_batch();
}

// Running: the end of a backoff. Stopping: the end of the grace period, when the lingering
// closes end too.
clock::time_point server::deadline() const {
    if (stopping_) {
        return supervisor_.killed() || lingering_.empty() ? clock::time_point::max()
                                                          : supervisor_.grace_deadline();
    }
    return pending_ || clock::now() < backoff_until_ ? backoff_until_ : clock::time_point::max();
}

void server::on_time(clock::time_point) {
    if (stopping_) {
        lingering_.close_all();
        return;
    }
    // The backoff is over: retry the pending connection (the listener is polled again anyway).
    if (pending_) start_child(std::move(pending_), pending_peer_);
}

void server::accept_batch() {
    for (int i = 0; i < accepts_per_wakeup && accepting(clock::now()); ++i) {
        redirect::socket_address peer;
        peer.length = sizeof peer.storage;
        int fd = ::accept4(listener_.fd(), reinterpret_cast<sockaddr*>(&peer.storage), &peer.length,
                           SOCK_CLOEXEC);
        if (fd >= 0) {
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
            if (new_shortage())
                print_error(describe("accept", std::error_code(error, std::generic_category())) +
                            " (waiting, then accepting again)");
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
    child_spec spec = settings_.program;
    spec.env = child_environment(settings_.program.env, local, peer);
    // tcpserver's count of connections being served, this one included; an inherited value
    // would describe some other server.
    std::erase_if(spec.env, [](const std::string& e) { return e.starts_with("TCPCONNNUM="); });
    spec.env.push_back("TCPCONNNUM=" + std::to_string(supervisor_.running() + 1));
    spec.stdio = child_stdio::on(connection.get(), settings_.streams);

    pid_t pid = -1;
    const int error = try_spawn_child(spec, pid);
    const std::string& name = spec.argv.front();
    if (error == EAGAIN || error == ENOMEM) {
        // No process slot now: keep the connection and try again shortly, rather than
        // dropping a client that was already accepted.
        if (new_shortage())
            print_error(launch_failure(name, error).what() +
                        std::string(" (waiting, then trying again)"));
        pending_ = std::move(connection);
        pending_peer_ = peer;
        backoff_until_ = clock::now() + settings_.backoff;
        return;
    }
    if (error != 0) {
        print_error(launch_failure(name, error).what());
        return;  // this client gets EOF; the next one may fare better (the file may return)
    }
    std::string who = peer.to_string();
    if (log_.enabled())
        log_.line("connected by " + who + " at " + ctime_now() + ", pid " + std::to_string(pid));
    const int fd = connection.get();
    connections_.push_back(std::move(connection));
    supervisor_.adopt(pid, [this, fd, who = std::move(who), pid](int status) {
        child_ended(fd, who, pid, status);
    });
}

void server::child_ended(int connection, const std::string& peer, pid_t pid, int status) {
    if (log_.enabled())
        log_.line("pid " + std::to_string(pid) + " (" + peer + ") " + describe_end(status));
    auto it = std::find_if(connections_.begin(), connections_.end(),
                           [&](const redirect::unique_fd& c) { return c.get() == connection; });
    if (it == connections_.end()) return;
    redirect::unique_fd ended = std::move(*it);
    *it = std::move(connections_.back());
    connections_.pop_back();
    if (supervisor_.killed()) return;  // past the grace period: close at once
    if (close_if_settled(ended)) return;
    auto deadline = clock::now() + settings_.linger;
    if (stopping_) deadline = std::min(deadline, supervisor_.grace_deadline());
    lingering_.add(std::move(ended), deadline);
}

void server::on_stop_signal(int signal) {
    if (!stopping_) {
        begin_shutdown(signal);
    } else if (!supervisor_.killed()) {
        log_.line("second signal " + std::to_string(signal) + ": not waiting any longer");
        kill_remaining();
    }
}

void server::begin_shutdown(int signal) {
    stopping_ = true;
    listener_.close();  // new clients are refused now, instead of waiting in the backlog
    pending_.reset();
    log_.line("signal " + std::to_string(signal) + ": stopping; passing it to " +
              std::to_string(supervisor_.running()) + " running children");
    supervisor_.pass_on(signal);
}

// Records a shortage of resources now; true when it begins a new episode.
bool server::new_shortage() {
    const auto now = clock::now();
    const bool fresh = !last_shortage_ || now - *last_shortage_ >= shortage_episode_gap;
    last_shortage_ = now;
    return fresh;
}

void server::kill_remaining() {
    if (supervisor_.running() > 0)
        log_.line("killing " + std::to_string(supervisor_.running()) + " children still running");
    supervisor_.kill_all();
    lingering_.close_all();
}

void server::fail(const std::string& message) {
    print_error(message);
    status_ = exit_failure;
    if (!stopping_) begin_shutdown(SIGTERM);
}

}  // namespace

int serve_clients(redirect::listener& listener, const server_settings& settings,
                  const verbose_log& log) {
    server s(listener, settings, log);
    const int status = s.run();
    // The outcome is decided. The supervisor unblocks the signals when it goes: a late SIGINT,
    // SIGTERM or SIGHUP (a second Ctrl-C, a supervisor's repeat) must not then turn a clean
    // shutdown into death by signal.
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        ::signal(sig, SIG_IGN);
    return status;
}

}  // namespace sockwrap
