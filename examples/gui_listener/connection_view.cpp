#include "connection_view.hpp"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTcpSocket>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

namespace {
// Enough history to scroll back through a long run, bounded so a chatty program cannot
// grow the view without limit.
constexpr int max_lines = 20000;
}  // namespace

ConnectionView::ConnectionView(QTcpSocket* socket, int number, QWidget* parent)
    : QWidget(parent),
      socket_(socket),
      peer_(QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort())),
      number_(number),
      output_(new QPlainTextEdit(this)),
      input_(new QLineEdit(this)),
      send_(new QPushButton(tr("Send"), this)) {
    socket_->setParent(this);
    output_->setReadOnly(true);
    output_->setMaximumBlockCount(max_lines);
    output_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    input_->setPlaceholderText(tr("Text for the program; Enter sends it"));

    auto* inputRow = new QHBoxLayout;
    inputRow->addWidget(input_);
    inputRow->addWidget(send_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(output_);
    layout->addLayout(inputRow);

    connect(socket_, &QTcpSocket::readyRead, this, &ConnectionView::readOutput);
    connect(socket_, &QTcpSocket::disconnected, this, &ConnectionView::noteDisconnect);
    connect(input_, &QLineEdit::returnPressed, this, &ConnectionView::sendInput);
    connect(send_, &QPushButton::clicked, this, &ConnectionView::sendInput);

    appendLine(tr("connected: %1").arg(peer_), TextKind::Event);
    // Bytes may have arrived before the signals were connected.
    readOutput();
}

ConnectionView::~ConnectionView() {
    // The socket, a child, outlives the widgets here; closing it emits disconnected, which
    // must not reach them.
    socket_->disconnect(this);
    socket_->abort();
}

QString ConnectionView::title() const {
    const QString title = QStringLiteral("#%1 %2").arg(number_).arg(peer_);
    return connected_ ? title : tr("%1 (closed)").arg(title);
}

QString ConnectionView::transcript() const {
    return output_->toPlainText();
}

void ConnectionView::readOutput() {
    const QByteArray bytes = socket_->readAll();
    if (!bytes.isEmpty()) append(decoder_.decode(bytes), TextKind::Output);
}

void ConnectionView::sendInput() {
    if (!connected_) return;
    const QString line = input_->text();
    socket_->write(line.toUtf8() + '\n');
    appendLine(QStringLiteral("> ") + line, TextKind::Sent);
    input_->clear();
}

void ConnectionView::noteDisconnect() {
    if (!connected_) return;
    readOutput();  // the last bytes may come with the close
    connected_ = false;
    input_->setEnabled(false);
    send_->setEnabled(false);
    appendLine(tr("disconnected"), TextKind::Event);
    emit titleChanged(title());
}

void ConnectionView::append(const QString& text, TextKind kind) {
    QTextCharFormat format;
    if (kind == TextKind::Sent) format.setForeground(QColor(Qt::darkBlue));
    if (kind == TextKind::Event) {
        format.setForeground(QColor(Qt::darkGray));
        format.setFontItalic(true);
    }
    // Follow the output as it grows, unless the user scrolled up to read something.
    QScrollBar* scroll = output_->verticalScrollBar();
    const bool atBottom = scroll->value() == scroll->maximum();
    QTextCursor cursor(output_->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text, format);
    if (atBottom) scroll->setValue(scroll->maximum());
}

void ConnectionView::appendLine(const QString& line, TextKind kind) {
    // A program's output may stop mid-line; a note of ours starts a line of its own.
    const QString shown = output_->document()->lastBlock().text();
    append((shown.isEmpty() ? QString() : QStringLiteral("\n")) + line + '\n', kind);
}
