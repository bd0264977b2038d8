using static QuantPipeline.Core.Tests.Features.QlibSeries;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>Each Alpha158 feature written out by hand from Qlib's formula on float64 series, independent of the parser.</summary>
internal static class Alpha158Reference
{
    private const double Eps = 1e-12;

    public static double[] Compute(string name, TestMarket m, int j)
    {
        double[] o = m.Series("open", j), h = m.Series("high", j), l = m.Series("low", j), c = m.Series("close", j);
        double[] v = m.Series("volume", j), vw = m.Series("vwap", j);
        double[] Div(double[] a, double[] b) => Zip(a, b, (x, y) => x / y);
        double[] Sub(double[] a, double[] b) => Zip(a, b, (x, y) => x - y);
        double[] Plus(double[] a, double eps) => Map(a, x => x + eps);
        double[] Greater0(double[] a) => Map(a, x => double.IsNaN(x) ? double.NaN : Math.Max(x, 0));
        var range = Plus(Sub(h, l), Eps);
        var maxOc = Zip(o, c, (x, y) => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y));
        var minOc = Zip(o, c, (x, y) => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y));
        var shift = Zip(c, Zip(h, l, (x, y) => x + y), (x, y) => 2 * x - y);
        switch (name)
        {
            case "KMID": return Div(Sub(c, o), o);
            case "KLEN": return Div(Sub(h, l), o);
            case "KMID2": return Div(Sub(c, o), range);
            case "KUP": return Div(Sub(h, maxOc), o);
            case "KUP2": return Div(Sub(h, maxOc), range);
            case "KLOW": return Div(Sub(minOc, l), o);
            case "KLOW2": return Div(Sub(minOc, l), range);
            case "KSFT": return Div(shift, o);
            case "KSFT2": return Div(shift, range);
            case "OPEN0": return Div(o, c);
            case "HIGH0": return Div(h, c);
            case "LOW0": return Div(l, c);
            case "VWAP0": return Div(vw, c);
        }

        var split = name.IndexOfAny("0123456789".ToCharArray());
        var family = name[..split];
        var d = int.Parse(name[split..], System.Globalization.CultureInfo.InvariantCulture);
        var c1 = Ref(c, 1);
        var v1 = Ref(v, 1);
        var up = Map(Zip(c, c1, (x, y) => x > y ? 1.0 : 0.0), x => x);
        var down = Zip(c, c1, (x, y) => x < y ? 1.0 : 0.0);
        var gain = Greater0(Sub(c, c1));
        var loss = Greater0(Sub(c1, c));
        var move = Map(Sub(c, c1), Math.Abs);
        var vGain = Greater0(Sub(v, v1));
        var vLoss = Greater0(Sub(v1, v));
        var vMove = Map(Sub(v, v1), Math.Abs);
        var weighted = Zip(Map(Sub(Div(c, c1), Enumerable.Repeat(1.0, c.Length).ToArray()), Math.Abs), v, (x, y) => x * y);
        var vEps = Plus(v, Eps);
        return family switch
        {
            "ROC" => Div(Ref(c, d), c),
            "MA" => Div(Roll(c, d, Mean), c),
            "STD" => Div(Roll(c, d, Std), c),
            "BETA" => Div(Roll(c, d, Slope), c),
            "RSQR" => Roll(c, d, Rsquare),
            "RESI" => Div(Roll(c, d, Resi), c),
            "MAX" => Div(Roll(h, d, Max), c),
            "MIN" => Div(Roll(l, d, Min), c),
            "QTLU" => Div(Roll(c, d, w => Quantile(w, 0.8)), c),
            "QTLD" => Div(Roll(c, d, w => Quantile(w, 0.2)), c),
            "RANK" => Roll(c, d, Rank),
            "RSV" => Div(Sub(c, Roll(l, d, Min)), Plus(Sub(Roll(h, d, Max), Roll(l, d, Min)), Eps)),
            "IMAX" => Map(Roll(h, d, IdxMax), x => x / d),
            "IMIN" => Map(Roll(l, d, IdxMin), x => x / d),
            "IMXD" => Map(Sub(Roll(h, d, IdxMax), Roll(l, d, IdxMin)), x => x / d),
            "CORR" => Pair(c, Map(v, x => Math.Log(x + 1)), d, correlation: true),
            "CORD" => Pair(Div(c, c1), Map(Div(v, v1), x => Math.Log(x + 1)), d, correlation: true),
            "CNTP" => Roll(up, d, Mean),
            "CNTN" => Roll(down, d, Mean),
            "CNTD" => Sub(Roll(up, d, Mean), Roll(down, d, Mean)),
            "SUMP" => Div(Roll(gain, d, Sum), Plus(Roll(move, d, Sum), Eps)),
            "SUMN" => Div(Roll(loss, d, Sum), Plus(Roll(move, d, Sum), Eps)),
            "SUMD" => Div(Sub(Roll(gain, d, Sum), Roll(loss, d, Sum)), Plus(Roll(move, d, Sum), Eps)),
            "VMA" => Div(Roll(v, d, Mean), vEps),
            "VSTD" => Div(Roll(v, d, Std), vEps),
            "WVMA" => Div(Roll(weighted, d, Std), Plus(Roll(weighted, d, Mean), Eps)),
            "VSUMP" => Div(Roll(vGain, d, Sum), Plus(Roll(vMove, d, Sum), Eps)),
            "VSUMN" => Div(Roll(vLoss, d, Sum), Plus(Roll(vMove, d, Sum), Eps)),
            "VSUMD" => Div(Sub(Roll(vGain, d, Sum), Roll(vLoss, d, Sum)), Plus(Roll(vMove, d, Sum), Eps)),
            _ => throw new ArgumentException($"No reference for {name}."),
        };
    }
}
