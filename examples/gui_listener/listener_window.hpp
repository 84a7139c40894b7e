#pragma once
/// \file
/// The main window: a TCP listener on loopback, one tab per connected program.

#include <QHostAddress>
#include <QMainWindow>

class ConnectionView;
class QTabWidget;
class QTcpServer;

/// Listens for programs that put their standard streams on a socket (sockwrap --out, --in,
/// --connect, or libredirect) and shows each connection in a tab of its own.
class ListenerWindow : public QMainWindow {
    Q_OBJECT

  public:
    explicit ListenerWindow(QWidget* parent = nullptr);

    /// Starts listening on `address`:`port` (port 0: any free port, see port()). On failure
    /// returns false and errorString() says why.
    bool listen(const QHostAddress& address, quint16 port);
    /// The port listened on (the one the system chose for port 0), or 0 when not listening.
    quint16 port() const;
    QString errorString() const;

    /// Connections accepted so far, in order, including closed ones whose tab is still open.
    int connectionCount() const;
    ConnectionView* connection(int index) const;

  private slots:
    void acceptConnections();
    void closeTab(int index);

  private:
    void showListening();

    QTcpServer* server_;
    QTabWidget* tabs_;
    int accepted_ = 0;
};
