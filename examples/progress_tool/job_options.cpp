#include "job_options.hpp"

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <ostream>

namespace progress {

namespace po = boost::program_options;

po::options_description job_options(job_settings& settings) {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "steps,n", po::value(&settings.steps)->default_value(settings.steps),
        "number of steps in the job")(
        "interval,i",
        po::value<int>()
            ->default_value(static_cast<int>(settings.interval.count()))
            ->notifier([&settings](int ms) { settings.interval = std::chrono::milliseconds(ms); }),
        "milliseconds between steps");
    return options;
}

std::optional<int> parse_command_line(int argc, const char* const* argv,
                                      const po::options_description& options, std::ostream& out,
                                      std::ostream& err) {
    const char* name = argc > 0 ? argv[0] : "progress_tool";
    po::variables_map values;
    try {
        po::store(po::parse_command_line(argc, argv, options), values);
        if (values.count("help") != 0) {
            out << "Usage: " << name << " [options]\n" << options << '\n';
            return 0;
        }
        po::notify(values);
        if (values["steps"].as<int>() < 1 || values["interval"].as<int>() < 0)
            throw po::error("--steps must be at least 1 and --interval not negative");
    } catch (const po::error& e) {
        err << name << ": " << e.what() << "\nUsage: " << name << " [options]\n" << options << '\n';
        return 2;
    }
    return std::nullopt;
}

}  // namespace progress
