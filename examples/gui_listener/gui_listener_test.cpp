// The GUI listener paired with real programs: the window runs in this process on a free
// port; the progress tool runs as a child, under sockwrap or redirecting itself with
// libredirect. Every wait is bounded (QTRY_* poll the event loop up to wait_ms).
#include <QLineEdit>
#include <QTabBar>
#include <QTabWidget>
#include <QtTest>
#include <memory>

#include "connection_view.hpp"
#include "listener_window.hpp"
#include "tool_process.hpp"

namespace {

// Generous: sanitizer builds of three processes on a loaded machine are slow. Only a hang
// ever waits this long.
constexpr int wait_ms = 30000;

// Many steps, so that the job is still running whenever a test needs it to be.
const QStringList long_job{QStringLiteral("--steps"), QStringLiteral("100000"),
                           QStringLiteral("--interval"), QStringLiteral("50")};

QString endpoint(quint16 port) {
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

// The command line of the progress tool connected to `port`, the way the data row
// "pairing" says: the program first, then its arguments.
QStringList toolCommand([[maybe_unused]] const QString& pairing, quint16 port,
                        const QStringList& jobArguments = long_job) {
#ifdef SOCKWRAP
    if (pairing == QLatin1String("sockwrap --connect"))
        return QStringList{QStringLiteral(SOCKWRAP), QStringLiteral("--connect"), endpoint(port),
                           QStringLiteral("--"), QStringLiteral(PROGRESS_TOOL)} +
               jobArguments;
#endif
    return QStringList{QStringLiteral(PROGRESS_TOOL_REDIRECT), QStringLiteral("--connect"),
                       endpoint(port)} +
           jobArguments;
}

void addPairings() {
    QTest::addColumn<QString>("pairing");
#ifdef SOCKWRAP
    QTest::newRow("sockwrap") << QStringLiteral("sockwrap --connect");
#endif
    QTest::newRow("libredirect") << QStringLiteral("redirect::both_as_client");
}

// Types `text` into the connection's input line and presses Enter, as a user would.
void type(ConnectionView* view, const QString& text) {
    QTest::keyClicks(view->inputLine(), text);
    QTest::keyClick(view->inputLine(), Qt::Key_Return);
}

}  // namespace

class GuiListenerTest : public QObject {
    Q_OBJECT

  private:
    // The connection number `index` (from 0), once accepted; nullptr if it never came.
    ConnectionView* awaitConnection(int index = 0);
    QString tabText(int index) const;
    // Starts `command`; it is stopped (if still running) after the window has hung up.
    ToolProcess& start(const QStringList& command);

    std::unique_ptr<ListenerWindow> window_;
    std::vector<std::unique_ptr<ToolProcess>> tools_;

  private slots:
    void init();
    void cleanup();

    void reportsTheBoundPort();
    void showsToolOutputLive_data() { addPairings(); }
    void showsToolOutputLive();
    void sendsTypedCommandsToTool_data() { addPairings(); }
    void sendsTypedCommandsToTool();
    void showsDisconnectWhenToolQuits_data() { addPairings(); }
    void showsDisconnectWhenToolQuits();
    void closingTabEndsTheTool_data() { addPairings(); }
    void closingTabEndsTheTool();
    void showsSeveralConnectionsInTabs();
#ifdef SOCKWRAP
    void pairsWithOutMode();
    void pairsWithInMode();
#endif
};

void GuiListenerTest::init() {
    window_ = std::make_unique<ListenerWindow>();
    QVERIFY2(window_->listen(QHostAddress::LocalHost, 0), qPrintable(window_->errorString()));
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void GuiListenerTest::cleanup() {
    // Hanging up first lets each program see end of input and stop on its own.
    window_.reset();
    tools_.clear();
}

ToolProcess& GuiListenerTest::start(const QStringList& command) {
    tools_.push_back(std::make_unique<ToolProcess>(command.first(), command.mid(1)));
    return *tools_.back();
}

ConnectionView* GuiListenerTest::awaitConnection(int index) {
    if (!QTest::qWaitFor([&] { return window_->connectionCount() > index; }, wait_ms))
        return nullptr;
    return window_->connection(index);
}

QString GuiListenerTest::tabText(int index) const {
    return window_->findChild<QTabWidget*>()->tabText(index);
}

void GuiListenerTest::reportsTheBoundPort() {
    QVERIFY(window_->port() != 0);
    QVERIFY(window_->windowTitle().contains(endpoint(window_->port())));
}

void GuiListenerTest::showsToolOutputLive() {
    QFETCH(QString, pairing);
    ToolProcess& tool = start(toolCommand(pairing, window_->port()));
    QVERIFY(tool.started());
    ConnectionView* view = awaitConnection();
    QVERIFY(view);
    QVERIFY(view->transcript().startsWith(QStringLiteral("connected: 127.0.0.1:")));
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral(
                                 "progress job: 100000 steps; commands: pause, resume")),
                             wait_ms);
    // Progress arrives while the tool is not reading: it flushes each line itself.
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("] step 3/100000")),
                             wait_ms);
    QVERIFY(view->isConnected());
    QVERIFY(tabText(0).startsWith(QStringLiteral("#1 127.0.0.1:")));
}

void GuiListenerTest::sendsTypedCommandsToTool() {
    QFETCH(QString, pairing);
    ToolProcess& tool = start(toolCommand(pairing, window_->port()));
    ConnectionView* view = awaitConnection();
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("] step 1/")), wait_ms);

    type(view, QStringLiteral("pause"));
    QVERIFY(view->inputLine()->text().isEmpty());
    QVERIFY(view->transcript().contains(QStringLiteral("> pause\n")));
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("paused at step ")),
                             wait_ms);
    type(view, QStringLiteral("Status"));
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("status: paused, step ")),
                             wait_ms);
    type(view, QStringLiteral("frobnicate"));
    QTRY_VERIFY_WITH_TIMEOUT(
        view->transcript().contains(QStringLiteral("unknown command 'frobnicate'")), wait_ms);
    QVERIFY(tool.isRunning());
}

void GuiListenerTest::showsDisconnectWhenToolQuits() {
    QFETCH(QString, pairing);
    ToolProcess& tool = start(toolCommand(pairing, window_->port()));
    ConnectionView* view = awaitConnection();
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("] step 1/")), wait_ms);

    type(view, QStringLiteral("quit"));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isConnected(), wait_ms);
    QVERIFY(view->transcript().contains(QStringLiteral("quitting at step ")));
    QVERIFY(view->transcript().endsWith(QStringLiteral("disconnected\n")));
    QVERIFY(tabText(0).endsWith(QStringLiteral(" (closed)")));
    QVERIFY(!view->inputLine()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!tool.isRunning(), wait_ms);
    QCOMPARE(tool.exitCode(), 0);
}

void GuiListenerTest::closingTabEndsTheTool() {
    QFETCH(QString, pairing);
    ToolProcess& tool = start(toolCommand(pairing, window_->port()));
    QVERIFY(awaitConnection());
    QTRY_VERIFY_WITH_TIMEOUT(
        window_->connection(0)->transcript().contains(QStringLiteral("] step 1/")), wait_ms);

    // The close button sits on either side of the tab, depending on the style.
    QTabBar* bar = window_->findChild<QTabWidget*>()->tabBar();
    QWidget* close = bar->tabButton(0, QTabBar::RightSide);
    if (!close) close = bar->tabButton(0, QTabBar::LeftSide);
    QVERIFY(close);
    QTest::mouseClick(close, Qt::LeftButton);
    QCOMPARE(window_->connectionCount(), 0);
    // The tool sees end of input, then fails to write its next line, and stops.
    QTRY_VERIFY_WITH_TIMEOUT(!tool.isRunning(), wait_ms);
}

void GuiListenerTest::showsSeveralConnectionsInTabs() {
    QStringList pairings{QStringLiteral("redirect::both_as_client")};
#ifdef SOCKWRAP
    pairings.append(QStringLiteral("sockwrap --connect"));
#endif
    const QStringList slowJob{QStringLiteral("--steps"), QStringLiteral("40"),
                              QStringLiteral("--interval"), QStringLiteral("150")};
    for (int i = 0; i < pairings.size(); ++i) {
        QVERIFY(start(toolCommand(pairings[i], window_->port(), slowJob)).started());
        QVERIFY(awaitConnection(i));
    }
    const int count = window_->connectionCount();
    QCOMPARE(count, static_cast<int>(pairings.size()));
    for (int i = 0; i < count; ++i) {
        QVERIFY(tabText(i).startsWith(QStringLiteral("#%1 ").arg(i + 1)));
        QTRY_VERIFY_WITH_TIMEOUT(
            window_->connection(i)->transcript().contains(QStringLiteral("] step 8/40")), wait_ms);
    }
    // The newest connection is shown; input goes to the connection of its own tab only.
    ConnectionView* newest = window_->connection(count - 1);
    QCOMPARE(window_->findChild<QTabWidget*>()->currentWidget(), newest);
    type(newest, QStringLiteral("pause"));
    type(newest, QStringLiteral("status"));
    QTRY_VERIFY_WITH_TIMEOUT(newest->transcript().contains(QStringLiteral("status: paused")),
                             wait_ms);
    for (int i = 0; i < count - 1; ++i)
        QVERIFY(!window_->connection(i)->transcript().contains(QStringLiteral("paused")));

    // Set GUI_LISTENER_SCREENSHOT=path/to.png to save the window as the README shows it.
    const QString screenshot = qEnvironmentVariable("GUI_LISTENER_SCREENSHOT");
    if (!screenshot.isEmpty()) QVERIFY(window_->grab().save(screenshot));
}

#ifdef SOCKWRAP
void GuiListenerTest::pairsWithOutMode() {
    // Only the tool's stdout is on the socket; its stdin is the test's pipe, closed at once
    // (the tool exits once its job is done and no more commands can come).
    ToolProcess& tool =
        start({QStringLiteral(SOCKWRAP), QStringLiteral("--out"), endpoint(window_->port()),
               QStringLiteral("--"), QStringLiteral(PROGRESS_TOOL), QStringLiteral("--steps"),
               QStringLiteral("3"), QStringLiteral("--interval"), QStringLiteral("10")});
    tool.closeInput();
    ConnectionView* view = awaitConnection();
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isConnected(), wait_ms);
    QVERIFY(view->transcript().contains(QStringLiteral("] step 3/3 (100%) - done")));
    QTRY_VERIFY_WITH_TIMEOUT(!tool.isRunning(), wait_ms);
    QCOMPARE(tool.exitCode(), 0);
}

void GuiListenerTest::pairsWithInMode() {
    // Only the program's stdin is on the socket: what is typed comes out of its stdout.
    ToolProcess& tool =
        start({QStringLiteral(SOCKWRAP), QStringLiteral("--in"), endpoint(window_->port()),
               QStringLiteral("--"), QStringLiteral("cat")});
    ConnectionView* view = awaitConnection();
    QVERIFY(view);
    type(view, QStringLiteral("typed in the window"));
    QByteArray output;
    QTRY_VERIFY_WITH_TIMEOUT((output += tool.takeOutput()).contains("typed in the window\n"),
                             wait_ms);
}
#endif

QTEST_MAIN(GuiListenerTest)
#include "gui_listener_test.moc"
