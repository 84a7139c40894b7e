// The GUI end of the source text's first redirection: listen on a port, show what non-GUI
// programs print there, send them what the user types.
//   gui_listener [PORT]            (default 50008, as in the text)
#include <QApplication>
#include <QCommandLineParser>
#include <QHostAddress>
#include <QTextStream>
#include <optional>

#include "listener_window.hpp"

namespace {

constexpr quint16 default_port = 50008;

// The port from the command line, or std::nullopt (after a message) when it is not one.
std::optional<quint16> portArgument(QCommandLineParser& parser) {
    const QStringList arguments = parser.positionalArguments();
    if (arguments.isEmpty()) return default_port;
    bool ok = false;
    const uint port = arguments.first().toUInt(&ok);
    if (arguments.size() > 1 || !ok || port > 65535) {
        QTextStream(stderr) << QCoreApplication::applicationName()
                            << ": not a port: " << arguments.join(' ') << '\n';
        return std::nullopt;
    }
    return static_cast<quint16>(port);
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gui_listener"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Shows the output of programs that connect to PORT on loopback, one tab each, and "
        "sends them the lines typed below it."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("port"),
                                 QStringLiteral("TCP port on 127.0.0.1 (default 50008; 0: any)"),
                                 QStringLiteral("[port]"));
    parser.process(app);
    const std::optional<quint16> port = portArgument(parser);
    if (!port) return 2;

    ListenerWindow window;
    if (!window.listen(QHostAddress::LocalHost, *port)) {
        QTextStream(stderr) << "gui_listener: cannot listen on 127.0.0.1:" << *port << ": "
                            << window.errorString() << '\n';
        return 1;
    }
    window.show();
    return QApplication::exec();
}
