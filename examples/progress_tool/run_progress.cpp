#include "run_progress.hpp"

#include <istream>
#include <ostream>
#include <string>
#include <utility>

#include "progress_job.hpp"

namespace progress {
namespace {

// Restores a stream's tie when the loop ends, whichever way it ends.
class untie_guard {
  public:
    explicit untie_guard(std::istream& in) : in_(in), tied_(in.tie(nullptr)) {}
    untie_guard(const untie_guard&) = delete;
    untie_guard& operator=(const untie_guard&) = delete;
    ~untie_guard() { in_.tie(tied_); }

  private:
    std::istream& in_;
    std::ostream* tied_;
};

// One line, flushed now: the reader at the other end waits for it while this program is
// not reading anything that would flush it through the tie.
bool print(std::ostream& out, const std::string& line) {
    if (!line.empty()) out << line << std::endl;
    return static_cast<bool>(out);
}

}  // namespace

int run_progress(std::istream& in, std::ostream& out, const job_settings& settings,
                 line_reader::unblocker unblock) {
    using clock = line_reader::clock;
    progress_job job(settings.steps);
    untie_guard untied(in);
    line_reader reader(in, &progress_job::is_quit, std::move(unblock));

    if (!print(out, job.banner())) return 1;
    auto next_tick = clock::now() + settings.interval;
    for (;;) {
        const bool was_running = job.running();
        // Paused or finished with no more input to come: nothing can change any more.
        if (!was_running && reader.ended()) return 0;
        const auto deadline = was_running ? next_tick : clock::time_point::max();
        if (auto line = reader.next_line(deadline)) {
            const command_reply reply = job.handle(*line);
            if (!print(out, reply.text)) return 1;
            if (reply.quit) return 0;
            if (!was_running && job.running()) next_tick = clock::now() + settings.interval;
            continue;
        }
        if (was_running && clock::now() >= next_tick) {
            if (!print(out, job.tick())) return 1;
            next_tick += settings.interval;
        }
    }
}

}  // namespace progress
