#include "listener_window.hpp"

#include <QLineEdit>
#include <QStatusBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>

#include "connection_view.hpp"

ListenerWindow::ListenerWindow(QWidget* parent)
    : QMainWindow(parent), server_(new QTcpServer(this)), tabs_(new QTabWidget(this)) {
    tabs_->setTabsClosable(true);
    tabs_->setDocumentMode(true);
    setCentralWidget(tabs_);
    resize(760, 480);
    connect(server_, &QTcpServer::newConnection, this, &ListenerWindow::acceptConnections);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, &ListenerWindow::closeTab);
    showListening();
}

bool ListenerWindow::listen(const QHostAddress& address, quint16 port) {
    const bool listening = server_->listen(address, port);
    showListening();
    return listening;
}

quint16 ListenerWindow::port() const {
    return server_->isListening() ? server_->serverPort() : 0;
}

QString ListenerWindow::errorString() const {
    return server_->errorString();
}

int ListenerWindow::connectionCount() const {
    return tabs_->count();
}

ConnectionView* ListenerWindow::connection(int index) const {
    return qobject_cast<ConnectionView*>(tabs_->widget(index));
}

void ListenerWindow::acceptConnections() {
    while (QTcpSocket* socket = server_->nextPendingConnection()) {
        auto* view = new ConnectionView(socket, ++accepted_, tabs_);
        const int index = tabs_->addTab(view, view->title());
        tabs_->setCurrentIndex(index);
        view->inputLine()->setFocus();
        connect(view, &ConnectionView::titleChanged, this, [this, view](const QString& title) {
            tabs_->setTabText(tabs_->indexOf(view), title);
        });
    }
    showListening();
}

void ListenerWindow::closeTab(int index) {
    // Closing the tab of a live connection hangs up: the program sees end of input.
    QWidget* view = tabs_->widget(index);
    tabs_->removeTab(index);
    view->deleteLater();
    showListening();
}

void ListenerWindow::showListening() {
    if (!server_->isListening()) {
        setWindowTitle(tr("GUI listener"));
        statusBar()->showMessage(tr("Not listening"));
        return;
    }
    const QString where =
        QStringLiteral("%1:%2").arg(server_->serverAddress().toString()).arg(server_->serverPort());
    setWindowTitle(tr("GUI listener - %1").arg(where));
    statusBar()->showMessage(
        tr("Listening on %1; %n connection(s) so far", nullptr, accepted_).arg(where));
}
