#pragma once
/// \file
/// One connected program: its output as it arrives, and a line to type input for it.

#include <QStringDecoder>
#include <QWidget>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTcpSocket;

/// Shows what arrives on one connection, live, and sends each line typed into its input
/// line (followed by '\n') to the program. Notes the connect and the disconnect in the text
/// itself, so the transcript is the whole story of the connection.
class ConnectionView : public QWidget {
    Q_OBJECT

  public:
    /// Takes ownership of the connected `socket`; `number` tells connections apart in titles.
    ConnectionView(QTcpSocket* socket, int number, QWidget* parent = nullptr);
    /// Hangs up if still connected: the program sees end of input.
    ~ConnectionView() override;

    /// "#1 127.0.0.1:40312", with " (closed)" once the program has disconnected.
    QString title() const;
    bool isConnected() const { return connected_; }
    /// Everything shown so far: the program's output, the lines sent, connect/disconnect.
    QString transcript() const;
    /// The line whose text is sent on Enter.
    QLineEdit* inputLine() const { return input_; }

  signals:
    /// The title changed (the connection closed).
    void titleChanged(const QString& title);

  private slots:
    void readOutput();
    void sendInput();
    void noteDisconnect();

  private:
    enum class TextKind { Output, Sent, Event };
    void append(const QString& text, TextKind kind);
    void appendLine(const QString& line, TextKind kind);

    QTcpSocket* socket_;
    QString peer_;
    int number_;
    bool connected_ = true;
    // Stateful: a UTF-8 character split across two reads is decoded whole.
    QStringDecoder decoder_{QStringDecoder::Utf8};
    QPlainTextEdit* output_;
    QLineEdit* input_;
    QPushButton* send_;
};
