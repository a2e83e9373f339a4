#include "httpresponseparser.h"

#include <QtTest>

// The HTTP/1.1 response parser, fed whole and one byte at a time.
class TestHttpResponseParser : public QObject
{
    Q_OBJECT

    static HttpResponseParser parse(const QByteArray &wire, bool byteByByte, qint64 cap = 1 << 20, bool head = false)
    {
        HttpResponseParser p(cap, head);
        if (byteByByte) {
            for (qsizetype i = 0; i < wire.size() && !p.isDone() && p.state() != HttpResponseParser::State::Error; ++i)
                p.feed(wire.constData() + i, 1);
        } else {
            p.feed(wire.constData(), wire.size());
        }
        return p;
    }

private slots:
    void responses_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") << 200 << QByteArray("ok") << true;
        QTest::newRow("close header") << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok") << 200
                                      << QByteArray("ok") << false;
        QTest::newRow("http/1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok") << 200 << QByteArray("ok") << false;
        QTest::newRow("http/1.0 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok")
                                             << 200 << QByteArray("ok") << true;
        QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA;x=y\r\n0123456789\r\n0\r\nT: 1\r\n\r\n")
                                 << 200 << QByteArray("abc0123456789") << true;
        QTest::newRow("bare LF") << QByteArray("HTTP/1.1 204 No Content\nX: y\n\n") << 204 << QByteArray() << true;
        QTest::newRow("continue first") << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx")
                                        << 201 << QByteArray("x") << true;
        QTest::newRow("304 ignores length") << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n") << 304
                                            << QByteArray() << true;
        QTest::newRow("empty length") << QByteArray("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n") << 500 << QByteArray() << true;
    }

    void responses()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);
        for (bool byteByByte : {false, true}) {
            const HttpResponseParser p = parse(wire, byteByByte);
            QVERIFY2(p.isDone(), p.errorText().constData());
            QCOMPARE(p.status(), status);
            QCOMPARE(p.body(), body);
            QCOMPARE(p.keepAlive(), keepAlive);
        }
    }

    void untilClose()
    {
        HttpResponseParser p = parse("HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nsome body", false);
        QCOMPARE(p.state(), HttpResponseParser::State::Body);
        p.finishOnClose();
        QVERIFY(p.isDone());
        QCOMPARE(p.body(), QByteArray("some body"));
        QVERIFY(!p.keepAlive());
        QCOMPARE(p.header("x-a"), QByteArray("1"));
    }

    void truncatedIsAnError()
    {
        HttpResponseParser p = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false);
        p.finishOnClose();
        QCOMPARE(p.state(), HttpResponseParser::State::Error);
        QCOMPARE(p.failure(), HttpResponseParser::Failure::Malformed);
    }

    void headHasNoBody()
    {
        const HttpResponseParser p = parse("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", false, 1 << 20, true);
        QVERIFY(p.isDone());
        QVERIFY(p.keepAlive());
    }

    void capped()
    {
        const QList<QByteArray> wires = {QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n") + QByteArray(100, 'x'),
                                         QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n") + QByteArray(100, 'x')};
        for (const QByteArray &wire : wires) {
            const HttpResponseParser p = parse(wire, false, 10);
            QCOMPARE(p.failure(), HttpResponseParser::Failure::BodyTooLarge);
            QCOMPARE(p.body().size(), 10);
        }
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n");
        QTest::newRow("bad status") << QByteArray("HTTP/1.1 abc OK\r\n");
        QTest::newRow("header without colon") << QByteArray("HTTP/1.1 200 OK\r\nnonsense\r\n\r\n");
        QTest::newRow("bad length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n");
        QTest::newRow("bad chunk") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        QTest::newRow("huge line") << QByteArray("HTTP/1.1 200 OK\r\nX: ") + QByteArray(20'000, 'a');
    }

    void malformed()
    {
        QFETCH(QByteArray, wire);
        const HttpResponseParser p = parse(wire, false);
        QCOMPARE(p.state(), HttpResponseParser::State::Error);
        QCOMPARE(p.failure(), HttpResponseParser::Failure::Malformed);
        QVERIFY(!p.errorText().isEmpty());
    }

    void pipelinedBytesLeftUnconsumed()
    {
        HttpResponseParser p;
        const QByteArray wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
        QCOMPARE(p.feed(wire.constData(), wire.size()), wire.size() - 5);
        QVERIFY(p.isDone());
    }
};

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
