#include "tool_process.hpp"

namespace {
constexpr int stop_wait_ms = 5000;
}  // namespace

ToolProcess::ToolProcess(const QString& program, const QStringList& arguments) {
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process_.start(program, arguments);
    started_ = process_.waitForStarted();
}

ToolProcess::~ToolProcess() {
    if (!isRunning()) return;
    process_.terminate();  // SIGTERM to this child's pid only
    if (process_.waitForFinished(stop_wait_ms)) return;
    process_.kill();
    process_.waitForFinished(stop_wait_ms);
}

int ToolProcess::exitCode() const {
    if (isRunning() || process_.exitStatus() != QProcess::NormalExit) return -1;
    return process_.exitCode();
}
