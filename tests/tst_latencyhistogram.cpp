#include "latencyhistogram.h"

#include <QRandomGenerator>
#include <QtTest>
#include <algorithm>
#include <cmath>

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private slots:
    void bucketsCoverTheRange()
    {
        QCOMPARE(LatencyHistogram::bucketFor(0), 0);
        QCOMPARE(LatencyHistogram::bucketFor(0.05), 0);
        QCOMPARE(LatencyHistogram::bucketFor(0.1), 1);
        QCOMPARE(LatencyHistogram::bucketFor(std::nan("")), 0);
        QCOMPARE(LatencyHistogram::bucketFor(1e12), LatencyHistogram::kBuckets - 1);
        for (int i = 1; i < LatencyHistogram::kBuckets - 1; ++i) {
            QVERIFY(LatencyHistogram::lowerBound(i) < LatencyHistogram::upperBound(i));
            QCOMPARE(LatencyHistogram::bucketFor(LatencyHistogram::lowerBound(i) * 1.0000001), i);
        }
        QVERIFY(LatencyHistogram::lowerBound(LatencyHistogram::kBuckets - 1) > 100'000); // past 100 s
    }

    // Percentiles from buckets are within 5 % of the exact nearest-rank values.
    void percentilesWithinFivePercent_data()
    {
        QTest::addColumn<int>("shape");
        QTest::addColumn<int>("samples");
        QTest::newRow("lognormal 10k") << 0 << 10'000;
        QTest::newRow("bimodal 5k") << 1 << 5'000;
        QTest::newRow("uniform 1k") << 2 << 1'000;
        QTest::newRow("few 7") << 2 << 7;
    }

    void percentilesWithinFivePercent()
    {
        QFETCH(int, shape);
        QFETCH(int, samples);
        QRandomGenerator rng(42 + shape);
        std::vector<double> values;
        LatencyHistogram h;
        for (int i = 0; i < samples; ++i) {
            double v;
            if (shape == 0) {
                const double u1 = rng.generateDouble() + 1e-12, u2 = rng.generateDouble();
                v = std::exp(std::log(120.0) + 0.6 * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2));
            } else if (shape == 1) {
                v = rng.bounded(10) < 8 ? 20 + rng.generateDouble() * 10 : 900 + rng.generateDouble() * 400;
            } else {
                v = 1 + rng.generateDouble() * 2000;
            }
            values.push_back(v);
            h.add(v);
        }
        std::sort(values.begin(), values.end());
        for (double p : {0.5, 0.95, 0.99}) {
            const double exact = values[std::size_t(std::ceil(p * double(values.size()))) - 1];
            const double estimate = h.percentile(p);
            QVERIFY2(std::abs(estimate - exact) / exact <= 0.05,
                     qPrintable(QStringLiteral("p%1: exact %2, estimate %3").arg(p * 100).arg(exact).arg(estimate)));
        }
        QCOMPARE(h.count(), quint64(samples));
    }

    void mergeIsAddition()
    {
        LatencyHistogram a, b, all;
        for (int i = 1; i <= 100; ++i) {
            (i % 2 ? a : b).add(i * 3.0);
            all.add(i * 3.0);
        }
        a.merge(b);
        QCOMPARE(a, all);
        QCOMPARE(a.percentile(0.5), all.percentile(0.5));
    }

    // What a partial hour is read as: the hour minus the minutes outside the window.
    void subtractUndoesMerge()
    {
        LatencyHistogram inside, outside, hour;
        for (int i = 1; i <= 100; ++i) {
            (i % 3 ? inside : outside).add(i * 7.0, quint32(i % 4 + 1));
            hour.add(i * 7.0, quint32(i % 4 + 1));
        }
        LatencyHistogram rest = hour;
        QVERIFY(rest.subtract(outside));
        QCOMPARE(rest, inside);
        QCOMPARE(rest.count(), inside.count());
        // More than it holds: those buckets go to zero, never wrap around.
        LatencyHistogram small;
        small.add(7.0, 1);
        small.add(700.0, 5);
        LatencyHistogram big;
        big.add(7.0, 3);
        big.add(700.0, 2);
        QVERIFY(!small.subtract(big));
        QCOMPARE(small.bucketCount(LatencyHistogram::bucketFor(7.0)), 0u);
        QCOMPARE(small.bucketCount(LatencyHistogram::bucketFor(700.0)), 3u);
        QCOMPARE(small.count(), quint64(3));
    }

    void encodeDecode()
    {
        LatencyHistogram h;
        h.add(0.01);
        h.add(12.5, 300);
        h.add(399, 70'000);
        h.add(1e9);
        LatencyHistogram back;
        QVERIFY(LatencyHistogram::decode(h.encode(), &back));
        QCOMPARE(back, h);
        QVERIFY(h.encode().size() < 16); // sparse: a few bytes per non-empty bucket
        LatencyHistogram empty;
        QVERIFY(LatencyHistogram::decode(QByteArray(), &empty));
        QVERIFY(empty.isEmpty());
        LatencyHistogram bad;
        QVERIFY(!LatencyHistogram::decode(QByteArray("\xff\x01", 2), &bad)); // bucket out of range
        QVERIFY(!LatencyHistogram::decode(QByteArray("\x05\x80", 2), &bad)); // truncated count
        QVERIFY(bad.isEmpty());
    }

    void emptyPercentile() { QCOMPARE(LatencyHistogram().percentile(0.99), -1.0); }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
