#pragma once
/// \file
/// A program a test starts, stopped by its own process id when the test ends.

#include <QProcess>
#include <QStringList>

/// Starts `program` with `arguments`; the destructor stops it if it still runs (SIGTERM to
/// its pid, then SIGKILL) and waits for it, bounded.
class ToolProcess {
  public:
    ToolProcess(const QString& program, const QStringList& arguments);
    ToolProcess(const ToolProcess&) = delete;
    ToolProcess& operator=(const ToolProcess&) = delete;
    ~ToolProcess();

    /// Whether the program was found and started.
    bool started() const { return started_; }
    bool isRunning() const { return process_.state() != QProcess::NotRunning; }
    /// The exit status, once finished normally; -1 while running or after a crash.
    int exitCode() const;
    /// What the program wrote to its stdout so far (stderr goes to the test's stderr).
    QByteArray takeOutput() { return process_.readAllStandardOutput(); }
    /// Closes the program's stdin: it reads end of input.
    void closeInput() { process_.closeWriteChannel(); }

  private:
    QProcess process_;
    bool started_ = false;
};
